import { sql, type Kysely } from 'kysely'

/**
 * Issue 8 (M2): a marked disproportion in the perverse-incentive watch is told to the prison's group
 * directors once a month, however often the sweep runs; and a person's death in custody is recorded once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per prison per month in which the watch was flagged and its group directors told. The sweep
    -- inserts it in the same transaction as the notifications, so a second run that month sends nothing.
    create table transfer_watch_flag (
      establishment_code text not null references establishment (code),
      month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
      ratio double precision not null,
      lower_bound double precision not null,
      upper_bound double precision not null,
      flagged_at timestamptz not null,
      primary key (establishment_code, month)
    );

    create unique index death_in_custody_person on death_in_custody (person_id);
  `.execute(db)
}
