import type { ActivityCategory, EstablishmentFunction } from '../../../db/schema.ts'
import type { Refusal } from '../../../platform/forms.ts'
import { categories } from './offer.ts'
import { needs, type AssessedNeed, type Need, type Priority } from './needs.ts'

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

/** What a prison saves of its framework: its shares and emphases, and when people's needs are assessed. */
export type FrameworkInput = Framework & { firstAssessmentDays: number; reassessmentDays: number }

/** The framework a prison works to now (its function's default, or as it adjusted it), as its page saves it. */
export function frameworkAsSaved(current: {
  framework: Framework
  firstAssessmentDays: number
  reassessmentDays: number
}): FrameworkInput {
  return {
    categoryShares: current.framework.categoryShares,
    needEmphasis: current.framework.needEmphasis,
    firstAssessmentDays: current.firstAssessmentDays,
    reassessmentDays: current.reassessmentDays,
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
