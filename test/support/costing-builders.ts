import type { Db } from '../../src/db/database.ts'
import type { RiskLevel } from '../../src/db/schema.ts'

/**
 * A care plan as the care plans area leaves it: opened, with the case reviews that set its risk level, and
 * closed (with its post-closure review due) when `closedAt` is given.
 */
export async function givenCarePlanWithReviews(
  db: Db,
  values: {
    establishmentCode: string
    personId: string
    staffId: string
    openedAt: string
    closedAt?: string
    reviews: readonly { heldAt: string; riskLevel: RiskLevel | null }[]
  },
) {
  const openedAt = new Date(values.openedAt)
  const closedAt = values.closedAt ? new Date(values.closedAt) : null
  const plan = await db
    .insertInto('care_plan')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      reason: 'Test plan',
      opened_at: openedAt,
      opened_by: values.staffId,
      immediate_action_due_at: new Date(openedAt.getTime() + 3_600_000),
      assessment_due_at: new Date(openedAt.getTime() + 86_400_000),
      first_review_due_at: new Date(openedAt.getTime() + 86_400_000),
      closed_at: closedAt,
      post_closure_review_due_at: closedAt ? new Date(closedAt.getTime() + 7 * 86_400_000) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const [index, review] of values.reviews.entries())
    await db
      .insertInto('care_plan_review')
      .values({
        care_plan_id: plan.id,
        establishment_code: values.establishmentCode,
        kind: index === 0 ? 'first' : review.riskLevel ? 'scheduled' : 'closure',
        held_at: new Date(review.heldAt),
        chaired_by: values.staffId,
        risk_level: review.riskLevel,
        attendees: '[]',
        recorded_by: values.staffId,
        recorded_at: new Date(review.heldAt),
      })
      .execute()
  return plan.id
}

/** A death in custody, as if recorded by hand. */
export async function givenDeath(db: Db, establishmentCode: string, personId: string, diedOn: string) {
  await db
    .insertInto('death_in_custody')
    .values({
      establishment_code: establishmentCode,
      person_id: personId,
      died_on: diedOn,
      investigation_reference: `PPO-${diedOn}`,
      recorded_at: new Date(`${diedOn}T12:00:00Z`),
      recorded_by: null,
    })
    .execute()
}

/** The costing page's assumptions form as the page fills it, every value at its default. */
export const assumptionsFormAtDefaults: Readonly<Record<string, string>> = {
  'staff-counted': '',
  'key-work-sessions-due': '',
  'hours-mental-health-first-aid': '14',
  'hours-trauma-informed': '7',
  'hours-acct': '7',
  'acct-case-managers-percent': '20',
  'hours-health-and-social-care': '40',
  'group-session-hours': '2.5',
  'people-per-group': '10',
  'incidents-fall-percent': '',
  'incidents-fall-percent-source': '',
  'care-plan-days-fall-percent': '',
  'care-plan-days-fall-percent-source': '',
}
