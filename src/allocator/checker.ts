import type { Activity, ActivityGroup, Person, Problem, Timetable } from './problem.ts'

/**
 * The checker reads the problem and timetable by id, independently of the solver's indexed model, so
 * that it can judge the solver (and any other solver's answer) rather than share its mistakes.
 */

export type RuleNumber = 1 | 2 | 3 | 4 | 5 | 6

/**
 * What each kind of broken rule names, by the ids and counts of the problem: enough for a reader in any
 * language to be told it in their own words (the web app's catalogue), with `message` the checker's own
 * English for `waymark allocate` and its files' readers.
 */
export type ViolationValues = {
  /** Rule 1: the person's needs assessment does not ask for the activity. */
  notWanted: { person: string; group: string; activity: string }
  /** Rule 1: a second group of one activity; `other` is the first. */
  sameActivity: { person: string; group: string; other: string; activity: string }
  /** Rule 2: two of the person's groups meet in one slot. */
  clash: { person: string; group: string; other: string; slot: string }
  /** Rule 2: the group meets when the person is unavailable. */
  unavailable: { person: string; group: string; slot: string }
  /** Rule 3. */
  tooManySessions: { person: string; sessions: number; most: number }
  /** Rule 4. */
  overCapacity: { group: string; size: number; capacity: number }
  /** Rule 4. */
  belowMinimum: { group: string; size: number; minimum: number }
  /** Rule 5: the group admits only some cohorts, not the person's. */
  cohortNotAdmitted: { person: string; group: string; cohort: string }
  /** Rule 5: two cohorts kept apart share the group. */
  cohortsSeparated: { group: string; cohort: string; other: string }
  /** Rule 6: two people kept apart share the group. */
  peopleSeparated: { group: string; person: string; other: string }
}

export type ViolationKind = keyof ViolationValues

/** The rule each kind breaks: design/ALLOCATION.md's numbers. */
export const ruleOfKind = {
  notWanted: 1,
  sameActivity: 1,
  clash: 2,
  unavailable: 2,
  tooManySessions: 3,
  overCapacity: 4,
  belowMinimum: 4,
  cohortNotAdmitted: 5,
  cohortsSeparated: 5,
  peopleSeparated: 6,
} as const satisfies Record<ViolationKind, RuleNumber>

/** The checker's English for each kind, as `waymark allocate --check` prints it. */
const englishOf: { [K in ViolationKind]: (values: ViolationValues[K]) => string } = {
  notWanted: (v) => `${v.person} does not want ${v.activity}`,
  sameActivity: (v) => `${v.person} is in more than one group of ${v.activity}`,
  clash: (v) => `${v.person} has ${v.group} and ${v.other} both in ${v.slot}`,
  unavailable: (v) => `${v.group} meets in ${v.slot}, when ${v.person} is unavailable`,
  tooManySessions: (v) => `${v.person} has ${v.sessions} sessions, more than their most of ${v.most}`,
  overCapacity: (v) => `${v.group} has ${v.size} people, above its capacity of ${v.capacity}`,
  belowMinimum: (v) =>
    `${v.group} has ${v.size} ${v.size === 1 ? 'person' : 'people'}, below its minimum of ${v.minimum}`,
  cohortNotAdmitted: (v) => `${v.group} does not admit ${v.person}’s cohort ${v.cohort}`,
  cohortsSeparated: (v) => `${v.group} holds the separated cohorts ${v.cohort} and ${v.other}`,
  peopleSeparated: (v) => `${v.group} holds ${v.person} and ${v.other}, who are separated`,
}

/** One broken rule: its number, its kind and values, the person or group at fault, and the checker's English. */
export type Violation = {
  [K in ViolationKind]: {
    rule: (typeof ruleOfKind)[K]
    kind: K
    values: ViolationValues[K]
    person?: string
    group?: string
    message: string
  }
}[ViolationKind]

function violation<K extends ViolationKind>(kind: K, values: ViolationValues[K]): Violation {
  const atFault: { person?: string; group?: string } = {}
  if ('person' in values) atFault.person = values.person
  if ('group' in values) atFault.group = values.group
  return { rule: ruleOfKind[kind], kind, values, ...atFault, message: englishOf[kind](values) } as Violation
}

export type Score = {
  total: number
  /** Sum of the wants weights of every assigned group. */
  wants: number
  /** continuityBonus for each assigned group the person is in now. */
  continuity: number
  /** fairness.weight times each person's sessions up to fairness.targetSessions. */
  fairness: number
}

export type EqualityReport = {
  meanSessionsByCohort: Record<string, number>
  /** Trait name to trait value to mean sessions per person with that value. */
  meanSessionsByTrait: Record<string, Record<string, number>>
  shareWithNoSession: number
}

export type CheckResult = { valid: boolean; violations: Violation[]; score: Score } & EqualityReport

type Index = {
  groupById: Map<string, { group: ActivityGroup; activity: Activity }>
  personById: Map<string, Person>
}

function indexProblem(problem: Problem): Index {
  const groupById = new Map<string, { group: ActivityGroup; activity: Activity }>()
  for (const activity of problem.activities)
    for (const group of activity.groups) groupById.set(group.id, { group, activity })
  return { groupById, personById: new Map(problem.people.map((person) => [person.id, person])) }
}

function groupsByPerson(problem: Problem, timetable: Timetable): Map<string, string[]> {
  const result = new Map<string, string[]>(problem.people.map((person) => [person.id, []]))
  for (const { person, group } of timetable.assignments) result.get(person)?.push(group)
  return result
}

/** Every broken rule of design/ALLOCATION.md, each with its rule number and the person or group at fault. */
export function findViolations(problem: Problem, timetable: Timetable): Violation[] {
  const { groupById, personById } = indexProblem(problem)
  const violations: Violation[] = []
  const members = new Map<string, string[]>()

  for (const [personId, groupIds] of groupsByPerson(problem, timetable)) {
    const person = personById.get(personId)!
    const groupOfActivity = new Map<string, string>()
    const slotsTaken = new Map<string, string>()
    const unavailable = new Set(person.unavailable)
    let sessions = 0
    for (const groupId of groupIds) {
      const found = groupById.get(groupId)
      if (!found) continue
      const { group, activity } = found
      const list = members.get(groupId) ?? []
      list.push(personId)
      members.set(groupId, list)
      const mine = { person: personId, group: groupId }
      if (!(person.wants[activity.id] > 0)) violations.push(violation('notWanted', { ...mine, activity: activity.id }))
      const first = groupOfActivity.get(activity.id)
      if (first !== undefined)
        violations.push(violation('sameActivity', { ...mine, other: first, activity: activity.id }))
      else groupOfActivity.set(activity.id, groupId)
      for (const slot of group.slots) {
        const other = slotsTaken.get(slot)
        if (other !== undefined) violations.push(violation('clash', { ...mine, other, slot }))
        else slotsTaken.set(slot, groupId)
        if (unavailable.has(slot)) violations.push(violation('unavailable', { ...mine, slot }))
      }
      sessions += group.slots.length
    }
    if (sessions > person.maxSessions)
      violations.push(violation('tooManySessions', { person: personId, sessions, most: person.maxSessions }))
  }

  const separatedCohorts = new Set(problem.separations.cohorts.flatMap(([a, b]) => [`${a}\n${b}`, `${b}\n${a}`]))
  // Each person's separations by id: most people have none, so most groups' pairs are never looked at.
  const separatedFrom = new Map<string, Set<string>>()
  const separate = (one: string, other: string) =>
    separatedFrom.set(one, (separatedFrom.get(one) ?? new Set<string>()).add(other))
  for (const [a, b] of problem.separations.people) {
    separate(a, b)
    separate(b, a)
  }
  for (const [groupId, personIds] of members) {
    const { group } = groupById.get(groupId)!
    const size = personIds.length
    if (size > group.capacity)
      violations.push(violation('overCapacity', { group: groupId, size, capacity: group.capacity }))
    if (size > 0 && size < group.minSize)
      violations.push(violation('belowMinimum', { group: groupId, size, minimum: group.minSize }))
    const cohorts = new Map<string, string>()
    for (const personId of personIds) {
      const cohort = personById.get(personId)!.cohort
      if (group.cohorts && !group.cohorts.includes(cohort))
        violations.push(violation('cohortNotAdmitted', { person: personId, group: groupId, cohort }))
      if (!cohorts.has(cohort)) cohorts.set(cohort, personId)
    }
    const cohortList = [...cohorts.keys()]
    for (let i = 0; i < cohortList.length; i++)
      for (let j = i + 1; j < cohortList.length; j++)
        if (separatedCohorts.has(`${cohortList[i]}\n${cohortList[j]}`))
          violations.push(
            violation('cohortsSeparated', { group: groupId, cohort: cohortList[i], other: cohortList[j] }),
          )
    for (let i = 0; i < personIds.length; i++) {
      const others = separatedFrom.get(personIds[i])
      if (others)
        for (let j = i + 1; j < personIds.length; j++)
          if (others.has(personIds[j]))
            violations.push(violation('peopleSeparated', { group: groupId, person: personIds[i], other: personIds[j] }))
    }
  }
  return violations
}

/** The objective of design/ALLOCATION.md with its three parts, and how sessions are shared out. */
export function scoreTimetable(problem: Problem, timetable: Timetable): { score: Score } & EqualityReport {
  const { groupById, personById } = indexProblem(problem)
  const score: Score = { total: 0, wants: 0, continuity: 0, fairness: 0 }
  const sessionsByPerson = new Map<string, number>()
  for (const [personId, groupIds] of groupsByPerson(problem, timetable)) {
    const person = personById.get(personId)!
    const current = new Set(person.current)
    let sessions = 0
    for (const groupId of groupIds) {
      const found = groupById.get(groupId)
      if (!found) continue
      score.wants += person.wants[found.activity.id] ?? 0
      if (current.has(groupId)) score.continuity += problem.continuityBonus
      sessions += found.group.slots.length
    }
    score.fairness += problem.fairness.weight * Math.min(sessions, problem.fairness.targetSessions)
    sessionsByPerson.set(personId, sessions)
  }
  score.total = score.wants + score.continuity + score.fairness
  return { score, ...equalityReport(problem, sessionsByPerson) }
}

function mean(sum: number, count: number): number {
  return count === 0 ? 0 : sum / count
}

function equalityReport(problem: Problem, sessionsByPerson: Map<string, number>): EqualityReport {
  const byCohort = new Map<string, { sum: number; count: number }>()
  const byTrait = new Map<string, Map<string, { sum: number; count: number }>>()
  let withNone = 0
  const add = (map: Map<string, { sum: number; count: number }>, key: string, sessions: number) => {
    const entry = map.get(key) ?? { sum: 0, count: 0 }
    entry.sum += sessions
    entry.count += 1
    map.set(key, entry)
  }
  for (const person of problem.people) {
    const sessions = sessionsByPerson.get(person.id) ?? 0
    if (sessions === 0) withNone++
    add(byCohort, person.cohort, sessions)
    for (const [trait, value] of Object.entries(person.traits)) {
      if (!byTrait.has(trait)) byTrait.set(trait, new Map())
      add(byTrait.get(trait)!, value, sessions)
    }
  }
  const means = (map: Map<string, { sum: number; count: number }>) =>
    Object.fromEntries(
      [...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, { sum, count }]) => [key, mean(sum, count)]),
    )
  return {
    meanSessionsByCohort: means(byCohort),
    meanSessionsByTrait: Object.fromEntries(
      [...byTrait].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, m]) => [t, means(m)]),
    ),
    shareWithNoSession: mean(withNone, problem.people.length),
  }
}

/**
 * Verifies a timetable against all six rules and scores it.
 *
 * @example
 * const result = checkTimetable(problem, timetable)
 * if (!result.valid) for (const v of result.violations) console.log(`rule ${v.rule} (${v.kind}): ${v.message}`)
 * console.log(result.score.total)
 */
export function checkTimetable(problem: Problem, timetable: Timetable): CheckResult {
  const violations = findViolations(problem, timetable)
  return { valid: violations.length === 0, violations, ...scoreTimetable(problem, timetable) }
}
