/** M2, M4: self-harm and deaths in custody per 1,000 people, with each prison's perverse-incentive watch. */
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { MeasuresDeps } from './deps.ts'
import { transferWatches } from './transfer-watch.ts'
import { monthsEnding, monthStart, perThousand, rollingYearFrom, rollingYearStart, trendChart } from './rules.ts'
import * as store from './store.ts'

/**
 * M2: self-harm incidents and deaths in custody over the rolling 12 months, per 1,000 people on the roll,
 * for each prison the user works in (a group director has several; the figures sit side by side by name,
 * never in order of a figure), with this prison's incidents a month. Counts only: no one is named here.
 */
export async function safetyFigures(deps: MeasuresDeps, actor: Actor) {
  const { db, clock, audit, people } = deps
  const today = clock.today()
  const from = rollingYearStart(today)
  const to = new Date(clock.now().getTime() + 1)
  const prisons = await store.establishmentsNamed(db, actor.establishmentCodes)
  const counts = await store.safetyCounts(
    db,
    prisons.map((prison) => prison.code),
    from,
    to,
  )
  const watches = await transferWatches(
    deps,
    prisons.map((prison) => prison.code),
    from,
  )
  const populations = await people.countOnRolls(prisons.map((prison) => prison.code))
  const rows = []
  for (const prison of prisons) {
    const population = populations.get(prison.code) ?? 0
    const count = counts.find((row) => row.establishmentCode === prison.code)!
    rows.push({
      ...prison,
      population,
      ...count,
      incidentsPerThousand: perThousand(count.incidents, population),
      peoplePerThousand: perThousand(count.people, population),
      deathsPerThousand: perThousand(count.deaths, population),
      watch: watches.get(prison.code)!,
    })
  }
  const months = monthsEnding(today)
  const byMonth = await store.incidentsByMonth(db, actor.establishmentCode, monthStart(months[0]))
  const trend = months.map((month) => ({ month, value: byMonth.get(month) ?? 0 }))
  await audit.record(db, actor, { action: 'safety-figures.viewed', details: { prisons: rows.length } })
  return {
    from: rollingYearFrom(today),
    to: today,
    prisons: rows,
    trend,
    chart: trendChart(trend, null),
    canSeeIncidents: hasPermission(actor.role, 'safety-figures.record'),
    canSeeDeaths: hasPermission(actor.role, 'deaths-in-custody.record'),
  }
}

/**
 * M4: a prison's self-harm incidents, those that took the person to hospital, and deaths in custody over
 * the rolling 12 months, for the costing page. Counts only: no one is named, so nothing to audit here.
 */
export async function safetyCountsAt(deps: MeasuresDeps, establishmentCode: string) {
  const { db, clock } = deps
  const from = rollingYearFrom(clock.today())
  const [count] = await store.safetyCounts(
    db,
    [establishmentCode],
    rollingYearStart(clock.today()),
    new Date(clock.now().getTime() + 1),
  )
  return { from, to: clock.today(), incidents: count.incidents, hospital: count.hospital, deaths: count.deaths }
}
