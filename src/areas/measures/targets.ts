/** M1: the prison's measures of what works against the targets its governors set. */
import { NotFound } from '../../platform/errors.ts'
import { type Outcome } from '../../platform/forms.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { MeasuresDeps } from './deps.ts'
import {
  isMeasureKey,
  measureOf,
  measures,
  meetsTarget,
  monthOf,
  monthsEnding,
  targetCounts,
  trendChart,
  type MeasureKey,
} from './rules.ts'
import { workOut } from './snapshots.ts'
import * as store from './store.ts'

/** The 12 months of each measure at some prisons: this month's figure as it stands, earlier months as kept. */
async function trends({ db }: MeasuresDeps, codes: readonly string[], months: readonly string[]) {
  const kept = await store.snapshotsSince(db, codes, months[0])
  const of = new Map(kept.map((row) => [`${row.establishmentCode}/${row.measure}/${row.month}`, row.value]))
  return (code: string, measure: MeasureKey) =>
    months.map((month) => ({ month, value: of.get(`${code}/${measure}/${month}`) ?? null }))
}

/**
 * M1: the prison's measures of what works: figure, target, whether it is met, the 12-month trend, and the
 * page of records behind it where the user may open it. Like for like: with `compare`, the latest figure
 * of each prison of the same function beside it, by name, never ranked. Audited.
 */
export async function dashboard(deps: MeasuresDeps, actor: Actor, { compare = false }: { compare?: boolean } = {}) {
  const { db, clock, audit } = deps
  const today = clock.today()
  const months = monthsEnding(today)
  // This month's figures as last worked out (by the sweep or on asking); worked out now if not yet.
  let workedOut = await store.workedOutAt(db, actor.establishmentCode, monthOf(today))
  if (!workedOut) {
    await workOut(deps, actor)
    workedOut = clock.now()
  }
  const [targets, peers] = await Promise.all([
    store.targetsAt(db, actor.establishmentCode),
    compare ? store.prisonsOfSameFunction(db, actor.establishmentCode) : Promise.resolve([]),
  ])
  const trendOf = await trends(deps, [actor.establishmentCode, ...peers.map((peer) => peer.code)], months)
  await audit.record(db, actor, { action: 'measures.viewed', details: { compare } })
  const shown = measures.map((measure) => {
    const target = targets.get(measure.code) ?? null
    const trend = trendOf(actor.establishmentCode, measure.code)
    const value = trend.at(-1)?.value ?? null
    return {
      ...measure,
      value,
      target,
      met: meetsTarget(value, target, measure.better),
      trend,
      chart: trendChart(trend, target),
      recordsHref: hasPermission(actor.role, measure.records.permission) ? measure.records.href : null,
      likeForLike: peers
        .filter((peer) => peer.code !== actor.establishmentCode)
        .map((peer) => ({
          code: peer.code,
          name: peer.name,
          value: [...trendOf(peer.code, measure.code)].reverse().find((point) => point.value !== null) ?? null,
        })),
    }
  })
  return {
    today,
    months,
    compare,
    workedOutAt: workedOut,
    canSetTargets: hasPermission(actor.role, 'measures.set-targets'),
    measures: shown,
    targets: targetCounts(shown),
  }
}

/**
 * M1: works out the figures of the user's prison now (a second or so at a large prison: each area reads
 * its records), kept as this month's. Audited.
 */
export async function refreshFigures(deps: MeasuresDeps, actor: Actor) {
  const { db, audit } = deps
  await workOut(deps, actor)
  await audit.record(db, actor, { action: 'measures.worked-out' })
}

/** M1: the form for one measure's target: the measure and the target set now. */
export async function targetForm(deps: MeasuresDeps, actor: Actor, key: string) {
  const { db } = deps
  if (!isMeasureKey(key)) throw new NotFound()
  const targets = await store.targetsAt(db, actor.establishmentCode)
  return { measure: measureOf(key), target: targets.get(key) ?? null }
}

/** M1: a governor sets the prison's target for a measure. Audited with the old and new target. */
export async function setTarget(deps: MeasuresDeps, actor: Actor, key: string, target: number): Promise<Outcome> {
  const { db, clock, audit } = deps
  if (!isMeasureKey(key)) throw new NotFound()
  const measure = measureOf(key)
  if (!Number.isFinite(target) || target < 0 || target > measure.maximum)
    return { field: 'target', messageKey: 'measures.target.error.range', values: { maximum: measure.maximum } }
  return db.transaction().execute(async (trx) => {
    const before = (await store.targetsAt(trx, actor.establishmentCode)).get(key) ?? null
    await store.saveTarget(trx, {
      establishmentCode: actor.establishmentCode,
      measure: key,
      target,
      setAt: clock.now(),
      setBy: actor.id,
    })
    await audit.record(trx, actor, {
      action: 'measures.target-set',
      details: { measure: key, from: before, to: target },
    })
    return null
  })
}
