import { it } from 'node:test'
import assert from 'node:assert/strict'
import { NotFound } from '../../platform/errors.ts'
import { supervisionFloors } from './rules.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { acknowledgedHandover, startedHandover } from '../../../test/support/journey-builders.ts'
import { givenOrganisation } from '../../../test/support/staff-builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import {
  attendedReview,
  auditActions,
  carePlanRow,
  closingReview,
  givenAnotherPerson,
  givenCarePlanPrison,
  givenOpenedPlan,
  givenReviewedPlan as givenReviewedPlanAt,
  notificationsOf,
  raisedConcernAboutAnotherPerson,
} from '../../../test/support/care-plan-builders.ts'

const supervision = supervisionFloors.raised

/**
 * A plan from its opening to its closing and after: its steps, case reviews, family and referrals, and a
 * transfer. Observations and their alarms, and the deadlines measured, are in observations-and-deadlines.test.ts.
 */
describeServicesOnEachEngine('the care plan service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db))

  /** Opens a plan for a new person and takes it through immediate action, assessment and first review. */
  const givenReviewedPlan = () => givenReviewedPlanAt(database.db, services.carePlans, prison, clock.now(), supervision)

  it('starts the clock when a plan is opened: 1 hour, 24 hours and 24 hours, and audits it', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const opened = await services.carePlans.openCarePlan(prison.officer, person.prisonNumber, {
      reason: 'Found with a ligature',
      concernId: null,
    })
    assert.ok('carePlanId' in opened)
    const row = await carePlanRow(database.db, opened.carePlanId)
    assert.equal(row.immediate_action_due_at.toISOString(), '2026-11-25T10:00:00.000Z')
    assert.equal(row.assessment_due_at.toISOString(), '2026-11-26T09:00:00.000Z')
    assert.equal(row.first_review_due_at.toISOString(), '2026-11-26T09:00:00.000Z')
    assert.equal(row.establishment_code, prison.code)
    assert.deepEqual(await auditActions(database.db, person.id), ['care-plan.opened'])
  })

  it('opens a plan from a concern, and the concern is acted on with the plan as its outcome', async () => {
    const whatHappened = 'Said goodbye to everyone at the class'
    const { person, concernId } = await raisedConcernAboutAnotherPerson(
      database.db,
      services.concerns,
      prison,
      prison.partner,
      { whatHappened },
    )
    const form = await services.carePlans.openForm(prison.lead, person.prisonNumber, concernId)
    assert.equal(form.concern?.whatHappened, whatHappened)
    const opened = await services.carePlans.openCarePlan(prison.lead, person.prisonNumber, {
      reason: 'From the concern',
      concernId,
    })
    assert.ok('carePlanId' in opened)
    const concern = await database.db
      .selectFrom('concern')
      .select(['outcome', 'care_plan_id'])
      .where('id', '=', concernId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(concern, { outcome: 'care-plan-opened', care_plan_id: opened.carePlanId })
    assert.equal((await carePlanRow(database.db, opened.carePlanId)).concern_id, concernId)
  })

  it('will not open a plan from a concern about someone else', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const { concernId } = await raisedConcernAboutAnotherPerson(
      database.db,
      services.concerns,
      prison,
      prison.officer,
      {
        whatHappened: 'Crying in the cell',
        urgency: 'today',
      },
    )
    await assert.rejects(
      services.carePlans.openCarePlan(prison.lead, person.prisonNumber, { reason: 'x', concernId }),
      NotFound,
    )
  })

  it('refuses a second plan for a person whose plan is in progress, and writes nothing', async () => {
    const { person } = await givenReviewedPlan()
    const again = await services.carePlans.openCarePlan(prison.officer, person.prisonNumber, {
      reason: 'Again',
      concernId: null,
    })
    assert.deepEqual(again, { field: 'reason', messageKey: 'carePlans.open.error.alreadyOpen', values: {} })
    const plans = await database.db.selectFrom('care_plan').select('id').where('person_id', '=', person.id).execute()
    assert.equal(plans.length, 1)
  })

  it('tells the safer custody lead on duty that a plan was opened', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const before = (await notificationsOf(database.db, prison.lead, 'care-plan.opened')).length
    await services.carePlans.openCarePlan(prison.officer, person.prisonNumber, { reason: 'Worried', concernId: null })
    assert.equal((await notificationsOf(database.db, prison.lead, 'care-plan.opened')).length, before + 1)
  })

  it('refuses the assessment before the immediate action plan, and from an assessor whose training lapsed', async () => {
    const { person, id } = await givenOpenedPlan(database.db, services.carePlans, prison)
    const early = await services.carePlans.recordAssessment(prison.lead, person.prisonNumber, id, {
      assessorId: prison.lead.id,
      heldAt: clock.now(),
      notes: 'Too early',
    })
    assert.equal(early?.messageKey, 'carePlans.step.refused.awaiting-immediate-action')
    await services.carePlans.recordImmediateAction(prison.officer, person.prisonNumber, id, {
      text: 'Stayed with them',
      supervision,
    })
    const untrained = await services.carePlans.recordAssessment(prison.lead, person.prisonNumber, id, {
      assessorId: prison.officer.id,
      heldAt: clock.now(),
      notes: 'By the officer',
    })
    assert.equal(untrained?.messageKey, 'carePlans.assessment.error.untrained')
    const { assessment_at, assessor_id } = await carePlanRow(database.db, id)
    assert.deepEqual({ assessment_at, assessor_id }, { assessment_at: null, assessor_id: null })
  })

  it('has the first case review appoint a trained case manager, set risk and supervision and build the care map', async () => {
    const { person, id } = await givenReviewedPlan()
    const view = await services.carePlans.viewCarePlan(prison.lead, person.prisonNumber, id)
    assert.equal(view.stage, 'open')
    assert.equal(view.plan.caseManagerId, prison.lead.id)
    assert.equal(view.plan.riskLevel, 'raised')
    assert.equal(view.plan.observationsPerDay, 6)
    assert.equal(view.plan.triggers, 'Phone calls home')
    assert.deepEqual(
      view.actions.map((action) => [action.description, action.owner, action.dueOn]),
      [['Arrange a family visit', 'Visits team', '2026-11-28']],
    )
    assert.equal(view.reviews[0]?.kind, 'first')
    assert.equal(view.deadlines.firstReview.state, 'met')
    assert.deepEqual(
      (await auditActions(database.db, person.id)).filter((action) => action !== 'care-plan.viewed'),
      [
        'care-plan.opened',
        'care-plan.immediate-action-recorded',
        'care-plan.assessment-recorded',
        'care-plan.reviewed',
      ],
    )
  })

  it('refuses a case manager without current ACCT case manager training', async () => {
    const { person, id } = await givenOpenedPlan(database.db, services.carePlans, prison, prison.lead)
    await services.carePlans.recordImmediateAction(prison.lead, person.prisonNumber, id, {
      text: 'Stayed',
      supervision,
    })
    await services.carePlans.recordAssessment(prison.lead, person.prisonNumber, id, {
      assessorId: prison.lead.id,
      heldAt: clock.now(),
      notes: 'Assessed',
    })
    const refusal = await services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
      heldAt: clock.now(),
      ...attendedReview,
      notes: '',
      caseManagerId: prison.officer.id,
      riskLevel: 'low',
      supervision,
      nextReviewDueAt: new Date(clock.now().getTime() + 86_400_000),
    })
    assert.equal(refusal?.messageKey, 'carePlans.review.error.untrained')
  })

  it('closes by a case review, is reviewed after closure, and is then read-only, its alert HA, HA1 then HA2', async () => {
    const { person, id } = await givenReviewedPlan()
    const alertNow = async () =>
      (await services.carePlans.viewPersonCarePlans(prison.lead, person.prisonNumber)).alert?.code
    assert.equal(await alertNow(), 'HA')
    const firstAtClosure = await services.carePlans.holdReview(
      prison.lead,
      person.prisonNumber,
      id,
      closingReview(prison, clock.now()),
    )
    assert.equal(firstAtClosure, null)
    const closed = await carePlanRow(database.db, id)
    assert.equal(closed.post_closure_review_due_at?.toISOString(), '2026-12-02T09:00:00.000Z')
    assert.equal(await alertNow(), 'HA1')
    const observation = await services.carePlans.recordObservation(prison.officer, person.prisonNumber, id, {
      observedAt: clock.now(),
      seen: 'After closure',
      wasConversation: false,
    })
    assert.equal(observation?.messageKey, 'carePlans.step.refused.post-closure')
    assert.equal(
      await services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
        heldAt: clock.now(),
        ...attendedReview,
        notes: 'Settled',
      }),
      null,
    )
    assert.equal(await alertNow(), 'HA2')
    const family = await services.carePlans.recordFamily(prison.lead, person.prisonNumber, id, {
      kind: 'consent-given',
      familyMember: 'Sam, sister',
      notes: '',
    })
    assert.equal(family?.messageKey, 'carePlans.step.refused.closed')
    const view = await services.carePlans.viewCarePlan(prison.lead, person.prisonNumber, id)
    assert.equal(view.stage, 'closed')
    assert.deepEqual(view.steps, [])
  })

  it('makes a case review due at once when a trigger demands it, telling the case manager', async () => {
    const { person, id } = await givenReviewedPlan()
    const before = (await notificationsOf(database.db, prison.lead, 'care-plan.immediate-review')).length
    assert.equal(
      await services.carePlans.requestImmediateReview(prison.officer, person.prisonNumber, id, 'self-harm'),
      null,
    )
    const view = await services.carePlans.viewCarePlan(prison.officer, person.prisonNumber, id)
    assert.equal(view.reviewKind, 'immediate')
    assert.equal(view.plan.nextReviewDueAt?.toISOString(), clock.now().toISOString())
    assert.equal((await notificationsOf(database.db, prison.lead, 'care-plan.immediate-review')).length, before + 1)
    assert.equal(
      await services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
        heldAt: clock.now(),
        ...attendedReview,
        notes: 'Seen by healthcare',
        caseManagerId: prison.lead.id,
        riskLevel: 'high',
        supervision: supervisionFloors.high,
        nextReviewDueAt: new Date(clock.now().getTime() + 86_400_000),
      }),
      null,
    )
    const after = await services.carePlans.viewCarePlan(prison.officer, person.prisonNumber, id)
    assert.equal(after.reviews.at(-1)?.kind, 'immediate')
    assert.equal(after.reviews.at(-1)?.immediateReason, 'self-harm')
    assert.equal(after.plan.immediateReviewRequestedAt, null)
  })

  it('reopens a plan in its post-closure period when a trigger demands an immediate review', async () => {
    const { person, id } = await givenReviewedPlan()
    await services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
      ...closingReview(prison, clock.now()),
      notes: '',
      supervision,
    })
    assert.equal((await services.carePlans.viewPersonCarePlans(prison.lead, person.prisonNumber)).alert?.code, 'HA1')
    assert.equal(
      await services.carePlans.requestImmediateReview(prison.officer, person.prisonNumber, id, 'significant-event'),
      null,
    )
    const view = await services.carePlans.viewCarePlan(prison.lead, person.prisonNumber, id)
    assert.equal(view.stage, 'open')
    assert.equal(view.alert.code, 'HA')
    assert.equal(view.reviewKind, 'immediate')
    assert.equal(view.plan.postClosureReviewDueAt, null)
  })

  it('records a relative’s contact before consent is recorded, and after it is withdrawn', async () => {
    const { person, id } = await givenReviewedPlan()
    const contact = { kind: 'contact' as const, familyMember: 'Sam, sister', notes: 'Phoned' }
    assert.equal(await services.carePlans.recordFamily(prison.lead, person.prisonNumber, id, contact), null)
    await services.carePlans.recordFamily(prison.lead, person.prisonNumber, id, {
      kind: 'consent-given',
      familyMember: 'Sam, sister',
      notes: '',
    })
    assert.equal(await services.carePlans.recordFamily(prison.lead, person.prisonNumber, id, contact), null)
    await services.carePlans.recordFamily(prison.lead, person.prisonNumber, id, {
      kind: 'consent-withdrawn',
      familyMember: 'Sam, sister',
      notes: '',
    })
    assert.equal(await services.carePlans.recordFamily(prison.lead, person.prisonNumber, id, contact), null)
    const view = await services.carePlans.viewCarePlan(prison.lead, person.prisonNumber, id)
    assert.deepEqual(
      view.family.map((event) => event.kind),
      ['contact', 'consent-given', 'contact', 'consent-withdrawn', 'contact'],
    )
    assert.equal(view.familyConsent, false)
  })

  it('refers the person to a partner service and records the outcome once', async () => {
    const { person, id } = await givenReviewedPlan()
    const organisationId = await givenOrganisation(database.db, 'charity')
    assert.equal(
      await services.carePlans.refer(prison.lead, person.prisonNumber, id, { organisationId, reason: 'Bereavement' }),
      null,
    )
    const view = await services.carePlans.viewCarePlan(prison.lead, person.prisonNumber, id)
    const referral = view.referrals[0]
    assert.ok(referral)
    assert.equal(
      await services.carePlans.recordReferralOutcome(prison.lead, person.prisonNumber, id, referral.id, {
        outcome: 'accepted',
        notes: 'First session next week',
      }),
      null,
    )
    const again = await services.carePlans.recordReferralOutcome(prison.lead, person.prisonNumber, id, referral.id, {
      outcome: 'declined',
      notes: '',
    })
    assert.equal(again?.messageKey, 'carePlans.referral.error.answered')
  })

  it('shows the referrals page: the plan’s referrals and the organisations, read and audited once as its own view', async () => {
    const { person, id } = await givenReviewedPlan()
    const organisationId = await givenOrganisation(database.db, 'charity')
    const reason = { organisationId, reason: 'Bereavement' }
    assert.equal(await services.carePlans.refer(prison.lead, person.prisonNumber, id, reason), null)
    const before = (await auditTrailOf(database.db, { personId: person.id })).length
    const page = await services.carePlans.viewReferrals(prison.lead, person.prisonNumber, id)
    assert.equal(page.person.prisonNumber, person.prisonNumber)
    assert.equal(page.plan.id, id)
    assert.deepEqual(
      page.referrals.map((referral) => [referral.reason, referral.outcome]),
      [['Bereavement', null]],
    )
    assert.ok(page.organisations.some((organisation) => organisation.id === organisationId))
    const audited = (await auditTrailOf(database.db, { personId: person.id })).slice(before)
    assert.deepEqual(audited, [{ action: 'care-plan.viewed', details: { carePlanId: id, page: 'referrals' } }])
    await assert.rejects(services.carePlans.viewReferrals(prison.lead, person.prisonNumber, 'not-a-plan'), NotFound)
  })

  it('puts an open plan in a transfer’s handover, and the receiving prison continues the same plan', async () => {
    const { person, id } = await givenReviewedPlan()
    const receiving = await givenPrisonWithStaff(database.db, { lead: 'safercustody' }, { function: 'training' })
    const handover = await startedHandover(database.db, services.journey, prison.lead, person.prisonNumber, {
      toEstablishmentCode: receiving.code,
      risks: 'On an ACCT',
    })
    const carried = (handover.summary as { openCarePlans: { id: string }[] }).openCarePlans
    assert.deepEqual(
      carried.map((plan) => plan.id),
      [id],
    )
    clock.advanceMinutes(120)
    await acknowledgedHandover(services.journey, receiving.lead, handover.handoverId)
    const view = await services.carePlans.viewCarePlan(receiving.lead, person.prisonNumber, id)
    assert.equal(view.plan.establishmentCode, receiving.code)
    assert.equal(view.plan.nextReviewDueAt?.toISOString(), '2026-11-26T11:00:00.000Z')
    assert.equal(view.plan.receivedAt?.toISOString(), '2026-11-25T11:00:00.000Z')
    await assert.rejects(services.carePlans.viewCarePlan(prison.lead, person.prisonNumber, id), NotFound)
    clock.advanceMinutes(-120)
  })

  it('counts plans for the dashboard and measures the deadlines met', async () => {
    const counts = await services.carePlans.carePlanDashboard(prison.lead)
    const countOf = (key: string) => counts.find((entry) => entry.key === key)?.count
    const raised = await database.db
      .selectFrom('care_plan')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('establishment_code', '=', prison.code)
      .where('risk_level', '=', 'raised')
      .where('closed_at', 'is', null)
      .executeTakeFirstOrThrow()
    assert.equal(countOf('carePlans.dashboard.open.raised'), Number(raised.count))
    assert.ok((countOf('carePlans.dashboard.awaitingFirstReview') ?? 0) >= 2)
    const [measure] = await services.carePlans.deadlinesMet(
      prison.lead,
      new Date('2026-11-01T00:00:00Z'),
      new Date('2026-12-01T00:00:00Z'),
    )
    assert.equal(measure?.establishmentCode, prison.code)
    assert.equal(measure?.firstReview.met, measure?.firstReview.of)
    assert.ok((measure?.immediateAction.of ?? 0) >= 1)
  })

  it('exports the current ACCT alert of each person on the roll, audited', async () => {
    const { csv, alerts } = await services.carePlans.exportAlerts(prison.lead)
    assert.match(csv, /^prisonNumber,alertCode,description,activeFrom,carePlanId\r\n/)
    assert.ok(alerts.some((alert) => alert.alertCode === 'HA'))
    assert.ok(alerts.some((alert) => alert.alertCode === 'HA2'))
    const audit = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'care-plans.alerts-exported')
      .execute()
    assert.ok(audit.length >= 1)
  })

  it('hides a plan from a user at another prison (404)', async () => {
    const { person, id } = await givenReviewedPlan()
    const { stranger } = await givenPrisonWithStaff(database.db, { stranger: 'safercustody' })
    await assert.rejects(services.carePlans.viewCarePlan(stranger, person.prisonNumber, id), NotFound)
  })
})
