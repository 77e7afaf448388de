import { sql, type Kysely } from 'kysely'

/**
 * The prison's own names for the levels of risk, in Welsh as well as English (WELSH.md: a name a prison sets is
 * stored in both). A prison that kept the ACCT names starts with their Welsh; a name of its own stays as it is
 * in Welsh until the prison types the Welsh at /care-plan-settings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const levels = [
    ['low', 'isel'],
    ['raised', 'uwch'],
    ['high', 'uchel'],
  ] as const
  for (const [level, welsh] of levels) {
    const column = sql.raw(`risk_${level}_name_cy`)
    const english = sql.raw(`risk_${level}_name`)
    await sql`alter table care_plan_setting add column ${column} text`.execute(db)
    await sql`update care_plan_setting set ${column} = case ${english} when ${level} then ${welsh} else ${english} end`.execute(
      db,
    )
    await sql`alter table care_plan_setting alter column ${column} set default ${sql.lit(welsh)}`.execute(db)
    await sql`alter table care_plan_setting alter column ${column} set not null`.execute(db)
  }
}
