/**
 * M1: each measure's figure at a prison, worked out from the areas' services and kept as the month's: for the
 * dashboard's use cases (targets.ts) and the sweep the job worker runs. Not use cases themselves.
 */
import type { TrainingCourse } from '../../db/schema.ts'
import { addDays, londonTime } from '../../platform/dates.ts'
import type { Actor } from '../../platform/permissions.ts'
import { TIME_OUT_OF_CELL_DAYS } from '../attendance/rules.ts'
import { qualifications } from '../staff/rules.ts'
import type { MeasuresDeps } from './deps.ts'
import { measures, monthOf, oneDecimal, percent, type MeasureKey } from './rules.ts'
import * as store from './store.ts'

/** Each measure's figure at the user's prison today, from the areas' services (each audits its own read). */
async function liveFigures(deps: MeasuresDeps, actor: Actor): Promise<Record<MeasureKey, number | null>> {
  const { clock, staff, peerSupporters, keywork, attendance, regime, carePlans } = deps
  const here: Actor = { ...actor, establishmentCodes: [actor.establishmentCode] }
  const today = clock.today()
  const lastFourWeeks = { from: addDays(today, -(TIME_OUT_OF_CELL_DAYS - 1)), to: today }
  const [supporters, staffList, courses, statistics, meetings, reports, needs, deadlines] = await Promise.all([
    peerSupporters.viewPeerSupporters(here),
    staff.viewStaffList(here, {}),
    staff.currentCoursesAt(here),
    keywork.statistics(here, 28),
    keywork.progressMeetings(here),
    attendance.viewReports(here, lastFourWeeks),
    regime.needsAnalysis(here),
    // ACCT deadlines over the last 30 days (a month's plans are too few at a small prison to read alone).
    carePlans.deadlinesMet(here, londonTime(addDays(`${monthOf(today)}-01`, -30), 0), clock.now()),
  ])
  // ACCT training: current as an assessor or a case manager, as the staff list's filter reads it.
  const holding = (any: readonly TrainingCourse[]) =>
    courses.filter((held) => held.some((course) => any.includes(course))).length
  const acct = deadlines[0]
  const acctShares = acct ? [acct.immediateAction, acct.assessment, acct.firstReview, acct.reviewsOnTime] : []
  const needPeople = needs.gaps.reduce((sum, gap) => sum + gap.people, 0)
  const needShortfall = needs.gaps.reduce((sum, gap) => sum + gap.shortfall, 0)
  return {
    'peer-supporters': oneDecimal(supporters.perHundred),
    'training-mental-health-first-aid': percent(staffList.currentByCourse['mental-health-first-aid'], staffList.total),
    'training-trauma-informed': percent(staffList.currentByCourse['trauma-informed'], staffList.total),
    'training-acct': percent(holding(qualifications.acct), courses.length),
    'health-and-social-care': percent(holding(qualifications['health-and-social-care']), courses.length),
    supervision: percent(staffList.total - staffList.supervisionOverdueTotal, staffList.total),
    'key-work': percent(statistics.prison.heldWhenDue, statistics.prison.due),
    'progress-meetings': percent(meetings.heldWhenDue, meetings.due),
    'first-contact': oneDecimal(statistics.prison.averageDaysToFirstSession),
    'time-out-of-cell': oneDecimal(reports.time.meanAttended),
    'needs-met': percent(needPeople - needShortfall, needPeople),
    'acct-deadlines': percent(
      acctShares.reduce((sum, share) => sum + share.met, 0),
      acctShares.reduce((sum, share) => sum + share.of, 0),
    ),
  }
}

/** Works out a prison's figures now and keeps them as this month's. */
export async function workOut(deps: MeasuresDeps, actor: Actor) {
  const { db, clock } = deps
  const figures = await liveFigures(deps, actor)
  await store.saveSnapshots(
    db,
    actor.establishmentCode,
    monthOf(clock.today()),
    measures.map((measure) => ({ measure: measure.code, value: figures[measure.code] })),
    clock.now(),
  )
}

/**
 * M1: each prison's figures worked out once in a while, so the dashboard reads a small table rather than
 * every area's records on each view. Running it twice in a period only works the figures out again.
 */
export function figuresSweep(deps: MeasuresDeps) {
  const { db, clock } = deps
  return {
    name: 'measures.work-out-figures',
    everySeconds: 6 * 3600,
    run: async (now: Date): Promise<void> => {
      for (const prison of await store.allEstablishments(db)) {
        const at = await store.workedOutAt(db, prison.code, monthOf(clock.today()))
        if (at && now.getTime() - at.getTime() < 6 * 3600 * 1000) continue
        // The areas' reads audit who asked: here nobody did, so the trail shows the system, with no user.
        const system = {
          id: null,
          username: 'system',
          displayName: 'System',
          role: 'admin',
          establishmentCode: prison.code,
          establishmentCodes: [prison.code],
        } as unknown as Actor
        await workOut(deps, system)
      }
    },
  }
}
