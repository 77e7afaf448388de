import type { ActivityCategory } from '../../../db/schema.ts'
import { categories } from './offer.ts'
import { needCategory, needs, type Need } from './needs.ts'
import type { Framework } from './frameworks.ts'

// ---------------------------------------------------------------------------------------------------------
// Population needs analysis (R8)

export type NeedDemand = { need: Need; cohort: string; people: number }
export type NeedPlaces = { need: Need; cohort: string; places: number }
export type Gap = {
  need: Need
  category: ActivityCategory
  cohort: string
  people: number
  places: number
  /** People with the need beyond the places offered for it; 0 when the offer covers them. */
  shortfall: number
}

/**
 * R8: for each need and cohort, the people who have it (high or medium priority) against the places a
 * week the offer has for it, largest shortfall first, then by category.
 */
export function needsGaps(demand: readonly NeedDemand[], places: readonly NeedPlaces[]): Gap[] {
  const key = (need: string, cohort: string) => `${need}|${cohort}`
  const placesOf = new Map(places.map((row) => [key(row.need, row.cohort), row.places]))
  return demand
    .map((row) => {
      const offered = placesOf.get(key(row.need, row.cohort)) ?? 0
      return {
        need: row.need,
        category: needCategory[row.need],
        cohort: row.cohort,
        people: row.people,
        places: offered,
        shortfall: Math.max(0, row.people - offered),
      }
    })
    .sort(
      (a, b) =>
        b.shortfall - a.shortfall ||
        categories.indexOf(a.category) - categories.indexOf(b.category) ||
        a.cohort.localeCompare(b.cohort) ||
        needs.indexOf(a.need) - needs.indexOf(b.need),
    )
}

/** R3 against R2: each category's share of the places a week the offer has, beside the framework's. */
export function offerShares(
  placesByCategory: ReadonlyMap<string, number>,
  framework: Framework,
): { category: ActivityCategory; places: number; share: number; target: number }[] {
  const total = [...placesByCategory.values()].reduce((sum, value) => sum + value, 0)
  return categories.map((category) => {
    const places = placesByCategory.get(category) ?? 0
    return {
      category,
      places,
      share: total === 0 ? 0 : Math.round((places / total) * 100),
      target: framework.categoryShares[category],
    }
  })
}
