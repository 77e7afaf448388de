import { sql, type Insertable } from 'kysely'
import type { Db } from '../db/database.ts'
import type {
  CareMapActionTable,
  CarePlanFamilyEventTable,
  CarePlanObservationTable,
  CarePlanReviewTable,
  CarePlanTable,
  IsoDate,
  RiskLevel,
} from '../db/schema.ts'
import {
  closureChecks,
  defaultSettings,
  openingDeadlines,
  postClosureReviewDue,
  scheduleBetween,
  type Supervision,
} from '../areas/care-plans/rules.ts'
import { supervisionColumns } from '../areas/care-plans/store.ts'
import { demoEstablishments } from './estate.ts'
import { seededRandom, type Random } from './random.ts'
import { inBatches } from './batches.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const reasons = [
  'Found with a ligature in the cell; cut down and checked by healthcare.',
  'Told the listener they could not see a way forward after news from court.',
  'Cuts to the forearm found at unlock; said they did it overnight.',
  'Stopped eating and has not come out for exercise for three days.',
  'Family member died last week; said they had nothing left.',
  'Debt on the wing and afraid to leave the cell; talked of ending it.',
]
const sightings = [
  'Lying on the bed, awake, answered when spoken to.',
  'Watching television, looked up and waved.',
  'Sitting at the table writing a letter.',
  'Asleep, breathing seen.',
  'Pacing the cell, said they were fine.',
  'Talking with the listener at the door.',
  'Eating the evening meal.',
  'Reading, said the day had been better.',
]
const conversations = [
  'Talked about the phone call home; calmer afterwards.',
  'Spoke about the gym timetable; wants to go tomorrow.',
  'Said they slept badly; asked to see healthcare.',
  'Chatted about football for a few minutes.',
]
const actionTexts: [string, string][] = [
  ['Arrange a visit from the chaplaincy', 'Chaplaincy'],
  ['Mental health in-reach assessment', 'Healthcare'],
  ['Referral to the listener scheme', 'Safer custody'],
  ['Help to phone family', 'Wing staff'],
  ['Debt advice session', 'Citizens advice worker'],
  ['Move to a cell nearer the office', 'Wing manager'],
]

type Staff = { id: string; displayName: string; role: string; isAssessor: boolean; isCaseManager: boolean }

/**
 * Every plan's rows, gathered as the plans are drawn and written at the end a table at a time: a plan at a
 * time was five statements a plan (700 at the full estate). Each table still gets its rows in the order the
 * plans were drawn, so the order of entry (seq) is as it was.
 */
type PlanRows = {
  plans: Insertable<CarePlanTable>[]
  reviews: Insertable<CarePlanReviewTable>[]
  actions: Insertable<CareMapActionTable>[]
  observations: Insertable<CarePlanObservationTable>[]
  familyEvents: Insertable<CarePlanFamilyEventTable>[]
  /** The next plan's id, from the database's own gen_random_uuid as before (the id seeds its observation times). */
  nextId: () => Promise<string>
}

function planRows(trx: Db): PlanRows {
  const ids: string[] = []
  return {
    plans: [],
    reviews: [],
    actions: [],
    observations: [],
    familyEvents: [],
    nextId: async () => {
      if (ids.length === 0) {
        const { rows } = await sql<{ id: string }>`select gen_random_uuid() as id from generate_series(1, 64)`.execute(
          trx,
        )
        ids.push(...rows.map((row) => row.id))
      }
      return ids.shift()!
    },
  }
}

async function insertPlanRows(trx: Db, rows: PlanRows) {
  await inBatches(rows.plans, 500, (batch) => trx.insertInto('care_plan').values(batch).execute())
  await inBatches(rows.reviews, 500, (batch) => trx.insertInto('care_plan_review').values(batch).execute())
  await inBatches(rows.actions, 1000, (batch) => trx.insertInto('care_map_action').values(batch).execute())
  await inBatches(rows.observations, 2000, (batch) => trx.insertInto('care_plan_observation').values(batch).execute())
  await inBatches(rows.familyEvents, 1000, (batch) => trx.insertInto('care_plan_family_event').values(batch).execute())
}

/**
 * S3-S5 in the demo estate: about 2.5% of each prison on an open care plan, each with its immediate
 * action, assessment, case reviews, care map and observations over the days it has been open (a few
 * slots missed, one plan left overdue so the overdue list and the alerts have something to show), two
 * plans closed and awaiting their post-closure review and one closed for good at each prison. Observations
 * sit in the schedule's own irregular slots. Deterministic for a seed, a `now` and the plans' ids, which
 * seed their observation times (drawn by the database, so two builds differ there).
 */
export async function seedCarePlanDemo(trx: Db, options: { seed: number; today: IsoDate; now: Date }) {
  const random = seededRandom(options.seed * 48_611 + 6)
  const now = options.now
  const rows = planRows(trx)
  let opened = 0
  for (const establishment of demoEstablishments) {
    const code = establishment.code
    const people = await trx
      .selectFrom('person')
      .select(['id', 'reception_on'])
      .where('establishment_code', '=', code)
      .where('cell_id', 'is not', null)
      .orderBy('prison_number')
      .execute()
    const staff = await staffAt(trx, code, options.today)
    const officers = staff.filter((member) => member.role === 'officer' || member.role === 'keyworker')
    const caseManagers = staff.filter((member) => member.isCaseManager)
    const assessors = staff.filter((member) => member.isAssessor)
    if (people.length === 0 || officers.length === 0 || caseManagers.length === 0 || assessors.length === 0) continue
    const openCount = Math.max(1, Math.round(people.length * 0.025))
    // People spread across the roll, a fixed stride apart, so no wing holds them all.
    const stride = Math.max(1, Math.floor(people.length / (openCount + 3)))
    const chosen = Array.from({ length: openCount + 3 }, (_, n) => people[(n * stride + 7) % people.length].id)
    for (let n = 0; n < chosen.length; n++) {
      const kind = n < openCount ? 'open' : n < openCount + 2 ? 'post-closure' : 'closed'
      await seedPlan(rows, random, {
        personId: chosen[n],
        code,
        kind,
        // The second open plan at each prison has had no one look in since the morning.
        overdue: kind === 'open' && n === 1,
        // The first plan in its post-closure period is due its review today.
        postClosureDueToday: n === openCount,
        now,
        officers,
        caseManager: random.pick(caseManagers),
        assessor: random.pick(assessors),
      })
      opened += 1
    }
    // Nobody has two plans: those on a plan now are not drawn for one in the year before.
    const onPlans = new Set(chosen)
    opened += await seedPastPlans(rows, random, { code, people, onPlans, now, officers, caseManagers, assessors })
  }
  await insertPlanRows(trx, rows)
  return opened
}

/** Plans opened each month of the year before, per prison (a sample: Northgate opens many more in a year). */
const pastPlansAMonth: Record<string, number> = { NHI: 4, EWI: 3, BGI: 2 }

/**
 * M1: plans opened over the 11 months before this one, each closed after a few days and reviewed after
 * closure, for people who had arrived by then. A year ago about a third of assessments were late; lately
 * about one in ten, so the ACCT deadlines figure worked out for each month rises.
 */
async function seedPastPlans(
  rows: PlanRows,
  random: Random,
  options: {
    code: string
    people: { id: string; reception_on: IsoDate }[]
    onPlans: Set<string>
    now: Date
    officers: Staff[]
    caseManagers: Staff[]
    assessors: Staff[]
  },
) {
  const { code, now, people } = options
  const open = new Set(options.onPlans)
  let count = 0
  const perMonth = pastPlansAMonth[code] ?? 2
  for (let monthsAgo = 11; monthsAgo >= 1; monthsAgo--) {
    for (let n = 0; n < perMonth; n++) {
      const openedAt = new Date(
        now.getTime() - (monthsAgo * 30 + random.integer(0, 29)) * DAY - random.integer(1, 12) * HOUR,
      )
      const arrivedBy = openedAt.toISOString().slice(0, 10)
      const candidates = people.filter((person) => person.reception_on < arrivedBy && !open.has(person.id))
      if (candidates.length === 0) continue
      const person = random.pick(candidates)
      open.add(person.id)
      const lately = 1 - monthsAgo / 11
      await seedPlan(rows, random, {
        personId: person.id,
        code,
        kind: 'closed',
        overdue: false,
        postClosureDueToday: false,
        now,
        officers: options.officers,
        caseManager: random.pick(options.caseManagers),
        assessor: random.pick(options.assessors),
        past: {
          openedAt,
          closedAt: new Date(openedAt.getTime() + random.integer(4, 8) * DAY),
          lateness: 0.35 - 0.25 * lately,
        },
      })
      count += 1
    }
  }
  return count
}

async function staffAt(trx: Db, code: string, today: IsoDate): Promise<Staff[]> {
  const rows = await trx
    .selectFrom('staff_user as s')
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .select(['s.id', 's.display_name as displayName', 's.role'])
    .where('se.establishment_code', '=', code)
    .where('s.is_active', '=', true)
    .where('s.staff_status', '=', 'active')
    .orderBy('s.username')
    .execute()
  const trained = await trx
    .selectFrom('training_record')
    .select(['staff_user_id as staffUserId', 'course'])
    .where(
      'staff_user_id',
      'in',
      rows.map((row) => row.id),
    )
    .where('course', 'in', ['acct-assessor', 'acct-case-manager'])
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)]))
    .execute()
  const has = new Set(trained.map((row) => `${row.staffUserId}/${row.course}`))
  return rows.map((row) => ({
    id: row.id,
    displayName: row.displayName,
    role: row.role,
    isAssessor: has.has(`${row.id}/acct-assessor`),
    isCaseManager: has.has(`${row.id}/acct-case-manager`),
  }))
}

async function seedPlan(
  rows: PlanRows,
  random: Random,
  plan: {
    personId: string
    code: string
    kind: 'open' | 'post-closure' | 'closed'
    overdue: boolean
    postClosureDueToday: boolean
    now: Date
    officers: Staff[]
    caseManager: Staff
    assessor: Staff
    /** A plan of the year before, opened and closed then, late with its deadlines as often as `lateness`. */
    past?: { openedAt: Date; closedAt: Date; lateness: number }
  },
) {
  const { now, kind, past } = plan
  const daysAgo = kind === 'open' ? random.integer(1, 9) : kind === 'post-closure' ? random.integer(9, 14) : 30
  const openedAt = past?.openedAt ?? new Date(now.getTime() - daysAgo * DAY - random.integer(1, 10) * HOUR)
  const deadlines = openingDeadlines(openedAt, defaultSettings)
  const opener = random.pick(plan.officers)
  const immediateActionAt = new Date(
    openedAt.getTime() +
      (past && random.chance(past.lateness / 2) ? random.integer(65, 150) : random.integer(10, 55)) * 60_000,
  )
  // Most assessments and first reviews are on time; about one in six is late (more often a year ago).
  const late = random.chance(past?.lateness ?? 1 / 6)
  const assessmentAt = new Date(openedAt.getTime() + random.integer(late ? 25 : 4, late ? 30 : 20) * HOUR)
  const firstReviewAt = new Date(
    Math.max(assessmentAt.getTime() + HOUR, openedAt.getTime() + random.integer(18, 23) * HOUR),
  )
  const risk: RiskLevel = random.weighted([
    ['low', 3],
    ['raised', 4],
    ['high', 2],
  ] as const)
  // A past plan's observations at the lowest level: a year of them at every level would be a slow first start.
  const supervision = supervisionFor(past ? 'low' : risk)
  const closedAt = past
    ? past.closedAt
    : kind === 'post-closure'
      ? new Date(now.getTime() - (plan.postClosureDueToday ? 7 * DAY - 3 * HOUR : random.integer(1, 5) * DAY))
      : kind === 'closed'
        ? new Date(now.getTime() - 20 * DAY)
        : null
  const postClosureDueAt = closedAt ? postClosureReviewDue(closedAt, defaultSettings) : null

  // Reviews: the first, then every two to four days until now (or closure); the next one ahead.
  const reviewTimes: Date[] = [firstReviewAt]
  const until = closedAt ?? now
  for (;;) {
    const next = new Date(reviewTimes.at(-1)!.getTime() + random.integer(2, 4) * DAY)
    if (next.getTime() >= until.getTime()) break
    reviewTimes.push(next)
  }
  if (closedAt) reviewTimes.push(closedAt)
  const nextReviewDueAt = closedAt ? null : new Date(reviewTimes.at(-1)!.getTime() + random.integer(2, 4) * DAY)
  const lastReviewAt = reviewTimes.at(-1)!

  const carePlanId = await rows.nextId()
  rows.plans.push({
    id: carePlanId,
    person_id: plan.personId,
    establishment_code: plan.code,
    reason: random.pick(reasons),
    opened_at: openedAt,
    opened_by: opener.id,
    immediate_action_due_at: deadlines.immediateActionDueAt,
    assessment_due_at: deadlines.assessmentDueAt,
    first_review_due_at: deadlines.firstReviewDueAt,
    immediate_action_at: immediateActionAt,
    immediate_action_by: opener.id,
    immediate_action: 'Stayed with them until healthcare arrived; removed the ligature points; told the wing manager.',
    assessment_at: assessmentAt,
    assessor_id: plan.assessor.id,
    assessment_notes: 'Spoke openly; low mood since the event; agreed to see healthcare and to talk to staff.',
    next_review_due_at: nextReviewDueAt,
    case_manager_id: plan.caseManager.id,
    risk_level: closedAt ? 'low' : risk,
    ...supervisionColumns(closedAt ? supervisionFor('low') : supervision),
    supervision_set_at: lastReviewAt,
    triggers: 'Phone calls and letters from home; anniversaries.',
    warning_signs: 'Stays in the cell, stops eating, gives things away.',
    closure_expected: !closedAt && risk === 'low' && random.chance(0.5),
    closed_at: closedAt,
    post_closure_review_due_at: postClosureDueAt,
    post_closure_reviewed_at: kind === 'closed' ? postClosureDueAt : null,
  })

  rows.reviews.push(
    ...reviewTimes.map((heldAt, index) => ({
      care_plan_id: carePlanId,
      establishment_code: plan.code,
      kind:
        index === 0
          ? ('first' as const)
          : closedAt && index === reviewTimes.length - 1
            ? ('closure' as const)
            : ('scheduled' as const),
      held_at: heldAt,
      // Most reviews are held by the time set; a past plan's less often the longer ago it was.
      due_at:
        index === 0
          ? deadlines.firstReviewDueAt
          : random.chance(1 - (past?.lateness ?? 0.15))
            ? new Date(heldAt.getTime() + random.integer(0, 3) * HOUR)
            : new Date(heldAt.getTime() - random.integer(1, 3) * HOUR),
      chaired_by: plan.caseManager.id,
      case_manager_id: plan.caseManager.id,
      risk_level: closedAt && index === reviewTimes.length - 1 ? ('low' as const) : risk,
      ...supervisionColumns(supervision),
      triggers: 'Phone calls and letters from home; anniversaries.',
      warning_signs: 'Stays in the cell, stops eating, gives things away.',
      notes:
        index === 0
          ? 'Agreed the care map with the person.'
          : 'Reviewed the care map; the person says things are a little easier.',
      next_review_due_at: reviewTimes[index + 1] ?? nextReviewDueAt,
      attendees: JSON.stringify([
        { kind: 'case-manager', name: plan.caseManager.displayName },
        { kind: 'person', name: '' },
        { kind: 'wing-staff', name: 'Wing officer' },
        // Healthcare at the first review and at closure, as ACCT asks, and at every other review between.
        ...(index % 2 === 0 || (closedAt && index === reviewTimes.length - 1)
          ? [{ kind: 'healthcare', name: 'Healthcare in-reach nurse' }]
          : []),
      ]),
      ...(closedAt && index === reviewTimes.length - 1
        ? {
            person_view: 'Feels able to cope now; knows to ask the wing or a Listener if things get worse.',
            closure_checklist: JSON.stringify(closureChecks.map((check) => ({ check, met: true, reason: '' }))),
          }
        : {}),
      recorded_by: plan.caseManager.id,
      recorded_at: heldAt,
    })),
    ...(kind === 'closed'
      ? [
          {
            care_plan_id: carePlanId,
            establishment_code: plan.code,
            kind: 'post-closure' as const,
            held_at: postClosureDueAt!,
            due_at: postClosureDueAt,
            chaired_by: plan.caseManager.id,
            case_manager_id: plan.caseManager.id,
            notes: 'Settled; no concerns from the wing.',
            attendees: JSON.stringify([{ kind: 'person', name: '' }]),
            recorded_by: plan.caseManager.id,
            recorded_at: postClosureDueAt!,
          },
        ]
      : []),
  )

  const [first, second] = [random.pick(actionTexts), random.pick(actionTexts)]
  rows.actions.push(
    ...[first, second].map(([description, owner], index) => ({
      care_plan_id: carePlanId,
      description,
      owner,
      due_on: new Date(firstReviewAt.getTime() + (index + 2) * DAY).toISOString().slice(0, 10),
      completed_at: index === 0 || closedAt ? new Date(firstReviewAt.getTime() + DAY) : null,
      completed_by: index === 0 || closedAt ? plan.caseManager.id : null,
      created_at: firstReviewAt,
      created_by: plan.caseManager.id,
    })),
  )

  // Observations in the schedule's own slots, from the immediate action until closure or now.
  const observedUntil = closedAt ?? (plan.overdue ? new Date(now.getTime() - 5 * HOUR) : now)
  const slots = scheduleBetween(
    carePlanId,
    { ...supervision, setAt: immediateActionAt, riskLevel: past ? 'low' : risk },
    defaultSettings,
    immediateActionAt,
    observedUntil,
  )
  rows.observations.push(
    ...slots
      .filter((slot) => slot.suggestedAt.getTime() < observedUntil.getTime())
      // About one slot in twenty-five is missed, then seen late.
      .filter(() => !random.chance(0.04))
      .map((slot) => {
        const talked = random.chance(0.3)
        const observedAt = new Date(slot.suggestedAt.getTime() + random.integer(-5, 10) * 60_000)
        const at = observedAt.getTime() < slot.startsAt.getTime() ? slot.startsAt : observedAt
        return {
          care_plan_id: carePlanId,
          establishment_code: plan.code,
          observed_at: at,
          seen: talked ? random.pick(conversations) : random.pick(sightings),
          was_conversation: talked,
          recorded_by: random.pick(plan.officers).id,
          // Most written within a quarter of an hour; one in sixteen later, and marked late.
          recorded_at: new Date(at.getTime() + random.integer(1, 16) * 60_000),
        }
      }),
  )

  if (random.chance(0.4)) {
    rows.familyEvents.push(
      {
        care_plan_id: carePlanId,
        kind: 'consent-given',
        family_member: 'Mother',
        occurred_at: new Date(assessmentAt.getTime() + HOUR),
        notes: 'Happy for the family to be told and to come to a review.',
        recorded_by: plan.caseManager.id,
        recorded_at: new Date(assessmentAt.getTime() + HOUR),
      },
      {
        care_plan_id: carePlanId,
        kind: 'contact',
        family_member: 'Mother',
        occurred_at: new Date(firstReviewAt.getTime() + 2 * HOUR),
        notes: 'Phoned to explain the plan; will visit at the weekend.',
        recorded_by: plan.caseManager.id,
        recorded_at: new Date(firstReviewAt.getTime() + 2 * HOUR),
      },
    )
  }
}

function supervisionFor(risk: RiskLevel): Supervision {
  // Above each level's floor, so that the suggested times vary (at the floor they fall evenly).
  if (risk === 'high')
    return { observationsPerDay: 16, observationsPerNight: 14, conversationsPerDay: 3, conversationsPerNight: 1 }
  if (risk === 'raised')
    return { observationsPerDay: 8, observationsPerNight: 5, conversationsPerDay: 2, conversationsPerNight: 0 }
  return { observationsPerDay: 4, observationsPerNight: 2, conversationsPerDay: 1, conversationsPerNight: 0 }
}
