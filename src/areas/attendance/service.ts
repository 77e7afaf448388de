import type { Db } from '../../db/database.ts'
import type { IsoDate, SlotCode } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  attendanceFigures,
  attendanceOutcomes,
  completionRate,
  dayOf,
  emptyCounts,
  isIsoDate,
  mean,
  percentOrBlank,
  periodProblem,
  qualityReport,
  registerProblems,
  sessionDateProblem,
  slotHoursOf,
  timeOutOfCell,
  withTheRestAttended,
  type Period,
  type RegisterEntry,
  type Refusal,
} from './rules.ts'
import * as store from './store.ts'
import { toCsv } from '../../platform/csv.ts'

export type AttendanceService = ReturnType<typeof createAttendanceService>

export type CompletionInput = {
  activityId: string
  outcome: 'completed' | 'not-completed'
  reason: string
  finishedOn: IsoDate
}
export type FeedbackInput = { activityId: string; rating: number; comment: string; givenOn: IsoDate }

const parts = ['AM', 'PM', 'ED'] as const

export function createAttendanceService({
  db,
  clock,
  audit,
  people,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
}) {
  /** The group and slot of a session at the user's prison; anything else is a 404. */
  async function sessionOrThrow(actor: Actor, groupId: string, sessionOn: IsoDate, slot: SlotCode) {
    if (!isIsoDate(sessionOn)) throw new NotFound()
    const group = await store.findGroup(db, actor.establishmentCode, groupId)
    if (!group || !group.slots.includes(slot)) throw new NotFound()
    const problem = sessionDateProblem(slot, sessionOn, '9999-12-31')
    if (problem) throw new NotFound()
    return group
  }

  /** Everyone on the register: those allocated that day, and anyone already recorded who has moved since. */
  async function registerOf(conn: Db, groupId: string, sessionOn: IsoDate, slot: SlotCode) {
    const members = await store.membersOn(conn, groupId, sessionOn)
    const recordedPeople = await store.peopleRecordedAt(conn, groupId, sessionOn, slot)
    const records = await store.sessionRecords(conn, groupId, sessionOn, slot)
    const seen = new Set(members.map((member) => member.personId))
    const everyone = [...members, ...recordedPeople.filter((person) => !seen.has(person.personId))]
    const byPerson = new Map(records.map((record) => [record.personId, record]))
    return everyone.map((person) => ({
      ...person,
      outcome: byPerson.get(person.personId)?.outcome ?? null,
      reason: byPerson.get(person.personId)?.reason ?? '',
    }))
  }

  async function activityOrRefusal(actor: Actor, activityId: string): Promise<Refusal | null> {
    const activity = /^[0-9a-f-]{36}$/.test(activityId)
      ? await store.findActivity(db, actor.establishmentCode, activityId)
      : undefined
    return activity ? null : { field: 'activityId', messageKey: 'attendance.person.error.activity', values: {} }
  }

  async function buildQualityReport(establishmentCode: string, period: Period) {
    const [activities, outcomes, completions, ratings] = await Promise.all([
      store.activitiesAt(db, establishmentCode),
      store.outcomeCountsByActivity(db, establishmentCode, period.from, period.to),
      store.completionCountsByActivity(db, establishmentCode, period.from, period.to),
      store.feedbackRatingsByActivity(db, establishmentCode, period.from, period.to),
    ])
    return qualityReport(activities, outcomes, completions, ratings)
  }

  async function buildTimeOutOfCell(establishmentCode: string, period: Period) {
    const [everyone, allocations, attended, timed] = await Promise.all([
      store.peopleAt(db, establishmentCode, period.to),
      store.allocationsOverlapping(db, establishmentCode, period.from, period.to),
      store.attendedSlots(db, establishmentCode, period.from, period.to),
      store.slotHours(db, establishmentCode),
    ])
    return timeOutOfCell(everyone, allocations, attended, timed, period)
  }

  function checkedPeriod(period: Period): Period {
    if (periodProblem(period, clock.today())) throw new NotFound()
    return period
  }

  return {
    /** For scenarios: how long each of a prison's slots lasts, in hours (a slot it has not timed: the usual length). */
    async slotHoursFor(establishmentCode: string): Promise<(slot: SlotCode) => number> {
      const timed = await store.slotHours(db, establishmentCode)
      return (slot) => slotHoursOf(slot, timed)
    },

    /** Today at the prison, for forms that start from it. */
    today(): IsoDate {
      return clock.today()
    },

    /** The sessions of a day at the user's prison, by part of the day, with how many are recorded. */
    async sessionsOn(actor: Actor, sessionOn: IsoDate) {
      const day = dayOf(sessionOn)
      const slots = parts.map((part) => `${day}_${part}`)
      const groups = await store.groupsMeetingIn(db, actor.establishmentCode, slots)
      const ids = groups.map((group) => group.groupId)
      const [members, recorded] = await Promise.all([
        store.memberCounts(db, ids, sessionOn),
        store.recordedCounts(db, ids, sessionOn),
      ])
      const today = clock.today()
      return {
        sessionOn,
        canRecord: sessionOn <= today,
        parts: slots.map((slot) => ({
          slot,
          sessions: groups
            .filter((group) => group.slots.includes(slot))
            .map((group) => ({
              ...group,
              slot,
              members: members.get(group.groupId) ?? 0,
              recorded: recorded.get(`${group.groupId}/${slot}`) ?? 0,
            })),
        })),
      }
    },

    /** A session's register as it stands. Audited: it lists people by name. */
    async viewRegister(actor: Actor, groupId: string, sessionOn: IsoDate, slot: SlotCode) {
      const group = await sessionOrThrow(actor, groupId, sessionOn, slot)
      const register = await registerOf(db, groupId, sessionOn, slot)
      await audit.record(db, actor, {
        action: 'attendance.register-viewed',
        details: { groupId, sessionOn, slot, people: register.length },
      })
      return { group, sessionOn, slot, register, canRecord: sessionOn <= clock.today() }
    },

    /**
     * R7: records a whole session's register in one go. Any problem (a missing reason, a reason without an
     * outcome) comes back naming the person, and nothing is saved until the whole register is right.
     */
    async recordSession(
      actor: Actor,
      groupId: string,
      sessionOn: IsoDate,
      slot: SlotCode,
      given: readonly RegisterEntry[],
      options: { theRestAttended?: boolean } = {},
    ): Promise<Refusal[]> {
      await sessionOrThrow(actor, groupId, sessionOn, slot)
      const dateProblem = sessionDateProblem(slot, sessionOn, clock.today())
      if (dateProblem) return [dateProblem]
      return db.transaction().execute(async (trx) => {
        const register = await registerOf(trx, groupId, sessionOn, slot)
        const members = register.map((person) => ({
          personId: person.personId,
          name: `${person.firstName} ${person.lastName}`,
        }))
        const entries = options.theRestAttended
          ? withTheRestAttended(
              register.map((person) => ({ personId: person.personId, isRecorded: person.outcome !== null })),
              given,
            )
          : given
        const problems = registerProblems(members, entries)
        if (problems.length > 0) return problems
        const onRegister = new Set(members.map((member) => member.personId))
        const now = clock.now()
        const rows = entries
          .filter((entry) => entry.outcome !== null && onRegister.has(entry.personId))
          .map((entry) => ({
            groupId,
            sessionOn,
            slot,
            personId: entry.personId,
            outcome: entry.outcome!,
            reason: entry.reason,
            recordedAt: now,
            recordedBy: actor.id,
          }))
        await store.saveAttendance(trx, rows)
        const counts = emptyCounts()
        for (const row of rows) counts[row.outcome] += 1
        await audit.record(trx, actor, {
          action: 'attendance.recorded',
          details: { groupId, sessionOn, slot, people: rows.length, attended: counts.attended },
        })
        return []
      })
    },

    /** A person's activities: where they are placed, how they attend, how it ended and what they thought. Audited. */
    async viewPersonActivities(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const [allocations, counts, recent, completions, feedback] = await Promise.all([
        store.allocationsOf(db, person.id),
        store.outcomeCountsOf(db, person.id),
        store.recentAttendanceOf(db, person.id, 20),
        store.completionsOf(db, person.id),
        store.feedbackOf(db, person.id),
      ])
      const today = clock.today()
      const activityIds = [...new Set(allocations.map((allocation) => allocation.activityId))]
      const activities = activityIds.map((activityId) => {
        const placements = allocations.filter((allocation) => allocation.activityId === activityId)
        const tally = emptyCounts()
        for (const row of counts) if (row.activityId === activityId) tally[row.outcome] += Number(row.count)
        const ratings = feedback.filter((entry) => entry.activityId === activityId).map((entry) => entry.rating)
        return {
          activityId,
          activityName: placements[0].activityName,
          providerName: placements[0].providerName,
          isCurrent: placements.some((placement) => placement.endsOn === null || placement.endsOn >= today),
          since: placements.at(-1)!.startsOn,
          figures: attendanceFigures(tally),
          completion: completions.find((completion) => completion.activityId === activityId) ?? null,
          meanRating: mean(ratings),
        }
      })
      await audit.record(db, actor, {
        action: 'person-activities.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return { person, activities, recent, completions, feedback }
    },

    /** R7: how a person's time on an activity ended. A refusal writes nothing. */
    async recordCompletion(actor: Actor, prisonNumber: string, input: CompletionInput): Promise<Refusal[]> {
      const person = await people.personHeader(actor, prisonNumber)
      const problems: Refusal[] = []
      const activityProblem = await activityOrRefusal(actor, input.activityId)
      if (activityProblem) problems.push(activityProblem)
      if (input.finishedOn > clock.today())
        problems.push({ field: 'finishedOn', messageKey: 'attendance.completion.error.future', values: {} })
      if (input.outcome === 'not-completed' && input.reason === '')
        problems.push({ field: 'reason', messageKey: 'attendance.completion.error.reason', values: {} })
      if (problems.length > 0) return problems
      await db.transaction().execute(async (trx) => {
        await store.insertCompletion(trx, {
          personId: person.id,
          ...input,
          recordedAt: clock.now(),
          recordedBy: actor.id,
        })
        await audit.record(trx, actor, {
          action: 'activity-completion.recorded',
          personId: person.id,
          details: { activityId: input.activityId, outcome: input.outcome },
        })
      })
      return []
    },

    /** R7: the person's own rating and words about an activity, recorded by staff for them. */
    async recordFeedback(actor: Actor, prisonNumber: string, input: FeedbackInput): Promise<Refusal[]> {
      const person = await people.personHeader(actor, prisonNumber)
      // C1: a person in custody gives feedback for themselves only.
      if (actor.person && actor.person.id !== person.id) throw new NotFound()
      const problems: Refusal[] = []
      const activityProblem = await activityOrRefusal(actor, input.activityId)
      if (activityProblem) problems.push(activityProblem)
      if (input.givenOn > clock.today())
        problems.push({ field: 'givenOn', messageKey: 'attendance.feedback.error.future', values: {} })
      if (problems.length > 0) return problems
      await db.transaction().execute(async (trx) => {
        await store.insertFeedback(trx, {
          personId: person.id,
          ...input,
          recordedAt: clock.now(),
          recordedBy: actor.person ? null : actor.id,
          givenByPersonAccountId: actor.person ? actor.id : null,
        })
        await audit.record(trx, actor, {
          action: 'activity-feedback.recorded',
          personId: person.id,
          details: { activityId: input.activityId, rating: input.rating },
        })
      })
      return []
    },

    /**
     * M3: each person's hours out of cell a week at activities they attended over a period, and the mean of the
     * feedback scores they gave (people who gave none are absent). Figures only, for the equality figures.
     */
    async outcomesByPerson(establishmentCode: string, period: Period) {
      const [time, ratings] = await Promise.all([
        buildTimeOutOfCell(establishmentCode, period),
        store.feedbackRatingsByPerson(db, establishmentCode, period.from, period.to),
      ])
      const given = new Map<string, number[]>()
      for (const row of ratings) given.set(row.personId, [...(given.get(row.personId) ?? []), row.rating])
      return {
        hoursOutOfCell: new Map(time.rows.map((row) => [row.personId, row.attendedHoursPerWeek])),
        feedbackScore: new Map([...given].map(([personId, values]) => [personId, mean(values) ?? 0])),
      }
    },

    periodProblem(period: Period): Refusal | null {
      return periodProblem(period, clock.today())
    },

    /** R7: quality and impact per activity and provider, and time out of cell, over a period. */
    async viewReports(actor: Actor, period: Period) {
      checkedPeriod(period)
      const [quality, time] = await Promise.all([
        buildQualityReport(actor.establishmentCode, period),
        buildTimeOutOfCell(actor.establishmentCode, period),
      ])
      const fewest = [...time.rows]
        .sort((a, b) => a.attendedHoursPerWeek - b.attendedHoursPerWeek || a.lastName.localeCompare(b.lastName))
        .slice(0, 20)
      await audit.record(db, actor, { action: 'attendance.reports-viewed', details: { ...period } })
      return { period, quality, time: { ...time, rows: undefined, fewest } }
    },

    /** R7: the quality figures per activity as CSV. */
    async activityReportCsv(actor: Actor, period: Period): Promise<string> {
      checkedPeriod(period)
      const quality = await buildQualityReport(actor.establishmentCode, period)
      await audit.record(db, actor, {
        action: 'attendance.report-exported',
        details: { ...period, kind: 'activities' },
      })
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
    },

    /** R7: each person's planned and attended hours out of cell per week, as CSV. Audited: it names everyone. */
    async timeOutOfCellCsv(actor: Actor, period: Period): Promise<string> {
      checkedPeriod(period)
      const time = await buildTimeOutOfCell(actor.establishmentCode, period)
      await audit.record(db, actor, {
        action: 'attendance.report-exported',
        details: { ...period, kind: 'time-out-of-cell', people: time.people },
      })
      return toCsv(
        [
          'prison_number',
          'last_name',
          'first_name',
          'wing',
          'cohort',
          'planned_hours_per_week',
          'attended_hours_per_week',
        ],
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
    },
  }
}
