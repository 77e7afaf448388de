import type { ActivityCategory, DeliveryMode, EstablishmentFunction, IsoDate } from '../../db/schema.ts'
import { addDays } from '../../platform/dates.ts'
import type { Refusal } from '../../platform/forms.ts'

export type { Refusal }

export const categories = [
  'education',
  'work',
  'intervention',
  'therapeutic',
  'peer-led',
  'chaplaincy',
  'family',
  'gym',
] as const satisfies readonly ActivityCategory[]
export const deliveryModes = [
  'group',
  'one-to-one',
  'in-cell',
  'blended',
  'remote',
] as const satisfies readonly DeliveryMode[]
export const establishmentFunctions = [
  'reception',
  'training',
  'resettlement',
  'womens',
  'young-offender',
  'open',
] as const satisfies readonly EstablishmentFunction[]

// ---------------------------------------------------------------------------------------------------------
// The usable day (R2): the week's 21 slots, as the allocator names them.

export const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const
export const periods = ['AM', 'PM', 'ED'] as const
export type Period = (typeof periods)[number]
export const allSlots: readonly string[] = days.flatMap((day) => periods.map((period) => `${day}_${period}`))

export function isSlot(value: string): boolean {
  return allSlots.includes(value)
}

/** The hours a prison usually keeps for each period: morning, afternoon, evening ("ED", evening duty). */
export const defaultPeriodTimes: Record<Period, { startsAt: string; endsAt: string }> = {
  AM: { startsAt: '08:30', endsAt: '11:45' },
  PM: { startsAt: '13:45', endsAt: '16:30' },
  ED: { startsAt: '17:30', endsAt: '19:30' },
}

export type UsableSlot = { slot: string; startsAt: string; endsAt: string }

const time = /^([01]\d|2[0-3]):[0-5]\d$/

/** R2: each slot that runs has a start and an end, the end after the start, and periods keep their order. */
export function usableDayProblems(slots: readonly UsableSlot[]): Refusal[] {
  const problems: Refusal[] = []
  for (const { slot, startsAt, endsAt } of slots) {
    if (!isSlot(slot)) problems.push({ field: 'slots', messageKey: 'regime.usableDay.error.slot', values: { slot } })
    else if (!time.test(startsAt) || !time.test(endsAt))
      problems.push({ field: `${slot}-startsAt`, messageKey: 'regime.usableDay.error.time', values: { slot } })
    else if (endsAt <= startsAt)
      problems.push({ field: `${slot}-startsAt`, messageKey: 'regime.usableDay.error.order', values: { slot } })
  }
  return problems
}

// ---------------------------------------------------------------------------------------------------------
// The offer (R2, R4)

export type ActivityInput = {
  code: string
  name: string
  category: ActivityCategory
  providerOrganisationId: string | null
  deliveryMode: DeliveryMode
  description: string
}

export type GroupInput = {
  code: string
  location: string
  slots: string[]
  capacity: number
  minSize: number
  cohorts: string[]
}

/**
 * R4: a group meets only in slots of the usable day, holds no fewer than its minimum and no more than its
 * capacity, and has a code its activity has not used.
 */
export function groupProblems(
  group: GroupInput,
  context: { usableSlots: readonly string[]; codesInUse: readonly string[]; cohorts: readonly string[] },
): Refusal[] {
  const problems: Refusal[] = []
  if (context.codesInUse.includes(group.code))
    problems.push({ field: 'code', messageKey: 'regime.group.error.duplicate', values: { code: group.code } })
  if (group.slots.length === 0) problems.push({ field: 'slots', messageKey: 'regime.group.error.slots', values: {} })
  const outside = group.slots.filter((slot) => !context.usableSlots.includes(slot))
  if (outside.length > 0)
    problems.push({
      field: 'slots',
      messageKey: 'regime.group.error.outsideDay',
      values: { slots: outside.join(', ') },
    })
  if (group.minSize > group.capacity)
    problems.push({
      field: 'minSize',
      messageKey: 'regime.group.error.minAboveCapacity',
      values: { minSize: group.minSize, capacity: group.capacity },
    })
  const unknown = group.cohorts.filter((cohort) => !context.cohorts.includes(cohort))
  if (unknown.length > 0) problems.push({ field: 'cohorts', messageKey: 'regime.group.error.cohorts', values: {} })
  return problems
}

export function activityProblems(activity: ActivityInput, context: { codesInUse: readonly string[] }): Refusal[] {
  if (context.codesInUse.includes(activity.code))
    return [{ field: 'code', messageKey: 'regime.activity.error.duplicate', values: { code: activity.code } }]
  return []
}

/** The allocator's group id (ALLOCATION.md): the activity code, a slash and the group code. */
export function allocatorGroupId(activityCode: string, groupCode: string): string {
  return `${activityCode}/${groupCode}`
}

/** Sessions a week a group offers: its places times the slots it meets in. */
export function placesPerWeek(group: { capacity: number; slots: readonly string[] }): number {
  return group.capacity * group.slots.length
}

// ---------------------------------------------------------------------------------------------------------
// Needs (R1): what an assessment can find, and the category of the offer that usually meets each.

export const needs = [
  'immediate-support',
  'settling-in',
  'mental-health',
  'physical-health',
  'substance-misuse',
  'housing',
  'debt',
  'parenting',
  'family-contact',
  'english-maths-entry',
  'english-maths-level-1',
  'english-maths-level-2',
  'esol',
  'learning-support',
  'work-skills',
  'faith',
  'resettlement',
  'offending-behaviour',
  'peer-support',
] as const
export type Need = (typeof needs)[number]

export function isNeed(value: string): value is Need {
  return (needs as readonly string[]).includes(value)
}

export const needCategory: Record<Need, ActivityCategory> = {
  'immediate-support': 'peer-led',
  'settling-in': 'peer-led',
  'mental-health': 'therapeutic',
  'physical-health': 'gym',
  'substance-misuse': 'intervention',
  housing: 'intervention',
  debt: 'intervention',
  parenting: 'family',
  'family-contact': 'family',
  'english-maths-entry': 'education',
  'english-maths-level-1': 'education',
  'english-maths-level-2': 'education',
  esol: 'education',
  'learning-support': 'education',
  'work-skills': 'work',
  faith: 'chaplaincy',
  resettlement: 'intervention',
  'offending-behaviour': 'intervention',
  'peer-support': 'peer-led',
}

export const priorities = ['high', 'medium', 'low'] as const
export type Priority = (typeof priorities)[number]
export type AssessedNeed = { need: Need; priority: Priority }

/** The questions of the assessment, by domain (the seed's list), each with the answers it allows. */
export const assessmentDomains = [
  { domain: 'immediate', questions: [{ name: 'immediateNeeds', answers: ['none', 'some', 'urgent'] }] },
  { domain: 'custody', questions: [{ name: 'firstTimeInCustody', answers: ['yes', 'no'] }] },
  { domain: 'health', questions: [{ name: 'healthFlag', answers: ['yes', 'no'] }] },
  { domain: 'substance', questions: [{ name: 'substanceUse', answers: ['none', 'past', 'current'] }] },
  {
    domain: 'legacy',
    questions: [
      { name: 'housing', answers: ['settled', 'at-risk', 'none'] },
      { name: 'debts', answers: ['yes', 'no'] },
      { name: 'dependants', answers: ['yes', 'no'] },
    ],
  },
  { domain: 'family', questions: [{ name: 'familyContact', answers: ['regular', 'some', 'none'] }] },
  {
    domain: 'education',
    questions: [
      { name: 'educationLevel', answers: ['entry', 'level-1', 'level-2'] },
      { name: 'additionalLearningNeeds', answers: ['yes', 'no'] },
      { name: 'englishFirstLanguage', answers: ['yes', 'no'] },
    ],
  },
  { domain: 'work', questions: [{ name: 'workHistory', answers: ['none', 'some', 'skilled'] }] },
  { domain: 'faith', questions: [{ name: 'faithPractice', answers: ['yes', 'no'] }] },
  {
    domain: 'resettlement',
    questions: [
      { name: 'releaseWithin', answers: ['under-12-months', 'over-12-months', 'not-known'] },
      { name: 'sentencePlanIntervention', answers: ['yes', 'no'] },
      { name: 'peerSupport', answers: ['yes', 'no'] },
    ],
  },
] as const

export type QuestionName = (typeof assessmentDomains)[number]['questions'][number]['name']
export const questionNames: readonly QuestionName[] = assessmentDomains.flatMap((domain) =>
  domain.questions.map((question) => question.name),
)
export type Answers = Record<QuestionName, string>

/** Every question answered, each with an answer it allows; the first problem of each question. */
export function answerProblems(answers: Partial<Record<string, string>>): Refusal[] {
  const problems: Refusal[] = []
  for (const domain of assessmentDomains)
    for (const question of domain.questions) {
      const answer = answers[question.name]
      if (!answer || !(question.answers as readonly string[]).includes(answer))
        problems.push({ field: question.name, messageKey: `regime.assessment.error.${question.name}`, values: {} })
    }
  return problems
}

/**
 * R1: the needs an assessment's answers yield, each with its priority. Everyone has some need for physical
 * activity; the rest follow from what the person said. A need found twice keeps its higher priority.
 */
export function needsFromAnswers(answers: Answers): AssessedNeed[] {
  const found = new Map<Need, Priority>()
  const add = (need: Need, priority: Priority) => {
    const before = found.get(need)
    if (!before || priorities.indexOf(priority) < priorities.indexOf(before)) found.set(need, priority)
  }
  if (answers.immediateNeeds === 'urgent') add('immediate-support', 'high')
  if (answers.immediateNeeds === 'some') add('immediate-support', 'medium')
  if (answers.firstTimeInCustody === 'yes') add('settling-in', 'high')
  if (answers.healthFlag === 'yes') {
    add('mental-health', 'high')
    add('physical-health', 'medium')
  }
  add('physical-health', 'low')
  if (answers.substanceUse === 'current') add('substance-misuse', 'high')
  if (answers.substanceUse === 'past') add('substance-misuse', 'medium')
  if (answers.housing === 'none') add('housing', 'high')
  if (answers.housing === 'at-risk') add('housing', 'medium')
  if (answers.debts === 'yes') add('debt', 'medium')
  if (answers.dependants === 'yes') add('parenting', 'medium')
  if (answers.familyContact === 'none') add('family-contact', 'high')
  if (answers.familyContact === 'some') add('family-contact', 'medium')
  if (answers.educationLevel === 'entry') add('english-maths-entry', 'high')
  if (answers.educationLevel === 'level-1') add('english-maths-level-1', 'medium')
  if (answers.educationLevel === 'level-2') add('english-maths-level-2', 'low')
  if (answers.additionalLearningNeeds === 'yes') add('learning-support', 'high')
  if (answers.englishFirstLanguage === 'no') add('esol', 'high')
  if (answers.workHistory === 'none') add('work-skills', 'high')
  if (answers.workHistory === 'some') add('work-skills', 'medium')
  if (answers.workHistory === 'skilled') add('work-skills', 'low')
  if (answers.faithPractice === 'yes') add('faith', 'medium')
  if (answers.releaseWithin === 'under-12-months') add('resettlement', 'high')
  if (answers.releaseWithin === 'not-known') add('resettlement', 'medium')
  if (answers.sentencePlanIntervention === 'yes') add('offending-behaviour', 'high')
  if (answers.peerSupport === 'yes') add('peer-support', 'medium')
  return [...found]
    .map(([need, priority]) => ({ need, priority }))
    .sort(
      (a, b) =>
        priorities.indexOf(a.priority) - priorities.indexOf(b.priority) ||
        needs.indexOf(a.need) - needs.indexOf(b.need),
    )
}

// ---------------------------------------------------------------------------------------------------------
// Frameworks (R3): each prison function's default, which a prison adjusts.

export type Framework = {
  /** Share of the week in percent for each category; the shares add up to 100. */
  categoryShares: Record<ActivityCategory, number>
  /** How strongly the prison puts each need first, 1 (least) to 5 (first). */
  needEmphasis: Record<Need, number>
}

function emphasis(first: readonly Need[], second: readonly Need[]): Record<Need, number> {
  return Object.fromEntries(
    needs.map((need) => [need, first.includes(need) ? 5 : second.includes(need) ? 4 : need === 'peer-support' ? 2 : 3]),
  ) as Record<Need, number>
}

function shares(values: readonly number[]): Record<ActivityCategory, number> {
  return Object.fromEntries(categories.map((category, index) => [category, values[index]])) as Record<
    ActivityCategory,
    number
  >
}

/**
 * R3, seed 001 §4.2.2: a reception prison puts immediate needs and settling in first; a resettlement
 * prison formal learning and interventions; a training prison learning and work; a women's prison family
 * and therapeutic support; a young offender institution education; an open prison work and resettlement.
 * Category shares, in order: education, work, intervention, therapeutic, peer-led, chaplaincy, family, gym.
 */
export const defaultFrameworks: Record<EstablishmentFunction, Framework> = {
  reception: {
    categoryShares: shares([20, 15, 15, 15, 10, 8, 7, 10]),
    needEmphasis: emphasis(
      ['immediate-support', 'settling-in', 'mental-health', 'substance-misuse'],
      ['family-contact', 'housing', 'esol'],
    ),
  },
  training: {
    categoryShares: shares([30, 35, 10, 5, 5, 5, 5, 5]),
    needEmphasis: emphasis(
      ['english-maths-entry', 'english-maths-level-1', 'work-skills', 'offending-behaviour'],
      ['english-maths-level-2', 'esol', 'learning-support', 'substance-misuse'],
    ),
  },
  resettlement: {
    categoryShares: shares([30, 20, 25, 5, 5, 3, 7, 5]),
    needEmphasis: emphasis(
      ['english-maths-entry', 'english-maths-level-1', 'offending-behaviour', 'resettlement', 'housing'],
      ['work-skills', 'debt', 'family-contact', 'substance-misuse'],
    ),
  },
  womens: {
    categoryShares: shares([20, 15, 15, 20, 8, 5, 12, 5]),
    needEmphasis: emphasis(
      ['mental-health', 'parenting', 'family-contact', 'immediate-support'],
      ['substance-misuse', 'housing', 'english-maths-entry', 'settling-in'],
    ),
  },
  'young-offender': {
    categoryShares: shares([40, 10, 15, 10, 5, 3, 7, 10]),
    needEmphasis: emphasis(
      ['english-maths-entry', 'english-maths-level-1', 'learning-support', 'settling-in'],
      ['offending-behaviour', 'family-contact', 'physical-health', 'mental-health'],
    ),
  },
  open: {
    categoryShares: shares([15, 50, 10, 5, 5, 5, 5, 5]),
    needEmphasis: emphasis(
      ['work-skills', 'resettlement', 'housing'],
      ['debt', 'family-contact', 'offending-behaviour'],
    ),
  },
}

/** A stored adjustment laid over the function's default, so a need added later still has a value. */
export function frameworkOf(
  establishmentFunction: EstablishmentFunction,
  adjusted: { categoryShares: Record<string, number>; needEmphasis: Record<string, number> } | null,
): Framework {
  const base = defaultFrameworks[establishmentFunction]
  if (!adjusted) return base
  return {
    categoryShares: Object.fromEntries(
      categories.map((category) => [category, adjusted.categoryShares[category] ?? base.categoryShares[category]]),
    ) as Framework['categoryShares'],
    needEmphasis: Object.fromEntries(
      needs.map((need) => [need, adjusted.needEmphasis[need] ?? base.needEmphasis[need]]),
    ) as Framework['needEmphasis'],
  }
}

/** R3: the shares add up to 100 (a week has no more than all of it), each emphasis is 1 to 5. */
export function frameworkProblems(framework: Framework): Refusal[] {
  const total = categories.reduce((sum, category) => sum + framework.categoryShares[category], 0)
  const problems: Refusal[] = []
  if (total !== 100)
    problems.push({ field: 'share-education', messageKey: 'regime.framework.error.total', values: { total } })
  for (const need of needs) {
    const value = framework.needEmphasis[need]
    if (!Number.isInteger(value) || value < 1 || value > 5)
      problems.push({ field: `emphasis-${need}`, messageKey: 'regime.framework.error.emphasis', values: {} })
  }
  return problems
}

export const priorityScore: Record<Priority, number> = { high: 3, medium: 2, low: 1 }

/**
 * R3 -> R5: the allocator's weight for an activity that meets a need: the need's priority for this person
 * times the emphasis the prison's framework puts on it. High priority in a need the prison puts first
 * weighs 15; a low one the prison puts last weighs 1.
 */
export function wantWeight(priority: Priority, needEmphasis: number): number {
  return priorityScore[priority] * needEmphasis
}

/** What a wish the person asked for themselves adds: enough to count, never more than an assessed need. */
export const WISH_WEIGHT = 6
/** How many of the activities mapped to a need it brings: more for a pressing need. */
export const activitiesPerNeed: Record<Priority, number> = { high: 2, medium: 1, low: 1 }
export const MAX_WANTS = 10

/** FNV-1a: a small stable hash of a text. */
function hashOf(text: string): number {
  let hash = 2166136261
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 16777619)
  }
  return hash >>> 0
}

/** Activity ids' hashes, kept: the same few hundred ids are ranked for every person of a prison. */
const activityHashes = new Map<string, number>()

/** A stable rank of an activity for a person, so the activities offered for a need spread over its people. */
function spread(personHash: number, activityId: string): number {
  let activityHash = activityHashes.get(activityId)
  if (activityHash === undefined) {
    activityHash = hashOf(activityId)
    activityHashes.set(activityId, activityHash)
  }
  // The finaliser of MurmurHash3 mixes the two so that every bit of each moves the rank.
  let hash = (personHash ^ activityHash) >>> 0
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35)
  return (hash ^ (hash >>> 16)) >>> 0
}

/**
 * R1 -> R5: the wants (activity -> weight) a person's needs and wishes yield. Each need brings a few of the
 * activities the prison maps to it, chosen by a stable hash of the person so that people with the
 * same need spread over the whole offer rather than all asking for its first item (two for a high
 * priority, one otherwise); an activity meeting two
 * needs takes the heavier weight. The person's own wishes add to an activity they want already, or bring
 * it in. At most ten wants: the person's wishes always, then the heaviest of the rest.
 */
export function wantsFrom(input: {
  needs: readonly AssessedNeed[]
  framework: Framework
  needActivities: ReadonlyMap<string, readonly string[]>
  wishedActivityIds: readonly string[]
  personKey: string
}): Map<string, number> {
  const wants = new Map<string, number>()
  const personHash = hashOf(input.personKey)
  for (const { need, priority } of input.needs) {
    const weight = wantWeight(priority, input.framework.needEmphasis[need])
    const candidates = (input.needActivities.get(need) ?? [])
      .map((activityId) => ({ activityId, rank: spread(personHash, activityId) }))
      .sort((a, b) => a.rank - b.rank || a.activityId.localeCompare(b.activityId))
      .slice(0, activitiesPerNeed[priority])
      .map((candidate) => candidate.activityId)
    for (const activityId of candidates) wants.set(activityId, Math.max(wants.get(activityId) ?? 0, weight))
  }
  const wished = [...new Set(input.wishedActivityIds)].slice(0, MAX_WANTS)
  for (const activityId of wished) wants.set(activityId, Math.min(100, (wants.get(activityId) ?? 0) + WISH_WEIGHT))
  // What the person asked for is always kept; the heaviest of the rest fill the places left.
  const rest = [...wants]
    .filter(([activityId]) => !wished.includes(activityId))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_WANTS - wished.length)
  return new Map(
    [...wished.map((activityId) => [activityId, wants.get(activityId)!] as const), ...rest].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    ),
  )
}

// ---------------------------------------------------------------------------------------------------------
// Due dates (R1)

export type AssessmentDue = { dueOn: IsoDate; kind: 'first' | 'reassessment'; state: 'overdue' | 'due' | 'later' }

/** Due within this many days counts as due now, so a list shows who to see this week. */
export const DUE_SOON_DAYS = 7

/**
 * R1: the first assessment falls due a set number of days after reception; each later one a set number of
 * days after the last. Overdue after the day it fell due.
 */
export function assessmentDue(
  input: { receptionOn: IsoDate; lastAssessedOn: IsoDate | null },
  policy: { firstAssessmentDays: number; reassessmentDays: number },
  today: IsoDate,
): AssessmentDue {
  const kind = input.lastAssessedOn ? 'reassessment' : 'first'
  // A person assessed before their latest reception (a return to custody) is assessed afresh.
  const fresh = !input.lastAssessedOn || input.lastAssessedOn < input.receptionOn
  const dueOn = fresh
    ? addDays(input.receptionOn, policy.firstAssessmentDays)
    : addDays(input.lastAssessedOn!, policy.reassessmentDays)
  const state = dueOn < today ? 'overdue' : dueOn <= addDays(today, DUE_SOON_DAYS) ? 'due' : 'later'
  return { dueOn, kind: fresh ? 'first' : kind, state }
}

// ---------------------------------------------------------------------------------------------------------
// Non-associations (R4)

export const nonAssociationReasons = [
  'bullying',
  'gang-related',
  'organised-crime',
  'legal-request',
  'threat',
  'violence',
  'other',
] as const
export const nonAssociationLevels = ['cell', 'landing', 'wing', 'regime'] as const

/** The table keeps each pair once, the lower id first. */
export function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a]
}

// ---------------------------------------------------------------------------------------------------------
// Population needs analysis (R8)

export type NeedDemand = { need: Need; cohort: string; people: number }
export type NeedPlaces = { need: Need; cohort: string; places: number }
export type Gap = {
  need: Need
  category: ActivityCategory
  cohort: string
  people: number
  places: number
  /** People with the need beyond the places offered for it; 0 when the offer covers them. */
  shortfall: number
}

/**
 * R8: for each need and cohort, the people who have it (high or medium priority) against the places a
 * week the offer has for it, largest shortfall first, then by category.
 */
export function needsGaps(demand: readonly NeedDemand[], places: readonly NeedPlaces[]): Gap[] {
  const key = (need: string, cohort: string) => `${need}|${cohort}`
  const placesOf = new Map(places.map((row) => [key(row.need, row.cohort), row.places]))
  return demand
    .map((row) => {
      const offered = placesOf.get(key(row.need, row.cohort)) ?? 0
      return {
        need: row.need,
        category: needCategory[row.need],
        cohort: row.cohort,
        people: row.people,
        places: offered,
        shortfall: Math.max(0, row.people - offered),
      }
    })
    .sort(
      (a, b) =>
        b.shortfall - a.shortfall ||
        categories.indexOf(a.category) - categories.indexOf(b.category) ||
        a.cohort.localeCompare(b.cohort) ||
        needs.indexOf(a.need) - needs.indexOf(b.need),
    )
}

/** R3 against R2: each category's share of the places a week the offer has, beside the framework's. */
export function offerShares(
  placesByCategory: ReadonlyMap<string, number>,
  framework: Framework,
): { category: ActivityCategory; places: number; share: number; target: number }[] {
  const total = [...placesByCategory.values()].reduce((sum, value) => sum + value, 0)
  return categories.map((category) => {
    const places = placesByCategory.get(category) ?? 0
    return {
      category,
      places,
      share: total === 0 ? 0 : Math.round((places / total) * 100),
      target: framework.categoryShares[category],
    }
  })
}
