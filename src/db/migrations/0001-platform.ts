import { sql, type Kysely } from 'kysely'

/** Establishments down to cells, people in custody, staff accounts, sign-in sessions and the audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table establishment (
      code text primary key check (code ~ '^[A-Z]{3}$'),
      name text not null,
      function text not null check (function in ('reception', 'training', 'resettlement', 'womens', 'young-offender', 'open')),
      is_in_wales boolean not null default false
    );

    create table wing (
      id serial primary key,
      establishment_code text not null references establishment (code),
      code text not null,
      name text not null,
      unique (establishment_code, code)
    );

    create table cell (
      id serial primary key,
      wing_id integer not null references wing (id),
      landing integer not null,
      label text not null,
      capacity integer not null default 1 check (capacity between 1 and 8),
      unique (wing_id, label)
    );

    create table person (
      id uuid primary key default gen_random_uuid(),
      prison_number text not null unique check (prison_number ~ '^[A-Z][0-9]{4}[A-Z]{2}$'),
      first_name text not null,
      last_name text not null,
      date_of_birth date not null,
      establishment_code text not null references establishment (code),
      cell_id integer references cell (id),
      cohort text not null default 'mainstream',
      reception_on date not null,
      sex text,
      ethnicity text,
      religion text,
      disability text,
      sexual_orientation text,
      created_at timestamptz not null default now()
    );
    create index person_roll on person (establishment_code, last_name, first_name);
    create index person_cell on person (cell_id);

    create table staff_user (
      id uuid primary key default gen_random_uuid(),
      username text not null unique check (username = lower(username)),
      display_name text not null,
      password_hash text not null,
      role text not null,
      is_active boolean not null default true,
      created_at timestamptz not null default now()
    );

    create table staff_user_establishment (
      staff_user_id uuid not null references staff_user (id) on delete cascade,
      establishment_code text not null references establishment (code),
      is_home boolean not null default false,
      primary key (staff_user_id, establishment_code)
    );

    create table web_session (
      token_hash text primary key,
      staff_user_id uuid not null references staff_user (id) on delete cascade,
      establishment_code text not null references establishment (code),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index web_session_user on web_session (staff_user_id);

    create table audit_event (
      id bigserial primary key,
      occurred_at timestamptz not null,
      actor_id uuid,
      actor_username text not null,
      action text not null,
      establishment_code text,
      person_id uuid,
      reason text,
      details jsonb not null default '{}'::jsonb
    );
    create index audit_event_person on audit_event (person_id, occurred_at);

    create function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only: % is not allowed', tg_op;
    end;
    $$;
    create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function audit_event_is_append_only();
    create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function audit_event_is_append_only();
  `.execute(db)
}
