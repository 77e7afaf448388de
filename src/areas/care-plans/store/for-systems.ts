import type { Db } from '../../../db/database.ts'
import { onRollAt } from '../../../db/summaries.ts'

const planColumns = [
  'cp.id',
  'p.prison_number as prisonNumber',
  'cp.establishment_code as establishmentCode',
  'cp.opened_at as openedAt',
  'cp.closed_at as closedAt',
  'cp.post_closure_reviewed_at as postClosureReviewedAt',
  'cp.ended_reason as endedReason',
] as const

function plansWithPerson(db: Db) {
  return db.selectFrom('care_plan as cp').innerJoin('person_summary as p', 'p.id', 'cp.person_id').select(planColumns)
}

/** Plans in progress (open, or awaiting the post-closure review) held by a prison, by prison number. */
export async function plansInProgressHeldAt(db: Db, establishmentCode: string) {
  return plansWithPerson(db)
    .where('cp.establishment_code', '=', establishmentCode)
    .where('cp.post_closure_reviewed_at', 'is', null)
    .orderBy('p.prison_number')
    .orderBy('cp.opened_at')
    .execute()
}

/** Every plan of someone on a prison's roll, oldest first: none where no such person is there. */
export async function plansOfPersonAt(db: Db, establishmentCode: string, prisonNumber: string) {
  return plansWithPerson(db)
    .where('p.establishment_code', '=', establishmentCode)
    .where('p.prison_number', '=', prisonNumber)
    .orderBy('cp.opened_at')
    .execute()
}

export async function isOnRollAt(db: Db, establishmentCode: string, prisonNumber: string): Promise<boolean> {
  const row = await onRollAt(db, establishmentCode, prisonNumber).select('p.id').executeTakeFirst()
  return row !== undefined
}

/**
 * Issue 15: what other systems are told of a plan, facts only: its stage, its supervision now, its next
 * case review, and when the person was last observed (by the entries that stand: a corrected one gives way
 * to its correction). Never why it was opened, the triggers, the care map or what anyone wrote.
 */
function summariesAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person_summary as p', 'p.id', 'cp.person_id')
    .where('cp.establishment_code', '=', establishmentCode)
    .select((eb) => [
      'cp.id',
      'p.prison_number as prisonNumber',
      'cp.opened_at as openedAt',
      'cp.immediate_action_at as immediateActionAt',
      'cp.assessment_at as assessmentAt',
      'cp.case_manager_id as caseManagerId',
      'cp.closed_at as closedAt',
      'cp.post_closure_reviewed_at as postClosureReviewedAt',
      'cp.risk_level as riskLevel',
      'cp.supervision_set_at as supervisionSetAt',
      'cp.constant_officer_id as constantOfficerId',
      'cp.observations_per_day as observationsPerDay',
      'cp.observations_per_night as observationsPerNight',
      'cp.conversations_per_day as conversationsPerDay',
      'cp.conversations_per_night as conversationsPerNight',
      'cp.first_review_due_at as firstReviewDueAt',
      'cp.next_review_due_at as nextReviewDueAt',
      'cp.post_closure_review_due_at as postClosureReviewDueAt',
      eb
        .selectFrom('care_plan_observation as o')
        .select((inner) => inner.fn.max('o.observed_at').as('at'))
        .whereRef('o.care_plan_id', '=', 'cp.id')
        .where((inner) =>
          inner.not(
            inner.exists(
              inner.selectFrom('care_plan_observation as c').select('c.id').whereRef('c.corrects_id', '=', 'o.id'),
            ),
          ),
        )
        .$asScalar()
        .$castTo<Date | null>()
        .as('lastObservedAt'),
      eb
        .selectFrom('care_plan_observation as o')
        .select((inner) => inner.fn.countAll<string>().as('entries'))
        .whereRef('o.care_plan_id', '=', 'cp.id')
        .$asScalar()
        .$castTo<string | number>()
        .as('entries'),
    ])
}

export type PlanSummaryRow = Awaited<ReturnType<typeof planSummaryAt>> & {}

/** Open plans (not yet closed), or closed ones (awaiting their post-closure review, or done with). */
export async function countPlansAt(db: Db, establishmentCode: string, state: 'open' | 'closed'): Promise<number> {
  const base = db.selectFrom('care_plan as cp').where('cp.establishment_code', '=', establishmentCode)
  const query = state === 'open' ? base.where('cp.closed_at', 'is', null) : base.where('cp.closed_at', 'is not', null)
  const row = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  return Number(row.count)
}

/** A page of a prison's plans, the most recently opened first. */
export async function pageOfPlanSummariesAt(
  db: Db,
  establishmentCode: string,
  state: 'open' | 'closed',
  paging: { limit: number; offset: number },
) {
  const query = summariesAt(db, establishmentCode)
  return (state === 'open' ? query.where('cp.closed_at', 'is', null) : query.where('cp.closed_at', 'is not', null))
    .orderBy('cp.opened_at', 'desc')
    .orderBy('cp.id')
    .limit(paging.limit)
    .offset(paging.offset)
    .execute()
}

/** One plan held by a prison, or undefined: another prison's plan is as good as none. */
export async function planSummaryAt(db: Db, establishmentCode: string, carePlanId: string) {
  return summariesAt(db, establishmentCode).where('cp.id', '=', carePlanId).executeTakeFirst()
}

/** An entry as stored, with the username of who recorded it, for the system that sent it. */
export async function observationAsStored(db: Db, carePlanId: string, observationId: string) {
  return db
    .selectFrom('care_plan_observation as o')
    .innerJoin('staff_summary as s', 's.id', 'o.recorded_by')
    .select([
      'o.id',
      'o.care_plan_id as carePlanId',
      'o.observed_at as observedAt',
      'o.was_conversation as wasConversation',
      'o.recorded_at as recordedAt',
      's.username as recordedBy',
    ])
    .where('o.care_plan_id', '=', carePlanId)
    .where('o.id', '=', observationId)
    .executeTakeFirst()
}
