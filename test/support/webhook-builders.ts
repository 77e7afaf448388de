import type { Db } from '../../src/db/database.ts'
import type { Clock } from '../../src/platform/clock.ts'
import type { Services } from '../../src/app.ts'
import { givenAssessedPlan, type CarePlanPrison } from './care-plan-builders.ts'

const supervision = { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 }
const attended = { attendees: [{ kind: 'healthcare' as const, name: 'Amira Khan' }], personPresent: true }

/**
 * Issue 15: a care plan opened for a new person at the prison and taken to its closure case review through
 * the care plans service: its first review, then a review that closes it (alert HA, then HA1). A step refused
 * stops the test there.
 */
export async function givenClosedCarePlan(db: Db, services: Services, prison: CarePlanPrison, clock: Clock) {
  const { person, id } = await givenAssessedPlan(db, services.carePlans, prison, clock.now(), supervision)
  const review = { heldAt: clock.now(), ...attended, caseManagerId: prison.lead.id, supervision }
  const steps = [
    () =>
      services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
        ...review,
        notes: '',
        riskLevel: 'raised',
        triggers: 'Phone calls home',
        warningSigns: 'Stops eating',
        nextReviewDueAt: new Date(clock.now().getTime() + 3 * 86_400_000),
      }),
    () =>
      services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
        ...review,
        notes: 'Much better',
        riskLevel: 'low',
        close: true,
        personView: 'Feels able to cope now, and knows whom to ask',
        closureReasons: { 'care-map': 'Nothing left on the care map' },
      }),
  ]
  for (const step of steps) {
    const refusal = await step()
    if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  }
  return { person, carePlanId: id }
}
