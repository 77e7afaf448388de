import { createServices } from '../../src/app.ts'
import type { Db } from '../../src/db/database.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import type { Actor } from '../../src/platform/permissions.ts'
import type { Supervision } from '../../src/areas/care-plans/rules.ts'
import type { CarePlanService, ReviewInput } from '../../src/areas/care-plans/service.ts'
import type { ConcernsService } from '../../src/areas/concerns/service.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from './builders.ts'
import { givenTraining } from './staff-builders.ts'
import { raisedConcern } from './concern-builders.ts'

/**
 * A prison ready for care plans: a person on its roll, a safer custody lead with current ACCT assessor and
 * case manager training, an officer with neither, a keyworker (the person's dedicated officer when given),
 * a governor (the orderly officer) and a partner worker.
 */
export async function givenCarePlanPrison(db: Db, options: { function?: 'reception' | 'training' } = {}) {
  const prison = await givenEstablishment(db, { function: options.function ?? 'reception' })
  const at = [prison.code]
  const lead = await givenStaffUser(db, { role: 'safercustody', establishmentCodes: at })
  const officer = await givenStaffUser(db, { role: 'officer', establishmentCodes: at })
  const keyworker = await givenStaffUser(db, { role: 'keyworker', establishmentCodes: at })
  const governor = await givenStaffUser(db, { role: 'governor', establishmentCodes: at })
  const partner = await givenStaffUser(db, { role: 'partner', establishmentCodes: at })
  const monitor = await givenStaffUser(db, { role: 'monitor', establishmentCodes: at })
  const healthcare = await givenStaffUser(db, { role: 'healthcare', establishmentCodes: at })
  await givenTraining(db, lead.id, 'acct-assessor', '2026-01-10', '2028-01-10')
  await givenTraining(db, lead.id, 'acct-case-manager', '2026-01-10', '2028-01-10')
  // The officer's assessor training lapsed: they cannot hold the assessment interview.
  await givenTraining(db, officer.id, 'acct-assessor', '2023-01-10', '2025-01-10')
  const person = await givenPerson(db, prison.code, { cellId: prison.cellId })
  return {
    code: prison.code,
    cellId: prison.cellId,
    lead,
    officer,
    keyworker,
    governor,
    partner,
    monitor,
    healthcare,
    person,
  }
}

export type CarePlanPrison = Awaited<ReturnType<typeof givenCarePlanPrison>>

/** Another person on the prison's roll. */
export async function givenAnotherPerson(db: Db, prison: { code: string; cellId: number }) {
  return givenPerson(db, prison.code, { cellId: prison.cellId })
}

/**
 * Another person on the prison's roll, and a concern about them raised by `raiser` through the concerns
 * service: that they said goodbye to everyone at the class, raised as immediate, and they are safe now,
 * unless the test says otherwise.
 */
export async function raisedConcernAboutAnotherPerson(
  db: Db,
  concerns: ConcernsService,
  prison: CarePlanPrison,
  raiser: Actor,
  concern: Partial<Parameters<typeof raisedConcern>[3]> = {},
) {
  const person = await givenAnotherPerson(db, prison)
  const { concernId } = await raisedConcern(concerns, raiser, person.prisonNumber, {
    whatHappened: 'Said goodbye to everyone at the class',
    urgency: 'immediate',
    safeNow: 'yes',
    ...concern,
  })
  return { person, concernId }
}

/**
 * A plan just opened, by `opener` (the wing officer unless said), for a new person at the prison: no step of it
 * taken yet. Built through the care plans service; a refusal stops the test there.
 */
export async function givenOpenedPlan(
  db: Db,
  carePlans: CarePlanService,
  prison: CarePlanPrison,
  opener: Actor = prison.officer,
) {
  const person = await givenAnotherPerson(db, prison)
  const opened = await carePlans.openCarePlan(opener, person.prisonNumber, {
    reason: 'Said they could not go on',
    concernId: null,
  })
  if (!('carePlanId' in opened)) throw new Error(`refused: ${opened.messageKey}`)
  return { person, id: opened.carePlanId }
}

/**
 * A plan opened now for a new person at the prison, through its immediate action (at this supervision) and
 * its assessment interview by the safer custody lead: ready for its first case review. Built through the
 * care plans service; a step refused stops the test there.
 */
export async function givenAssessedPlan(
  db: Db,
  carePlans: CarePlanService,
  prison: CarePlanPrison,
  at: Date,
  supervision: Supervision,
) {
  const { person, id } = await givenOpenedPlan(db, carePlans, prison)
  const steps = [
    () =>
      carePlans.recordImmediateAction(prison.officer, person.prisonNumber, id, {
        text: 'Officer staying with them',
        supervision,
      }),
    () =>
      carePlans.recordAssessment(prison.lead, person.prisonNumber, id, {
        assessorId: prison.lead.id,
        heldAt: at,
        notes: 'Low mood since a phone call',
      }),
  ]
  for (const step of steps) {
    const refusal = await step()
    if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  }
  return { person, id }
}

/** Who came to a review: healthcare, and the person. */
export const attendedReview = { attendees: [{ kind: 'healthcare' as const, name: 'Amira Khan' }], personPresent: true }

/**
 * A plan opened now for a new person at the prison and taken through its first case review by the safer
 * custody lead (its case manager): raised risk at this supervision, a trigger and a warning sign, a family
 * visit on its care map due on 28 November 2026, and the next review three days on. Built through the care
 * plans service; a step refused stops the test there.
 */
export async function givenReviewedPlan(
  db: Db,
  carePlans: CarePlanService,
  prison: CarePlanPrison,
  at: Date,
  supervision: Supervision,
) {
  const { person, id } = await givenAssessedPlan(db, carePlans, prison, at, supervision)
  const refusal = await carePlans.holdReview(prison.lead, person.prisonNumber, id, {
    heldAt: at,
    ...attendedReview,
    notes: '',
    caseManagerId: prison.lead.id,
    riskLevel: 'raised',
    supervision,
    triggers: 'Phone calls home',
    warningSigns: 'Stops eating',
    actions: [{ description: 'Arrange a family visit', owner: 'Visits team', dueOn: '2026-11-28' }],
    nextReviewDueAt: new Date(at.getTime() + 3 * 86_400_000),
  })
  if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  return { person, id }
}

/**
 * The case review that closes a plan: low risk, observations three a day and two a night, and its closure
 * checklist answered (the person's view, and why the care map's family visit may close).
 */
export function closingReview(prison: CarePlanPrison, at: Date) {
  return {
    heldAt: at,
    ...attendedReview,
    notes: 'Much better',
    caseManagerId: prison.lead.id,
    riskLevel: 'low' as const,
    supervision: { observationsPerDay: 3, observationsPerNight: 2, conversationsPerDay: 1, conversationsPerNight: 0 },
    close: true,
    personView: 'Feels able to cope now, and knows whom to ask',
    closureReasons: { 'care-map': 'Family visit handed on to the visits team' },
  }
}

/**
 * A first case review at `at` by the safer custody lead as case manager, healthcare there, the person watched
 * on the healthcare unit (so supervision below its level's floor stands): at this risk and supervision, with
 * no triggers, warning signs or care map actions, and the next review when given.
 */
export function firstReviewOnHealthcareUnit(
  prison: CarePlanPrison,
  at: Date,
  review: Pick<ReviewInput, 'riskLevel' | 'supervision' | 'nextReviewDueAt'>,
): ReviewInput {
  return {
    heldAt: at,
    ...attendedReview,
    supervisionReason: 'Watched on the healthcare unit',
    notes: '',
    caseManagerId: prison.lead.id,
    triggers: '',
    warningSigns: '',
    actions: [],
    ...review,
  }
}

/**
 * Takes a plan past its immediate action through its assessment interview by the safer custody lead and its
 * first case review on the healthcare unit (`firstReviewOnHealthcareUnit`), both at `at`. Through the care
 * plans service; a step refused stops the test there.
 */
export async function givenAssessedAndReviewedOnHealthcareUnit(
  carePlans: CarePlanService,
  prison: CarePlanPrison,
  plan: { person: { prisonNumber: string }; carePlanId: string },
  at: Date,
  review: Parameters<typeof firstReviewOnHealthcareUnit>[2],
) {
  const steps = [
    () =>
      carePlans.recordAssessment(prison.lead, plan.person.prisonNumber, plan.carePlanId, {
        assessorId: prison.lead.id,
        heldAt: at,
        notes: 'Low mood since a phone call',
      }),
    () =>
      carePlans.holdReview(
        prison.lead,
        plan.person.prisonNumber,
        plan.carePlanId,
        firstReviewOnHealthcareUnit(prison, at, review),
      ),
  ]
  for (const step of steps) {
    const refusal = await step()
    if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  }
}

/**
 * The wing officer looked in on the person at `observedAt` and wrote down what they saw, through the care
 * plans service; a refusal stops the test there.
 */
export async function givenObservation(
  carePlans: CarePlanService,
  observer: Actor,
  plan: { person: { prisonNumber: string }; id: string },
  observedAt: Date,
  seen: string,
  { wasConversation = false } = {},
) {
  const refusal = await carePlans.recordObservation(observer, plan.person.prisonNumber, plan.id, {
    observedAt,
    seen,
    wasConversation,
  })
  if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
}

/** A plan as it stands in the table. */
export async function carePlanRow(db: Db, carePlanId: string) {
  return db.selectFrom('care_plan').selectAll().where('id', '=', carePlanId).executeTakeFirstOrThrow()
}

/** The observations of a plan as they stand in the table, oldest first. */
export async function observationRows(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_observation')
    .selectAll()
    .where('care_plan_id', '=', carePlanId)
    .orderBy('seq')
    .execute()
}

export async function auditActions(db: Db, personId: string) {
  const rows = await db
    .selectFrom('audit_event')
    .select('action')
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()
  return rows.map((row) => row.action)
}

export async function notificationsOf(db: Db, recipient: Actor, kind: string) {
  return db
    .selectFrom('notification')
    .select(['href', 'message_key as messageKey', 'created_at as createdAt'])
    .where('recipient_id', '=', recipient.id)
    .where('kind', '=', kind)
    .execute()
}

/**
 * A prison whose ACCT deadlines tell a story: two plans opened on 10 November 2026 at 09:00, one that met
 * its three opening deadlines and one whose immediate action came at 10:30 (after the hour) and whose
 * assessment interview and first case review never came. Built through the service, on a clock of its own
 * that ends on 25 November at 09:00.
 */
export async function givenDeadlinesPrison(db: Db) {
  const clock = fixedClock('2026-11-10T09:00:00Z')
  const { carePlans } = createServices({ db, clock })
  const prison = await givenCarePlanPrison(db)
  const supervision = {
    observationsPerDay: 4,
    observationsPerNight: 2,
    conversationsPerDay: 1,
    conversationsPerNight: 0,
  }
  const open = async () => {
    const person = await givenAnotherPerson(db, prison)
    const opened = await carePlans.openCarePlan(prison.officer, person.prisonNumber, {
      reason: 'Said they could not go on',
      concernId: null,
    })
    if (!('carePlanId' in opened)) throw new Error('the plan did not open')
    return { person, carePlanId: opened.carePlanId }
  }
  /** A step the service refused would leave a different story: stop there. */
  const done = (refusal: { messageKey: string } | null) => {
    if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  }
  const onTime = await open()
  const late = await open()
  clock.advanceMinutes(30)
  done(
    await carePlans.recordImmediateAction(prison.officer, onTime.person.prisonNumber, onTime.carePlanId, {
      text: 'Officer staying with them',
      supervision,
    }),
  )
  clock.advanceMinutes(60)
  done(
    await carePlans.recordImmediateAction(prison.officer, late.person.prisonNumber, late.carePlanId, {
      text: 'Officer staying with them',
      supervision,
    }),
  )
  clock.advanceMinutes(60)
  await givenAssessedAndReviewedOnHealthcareUnit(carePlans, prison, onTime, clock.now(), {
    riskLevel: 'raised',
    supervision,
    nextReviewDueAt: new Date('2026-11-15T10:00:00Z'),
  })
  return { prison, onTime, late, now: new Date('2026-11-25T09:00:00Z') }
}
