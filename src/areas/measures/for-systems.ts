import type { ApiCaller } from '../../platform/api-callers.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { MeasuresDeps } from './deps.ts'
import { measuresMessages } from './messages.ts'
import { measures, meetsTarget, monthOf, monthsEnding } from './rules.ts'
import { workOut } from './snapshots.ts'
import * as store from './store.ts'

/**
 * Issue 15, M1: the prison's measures of what works for its other systems (a regional dashboard), as the measures
 * page shows them: each figure with its unit, which way is better, the target and whether it is met, and the
 * 12-month trend, for the month the figures stand for. Figures only: no person and no member of staff in them.
 * Not yet worked out this month, they are worked out now, as the page does, under the client's name.
 */
export async function measuresForSystems(deps: MeasuresDeps, caller: ApiCaller) {
  const { db, clock } = deps
  const today = clock.today()
  const months = monthsEnding(today)
  const code = caller.establishmentCode
  let workedOutAt = await store.workedOutAt(db, code, monthOf(today))
  if (!workedOutAt) {
    // As the sweep works them out: the areas' reads audit who asked, here the client, with no user.
    const client = {
      id: null,
      username: `api-client:${caller.clientId}`,
      displayName: caller.clientName,
      role: 'admin',
      establishmentCode: code,
      establishmentCodes: [code],
    } as unknown as Actor
    await workOut(deps, client)
    workedOutAt = clock.now()
  }
  const [targets, kept] = await Promise.all([store.targetsAt(db, code), store.snapshotsSince(db, [code], months[0])])
  const valueOf = new Map(kept.map((row) => [`${row.measure}/${row.month}`, row.value]))
  const english: Record<string, string> = measuresMessages.en
  return {
    month: monthOf(today),
    workedOutAt: workedOutAt.toISOString(),
    measures: measures.map((measure) => {
      const trend = months.map((month) => ({ month, value: valueOf.get(`${measure.code}/${month}`) ?? null }))
      const value = trend.at(-1)?.value ?? null
      const target = targets.get(measure.code) ?? null
      return {
        code: measure.code,
        name: english[`measures.measure.${measure.code}`] ?? measure.code,
        description: english[`measures.description.${measure.code}`] ?? '',
        unit: measure.unit,
        better: measure.better,
        value,
        target,
        met: meetsTarget(value, target, measure.better),
        trend,
      }
    }),
  }
}
