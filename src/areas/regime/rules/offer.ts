import {
  activityCategories,
  type ActivityCategory,
  type DeliveryMode,
  type EstablishmentFunction,
} from '../../../db/schema.ts'
import type { Refusal } from '../../../platform/forms.ts'

export const categories = activityCategories
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
 * A group as the prison keeps it, for the regime and for allocation alike: what was typed for it, the cohorts
 * it may mix (null: not yet said) and whether it still runs.
 */
export type ActivityGroup = Omit<GroupInput, 'cohorts'> & { id: string; cohorts: string[] | null; isActive: boolean }

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
