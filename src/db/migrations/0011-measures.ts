import { sql, type Kysely } from 'kysely'

/**
 * Issue 8 (M1, M2): the targets a governor sets for the measures of what works, a monthly record of each
 * figure so a trend can be drawn, and the safety in custody records (self-harm incidents, deaths in custody).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- M1: one target per prison per measure; changing it replaces it (the audit keeps who set what and when).
    create table measure_target (
      establishment_code text not null references establishment (code),
      measure text not null,
      target double precision not null,
      set_at timestamptz not null,
      set_by uuid references staff_user (id),
      primary key (establishment_code, measure)
    );

    -- M1: each figure as it stood in a month (the last time it was worked out that month), so a 12-month
    -- trend reads one small table rather than recomputing a year of every area's records.
    create table measure_snapshot (
      establishment_code text not null references establishment (code),
      measure text not null,
      month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
      value double precision,
      recorded_at timestamptz not null,
      primary key (establishment_code, measure, month)
    );

    -- M2: a self-harm incident as recorded by staff; whether the person was on an open care plan is asked
    -- of the care plans area when it is recorded, and kept, so later figures do not change under it.
    create table self_harm_incident (
      id uuid primary key default gen_random_uuid(),
      establishment_code text not null references establishment (code),
      person_id uuid not null references person (id),
      occurred_at timestamptz not null,
      method text not null check (method in (
        'cutting', 'ligature', 'self-strangulation', 'overdose', 'swallowing', 'head-banging', 'burning', 'other')),
      injury text not null check (injury in ('none', 'minor', 'treated-in-prison', 'hospital')),
      on_open_care_plan boolean not null,
      recorded_at timestamptz not null,
      recorded_by uuid references staff_user (id)
    );
    create index self_harm_incident_prison on self_harm_incident (establishment_code, occurred_at);
    create index self_harm_incident_person on self_harm_incident (person_id);

    -- M2: a death in custody and the reference of its independent investigation.
    create table death_in_custody (
      id uuid primary key default gen_random_uuid(),
      establishment_code text not null references establishment (code),
      person_id uuid not null references person (id),
      died_on date not null,
      investigation_reference text not null check (length(investigation_reference) between 1 and 40),
      recorded_at timestamptz not null,
      recorded_by uuid references staff_user (id)
    );
    create index death_in_custody_prison on death_in_custody (establishment_code, died_on);
  `.execute(db)
}
