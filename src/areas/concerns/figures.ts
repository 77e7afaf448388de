/** The safer custody dashboard's counts, and the counts the equality figures ask of concerns (M3). */
import { countsPerPersonSince } from '../../platform/counts-per-person.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import type { ConcernsDeps } from './deps.ts'

/**
 * The dashboard's counts for each of these prisons, in the order of their names, as the safety figures set
 * them side by side (a group director has several): the concerns counted in one query for them all, and the
 * care plan counts asked of care plans for them all at once (audited there under each prison).
 */
async function countsAt(deps: ConcernsDeps, actor: Actor, codes: readonly string[]) {
  const { db, clock, carePlans } = deps
  const names = new Map((actor.establishments ?? []).map((prison) => [prison.code, prison.name]))
  const [concerns, carePlanCounts] = await Promise.all([
    store.countOpenAt(db, codes, clock.now()),
    carePlans ? carePlans.carePlanDashboards(actor, codes) : Promise.resolve(null),
  ])
  const prisons = codes.map((code) => ({
    code,
    name: names.get(code) ?? code,
    concerns: concerns.get(code)!,
    carePlans: carePlanCounts ? carePlanCounts.get(code)! : null,
  }))
  return prisons.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
}

/**
 * The safer custody dashboard: open and escalated concerns, responsibility gaps and the care plan counts.
 * Each count links to its list where the user may open it. Audited. Where the reader oversees several prisons
 * the prison they work in now is counted once, with the others, not again on its own.
 */
export async function dashboard(deps: ConcernsDeps, actor: Actor) {
  const { db, audit, journey, familyWorries } = deps
  const sideBySide = actor.establishmentCodes.length > 1
  const codes = [...new Set([actor.establishmentCode, ...(sideBySide ? actor.establishmentCodes : [])])]
  const [prisons, gaps, familyWorriesToMatch] = await Promise.all([
    countsAt(deps, actor, codes),
    hasPermission(actor.role, 'journey.view-gaps') ? journey.gapCounts(actor) : Promise.resolve(null),
    familyWorries && hasPermission(actor.role, 'family-worries.view')
      ? familyWorries.countToMatch(actor.establishmentCode)
      : Promise.resolve(null),
  ])
  const home = prisons.find((prison) => prison.code === actor.establishmentCode)!
  await audit.record(db, actor, { action: 'safer-custody.dashboard-viewed', details: { ...home.concerns } })
  return {
    concerns: home.concerns,
    gaps,
    carePlans: home.carePlans,
    familyWorriesToMatch,
    canOpenLists: hasPermission(actor.role, 'concerns.view'),
    prisons: sideBySide ? prisons.filter((prison) => actor.establishmentCodes.includes(prison.code)) : null,
  }
}

/** M3: concerns raised about each person at a prison since a date; counts only, for the equality figures. */
export const concernCountsSince = countsPerPersonSince(store.concernCountsSince)
