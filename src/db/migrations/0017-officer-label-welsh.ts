import { sql, type Kysely } from 'kysely'

/**
 * The prison's own name for a dedicated officer, in Welsh as well as English (WELSH.md: a name a prison sets is
 * stored in both). A prison that kept a name we know starts with its Welsh; any other keeps its English until
 * the prison types its Welsh at /key-work-settings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table keywork_policy add column officer_label_cy text`.execute(db)
  await sql`
    update keywork_policy set officer_label_cy = case officer_label
      when 'key worker' then 'gweithiwr allweddol'
      when 'personal officer' then 'swyddog personol'
      else officer_label end
  `.execute(db)
  await sql`alter table keywork_policy alter column officer_label_cy set default 'gweithiwr allweddol'`.execute(db)
  await sql`alter table keywork_policy alter column officer_label_cy set not null`.execute(db)
}
