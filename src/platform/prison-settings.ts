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

/** A prison's settings as a settings page keeps them: read as they stand (defaults until saved), and saved. */
export type KeptPrisonSettings<Settings> = PrisonSettingsKind<Settings> & {
  find: (db: Db, establishmentCode: string) => Promise<Settings>
}

/**
 * The two use cases of a prison's settings page, for its area's service to list: the settings as they stand
 * at a prison, and a save of the user's own prison's, refused as a whole or audited (`savePrisonSettings`).
 */
export function prisonSettingsUseCases<Settings>(kind: KeptPrisonSettings<Settings>) {
  return {
    read: ({ db }: { db: Db }, establishmentCode: string): Promise<Settings> => kind.find(db, establishmentCode),
    save: (deps: { db: Db; audit: Audit }, actor: Actor, settings: Settings): Promise<Refusal[]> =>
      savePrisonSettings(deps, actor, settings, kind),
  }
}
