import { sql, type Kysely } from 'kysely'

/**
 * Background work and in-service notifications, shared by every area. Jobs live in the database and are
 * claimed with `FOR UPDATE SKIP LOCKED`, so any number of web processes can work them and none takes a
 * job another holds; the same SQL runs on PGlite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job (
      id bigserial primary key,
      queue text not null,
      payload jsonb not null default '{}'::jsonb,
      run_at timestamptz not null,
      state text not null default 'waiting' check (state in ('waiting', 'running', 'done', 'failed')),
      attempts integer not null default 0,
      max_attempts integer not null default 3 check (max_attempts between 1 and 20),
      -- At most one waiting or running job per key: every process enqueues each periodic sweep for the
      -- next period, and only the first of them is kept.
      singleton_key text,
      locked_by text,
      locked_at timestamptz,
      last_error text,
      created_at timestamptz not null,
      finished_at timestamptz
    );
    create index job_due on job (run_at) where state = 'waiting';
    create unique index job_singleton on job (singleton_key) where state in ('waiting', 'running');

    create table notification (
      id uuid primary key default gen_random_uuid(),
      recipient_id uuid not null references staff_user (id),
      establishment_code text not null references establishment (code),
      kind text not null,
      message_key text not null,
      params jsonb not null default '{}'::jsonb,
      href text not null check (href like '/%'),
      created_at timestamptz not null,
      read_at timestamptz
    );
    create index notification_unread on notification (recipient_id, created_at) where read_at is null;
    create index notification_recipient on notification (recipient_id, created_at desc);
  `.execute(db)
}
