import { sql, type Updateable } from 'kysely'
import type { Db } from '../../../db/database.ts'
import { personNameColumns, staffNameOf } from '../../../db/summaries.ts'
import type { CarePlanTable, ImmediateReviewReason, RiskLevel } from '../../../db/schema.ts'
import type { Supervision } from '../rules.ts'

/**
 * What a plan's stage, deadlines and supervision are worked out from (`stateOf`, `scheduleOf`): the whole plan
 * reads them, and so do the lists and the dashboard, which read little else.
 */
const stageColumns = [
  'cp.immediate_action_due_at as immediateActionDueAt',
  'cp.immediate_action_at as immediateActionAt',
  'cp.assessment_due_at as assessmentDueAt',
  'cp.assessment_at as assessmentAt',
  'cp.first_review_due_at as firstReviewDueAt',
  'cp.next_review_due_at as nextReviewDueAt',
  'cp.case_manager_id as caseManagerId',
  'cp.risk_level as riskLevel',
  'cp.observations_per_day as observationsPerDay',
  'cp.observations_per_night as observationsPerNight',
  'cp.conversations_per_day as conversationsPerDay',
  'cp.conversations_per_night as conversationsPerNight',
  'cp.supervision_set_at as supervisionSetAt',
  'cp.closure_expected as closureExpected',
  'cp.closed_at as closedAt',
  'cp.post_closure_review_due_at as postClosureReviewDueAt',
  'cp.post_closure_reviewed_at as postClosureReviewedAt',
  'cp.constant_officer_id as constantOfficerId',
] as const

function plans(db: Db) {
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person_summary as p', 'p.id', 'cp.person_id')
    .select((eb) => [
      'cp.id',
      'cp.person_id as personId',
      'cp.establishment_code as establishmentCode',
      'cp.concern_id as concernId',
      'cp.reason',
      'cp.opened_at as openedAt',
      'cp.opened_by as openedBy',
      staffNameOf(eb, 'cp.opened_by').$notNull().as('openedByName'),
      ...stageColumns,
      'cp.immediate_action as immediateAction',
      staffNameOf(eb, 'cp.immediate_action_by').as('immediateActionByName'),
      'cp.assessor_id as assessorId',
      staffNameOf(eb, 'cp.assessor_id').as('assessorName'),
      'cp.assessment_notes as assessmentNotes',
      staffNameOf(eb, 'cp.case_manager_id').as('caseManagerName'),
      'cp.triggers',
      'cp.warning_signs as warningSigns',
      'cp.immediate_review_requested_at as immediateReviewRequestedAt',
      'cp.immediate_review_reason as immediateReviewReason',
      'cp.received_at as receivedAt',
      'cp.clock_started_at as clockStartedAt',
      staffNameOf(eb, 'cp.constant_officer_id').as('constantOfficerName'),
      'cp.pre_release_reviewed_at as preReleaseReviewedAt',
      'cp.ended_reason as endedReason',
      ...personNameColumns,
      'p.establishment_code as personEstablishmentCode',
    ])
}

export type PlanRow = Awaited<ReturnType<typeof findPlan>> & {}

/** A plan as the lists and the dashboard read it (`plansInProgressAt`). */
export type PlanInProgress = Awaited<ReturnType<typeof plansInProgressAt>>[number]

export async function findPlan(db: Db, id: string) {
  return plans(db).where('cp.id', '=', id).executeTakeFirst()
}

/** Locks the plan row for the rest of the caller's transaction, so two steps never cross. */
export async function lockPlan(db: Db, id: string) {
  await db.selectFrom('care_plan').select('id').where('id', '=', id).forUpdate().execute()
  return findPlan(db, id)
}

/** Every plan of a person, newest first. */
export async function plansOfPerson(db: Db, personId: string) {
  return plans(db).where('cp.person_id', '=', personId).orderBy('cp.opened_at', 'desc').execute()
}

/** The person's plan in progress (open, or closed and awaiting its post-closure review). */
export async function currentPlanOf(db: Db, personId: string) {
  return plans(db)
    .where('cp.person_id', '=', personId)
    .where('cp.post_closure_reviewed_at', 'is', null)
    .executeTakeFirst()
}

/** A plan's stage, deadlines and supervision with the person's name: what the lists, the dashboard and the sweep read. */
function plansByStage(db: Db) {
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person_summary as p', 'p.id', 'cp.person_id')
    .select([
      'cp.id',
      'cp.person_id as personId',
      'cp.establishment_code as establishmentCode',
      ...stageColumns,
      ...personNameColumns,
    ])
}

/**
 * Plans in progress at these establishments, with the person's name, in name order: one query for a group's
 * prisons side by side as for one prison. Only what the lists and the dashboard read of a plan (its stage,
 * deadlines, supervision and case manager): every plan in progress is read on each of those pages, and the
 * rest of a plan (its notes, and the names of those who took each step) was a third of its columns to send.
 */
export async function plansInProgressAt(db: Db, establishmentCodes: readonly string[]) {
  if (establishmentCodes.length === 0) return []
  return plansByStage(db)
    .select((eb) => staffNameOf(eb, 'cp.case_manager_id').as('caseManagerName'))
    .where('cp.establishment_code', 'in', [...establishmentCodes])
    .where('cp.post_closure_reviewed_at', 'is', null)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .execute()
}

/**
 * Open plans everywhere whose supervision is set, for the overdue observation sweep, which every process runs each
 * minute: their stage and supervision, and the person's name for the alert, not the whole plan.
 */
export async function supervisedPlansEverywhere(db: Db) {
  return plansByStage(db).where('cp.closed_at', 'is', null).where('cp.supervision_set_at', 'is not', null).execute()
}

export async function insertPlan(
  db: Db,
  values: {
    personId: string
    establishmentCode: string
    concernId: string | null
    reason: string
    openedAt: Date
    openedBy: string
    clockStartedAt: Date | null
    immediateActionDueAt: Date
    assessmentDueAt: Date
    firstReviewDueAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('care_plan')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      concern_id: values.concernId,
      reason: values.reason,
      opened_at: values.openedAt,
      opened_by: values.openedBy,
      clock_started_at: values.clockStartedAt,
      immediate_action_due_at: values.immediateActionDueAt,
      assessment_due_at: values.assessmentDueAt,
      first_review_due_at: values.firstReviewDueAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Sets these columns of one plan: how each step of a plan below is recorded on it. */
async function changePlan(db: Db, id: string, columns: Updateable<CarePlanTable>) {
  await db.updateTable('care_plan').set(columns).where('id', '=', id).execute()
}

export async function recordImmediateAction(
  db: Db,
  id: string,
  values: { at: Date; by: string; text: string; supervision: Supervision; constantOfficerId: string | null },
) {
  await changePlan(db, id, {
    immediate_action_at: values.at,
    immediate_action_by: values.by,
    immediate_action: values.text,
    ...supervisionColumns(values.supervision),
    supervision_set_at: values.at,
    constant_officer_id: values.constantOfficerId,
  })
}

/** A supervision level as the plan's (and a case review's) columns hold it. */
export function supervisionColumns(supervision: Supervision) {
  return {
    observations_per_day: supervision.observationsPerDay,
    observations_per_night: supervision.observationsPerNight,
    conversations_per_day: supervision.conversationsPerDay,
    conversations_per_night: supervision.conversationsPerNight,
  }
}

export async function recordAssessment(db: Db, id: string, values: { at: Date; assessorId: string; notes: string }) {
  await changePlan(db, id, { assessment_at: values.at, assessor_id: values.assessorId, assessment_notes: values.notes })
}

/** What a case review sets on the plan: who manages it, the risk and supervision, and when it is next reviewed. */
export async function applyReview(
  db: Db,
  id: string,
  values: {
    caseManagerId: string
    riskLevel: RiskLevel
    supervision: Supervision
    supervisionSetAt: Date
    constantOfficerId: string | null
    triggers: string
    warningSigns: string
    nextReviewDueAt: Date | null
    closureExpected: boolean
    closedAt: Date | null
    postClosureReviewDueAt: Date | null
  },
) {
  await changePlan(db, id, {
    case_manager_id: values.caseManagerId,
    risk_level: values.riskLevel,
    ...supervisionColumns(values.supervision),
    supervision_set_at: values.supervisionSetAt,
    constant_officer_id: values.constantOfficerId,
    triggers: values.triggers,
    warning_signs: values.warningSigns,
    next_review_due_at: values.nextReviewDueAt,
    closure_expected: values.closureExpected,
    immediate_review_requested_at: null,
    immediate_review_reason: null,
    closed_at: values.closedAt,
    post_closure_review_due_at: values.postClosureReviewDueAt,
  })
}

export async function markPostClosureReviewed(db: Db, id: string, at: Date) {
  await changePlan(db, id, { post_closure_reviewed_at: at })
}

/** A trigger demands a review now; a plan in its post-closure period is reopened by it. */
export async function requestImmediateReview(db: Db, id: string, at: Date, reason: ImmediateReviewReason) {
  await changePlan(db, id, {
    immediate_review_requested_at: at,
    immediate_review_reason: reason,
    next_review_due_at: at,
    closed_at: null,
    post_closure_review_due_at: null,
  })
}

/** J3: the plan continues at the receiving prison, its next case review due soon after arrival. */
export async function moveToEstablishment(
  db: Db,
  id: string,
  values: { establishmentCode: string; receivedAt: Date; nextReviewDueAt: Date | null },
) {
  await changePlan(db, id, {
    establishment_code: values.establishmentCode,
    received_at: values.receivedAt,
    next_review_due_at: values.nextReviewDueAt,
  })
}

export async function markPreReleaseReviewed(db: Db, id: string, at: Date) {
  await changePlan(db, id, { pre_release_reviewed_at: at })
}

/**
 * The person has left custody: the plan closes (if still open) and is finished there and then, with no
 * post-closure review to wait for and no observation to alarm about.
 */
export async function endOnLeaving(db: Db, id: string, at: Date, reason: 'release' | 'death') {
  await db
    .updateTable('care_plan')
    .set((eb) => ({
      closed_at: eb.fn.coalesce('closed_at', sql<Date>`${at}`),
      post_closure_review_due_at: eb.fn.coalesce('post_closure_review_due_at', sql<Date>`${at}`),
      post_closure_reviewed_at: at,
      ended_reason: reason,
      constant_officer_id: null,
      immediate_review_requested_at: null,
      immediate_review_reason: null,
    }))
    .where('id', '=', id)
    .execute()
}
