/** M2, M4: self-harm and deaths in custody per 1,000 people, and the perverse-incentive watch on transfers. */
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { MeasuresDeps } from './deps.ts'
import { monthOf, monthsEnding, perThousand, rollingYearFrom, transferWatch, trendChart } from './rules.ts'
import * as store from './store.ts'

/**
 * M2, the perverse-incentive watch at each prison given, over the rolling 12 months: transfers out refused
 * or delayed by the receiving prison, for people with a self-harm history or an open care plan when the
 * handover was sent, against everyone else's.
 */
async function transferWatches(deps: MeasuresDeps, codes: readonly string[], from: Date) {
  const { db, clock, journey } = deps
  const handovers = await journey.handoverOutcomesSince(codes, from)
  const firstSelfHarm = await store.firstSelfHarmOf(db, [...new Set(handovers.map((row) => row.personId))])
  return new Map(
    codes.map((code) => [
      code,
      transferWatch(
        handovers.filter((row) => row.fromEstablishmentCode === code),
        firstSelfHarm,
        clock.now(),
      ),
    ]),
  )
}

/**
 * M2: tells a prison's group directors on duty when its perverse-incentive watch is flagged, once a
 * month: the mark and the notifications are written together, so a second run that month (or a second
 * worker) finds the mark and sends nothing. Nobody is told where the prison has no director on duty, and
 * the prison is looked at again on the next run.
 */
export function transferWatchSweep(deps: MeasuresDeps) {
  const { db, clock, staff, notifications } = deps
  return {
    name: 'measures.transfer-watch',
    everySeconds: 6 * 3600,
    run: async (now: Date): Promise<void> => {
      const prisons = await store.allEstablishments(db)
      const from = new Date(`${rollingYearFrom(clock.today())}T00:00:00Z`)
      const watches = await transferWatches(
        deps,
        prisons.map((prison) => prison.code),
        from,
      )
      for (const prison of prisons) {
        const watch = watches.get(prison.code)!
        if (!watch.flagged) continue
        await db.transaction().execute(async (trx) => {
          const directors = await staff.listDirectorsOnDuty(prison.code, trx)
          if (directors.length === 0) return
          const first = await store.markWatchFlagged(trx, {
            establishmentCode: prison.code,
            month: monthOf(clock.today()),
            ratio: watch.ratio!,
            lower: watch.lower!,
            upper: watch.upper!,
            at: now,
          })
          if (!first) return
          await notifications.notify(trx, {
            recipientIds: directors.map((member) => member.id),
            establishmentCode: prison.code,
            kind: 'transfer-watch-flagged',
            messageKey: 'measures.notification.watchFlagged',
            params: { prison: prison.name, ratio: watch.ratio!, lower: watch.lower!, upper: watch.upper! },
            href: '/safety-figures',
          })
        })
      }
    },
  }
}

/**
 * M2: self-harm incidents and deaths in custody over the rolling 12 months, per 1,000 people on the roll,
 * for each prison the user works in (a group director has several; the figures sit side by side by name,
 * never in order of a figure), with this prison's incidents a month. Counts only: no one is named here.
 */
export async function safetyFigures(deps: MeasuresDeps, actor: Actor) {
  const { db, clock, audit, people } = deps
  const today = clock.today()
  const from = new Date(`${rollingYearFrom(today)}T00:00:00Z`)
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
  const byMonth = await store.incidentsByMonth(db, actor.establishmentCode, new Date(`${months[0]}-01T00:00:00Z`))
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
    new Date(`${from}T00:00:00Z`),
    new Date(clock.now().getTime() + 1),
  )
  return { from, to: clock.today(), incidents: count.incidents, hospital: count.hospital, deaths: count.deaths }
}
