import type { ConcernSafeNow, ConcernUrgency, IsoDate } from '../../db/schema.ts'
import { addDays } from '../../platform/dates.ts'

/** The days of the week as slots name them (ALLOCATION.md), Monday first. */
export const weekDays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const
export const dayParts = ['AM', 'PM', 'ED'] as const
export type WeekDay = (typeof weekDays)[number]
export type DayPart = (typeof dayParts)[number]

export type GroupPlace = {
  activityName: string
  location: string | null
  slots: readonly string[]
  startsOn: IsoDate
}

export type TimetableSession = { part: DayPart; activityName: string; location: string | null }
export type TimetableDay = { date: IsoDate; day: WeekDay; sessions: TimetableSession[] }
export type TimetableWeek = { startsOn: IsoDate; days: TimetableDay[] }

/** The Monday of the week a date falls in. */
export function mondayOf(date: IsoDate): IsoDate {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((weekday + 6) % 7))
}

/**
 * C1 (R5): the person's own timetable for this week and next, day by day: each of their groups on the days
 * its slots fall, from the day their place starts, morning before afternoon before evening.
 */
export function twoWeekTimetable(groups: readonly GroupPlace[], today: IsoDate): TimetableWeek[] {
  const firstMonday = mondayOf(today)
  return [0, 1].map((week) => {
    const startsOn = addDays(firstMonday, week * 7)
    return {
      startsOn,
      days: weekDays.map((day, index) => {
        const date = addDays(startsOn, index)
        const sessions = groups
          .filter((group) => group.startsOn <= date)
          .flatMap((group) =>
            group.slots
              .filter((slot) => slot.startsWith(`${day}_`))
              .map((slot) => ({
                part: slot.slice(4) as DayPart,
                activityName: group.activityName,
                location: group.location,
              })),
          )
          .sort((a, b) => dayParts.indexOf(a.part) - dayParts.indexOf(b.part))
        return { date, day, sessions }
      }),
    }
  })
}

/** What the person answers on the worry form: is anyone in danger right now? */
export const dangerAnswers = ['yes', 'not-sure', 'no'] as const
export type DangerAnswer = (typeof dangerAnswers)[number]

/**
 * C1, S1: a worry from a person in custody is a concern. Danger now is the most urgent there is; anything
 * else is looked at the same day, because nobody on the wing has weighed it yet.
 */
export function concernFromWorry(danger: DangerAnswer): { urgency: ConcernUrgency; safeNow: ConcernSafeNow } {
  if (danger === 'yes') return { urgency: 'immediate', safeNow: 'no' }
  if (danger === 'not-sure') return { urgency: 'today', safeNow: 'not-sure' }
  return { urgency: 'today', safeNow: 'yes' }
}

/**
 * C1: whom a worry about someone else is about, from the name (and wing, if given) the person typed: the
 * one person it can only be, or nobody when the name matches no one or several and the wing does not settle it.
 */
export function whoTheWorryIsAbout<T extends { wingCode: string | null; wingName: string | null }>(
  matches: readonly T[],
  wingTyped: string,
): T | null {
  const wing = wingTyped.trim().toLowerCase()
  const onWing = wing
    ? matches.filter(
        (match) =>
          match.wingCode?.toLowerCase() === wing ||
          match.wingName?.toLowerCase() === wing ||
          match.wingName?.toLowerCase() === `${wing} wing`,
      )
    : matches
  return onWing.length === 1 ? onWing[0] : null
}

export const ratings = [5, 4, 3, 2, 1] as const
