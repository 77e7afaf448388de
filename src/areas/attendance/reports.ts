/** R7, M3: quality and impact per activity and provider, and time out of cell, over a period. */
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { toCsv } from '../../platform/csv.ts'
import {
  activitiesListed,
  attendanceOutcomes,
  completionRate,
  hoursOfEverySlot,
  percentOrBlank,
  periodProblem as problemOfPeriod,
  qualityReport,
  timeOutOfCell,
  type Period,
  type Refusal,
  weeksIn,
} from './rules.ts'
import { slotHours } from './store.ts'
import * as store from './store/reports.ts'
import type { AttendanceDeps } from './deps.ts'

async function buildQualityReport({ db }: AttendanceDeps, establishmentCode: string, period: Period) {
  const [activities, outcomes, completions, ratings] = await Promise.all([
    store.activitiesAt(db, establishmentCode),
    store.outcomeCountsByActivity(db, establishmentCode, period.from, period.to),
    store.completionCountsByActivity(db, establishmentCode, period.from, period.to),
    store.feedbackRatingsByActivity(db, establishmentCode, period.from, period.to),
  ])
  return qualityReport(activities, outcomes, completions, ratings)
}

async function buildTimeOutOfCell({ db }: AttendanceDeps, establishmentCode: string, period: Period) {
  const [everyone, allocations, attended, timed] = await Promise.all([
    store.peopleAt(db, establishmentCode, period.to),
    store.allocationsOverlapping(db, establishmentCode, period.from, period.to),
    store.attendedSlots(db, establishmentCode, period.from, period.to),
    slotHours(db, establishmentCode),
  ])
  return timeOutOfCell(everyone, allocations, attended, timed, period)
}

/** R7: a report taken away as CSV is audited with its period and which report it was (and how many it names). */
async function recordExport(
  { db, audit }: AttendanceDeps,
  actor: Actor,
  period: Period,
  report: { kind: 'activities' } | { kind: 'time-out-of-cell'; people: number },
) {
  await audit.record(db, actor, { action: 'attendance.report-exported', details: { ...period, ...report } })
}

function checkedPeriod({ clock }: AttendanceDeps, period: Period): Period {
  if (problemOfPeriod(period, clock.today())) throw new NotFound()
  return period
}

/**
 * M3: each person's hours out of cell a week at activities they attended over a period (people who attended
 * none are absent: theirs is nought), and the mean of the feedback scores they gave (people who gave none are
 * absent). Figures only, for the equality figures: the same hours as the time out of cell report's, but summed
 * in the database, a row a person, without the names and the planned hours the report shows beside them.
 */
export async function outcomesByPerson(deps: AttendanceDeps, establishmentCode: string, period: Period) {
  const { db } = deps
  const attendedHours = async () =>
    store.attendedHoursByPerson(db, establishmentCode, period, hoursOfEverySlot(await slotHours(db, establishmentCode)))
  const [attended, ratings] = await Promise.all([
    attendedHours(),
    store.feedbackTotalsByPerson(db, establishmentCode, period.from, period.to),
  ])
  const weeks = weeksIn(period.from, period.to)
  return {
    hoursOutOfCell: new Map(attended.map((row) => [row.personId, row.hours / weeks])),
    feedbackScore: new Map(ratings.map((row) => [row.personId, row.ratingTotal / row.ratings])),
  }
}

export function periodProblem({ clock }: AttendanceDeps, period: Period): Refusal | null {
  return problemOfPeriod(period, clock.today())
}

/**
 * R7: quality and impact per activity and provider, and time out of cell, over a period; the activities listed
 * are the chosen provider's (`provider`: 'prison', or a partner organisation's id), or as `activitiesListed` says.
 */
export async function viewReports(deps: AttendanceDeps, actor: Actor, period: Period, provider?: string) {
  const { db, audit } = deps
  checkedPeriod(deps, period)
  const [quality, time] = await Promise.all([
    buildQualityReport(deps, actor.establishmentCode, period),
    buildTimeOutOfCell(deps, actor.establishmentCode, period),
  ])
  // Of those who attended as little, those who were meant to go most first: at a large prison hundreds attend
  // nothing, and the first 20 of them by name said nothing of who missed the most.
  const fewest = [...time.rows]
    .sort(
      (a, b) =>
        a.attendedHoursPerWeek - b.attendedHoursPerWeek ||
        b.plannedHoursPerWeek - a.plannedHoursPerWeek ||
        a.lastName.localeCompare(b.lastName),
    )
    .slice(0, 20)
  // A provider with nothing recorded in the period (or an address made up) is no choice: the page lists as usual.
  const chosen = quality.providers.find(
    ({ providerOrganisationId }) => (providerOrganisationId ?? 'prison') === provider,
  )
  const listed = { ...activitiesListed(quality.activities, chosen ?? null), provider: chosen ?? null }
  await audit.record(db, actor, { action: 'attendance.reports-viewed', details: { ...period } })
  return { period, quality, listed, time: { ...time, rows: undefined, fewest } }
}

/** R7: the quality figures per activity as CSV. */
export async function activityReportCsv(deps: AttendanceDeps, actor: Actor, period: Period): Promise<string> {
  checkedPeriod(deps, period)
  const quality = await buildQualityReport(deps, actor.establishmentCode, period)
  await recordExport(deps, actor, period, { kind: 'activities' })
  return toCsv(
    [
      'activity_code',
      'activity',
      'category',
      'provider',
      ...attendanceOutcomes,
      'attendance_rate_percent',
      'refusal_rate_percent',
      'cancellation_rate_percent',
      'completed',
      'not_completed',
      'completion_rate_percent',
      'feedback_count',
      'mean_rating',
    ],
    quality.activities.map((row) => [
      row.activityCode,
      row.activityName,
      row.category,
      row.providerName ?? '',
      ...attendanceOutcomes.map((outcome) => row.figures.counts[outcome]),
      percentOrBlank(row.figures.attendanceRate),
      percentOrBlank(row.figures.refusalRate),
      percentOrBlank(row.figures.cancellationRate),
      row.figures.completed,
      row.figures.notCompleted,
      percentOrBlank(completionRate(row.figures.completed, row.figures.notCompleted)),
      row.figures.feedbackCount,
      row.figures.meanRating === null ? null : Math.round(row.figures.meanRating * 100) / 100,
    ]),
  )
}

/** R7: each person's planned and attended hours out of cell per week, as CSV. Audited: it names everyone. */
export async function timeOutOfCellCsv(deps: AttendanceDeps, actor: Actor, period: Period): Promise<string> {
  checkedPeriod(deps, period)
  const time = await buildTimeOutOfCell(deps, actor.establishmentCode, period)
  await recordExport(deps, actor, period, { kind: 'time-out-of-cell', people: time.people })
  return toCsv(
    ['prison_number', 'last_name', 'first_name', 'wing', 'cohort', 'planned_hours_per_week', 'attended_hours_per_week'],
    time.rows.map((row) => [
      row.prisonNumber,
      row.lastName,
      row.firstName,
      row.wingName ?? '',
      row.cohort,
      Math.round(row.plannedHoursPerWeek * 10) / 10,
      Math.round(row.attendedHoursPerWeek * 10) / 10,
    ]),
  )
}
