import type { Problem, SolveStats, Timetable } from '../../../allocator/index.ts'
import type { Verdict } from './verdicts.ts'

/**
 * R5: what a run's review shows besides the verdict: who and what has gone since it was kept, the solver's
 * figures and its proven bound, and who joins and leaves each group. Pure.
 */
/**
 * Someone or a group a kept timetable names that the prison's problem no longer has: a person who has left
 * or moved prison, a group that has closed or no longer meets in the usable day. Worded by its message key.
 */
export type Gone =
  | { messageKey: 'allocation.gone.person'; values: { person: string } }
  | { messageKey: 'allocation.gone.group'; values: { group: string } }

/**
 * R5: why a kept timetable can no longer be judged against the prison as it is now, each person and group
 * once: what the allocator's `parseTimetable` refuses in its own English, for a page to word.
 */
export function goneFrom(problem: Problem, kept: Timetable): Gone[] {
  const people = new Set(problem.people.map((person) => person.id))
  const groups = new Set(problem.activities.flatMap((activity) => activity.groups.map((group) => group.id)))
  const gonePeople = new Set<string>()
  const goneGroups = new Set<string>()
  for (const { person, group } of kept.assignments) {
    if (!people.has(person)) gonePeople.add(person)
    if (!groups.has(group)) goneGroups.add(group)
  }
  return [
    ...[...gonePeople].map((person) => ({ messageKey: 'allocation.gone.person' as const, values: { person } })),
    ...[...goneGroups].map((group) => ({ messageKey: 'allocation.gone.group' as const, values: { group } })),
  ]
}

/** A gone group named as the prison knows it, as a violation's are. */
export function goneNamed(gone: Gone, names: { group: (groupId: string) => string }): Gone {
  return gone.messageKey === 'allocation.gone.group'
    ? { ...gone, values: { group: names.group(gone.values.group) } }
    : gone
}

/** What a run keeps besides its problem and timetable: the proposal judged beside the timetable of the day. */
export type RunResult = {
  proposal: Verdict
  today: Verdict
  solver: SolverFigures | null
}

/**
 * The solver's figures a run keeps. `upperBound` (issue 19) is the allocator's proven upper bound on the score
 * of any timetable for the run's problem, in the units of `score.total`; a run kept before December 2026 has none.
 */
export type SolverFigures = { elapsedMs: number; rounds: number; stoppedBy: string; upperBound?: number }

/** The solver's figures worth keeping from its stats: a bound that is not a finite number proves nothing. */
export function solverFigures(stats: SolveStats): SolverFigures {
  const { elapsedMs, rounds, stoppedBy, upperBound } = stats
  return { elapsedMs, rounds, stoppedBy, ...(Number.isFinite(upperBound) ? { upperBound } : {}) }
}

/**
 * The bound and the checker add the same scores in different orders, so they may differ in the last digits
 * (bound.ts: about 1e-12 of the total); a gap or an overshoot smaller than this share is rounding, not a gap.
 */
const SUM_ROUNDING = 1e-9

/** `value` rounded up to one decimal place, a difference of summing order below it not counting as more. */
function upToOneDecimal(value: number): number {
  return Math.ceil(10 * value - 10 * SUM_ROUNDING * Math.max(1, Math.abs(value))) / 10
}

/**
 * Issue 19: how far, in percent, a timetable's score may be below the best timetable possible, from the proven
 * upper bound: (upperBound − total) / upperBound, rounded up to one decimal place so that "within 4.6%" is never
 * an understatement (the best possible is at most the bound, so the true gap is at most this). Never negative:
 * a score at or above the bound (by rounding) is 0, the best possible.
 */
export function percentBelowBound(total: number, upperBound: number): number {
  if (!(upperBound > 0)) return 0
  const share = (upperBound - total) / upperBound
  if (share <= SUM_ROUNDING) return 0
  return upToOneDecimal(100 * share)
}

/** The bound as a page says it: rounded up to one decimal place, so that "could score no more than" stays true. */
export function boundShown(upperBound: number): number {
  return upToOneDecimal(upperBound)
}

export type GroupChange = { groupId: string; joins: string[]; leaves: string[]; stays: number }

/** R5 review: who joins and who leaves each group, compared with the groups people are in today. */
export function groupChanges(problem: Problem, proposal: Timetable): GroupChange[] {
  const proposed = new Set(proposal.assignments.map(({ person, group }) => `${person}\n${group}`))
  const today = new Set(problem.people.flatMap((person) => person.current.map((group) => `${person.id}\n${group}`)))
  const changes = new Map<string, GroupChange>()
  const changeOf = (groupId: string) => {
    let change = changes.get(groupId)
    if (!change) {
      change = { groupId, joins: [], leaves: [], stays: 0 }
      changes.set(groupId, change)
    }
    return change
  }
  for (const activity of problem.activities) for (const group of activity.groups) changeOf(group.id)
  for (const key of proposed) {
    const [person, group] = key.split('\n') as [string, string]
    if (today.has(key)) changeOf(group).stays += 1
    else changeOf(group).joins.push(person)
  }
  for (const key of today) {
    const [person, group] = key.split('\n') as [string, string]
    if (!proposed.has(key)) changeOf(group).leaves.push(person)
  }
  for (const change of changes.values()) {
    change.joins.sort()
    change.leaves.sort()
  }
  return [...changes.values()]
}

/** Prison numbers of the people a timetable gives no session. */
export function peopleWithNoSession(problem: Problem, timetable: Timetable): string[] {
  const placed = new Set(timetable.assignments.map(({ person }) => person))
  return problem.people.filter((person) => !placed.has(person.id)).map((person) => person.id)
}
