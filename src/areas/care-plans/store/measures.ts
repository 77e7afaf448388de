import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import { personNameColumns } from '../../../db/summaries.ts'

/** M3: how many care plans were opened for each person at a prison since a date. */
export async function openedCountsSince(db: Db, establishmentCode: string, since: Date) {
  return db
    .selectFrom('care_plan')
    .select(['person_id as personId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('establishment_code', '=', establishmentCode)
    .where('opened_at', '>=', since)
    .groupBy('person_id')
    .execute()
}

/** M4: the plans at a prison open at some time in [from, to), with the risk level each review set. */
export async function plansWithLevelsBetween(db: Db, establishmentCode: string, from: Date, to: Date) {
  const plans = await db
    .selectFrom('care_plan')
    .select(['id', 'opened_at as openedAt', 'closed_at as closedAt'])
    .where('establishment_code', '=', establishmentCode)
    .where('opened_at', '<', to)
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', from)]))
    .execute()
  if (plans.length === 0) return []
  const reviews = await db
    .selectFrom('care_plan_review')
    .select(['care_plan_id as carePlanId', 'held_at as heldAt', 'risk_level as riskLevel'])
    .where(
      'care_plan_id',
      'in',
      plans.map((plan) => plan.id),
    )
    .orderBy('held_at')
    .orderBy('seq')
    .execute()
  return plans.map((plan) => ({ ...plan, reviews: reviews.filter((review) => review.carePlanId === plan.id) }))
}

/** The latest plan of each person on an establishment's roll, for the alerts export. */
export async function latestPlansOfPeopleAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person_summary as p', 'p.id', 'cp.person_id')
    .select([
      'cp.id',
      'p.prison_number as prisonNumber',
      'cp.opened_at as openedAt',
      'cp.closed_at as closedAt',
      'cp.post_closure_reviewed_at as postClosureReviewedAt',
    ])
    .distinctOn('cp.person_id')
    .where('p.establishment_code', '=', establishmentCode)
    .orderBy('cp.person_id')
    .orderBy('cp.opened_at', 'desc')
    .execute()
}

/** Plans opened since an instant at an establishment, with their reviews, for the deadlines measure. */
export async function plansForMeasure(db: Db, establishmentCode: string, since: Date) {
  return db
    .selectFrom('care_plan as cp')
    .select([
      'cp.id',
      'cp.opened_at as openedAt',
      'cp.immediate_action_due_at as immediateActionDueAt',
      'cp.immediate_action_at as immediateActionAt',
      'cp.assessment_due_at as assessmentDueAt',
      'cp.assessment_at as assessmentAt',
      'cp.first_review_due_at as firstReviewDueAt',
      sql<Date | null>`(select min(r.held_at) from care_plan_review r where r.care_plan_id = cp.id and r.kind = 'first')`.as(
        'firstReviewAt',
      ),
    ])
    .where('cp.establishment_code', '=', establishmentCode)
    .where((eb) =>
      eb.or([
        eb('cp.opened_at', '>=', since),
        eb('cp.post_closure_reviewed_at', 'is', null),
        eb('cp.post_closure_reviewed_at', '>=', since),
      ]),
    )
    .execute()
}

/** The person of each plan, named, with the prison they are at now, for the deadlines page's follow-up list. */
export async function peopleOfPlans(db: Db, carePlanIds: readonly string[]) {
  if (carePlanIds.length === 0) return []
  return db
    .selectFrom('care_plan as cp')
    .innerJoin('person_summary as p', 'p.id', 'cp.person_id')
    .select(['cp.id as carePlanId', ...personNameColumns, 'p.establishment_code as establishmentCode'])
    .where('cp.id', 'in', [...carePlanIds])
    .execute()
}
