/** R5: a run's proposal reviewed against today, accepted as the prison's timetable, and checked again later. */
import { NotFound } from '../../platform/errors.ts'
import { parseProblem, parseTimetable, type Problem, type Timetable } from '../../allocator/index.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  goneFrom,
  goneNamed,
  groupChanges,
  peopleWithNoSession,
  verdictOf,
  violationNamed,
  type Gone,
  type KeptViolation,
  type RunResult,
  type Verdict,
} from './rules.ts'
import * as store from './store.ts'
import {
  groupLabels,
  holdTimetable,
  labels,
  problemFor,
  runAt,
  saveTimetable,
  type AllocationDeps,
  type Refusal,
} from './deps.ts'

/** The run, and the review of its proposal (who joins and leaves which group, who has no session) if it has one. */
export async function reviewOf(deps: AllocationDeps, actor: Actor, runId: string) {
  const { db } = deps
  const run = await runAt(deps, actor, runId)
  const data = await store.findRunData(db, runId)
  if (!data?.problem || !data.timetable || !data.result) return { run, review: null }
  const problem = data.problem as Problem
  const timetable = data.timetable as Timetable
  const result = data.result as RunResult
  const label = await labels(deps, run.establishmentCode)
  const changes = groupChanges(problem, timetable)
    .filter((change) => change.joins.length + change.leaves.length > 0)
    .map((change) => ({
      groupId: change.groupId,
      groupName: label.group(change.groupId),
      joins: change.joins.map(label.person),
      leaves: change.leaves.map(label.person),
      stays: change.stays,
    }))
    .sort((a, b) => a.groupName.localeCompare(b.groupName))
  const noSession = peopleWithNoSession(problem, timetable).map((prisonNumber) => {
    const person = problem.people.find((p) => p.id === prisonNumber)!
    return { prisonNumber, name: label.person(prisonNumber), wants: Object.keys(person.wants).length }
  })
  return {
    run,
    review: {
      proposal: result.proposal,
      today: result.today,
      solver: result.solver,
      people: problem.people.length,
      groups: problem.activities.reduce((sum, activity) => sum + activity.groups.length, 0),
      changes,
      joined: changes.reduce((sum, change) => sum + change.joins.length, 0),
      left: changes.reduce((sum, change) => sum + change.leaves.length, 0),
      noSession,
    },
  }
}

/**
 * A refusal to accept a run, with the broken rule, or the person or group no longer there, behind it for the
 * page to word in the reader's language.
 */
export type AcceptRefusal = Refusal & { violation?: KeptViolation; gone?: Gone }

const changed = 'allocation.accept.error.changed'

/** The first ten reasons a run cannot be accepted, and how many more there are, rather than ten as if all. */
function firstReasons(reasons: AcceptRefusal[], count: number): AcceptRefusal[] {
  const shown = reasons.slice(0, 10)
  if (count <= shown.length) return shown
  return [
    ...shown,
    { field: 'accept', messageKey: 'allocation.accept.error.more', values: { count: count - shown.length } },
  ]
}

/**
 * R5: accepting a proposal replaces the prison's timetable in one transaction. The proposal is checked
 * again against the prison as it is now (people move, groups close): if it no longer keeps the rules it is
 * refused with the reasons, and nothing changes. Audited.
 */
export async function acceptRun(deps: AllocationDeps, actor: Actor, runId: string): Promise<AcceptRefusal[]> {
  const { db, clock, audit, events } = deps
  await runAt(deps, actor, runId)
  const refusals = await db.transaction().execute(async (trx): Promise<AcceptRefusal[]> => {
    await holdTimetable(trx, actor.establishmentCode)
    const run = await store.lockRun(trx, runId)
    if (!run || run.establishmentCode !== actor.establishmentCode) throw new NotFound()
    if (run.state !== 'proposed')
      return [{ field: 'accept', messageKey: 'allocation.accept.error.state', values: { state: run.state } }]
    const problem = await problemFor(deps, run.establishmentCode, {}, trx)
    const parsed = parseTimetable(run.timetable, problem)
    if (!parsed.ok) {
      // The run's timetable passed its own problem when it was kept: what fails now is who or what has gone.
      const gone = goneFrom(problem, run.timetable as Timetable)
      if (gone.length > 0)
        return firstReasons(
          gone.map((reason) => ({ field: 'accept', messageKey: changed, values: {}, gone: reason })),
          gone.length,
        )
      return firstReasons(
        parsed.errors.map((error) => ({ field: 'accept', messageKey: changed, values: { reason: error } })),
        parsed.errors.length,
      )
    }
    const verdict = verdictOf(problem, parsed.value)
    if (!verdict.valid)
      return firstReasons(
        verdict.violations.map((violation) => ({
          field: 'accept',
          messageKey: changed,
          values: { reason: violation.message },
          violation,
        })),
        verdict.violationCount,
      )
    const { joined, left, people } = await saveTimetable(deps, trx, actor, run.establishmentCode, parsed.value, runId)
    await store.moveRun(trx, runId, ['proposed'], 'accepted', { acceptedAt: clock.now(), acceptedBy: actor.id })
    await store.supersedeProposals(trx, run.establishmentCode, runId)
    await audit.record(trx, actor, { action: 'allocation-run.accepted', details: { runId, joined, left } })
    // Issue 15: other systems hear whose groups the new timetable changed (ids and counts only).
    if (people.length > 0)
      await events?.publish(trx, actor, 'timetable.accepted', { runId, people }, run.establishmentCode)
    return []
  })
  if (!refusals.some((refusal) => refusal.violation || refusal.gone)) return refusals
  // Named once the transaction has ended: the names are read outside it, which one connection (PGlite) cannot do within it.
  const label = await groupLabels(deps, actor.establishmentCode)
  return refusals.map(({ violation, gone, ...refusal }) => ({
    ...refusal,
    ...(violation ? { violation: violationNamed(violation, label) } : {}),
    ...(gone ? { gone: goneNamed(gone, label) } : {}),
  }))
}

/**
 * R5: the checker's verdict today on a run kept with its inputs: against its own problem (the rules do
 * not change, so a valid run stays valid), and against the prison as it is now.
 */
export async function recheckRun(deps: AllocationDeps, actor: Actor, runId: string) {
  const { db, audit } = deps
  const run = await runAt(deps, actor, runId)
  // The prison now is read beside the run (at once on PostgreSQL), not after it.
  const [data, problemNow] = await Promise.all([store.findRunData(db, runId), problemFor(deps, run.establishmentCode)])
  if (!data?.problem || !data.timetable) throw new NotFound()
  const ownProblem = parseProblem(data.problem)
  if (!ownProblem.ok) return { run, own: null, ownErrors: ownProblem.errors, now: null, nowErrors: [], nowGone: [] }
  const ownTimetable = parseTimetable(data.timetable, ownProblem.value)
  const ownVerdict = ownTimetable.ok ? verdictOf(ownProblem.value, ownTimetable.value) : null
  const timetableNow = parseTimetable(data.timetable, problemNow)
  const nowVerdict = timetableNow.ok ? verdictOf(problemNow, timetableNow.value) : null
  const allGone = timetableNow.ok || !ownTimetable.ok ? [] : goneFrom(problemNow, ownTimetable.value)
  const gone = allGone.slice(0, 20)
  await audit.record(db, actor, { action: 'allocation-run.rechecked', details: { runId } })
  // Names are read only when a rule is broken or something has gone: a run that keeps the rules names nothing.
  const label =
    ownVerdict?.violations.length || nowVerdict?.violations.length || gone.length
      ? await groupLabels(deps, run.establishmentCode)
      : null
  const named = (verdict: Verdict | null): Verdict | null =>
    verdict && label
      ? { ...verdict, violations: verdict.violations.map((violation) => violationNamed(violation, label)) }
      : verdict
  return {
    run,
    own: named(ownVerdict),
    ownErrors: ownTimetable.ok ? [] : ownTimetable.errors,
    now: named(nowVerdict),
    nowErrors: timetableNow.ok ? [] : timetableNow.errors.slice(0, 20),
    /** How many reasons there are in all, of which the first 20 are listed. */
    nowReasonCount: allGone.length || (timetableNow.ok ? 0 : timetableNow.errors.length),
    /** Who and what has gone since the run, when its timetable can no longer be judged against the prison now. */
    nowGone: label ? gone.map((reason) => goneNamed(reason, label)) : gone,
  }
}
