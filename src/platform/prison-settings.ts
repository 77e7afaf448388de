import { isDeepStrictEqual } from 'node:util'
import { z } from 'zod'
import type { Db } from '../db/database.ts'
import type { Audit, AuditEntry } from './audit.ts'
import type { FieldError, Refusal } from './forms.ts'
import { holdUntilCommit } from './locks.ts'
import type { Actor } from './permissions.ts'

/** What a prison sets for itself on one settings page: its checks, where it is kept, how the change is audited. */
export type PrisonSettingsKind<Settings> = {
  problems: (settings: Settings) => Refusal[]
  save: (db: Db, establishmentCode: string, settings: Settings) => Promise<void>
  audited: (settings: Settings) => AuditEntry
}

/**
 * The id of a settings page's form, where the refusal of a save drawn before someone else's leads: the page shows
 * the settings as saved again, so the user makes their change on what is there now.
 */
export const SETTINGS_FORM = 'settings'

/** Someone else saved a change to what this form changes too, after its page was drawn: nothing was saved. */
export const changedMeanwhile: Refusal = { field: SETTINGS_FORM, messageKey: 'settings.error.changedMeanwhile' }

/** Whether a refused settings form is shown again with the settings as saved, rather than as it was typed. */
export function showsAsSaved(errors: readonly FieldError[]): boolean {
  return errors.some((error) => error.field === SETTINGS_FORM)
}

/** The settings a page shows, for its form to send back as `drawn`: what the user's change is a change to. */
export function drawnOf(settings: object): string {
  return JSON.stringify(settings)
}

/**
 * The settings to save when a form drawn from `drawn` sends `mine` and `stored` is what is kept now: each setting
 * the user left as drawn keeps what anyone else saved since, and one the user changed is theirs, unless someone
 * else changed it too, to something else. Then null, and nothing is saved: two safer custody leads changing the
 * ACCT timings at once must not each be told "saved" while one quietly undoes the other. A setting is a whole
 * (a set of shares that add up, the names of the levels of risk), and a form that sends no `drawn` (a script)
 * saves what it sends, as before; one whose `drawn` is not what Waymark wrote is taken as drawn from nothing.
 */
export function mergedWithStored<Settings extends object>(
  drawn: string | undefined,
  stored: Settings,
  mine: Settings,
): Settings | null {
  if (drawn === undefined) return mine
  const was = parsed(drawn)
  const merged: Record<string, unknown> = { ...(mine as Record<string, unknown>) }
  for (const [key, wanted] of Object.entries(mine)) {
    const now: unknown = (stored as Record<string, unknown>)[key]
    if (isDeepStrictEqual(now, wanted)) continue
    const before = was?.[key]
    if (isDeepStrictEqual(now, before)) continue
    if (was && isDeepStrictEqual(wanted, before)) merged[key] = now
    else return null
  }
  return merged as Settings
}

/** Whether the settings stored are still those a page was `drawn` with (always, for a form sent without a copy). */
export function isAsDrawn(drawn: string | undefined, stored: object): boolean {
  return drawn === undefined || isDeepStrictEqual(parsed(drawn), stored)
}

function parsed(drawn: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(drawn)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

/**
 * Holds a prison's settings until the transaction ends, so a save reads what it merges with after any other save
 * has committed: there may be no row to lock yet (a prison on the defaults).
 */
export async function holdPrisonSettings(trx: Db, establishmentCode: string): Promise<void> {
  await holdUntilCommit(trx, `prison-settings:${establishmentCode}`)
}

/**
 * A prison's own settings (its ACCT timings, its key work policy, how long a concern may wait) are refused as a
 * whole, with every problem and nothing saved, or saved for the user's own prison with their audit entry in one
 * transaction: a half-saved policy would run the prison on timings nobody chose. A save drawn before another
 * keeps the other's changes (`mergedWithStored`), or is refused with `changedMeanwhile` where both changed the
 * same setting, or where together they would break a rule that each kept alone.
 */
export async function savePrisonSettings<Settings extends object>(
  { db, audit }: { db: Db; audit: Audit },
  actor: Actor,
  settings: Settings,
  kind: KeptPrisonSettings<Settings>,
  drawn?: string,
): Promise<Refusal[]> {
  const problems = kind.problems(settings)
  if (problems.length > 0) return problems
  return db.transaction().execute(async (trx) => {
    await holdPrisonSettings(trx, actor.establishmentCode)
    const merged = mergedWithStored(drawn, await kind.find(trx, actor.establishmentCode), settings)
    if (merged === null || kind.problems(merged).length > 0) return [changedMeanwhile]
    await kind.save(trx, actor.establishmentCode, merged)
    await audit.record(trx, actor, kind.audited(merged))
    return []
  })
}

/** A prison's settings as a settings page keeps them: read as they stand (defaults until saved), and saved. */
export type KeptPrisonSettings<Settings> = PrisonSettingsKind<Settings> & {
  find: (db: Db, establishmentCode: string) => Promise<Settings>
}

/**
 * The two use cases of a prison's settings page, for its area's service to list: the settings as they stand
 * at a prison, and a save of the user's own prison's, refused as a whole or audited (`savePrisonSettings`),
 * given the settings the page was drawn with.
 */
export function prisonSettingsUseCases<Settings extends object>(kind: KeptPrisonSettings<Settings>) {
  return {
    read: ({ db }: { db: Db }, establishmentCode: string): Promise<Settings> => kind.find(db, establishmentCode),
    save: (deps: { db: Db; audit: Audit }, actor: Actor, settings: Settings, drawn?: string): Promise<Refusal[]> =>
      savePrisonSettings(deps, actor, settings, kind, drawn),
  }
}

/**
 * What a settings page's form shows: the settings as saved, drawn from them (nothing sent back, or no `values`);
 * or, sent back refused, what was typed and the `drawn` it was typed on, unless it was refused for someone else's save (`changedMeanwhile`),
 * when it shows the settings as saved now. `formOf` words the settings as the form's fields.
 */
export function settingsForm<Settings extends object>(
  settings: Settings,
  sentBack: { errors?: readonly FieldError[]; values?: unknown } | null | undefined,
  formOf: (settings: Settings) => unknown = (saved) => saved,
): { values: unknown; drawn: string } {
  if (sentBack?.values === undefined || showsAsSaved(sentBack.errors ?? []))
    return { values: formOf(settings), drawn: drawnOf(settings) }
  const sent = sentBack.values
  const drawn = typeof sent === 'object' && sent !== null && 'drawn' in sent ? sent.drawn : undefined
  return { values: sent, drawn: typeof drawn === 'string' ? drawn : drawnOf(settings) }
}

/**
 * The `drawn` field of a settings form: the settings its page showed, as `drawnOf` wrote them. One that is not
 * a string of that size (sent twice, or made up) is taken as drawn from nothing, so the save is refused wherever
 * it differs from what is stored, rather than the form refused for a field its reader cannot see.
 */
export const DrawnField = z.string().max(20_000).optional().catch('')
