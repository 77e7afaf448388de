/**
 * M2: the perverse-incentive watch on transfers, for the safety figures, and the sweep that tells the group
 * directors when it is flagged (not use cases: the service hands the sweep to the job worker).
 */
import type { MeasuresDeps } from './deps.ts'
import { monthOf, rollingYearStart, transferWatch } from './rules.ts'
import * as store from './store.ts'

/**
 * M2, the perverse-incentive watch at each prison given, over the rolling 12 months: transfers out refused
 * or delayed by the receiving prison, for people with a self-harm history or an open care plan when the
 * handover was sent, against everyone else's.
 */
export async function transferWatches(deps: MeasuresDeps, codes: readonly string[], from: Date) {
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
      const from = rollingYearStart(clock.today())
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
