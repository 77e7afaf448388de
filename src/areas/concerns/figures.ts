/** The safer custody dashboard's counts, and the counts the equality figures ask of concerns (M3). */
import { countsPerPersonSince } from '../../platform/counts-per-person.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import type { ConcernsDeps } from './deps.ts'

/**
 * The dashboard's counts for each prison the reader oversees (a group director has several), in the order of
 * their names, as the safety figures set them side by side: counts only, each prison's care plan counts
 * audited as that prison's.
 */
async function countsSideBySide(deps: ConcernsDeps, actor: Actor) {
  const { db, clock, carePlans } = deps
  const now = clock.now()
  const names = new Map((actor.establishments ?? []).map((prison) => [prison.code, prison.name]))
  const prisons = await Promise.all(
    actor.establishmentCodes.map(async (code) => ({
      code,
      name: names.get(code) ?? code,
      concerns: await store.countOpen(db, code, now),
      carePlans: carePlans ? await carePlans.carePlanDashboard({ ...actor, establishmentCode: code }) : null,
    })),
  )
  return prisons.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
}

/**
 * The safer custody dashboard: open and escalated concerns, responsibility gaps and the care plan counts.
 * Each count links to its list where the user may open it. Audited.
 */
export async function dashboard(deps: ConcernsDeps, actor: Actor) {
  const { db, clock, audit, journey, carePlans, familyWorries } = deps
  const [counts, gaps, carePlanCounts, familyWorriesToMatch] = await Promise.all([
    store.countOpen(db, actor.establishmentCode, clock.now()),
    hasPermission(actor.role, 'journey.view-gaps') ? journey.listGaps(actor) : Promise.resolve(null),
    carePlans ? carePlans.carePlanDashboard(actor) : Promise.resolve(null),
    familyWorries && hasPermission(actor.role, 'family-worries.view')
      ? familyWorries.countToMatch(actor.establishmentCode)
      : Promise.resolve(null),
  ])
  await audit.record(db, actor, { action: 'safer-custody.dashboard-viewed', details: { ...counts } })
  return {
    concerns: counts,
    gaps,
    carePlans: carePlanCounts,
    familyWorriesToMatch,
    canOpenLists: hasPermission(actor.role, 'concerns.view'),
    prisons: actor.establishmentCodes.length > 1 ? await countsSideBySide(deps, actor) : null,
  }
}

/** M3: concerns raised about each person at a prison since a date; counts only, for the equality figures. */
export const concernCountsSince = countsPerPersonSince(store.concernCountsSince)
