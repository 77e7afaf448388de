import type { AttendanceOutcome, IsoDate, SlotCode } from '../../db/schema.ts'
import { isIsoDate } from '../../platform/date-input.ts'
import { addDays, daysBetween } from '../../platform/dates.ts'
import type { Refusal } from '../../platform/forms.ts'
import { lowestFirst } from '../../platform/lists.ts'

/** R7: the outcomes HMPPS records for a person at a session, in the order the register offers them. */
export const attendanceOutcomes = [
  'attended',
  'refused',
  'sick',
  'rest-day',
  'clash',
  'cancelled',
  'suspended',
] as const satisfies readonly AttendanceOutcome[]

/**
 * Outcomes that need a reason on the register: a refusal, a clash (with what), a cancellation (why the
 * session did not run) and a suspension are all looked at later; attending, being sick or a rest day speak
 * for themselves.
 */
const outcomesNeedingReason: ReadonlySet<AttendanceOutcome> = new Set(['refused', 'clash', 'cancelled', 'suspended'])

export function reasonNeeded(outcome: AttendanceOutcome): boolean {
  return outcomesNeedingReason.has(outcome)
}

/**
 * Outcomes that mean the person was not due at the session: the prison cancelled it, it was their rest
 * day, or they were suspended from the activity. The attendance rate leaves them out, so a provider is
 * not marked down for a session that never ran and a person is not marked down for a day off.
 */
const notDue: ReadonlySet<AttendanceOutcome> = new Set(['cancelled', 'rest-day', 'suspended'])

export type { Refusal }

const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const

/** The day part of a slot for a date: '2026-11-25' (a Wednesday) is 'WED'. */
export function dayOf(date: IsoDate): (typeof days)[number] {
  return days[new Date(`${date}T00:00:00Z`).getUTCDay()]
}

export { isIsoDate }

/** A session can be recorded only on a date its slot falls on, and not before it has happened. */
export function sessionDateProblem(slot: SlotCode, sessionOn: IsoDate, today: IsoDate): Refusal | null {
  if (!slot.startsWith(`${dayOf(sessionOn)}_`))
    return { field: 'sessionOn', messageKey: 'attendance.error.wrongDay', values: {} }
  if (sessionOn > today) return { field: 'sessionOn', messageKey: 'attendance.error.future', values: {} }
  return null
}

export type RegisterEntry = { personId: string; outcome: AttendanceOutcome | null; reason: string }
export type RegisterMember = { personId: string; name: string }
/** A person's line on a register: what is recorded for them (nothing yet: a null outcome). */
export type RegisterLine = { outcome: AttendanceOutcome | null; reason: string }

/**
 * What to save of a register sent from a page drawn a while ago, beside each line as the page showed it and as it
 * is now. A line someone else changed meanwhile (a handheld device, another officer) is left as they left it where
 * this page did not change it, and is a conflict, saving nothing, where both changed it differently. A line the
 * page did not say it showed is taken as sent.
 */
export function linesToSave(
  entries: readonly RegisterEntry[],
  shown: ReadonlyMap<string, RegisterLine>,
  now: ReadonlyMap<string, RegisterLine>,
): { save: RegisterEntry[]; changedMeanwhile: string[] } {
  const same = (a: RegisterLine, b: RegisterLine) => a.outcome === b.outcome && a.reason.trim() === b.reason.trim()
  const save: RegisterEntry[] = []
  const changedMeanwhile: string[] = []
  for (const entry of entries) {
    const drawn = shown.get(entry.personId)
    const current = now.get(entry.personId) ?? { outcome: null, reason: '' }
    if (!drawn || same(drawn, current)) save.push(entry)
    else if (!same(entry, drawn) && !same(entry, current)) changedMeanwhile.push(entry.personId)
  }
  return { save, changedMeanwhile }
}

/**
 * The problems with a whole session's register, each naming the person, so an officer on a busy wing sees
 * at once whose line to put right. A person left blank is simply not recorded yet; at least one must be.
 */
export function registerProblems(members: readonly RegisterMember[], entries: readonly RegisterEntry[]): Refusal[] {
  const byPerson = new Map(entries.map((entry) => [entry.personId, entry]))
  const problems: Refusal[] = []
  let recorded = 0
  for (const member of members) {
    const entry = byPerson.get(member.personId)
    if (!entry?.outcome) {
      if (entry?.reason)
        problems.push({
          field: `outcome-${member.personId}`,
          messageKey: 'attendance.error.reasonWithoutOutcome',
          values: { name: member.name },
        })
      continue
    }
    recorded += 1
    if (reasonNeeded(entry.outcome) && entry.reason === '')
      problems.push({
        field: `reason-${member.personId}`,
        messageKey: `attendance.error.reason.${entry.outcome}`,
        values: { name: member.name },
      })
    if (entry.reason.length > 500)
      problems.push({
        field: `reason-${member.personId}`,
        messageKey: 'attendance.error.reasonTooLong',
        values: { name: member.name },
      })
  }
  if (recorded === 0 && problems.length === 0 && members.length > 0)
    problems.push({
      field: `outcome-${members[0].personId}`,
      messageKey: 'attendance.error.nothingRecorded',
      values: {},
    })
  return problems
}

/**
 * R7: "everyone else attended", one press for a register of a dozen. Only a person left blank on the page
 * and with nothing saved is marked: an outcome chosen or saved before (by another officer since the page
 * was opened) is kept, and a reason typed without an outcome still needs the officer to choose one.
 */
export function withTheRestAttended(
  members: readonly { personId: string; isRecorded: boolean }[],
  entries: readonly RegisterEntry[],
): RegisterEntry[] {
  const byPerson = new Map(entries.map((entry) => [entry.personId, entry]))
  return members.map((member) => {
    const entry = byPerson.get(member.personId) ?? { personId: member.personId, outcome: null, reason: '' }
    return entry.outcome || entry.reason || member.isRecorded ? entry : { ...entry, outcome: 'attended' }
  })
}

export type OutcomeCounts = Record<AttendanceOutcome, number>

export function emptyCounts(): OutcomeCounts {
  return { attended: 0, refused: 0, sick: 0, 'rest-day': 0, clash: 0, cancelled: 0, suspended: 0 }
}

export type AttendanceFigures = {
  recorded: number
  /** Sessions the person was due at: everything but cancelled sessions, rest days and suspensions. */
  due: number
  attended: number
  /** Attended over due; null when nobody was due. */
  attendanceRate: number | null
  /** Refused over due: the share of sessions people chose not to go to. */
  refusalRate: number | null
  /** Cancelled over recorded: how often the session did not run for the people on it. */
  cancellationRate: number | null
}

/** R7: attendance and refusal rates from the outcome counts. */
export function attendanceFigures(counts: OutcomeCounts): AttendanceFigures {
  const recorded = Object.values(counts).reduce((sum, count) => sum + count, 0)
  let due = 0
  for (const outcome of attendanceOutcomes) if (!notDue.has(outcome)) due += counts[outcome]
  return {
    recorded,
    due,
    attended: counts.attended,
    attendanceRate: due === 0 ? null : counts.attended / due,
    refusalRate: due === 0 ? null : counts.refused / due,
    cancellationRate: recorded === 0 ? null : counts.cancelled / recorded,
  }
}

/** R7: of those whose course ended (completed or left early), the share who completed it. */
export function completionRate(completed: number, notCompleted: number): number | null {
  const ended = completed + notCompleted
  return ended === 0 ? null : completed / ended
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Hours between two 'HH:MM[:SS]' times of day. */
export function hoursBetween(startsAt: string, endsAt: string): number {
  const minutes = (time: string) => {
    const [hours, mins] = time.split(':').map(Number) as [number, number]
    return hours * 60 + mins
  }
  return (minutes(endsAt) - minutes(startsAt)) / 60
}

/**
 * How long each slot lasts, in hours. A slot the prison has not timed takes the usual length of its part
 * of the day (a morning or afternoon session of three hours, an evening of two), so a new evening slot in a
 * scenario still counts.
 */
/**
 * The weeks a person's time out of cell is read over, wherever it is shown (the measures, equality): one
 * window, so two pages never give two figures for one thing.
 */
export const TIME_OUT_OF_CELL_DAYS = 28

export const usualSlotHours: Record<'AM' | 'PM' | 'ED', number> = { AM: 3, PM: 3, ED: 2 }

export function slotHoursOf(slot: SlotCode, timed: ReadonlyMap<SlotCode, number>): number {
  const hours = timed.get(slot)
  if (hours !== undefined) return hours
  const part = slot.slice(4) as 'AM' | 'PM' | 'ED'
  return usualSlotHours[part] ?? 0
}

/** Every slot of the week (a day and a part of it) with how long it lasts at a prison, as `slotHoursOf` gives. */
export function hoursOfEverySlot(timed: ReadonlyMap<SlotCode, number>): { slot: SlotCode; hours: number }[] {
  const parts = Object.keys(usualSlotHours)
  return days
    .flatMap((day) => parts.map((part) => `${day}_${part}`))
    .map((slot) => ({
      slot,
      hours: slotHoursOf(slot, timed),
    }))
}

/** How many times a weekly slot falls between two dates, both included. */
export function occurrencesBetween(slot: SlotCode, from: IsoDate, to: IsoDate): number {
  if (to < from) return 0
  const total = daysBetween(from, to) + 1
  const firstDay = days.indexOf(dayOf(from))
  const target = days.indexOf(slot.slice(0, 3) as (typeof days)[number])
  const offset = (target - firstDay + 7) % 7
  return offset >= total ? 0 : Math.floor((total - 1 - offset) / 7) + 1
}

export type PlacedAllocation = {
  personId: string
  slots: readonly SlotCode[]
  startsOn: IsoDate
  endsOn: IsoDate | null
}

/**
 * R7: hours out of cell the timetable planned for each person over a period: every session of every group
 * they were in while they were in it.
 */
export function plannedHours(
  allocations: readonly PlacedAllocation[],
  timed: ReadonlyMap<SlotCode, number>,
  from: IsoDate,
  to: IsoDate,
): Map<string, number> {
  const hours = new Map<string, number>()
  for (const allocation of allocations) {
    const start = allocation.startsOn > from ? allocation.startsOn : from
    const end = allocation.endsOn !== null && allocation.endsOn < to ? allocation.endsOn : to
    let sum = 0
    for (const slot of allocation.slots) sum += occurrencesBetween(slot, start, end) * slotHoursOf(slot, timed)
    hours.set(allocation.personId, (hours.get(allocation.personId) ?? 0) + sum)
  }
  return hours
}

/** The number of weeks in a period, both dates included, for figures per week. */
export function weeksIn(from: IsoDate, to: IsoDate): number {
  return (daysBetween(from, to) + 1) / 7
}

export type Period = { from: IsoDate; to: IsoDate }

/** A report's period: the last four weeks to today unless both dates are given, in order, and not in the future. */
export function periodProblem(period: Period, today: IsoDate): Refusal | null {
  if (!isIsoDate(period.from)) return { field: 'from', messageKey: 'attendance.reports.error.from', values: {} }
  if (!isIsoDate(period.to)) return { field: 'to', messageKey: 'attendance.reports.error.to', values: {} }
  if (period.to < period.from) return { field: 'to', messageKey: 'attendance.reports.error.order', values: {} }
  if (period.to > today) return { field: 'to', messageKey: 'attendance.reports.error.future', values: {} }
  if (daysBetween(period.from, period.to) > 366)
    return { field: 'from', messageKey: 'attendance.reports.error.tooLong', values: {} }
  return null
}

export function defaultPeriod(today: IsoDate): Period {
  return { from: addDays(today, -27), to: today }
}

/** A share to one decimal place of a percentage, for CSV files. */
export function percentOrBlank(share: number | null): number | null {
  return share === null ? null : Math.round(share * 1000) / 10
}

export type ActivityForReport = {
  activityId: string
  activityCode: string
  activityName: string
  category: string
  providerOrganisationId: string | null
  providerName: string | null
}

export type QualityFigures = AttendanceFigures & {
  counts: OutcomeCounts
  completed: number
  notCompleted: number
  completionRate: number | null
  feedbackCount: number
  meanRating: number | null
}

type Tally = { counts: OutcomeCounts; completed: number; notCompleted: number; ratings: number[] }

function newTally(): Tally {
  return { counts: emptyCounts(), completed: 0, notCompleted: 0, ratings: [] }
}

function figuresOf(tally: Tally): QualityFigures {
  return {
    ...attendanceFigures(tally.counts),
    counts: tally.counts,
    completed: tally.completed,
    notCompleted: tally.notCompleted,
    completionRate: completionRate(tally.completed, tally.notCompleted),
    feedbackCount: tally.ratings.length,
    meanRating: mean(tally.ratings),
  }
}

function addTo(target: Tally, source: Tally) {
  for (const outcome of attendanceOutcomes) target.counts[outcome] += source.counts[outcome]
  target.completed += source.completed
  target.notCompleted += source.notCompleted
  target.ratings.push(...source.ratings)
}

/**
 * R7: quality and impact per activity, per provider (the prison itself, or a partner organisation) and for
 * the whole prison: attendance, refusal and cancellation rates, completion rate and the people's own mean
 * rating, over one period. Activities with nothing recorded in the period are left out.
 */
export function qualityReport(
  activities: readonly ActivityForReport[],
  outcomes: readonly { activityId: string; outcome: AttendanceOutcome; count: number }[],
  completions: readonly { activityId: string; outcome: 'completed' | 'not-completed'; count: number }[],
  ratings: readonly { activityId: string; rating: number }[],
) {
  const tallies = new Map<string, Tally>()
  const tallyOf = (activityId: string) => {
    let tally = tallies.get(activityId)
    if (!tally) tallies.set(activityId, (tally = newTally()))
    return tally
  }
  for (const row of outcomes) tallyOf(row.activityId).counts[row.outcome] += Number(row.count)
  for (const row of completions)
    if (row.outcome === 'completed') tallyOf(row.activityId).completed += Number(row.count)
    else tallyOf(row.activityId).notCompleted += Number(row.count)
  for (const row of ratings) tallyOf(row.activityId).ratings.push(row.rating)

  const byProvider = new Map<string, { providerName: string | null; tally: Tally; activities: number }>()
  const prison = newTally()
  const activityRows = []
  for (const activity of activities) {
    const tally = tallies.get(activity.activityId)
    if (!tally) continue
    activityRows.push({ ...activity, figures: figuresOf(tally) })
    const key = activity.providerOrganisationId ?? ''
    let provider = byProvider.get(key)
    if (!provider)
      byProvider.set(key, (provider = { providerName: activity.providerName, tally: newTally(), activities: 0 }))
    provider.activities += 1
    addTo(provider.tally, tally)
    addTo(prison, tally)
  }
  const providers = [...byProvider.entries()]
    .map(([key, provider]) => ({
      providerOrganisationId: key === '' ? null : key,
      providerName: provider.providerName,
      activities: provider.activities,
      figures: figuresOf(provider.tally),
    }))
    // The prison first, then partners by name.
    .sort((a, b) =>
      a.providerOrganisationId === null
        ? -1
        : b.providerOrganisationId === null
          ? 1
          : (a.providerName ?? '').localeCompare(b.providerName ?? ''),
    )
  return { activities: activityRows, providers, prison: figuresOf(prison) }
}

export type PersonForTimeOutOfCell = {
  personId: string
  prisonNumber: string
  firstName: string
  lastName: string
  wingName: string | null
  cohort: string
}

/**
 * R7: each person's time out of cell per week over a period: what the timetable planned for them, and what
 * they attended. People the timetable left without a session count too, at nought: they are the point.
 */
export function timeOutOfCell(
  people: readonly PersonForTimeOutOfCell[],
  allocations: readonly PlacedAllocation[],
  attended: readonly { personId: string; slot: SlotCode; count: number }[],
  timed: ReadonlyMap<SlotCode, number>,
  period: Period,
) {
  const weeks = weeksIn(period.from, period.to)
  const planned = plannedHours(allocations, timed, period.from, period.to)
  const attendedHours = new Map<string, number>()
  for (const row of attended)
    attendedHours.set(
      row.personId,
      (attendedHours.get(row.personId) ?? 0) + Number(row.count) * slotHoursOf(row.slot, timed),
    )
  const rows = people.map((person) => ({
    ...person,
    plannedHoursPerWeek: (planned.get(person.personId) ?? 0) / weeks,
    attendedHoursPerWeek: (attendedHours.get(person.personId) ?? 0) / weeks,
  }))
  const attendedValues = rows.map((row) => row.attendedHoursPerWeek)
  return {
    rows,
    people: rows.length,
    meanPlanned: mean(rows.map((row) => row.plannedHoursPerWeek)),
    meanAttended: mean(attendedValues),
    withNoneAttended: rows.filter((row) => row.attendedHoursPerWeek === 0).length,
    withNonePlanned: rows.filter((row) => row.plannedHoursPerWeek === 0).length,
  }
}

/** Issue 19: how many activities the reports page lists before it shows only the lowest attendance. */
export const ACTIVITIES_LISTED = 20

/**
 * Issue 19, a long page summarises first: the activities the reports page lists. A provider chosen (its
 * organisation's id, or null for the prison's own): all of theirs, by name. None chosen: all, by name, when there are few; else the `ACTIVITIES_LISTED` with the lowest
 * attendance rate (none due last), the rest a provider, or the CSV, away.
 */
export function activitiesListed<
  Activity extends { providerOrganisationId: string | null; figures: { attendanceRate: number | null } },
>(
  activities: readonly Activity[],
  provider: { providerOrganisationId: string | null } | null,
): { shown: Activity[]; of: 'provider' | 'all' | 'lowest-attendance' } {
  if (provider)
    return {
      shown: activities.filter((activity) => activity.providerOrganisationId === provider.providerOrganisationId),
      of: 'provider',
    }
  if (activities.length <= ACTIVITIES_LISTED) return { shown: [...activities], of: 'all' }
  const lowest = lowestFirst(activities, (activity) => activity.figures.attendanceRate, ACTIVITIES_LISTED)
  return { shown: lowest, of: 'lowest-attendance' }
}
