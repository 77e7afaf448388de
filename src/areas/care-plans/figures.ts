/** M3, M4: counts of care plans for other areas' pages (costing, equality); no person's detail. */
import { countsPerPersonSince } from '../../platform/counts-per-person.ts'
import { daysAtEachLevel as daysAtEachLevelOf } from './rules.ts'
import * as store from './store.ts'
import type { CarePlanDeps } from './deps.ts'

/**
 * M4: the days plans at a prison spent at each risk level in [from, to), from their reviews, and the
 * names the prison gives the levels in English and Welsh. Counts only, for the costing page. A plan that came on transfer is
 * counted whole at the prison holding it now.
 */
export async function daysAtEachLevel(deps: CarePlanDeps, establishmentCode: string, from: Date, to: Date) {
  const { db } = deps
  const [plans, settings] = await Promise.all([
    store.plansWithLevelsBetween(db, establishmentCode, from, to),
    store.findSettings(db, establishmentCode),
  ])
  return {
    days: daysAtEachLevelOf(plans, from, to),
    levelNames: { en: settings.riskNames, cy: settings.riskNamesCy },
  }
}

/** M3: care plans opened per person at a prison since a date; counts only, for the equality figures. */
export const openedCountsSince = countsPerPersonSince(store.openedCountsSince)
