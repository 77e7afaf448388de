import type { Db } from '../db/database.ts'
import type { Audit, AuditEntry } from './audit.ts'
import type { Refusal } from './forms.ts'
import type { Actor } from './permissions.ts'

/** What a prison sets for itself on one settings page: its checks, where it is kept, how the change is audited. */
export type PrisonSettingsKind<Settings> = {
  problems: (settings: Settings) => Refusal[]
  save: (db: Db, establishmentCode: string, settings: Settings) => Promise<void>
  audited: (settings: Settings) => AuditEntry
}

/**
 * A prison's own settings (its ACCT timings, its key work policy, how long a concern may wait) are refused as a
 * whole, with every problem and nothing saved, or saved for the user's own prison with their audit entry in one
 * transaction: a half-saved policy would run the prison on timings nobody chose.
 */
export async function savePrisonSettings<Settings>(
  { db, audit }: { db: Db; audit: Audit },
  actor: Actor,
  settings: Settings,
  kind: PrisonSettingsKind<Settings>,
): Promise<Refusal[]> {
  const problems = kind.problems(settings)
  if (problems.length > 0) return problems
  await db.transaction().execute(async (trx) => {
    await kind.save(trx, actor.establishmentCode, settings)
    await audit.record(trx, actor, kind.audited(settings))
  })
  return []
}
