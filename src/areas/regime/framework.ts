/** R3: the prison's framework, its function's default shares of the offer and emphasis of needs, adjusted. */
import type { Actor } from '../../platform/permissions.ts'
import { changedMeanwhile, holdPrisonSettings, isAsDrawn, savePrisonSettings } from '../../platform/prison-settings.ts'
import { frameworkAsSaved, frameworkOf, frameworkProblems, type FrameworkInput, type Refusal } from './rules.ts'
import * as store from './store.ts'
import { frameworkAt, type RegimeDeps } from './deps.ts'

export type { FrameworkInput } from './rules.ts'

export async function viewFramework(deps: RegimeDeps, actor: Actor) {
  const current = await frameworkAt(deps.db, actor.establishmentCode)
  return { ...current, functionDefault: frameworkOf(current.establishment.function, null) }
}

/**
 * R3: saves the prison's framework, as a prison's settings are saved (`savePrisonSettings`): keeping what someone
 * else saved after the page was `drawn` where this save left it as drawn, or refusing it where both changed the
 * same part (its shares add up as a whole). Audited, with who saved it last.
 */
export async function saveFramework(
  deps: RegimeDeps,
  actor: Actor,
  input: FrameworkInput,
  drawn?: string,
): Promise<Refusal[]> {
  return savePrisonSettings(
    deps,
    actor,
    input,
    {
      find: async (trx, establishmentCode) => frameworkAsSaved(await frameworkAt(trx, establishmentCode)),
      problems: frameworkProblems,
      save: (trx, establishmentCode, merged) =>
        store.saveFramework(trx, establishmentCode, merged, actor.id, deps.clock.now()),
      audited: () => ({ action: 'regime.framework-saved' }),
    },
    drawn,
  )
}

/**
 * Back to the function's default framework and the default due days; refused where someone else saved the
 * framework after the page was `drawn`, which the reset would otherwise wipe unseen.
 */
export async function resetFramework(
  deps: RegimeDeps,
  actor: Actor,
  drawn?: string,
): Promise<Refusal[] | 'already-default'> {
  const { db, audit } = deps
  return db.transaction().execute(async (trx) => {
    await holdPrisonSettings(trx, actor.establishmentCode)
    const current = await frameworkAt(trx, actor.establishmentCode)
    if (!isAsDrawn(drawn, frameworkAsSaved(current))) return [changedMeanwhile]
    // Pressed again (a second tab, a double click): nothing to set back, and nothing to audit.
    if (!current.isAdjusted) return 'already-default'
    await store.deleteFramework(trx, actor.establishmentCode)
    await audit.record(trx, actor, { action: 'regime.framework-reset' })
    return []
  })
}
