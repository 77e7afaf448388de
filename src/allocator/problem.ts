/**
 * The allocator's public file formats (version 1, see design/ALLOCATION.md) and their parsers.
 * Parsing is hand-written rather than schema-driven so that every error names the person, activity or
 * group at fault in words a regime manager can act on.
 */

/** The 21 slots of a week, used when a problem does not list its own. */
export const DEFAULT_SLOTS: readonly string[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].flatMap((day) =>
  ['AM', 'PM', 'ED'].map((part) => `${day}_${part}`),
)

export type Person = {
  id: string
  cohort: string
  maxSessions: number
  unavailable: string[]
  /** Activity id to weight (> 0) from the needs assessment. */
  wants: Record<string, number>
  /** Ids of the groups the person is in now; keeping them earns the continuity bonus. */
  current: string[]
  /** Reported by cohort and trait value, never used in the objective. */
  traits: Record<string, string>
}

export type ActivityGroup = {
  id: string
  slots: string[]
  capacity: number
  /** 0 = none; a group below its minimum does not run at all. */
  minSize: number
  /** When present, only these cohorts may join. */
  cohorts?: string[]
}

export type Activity = { id: string; category: string; groups: ActivityGroup[] }

export type Problem = {
  version: 1
  slots: string[]
  fairness: { targetSessions: number; weight: number }
  continuityBonus: number
  people: Person[]
  activities: Activity[]
  separations: { cohorts: [string, string][]; people: [string, string][] }
}

export type ActivityAllocation = { person: string; group: string }

export type Timetable = { version: 1; assignments: ActivityAllocation[] }

/** Parsing never throws on bad data: it returns every problem it found, each naming what is at fault. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] }

type Json = unknown
type Errors = string[]

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The objects of a list in the input, with their places in it (counted from 0), read one at a time. What is
 * not a list, or an item that is not an object, is an error named after the list (`activities must be a list`)
 * or the item (`Activity 2 must be an object`), and is left out.
 */
function* objectsOfList(
  value: Json,
  list: string,
  item: string,
  errors: Errors,
): Generator<[number, Record<string, Json>]> {
  if (!Array.isArray(value)) {
    errors.push(`${list} must be a list`)
    return
  }
  // Each error in its place among those of the items before and after it, as the items are read.
  for (const [index, entry] of value.entries())
    if (isObject(entry)) yield [index, entry]
    else errors.push(`${item} ${index + 1} must be an object`)
}

function stringList(value: Json, where: string, errors: Errors): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    errors.push(`${where} must be a list of strings`)
    return []
  }
  return value as string[]
}

/**
 * The largest value each number of the format may take (design/ALLOCATION.md). Each is far above any prison's
 * (the regime's own settings stop at 21 sessions, a group of 200 and weights of 100) and low enough that a
 * prison's objective is a finite, exact sum: a weight of 1e308 once made it Infinity, and an empty timetable.
 */
export const PROBLEM_LIMITS = {
  /** Slots in a week: one an hour at most. */
  slots: 168,
  /** fairness.targetSessions and each person's maxSessions, in sessions a week. */
  sessions: 168,
  /** A group's capacity and minSize, in people. */
  groupSize: 10_000,
  /** A want's weight (above 0), fairness.weight and continuityBonus. */
  weight: 1_000,
} as const

const limitText = (limit: number) => limit.toLocaleString('en-GB')

/** A value as the file has it, cut short, so a message can say what was found. */
function found(value: Json): string {
  const json = value === undefined ? 'nothing' : (JSON.stringify(value) ?? typeof value)
  return json.length > 40 ? `${json.slice(0, 40)}…` : json
}

function wholeNumber(
  value: Json,
  where: string,
  path: string,
  limit: number,
  errors: Errors,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limit) {
    errors.push(`${where} must be a whole number from 0 to ${limitText(limit)}, not ${found(value)} (${path})`)
    return fallback ?? 0
  }
  return value
}

function finiteNumber(
  value: Json,
  where: string,
  path: string,
  limit: number,
  errors: Errors,
  fallback: number,
): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > limit) {
    errors.push(`${where} must be a number from 0 to ${limitText(limit)}, not ${found(value)} (${path})`)
    return fallback
  }
  return value
}

function text(value: Json, where: string, errors: Errors): string {
  if (typeof value !== 'string' || value === '') {
    errors.push(`${where} must be a non-empty string`)
    return ''
  }
  return value
}

function pairs(value: Json, where: string, errors: Errors): [string, string][] {
  if (value === undefined) return []
  if (
    !Array.isArray(value) ||
    value.some((pair) => !Array.isArray(pair) || pair.length !== 2 || pair.some((id) => typeof id !== 'string'))
  ) {
    errors.push(`${where} must be a list of pairs of ids`)
    return []
  }
  return value as [string, string][]
}

/**
 * Parses and validates a problem (format version 1). Errors name the person, activity or group at fault:
 * unknown slots, capacities below minimum sizes, duplicate ids, wants naming unknown activities, current
 * groups and separations naming unknown groups or people.
 *
 * @example
 * const parsed = parseProblem(JSON.parse(await readFile('problem.json', 'utf8')))
 * if (!parsed.ok) console.error(parsed.errors.join('\n'))
 */
export function parseProblem(input: Json): ParseResult<Problem> {
  const errors: Errors = []
  if (!isObject(input)) return { ok: false, errors: ['The problem must be a JSON object'] }
  if (input.version !== 1) errors.push(`Unsupported problem version ${JSON.stringify(input.version)}: expected 1`)

  const slots = input.slots === undefined ? [...DEFAULT_SLOTS] : stringList(input.slots, 'slots', errors)
  if (slots.length > PROBLEM_LIMITS.slots)
    errors.push(`slots lists ${slots.length} slots: a week has at most ${PROBLEM_LIMITS.slots}, one an hour (slots)`)
  const slotSet = new Set<string>()
  for (const slot of slots) {
    if (slotSet.has(slot)) errors.push(`Slot ${slot} is listed twice`)
    slotSet.add(slot)
  }

  const fairnessInput = input.fairness === undefined ? {} : input.fairness
  if (!isObject(fairnessInput)) errors.push('fairness must be an object')
  const fairnessObject = isObject(fairnessInput) ? fairnessInput : {}
  const fairness = {
    targetSessions: wholeNumber(
      fairnessObject.targetSessions,
      'fairness.targetSessions',
      'fairness.targetSessions',
      PROBLEM_LIMITS.sessions,
      errors,
      10,
    ),
    weight: finiteNumber(fairnessObject.weight, 'fairness.weight', 'fairness.weight', PROBLEM_LIMITS.weight, errors, 1),
  }
  const continuityBonus = finiteNumber(
    input.continuityBonus,
    'continuityBonus',
    'continuityBonus',
    PROBLEM_LIMITS.weight,
    errors,
    0.5,
  )

  const activities: Activity[] = []
  const activityIds = new Set<string>()
  const groupIds = new Set<string>()
  for (const [index, activityInput] of objectsOfList(input.activities, 'activities', 'Activity', errors)) {
    const id = text(activityInput.id, `Activity ${index + 1}: id`, errors)
    if (activityIds.has(id)) errors.push(`Activity ${id} is listed twice (duplicate id)`)
    activityIds.add(id)
    const category =
      activityInput.category === undefined ? '' : text(activityInput.category, `Activity ${id}: category`, errors)
    const groups: ActivityGroup[] = []
    for (const [groupIndex, groupInput] of objectsOfList(
      activityInput.groups,
      `Activity ${id}: groups`,
      `Activity ${id}: group`,
      errors,
    ))
      groups.push(parseGroup(groupInput, { id, index, groupIndex }, slotSet, groupIds, errors))
    activities.push({ id, category, groups })
  }

  const people: Person[] = []
  const personIds = new Set<string>()
  for (const [index, personInput] of objectsOfList(input.people, 'people', 'Person', errors)) {
    const id = text(personInput.id, `Person ${index + 1}: id`, errors)
    const where = `Person ${id}`
    if (personIds.has(id)) errors.push(`${where} is listed twice (duplicate id)`)
    personIds.add(id)
    const cohort = text(personInput.cohort, `${where}: cohort`, errors)
    const maxSessions = wholeNumber(
      personInput.maxSessions,
      `${where}: maxSessions`,
      `people[${index}].maxSessions`,
      PROBLEM_LIMITS.sessions,
      errors,
    )
    const unavailable = stringList(personInput.unavailable, `${where}: unavailable`, errors)
    for (const slot of unavailable) if (!slotSet.has(slot)) errors.push(`${where}: unknown slot ${slot} in unavailable`)
    const wants: Record<string, number> = {}
    if (personInput.wants !== undefined && !isObject(personInput.wants))
      errors.push(`${where}: wants must be an object`)
    for (const [activityId, weight] of Object.entries(isObject(personInput.wants) ? personInput.wants : {})) {
      if (!activityIds.has(activityId)) errors.push(`${where} wants unknown activity ${activityId}`)
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > PROBLEM_LIMITS.weight)
        errors.push(
          `${where}: the weight for ${activityId} must be a number above 0 and at most ${limitText(PROBLEM_LIMITS.weight)}, not ${found(weight)} (people[${index}].wants.${activityId})`,
        )
      else wants[activityId] = weight
    }
    const current = stringList(personInput.current, `${where}: current`, errors)
    for (const groupId of current)
      if (!groupIds.has(groupId)) errors.push(`${where}: current names unknown group ${groupId}`)
    const traits: Record<string, string> = {}
    if (personInput.traits !== undefined && !isObject(personInput.traits))
      errors.push(`${where}: traits must be an object`)
    for (const [trait, value] of Object.entries(isObject(personInput.traits) ? personInput.traits : {})) {
      if (typeof value !== 'string') errors.push(`${where}: trait ${trait} must be a string`)
      else traits[trait] = value
    }
    people.push({ id, cohort, maxSessions, unavailable, wants, current, traits })
  }

  const separationsInput = input.separations === undefined ? {} : input.separations
  if (!isObject(separationsInput)) errors.push('separations must be an object')
  const separationsObject = isObject(separationsInput) ? separationsInput : {}
  const separations = {
    cohorts: pairs(separationsObject.cohorts, 'separations.cohorts', errors),
    people: pairs(separationsObject.people, 'separations.people', errors),
  }
  for (const [index, [a, b]] of separations.cohorts.entries())
    if (a === b)
      errors.push(
        `Separation ${a}/${b} names the same cohort twice: a cohort cannot be kept apart from itself (separations.cohorts[${index}])`,
      )
  for (const [a, b] of separations.people) {
    for (const id of [a, b]) if (!personIds.has(id)) errors.push(`Separation ${a}/${b} names unknown person ${id}`)
    if (a === b) errors.push(`Separation ${a}/${b} names the same person twice`)
  }

  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { version: 1, slots, fairness, continuityBonus, people, activities, separations } }
}

/** One group of an activity; its id is added to `groupIds`, which must hold every group's id once. */
function parseGroup(
  groupInput: Record<string, Json>,
  { id, index, groupIndex }: { id: string; index: number; groupIndex: number },
  slotSet: ReadonlySet<string>,
  groupIds: Set<string>,
  errors: Errors,
): ActivityGroup {
  const groupId = text(groupInput.id, `Activity ${id}: group ${groupIndex + 1} id`, errors)
  const where = `Group ${groupId} of activity ${id}`
  if (groupIds.has(groupId)) errors.push(`${where}: id ${groupId} is used by another group (duplicate id)`)
  groupIds.add(groupId)
  const groupSlots = stringList(groupInput.slots, `${where}: slots`, errors)
  const seen = new Set<string>()
  for (const slot of groupSlots) {
    if (!slotSet.has(slot)) errors.push(`${where}: unknown slot ${slot}`)
    if (seen.has(slot)) errors.push(`${where}: slot ${slot} is listed twice`)
    seen.add(slot)
  }
  if (groupSlots.length === 0) errors.push(`${where}: must meet in at least one slot`)
  const path = `activities[${index}].groups[${groupIndex}]`
  const { groupSize } = PROBLEM_LIMITS
  const capacity = wholeNumber(groupInput.capacity, `${where}: capacity`, `${path}.capacity`, groupSize, errors)
  const minSize = wholeNumber(groupInput.minSize, `${where}: minSize`, `${path}.minSize`, groupSize, errors, 0)
  if (capacity < minSize) errors.push(`${where}: capacity ${capacity} is below its minimum size ${minSize}`)
  const group: ActivityGroup = { id: groupId, slots: groupSlots, capacity, minSize }
  if (groupInput.cohorts !== undefined) group.cohorts = stringList(groupInput.cohorts, `${where}: cohorts`, errors)
  return group
}

/**
 * Parses a timetable (format version 1) against its problem. Assignments naming an unknown person or
 * group are errors here, because such a timetable cannot be scored; breaking a rule is the checker's job.
 */
export function parseTimetable(input: Json, problem: Problem): ParseResult<Timetable> {
  const errors: Errors = []
  if (!isObject(input)) return { ok: false, errors: ['The timetable must be a JSON object'] }
  if (input.version !== 1) errors.push(`Unsupported timetable version ${JSON.stringify(input.version)}: expected 1`)
  if (!Array.isArray(input.assignments)) return { ok: false, errors: [...errors, 'assignments must be a list'] }
  const personIds = new Set(problem.people.map((person) => person.id))
  const groupIds = new Set(problem.activities.flatMap((activity) => activity.groups.map((group) => group.id)))
  const assignments: ActivityAllocation[] = []
  for (const [index, assignment] of (input.assignments as Json[]).entries()) {
    if (!isObject(assignment) || typeof assignment.person !== 'string' || typeof assignment.group !== 'string') {
      errors.push(`Assignment ${index + 1} must have a person and a group`)
      continue
    }
    if (!personIds.has(assignment.person))
      errors.push(`Assignment ${index + 1} names unknown person ${assignment.person}`)
    if (!groupIds.has(assignment.group)) errors.push(`Assignment ${index + 1} names unknown group ${assignment.group}`)
    assignments.push({ person: assignment.person, group: assignment.group })
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { version: 1, assignments } }
}
