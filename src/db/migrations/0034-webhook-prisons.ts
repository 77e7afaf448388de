import { sql, type Kysely } from 'kysely'

/**
 * Issue 15: a subscriber hears of the prisons it was registered for, and no others; and its signing secret can
 * be rotated, the old one still signing beside the new for a grace period so the receiver can switch without
 * losing an event. A subscriber added before this heard of every prison: it keeps the prisons there are now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_subscription_prison (
      subscription_id uuid not null references webhook_subscription (id),
      establishment_code text not null references establishment (code),
      primary key (subscription_id, establishment_code)
    );
    create index webhook_subscription_prison_establishment on webhook_subscription_prison (establishment_code);
    insert into webhook_subscription_prison (subscription_id, establishment_code)
      select s.id, e.code from webhook_subscription s cross join establishment e;
    alter table webhook_subscription
      add column previous_signing_secret text,
      add column previous_secret_until timestamptz,
      add constraint webhook_subscription_previous_secret
        check ((previous_signing_secret is null) = (previous_secret_until is null));
  `.execute(db)
}
