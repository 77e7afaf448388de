import { sql, type Kysely } from 'kysely'

/**
 * Issue 8 (M4): the cost of what works. Each prison's own unit costs, each with the source it came from,
 * and the assumptions the costing page works with (staff counted, hours of a course, an expected change).
 * A missing row means the default in the costing rules; the audit keeps every old and new value.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table costing_unit_cost (
      establishment_code text not null references establishment (code),
      item text not null,
      amount_pence bigint not null check (amount_pence >= 0),
      source text not null check (length(source) between 1 and 300),
      set_at timestamptz not null,
      set_by uuid references staff_user (id),
      primary key (establishment_code, item)
    );

    -- A null value is the default (or, for an expected change, none assumed), kept so the source can stay.
    create table costing_assumption (
      establishment_code text not null references establishment (code),
      name text not null,
      value double precision check (value is null or value >= 0),
      source text not null default '' check (length(source) <= 300),
      set_at timestamptz not null,
      set_by uuid references staff_user (id),
      primary key (establishment_code, name)
    );
  `.execute(db)
}
