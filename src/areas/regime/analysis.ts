/** R8: the population needs analysis. The prison's needs against the places its offer has, by cohort. */
import { toCsv } from '../../platform/csv.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { cohorts } from '../people/rules.ts'
import { categories, isNeed, needCategory, needsGaps, offerShares, type NeedDemand, type NeedPlaces } from './rules.ts'
import * as store from './store.ts'
import { frameworkAt, type RegimeDeps } from './deps.ts'

export async function needsAnalysis(deps: RegimeDeps, actor: Actor) {
  const { db, audit } = deps
  const { framework, establishment } = await frameworkAt(db, actor.establishmentCode)
  const [everyone, placeRows, sessions] = await Promise.all([
    store.peopleWithLatestAssessment(db, actor.establishmentCode),
    store.placesByNeed(db, actor.establishmentCode),
    store.sessionsByCategory(db, actor.establishmentCode),
  ])
  const demand = new Map<string, NeedDemand>()
  for (const person of everyone)
    for (const { need, priority } of person.needs ?? [])
      if (isNeed(need) && priority !== 'low') {
        const key = `${need}|${person.cohort}`
        const row = demand.get(key) ?? { need, cohort: person.cohort, people: 0 }
        row.people += 1
        demand.set(key, row)
      }
  const places = new Map<string, NeedPlaces>()
  for (const row of placeRows) {
    if (!isNeed(row.need)) continue
    for (const cohort of row.cohorts ?? cohorts) {
      const key = `${row.need}|${cohort}`
      const entry = places.get(key) ?? { need: row.need, cohort, places: 0 }
      entry.places += row.capacity
      places.set(key, entry)
    }
  }
  const gaps = needsGaps([...demand.values()], [...places.values()])
  const byCategory = categories
    .map((category) => {
      const rows = gaps.filter((gap) => gap.category === category)
      return {
        category,
        people: rows.reduce((sum, gap) => sum + gap.people, 0),
        shortfall: rows.reduce((sum, gap) => sum + gap.shortfall, 0),
      }
    })
    .sort((a, b) => b.shortfall - a.shortfall || categories.indexOf(a.category) - categories.indexOf(b.category))
  await audit.record(db, actor, { action: 'needs-analysis.viewed' })
  return {
    establishment,
    population: everyone.length,
    assessed: everyone.filter((person) => person.lastAssessedOn !== null).length,
    gaps,
    byCategory,
    shares: offerShares(sessions, framework),
  }
}

/** R8 as CSV for commissioners: counts only, no one's name. */
export async function needsAnalysisCsv(deps: RegimeDeps, actor: Actor): Promise<string> {
  const analysis = await needsAnalysis(deps, actor)
  return toCsv(
    ['need', 'category', 'cohort', 'people', 'places', 'shortfall'],
    analysis.gaps.map((gap) => [gap.need, gap.category, gap.cohort, gap.people, gap.places, gap.shortfall]),
  )
}

/** R8: the people behind one gap, one link away. Audited, with the count and never the names. */
export async function peopleBehindGap(deps: RegimeDeps, actor: Actor, need: string, cohort: string) {
  const { db, audit } = deps
  if (!isNeed(need) || !(cohorts as readonly string[]).includes(cohort)) throw new NotFound()
  const everyone = await store.peopleWithLatestAssessment(db, actor.establishmentCode)
  const listed = everyone
    .filter((person) => person.cohort === cohort)
    .flatMap((person) => {
      const found = (person.needs ?? []).find((row) => row.need === need && row.priority !== 'low')
      return found ? [{ ...person, priority: found.priority }] : []
    })
    .sort((a, b) => (a.priority === b.priority ? 0 : a.priority === 'high' ? -1 : 1))
  await audit.record(db, actor, {
    action: 'needs-analysis.people-viewed',
    details: { need, cohort, count: listed.length },
  })
  return { need, cohort, category: needCategory[need], people: listed }
}
