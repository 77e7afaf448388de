import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allMessages, backgroundWork, createServices, type Services } from '../../app.ts'
import { createTranslator } from '../../platform/i18n.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import { supervisionFloors } from './rules.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { acknowledgedHandover, givenDedicatedOfficer, startedHandover } from '../../../test/support/journey-builders.ts'
import { givenOrganisation } from '../../../test/support/staff-builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import {
  attendedReview,
  auditActions,
  closingReview,
  givenAnotherPerson,
  givenCarePlanPrison,
  givenDeadlinesPrison,
  givenOpenedPlan,
  givenReviewedPlan as givenReviewedPlanAt,
  notificationsOf,
  observationRows,
} from '../../../test/support/care-plan-builders.ts'
import { raisedConcern } from '../../../test/support/concern-builders.ts'

const supervision = { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 }

const translator = createTranslator(allMessages, { strict: true })

describeServicesOnEachEngine('the care plan service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db))

  /** Opens a plan for a new person and takes it through immediate action, assessment and first review. */
  const givenReviewedPlan = () => givenReviewedPlanAt(database.db, services.carePlans, prison, clock.now(), supervision)

  /** The wing's officer looks in now, and writes down what they saw. */
  const observedNow = (prisonNumber: string, carePlanId: string, seen: string, { wasConversation = false } = {}) =>
    services.carePlans.recordObservation(prison.officer, prisonNumber, carePlanId, {
      observedAt: clock.now(),
      seen,
      wasConversation,
    })

  it('starts the clock when a plan is opened: 1 hour, 24 hours and 24 hours, and audits it', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const opened = await services.carePlans.openCarePlan(prison.officer, person.prisonNumber, {
      reason: 'Found with a ligature',
      concernId: null,
    })
    assert.ok('carePlanId' in opened)
    const row = await database.db
      .selectFrom('care_plan')
      .selectAll()
      .where('id', '=', opened.carePlanId)
      .executeTakeFirstOrThrow()
    assert.equal(row.immediate_action_due_at.toISOString(), '2026-11-25T10:00:00.000Z')
    assert.equal(row.assessment_due_at.toISOString(), '2026-11-26T09:00:00.000Z')
    assert.equal(row.first_review_due_at.toISOString(), '2026-11-26T09:00:00.000Z')
    assert.equal(row.establishment_code, prison.code)
    assert.deepEqual(await auditActions(database.db, person.id), ['care-plan.opened'])
  })

  it('opens a plan from a concern, and the concern is acted on with the plan as its outcome', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const raised = await raisedConcern(services.concerns, prison.partner, person.prisonNumber, {
      whatHappened: 'Said goodbye to everyone at the class',
      urgency: 'immediate',
      safeNow: 'yes',
    })
    const form = await services.carePlans.openForm(prison.lead, person.prisonNumber, raised.concernId)
    assert.equal(form.concern?.whatHappened, 'Said goodbye to everyone at the class')
    const opened = await services.carePlans.openCarePlan(prison.lead, person.prisonNumber, {
      reason: 'From the concern',
      concernId: raised.concernId,
    })
    assert.ok('carePlanId' in opened)
    const concern = await database.db
      .selectFrom('concern')
      .select(['outcome', 'care_plan_id'])
      .where('id', '=', raised.concernId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(concern, { outcome: 'care-plan-opened', care_plan_id: opened.carePlanId })
    const plan = await database.db
      .selectFrom('care_plan')
      .select('concern_id')
      .where('id', '=', opened.carePlanId)
      .executeTakeFirstOrThrow()
    assert.equal(plan.concern_id, raised.concernId)
  })

  it('will not open a plan from a concern about someone else', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const other = await givenAnotherPerson(database.db, prison)
    const raised = await raisedConcern(services.concerns, prison.officer, other.prisonNumber, {
      whatHappened: 'Crying in the cell',
      urgency: 'today',
      safeNow: 'yes',
    })
    await assert.rejects(
      services.carePlans.openCarePlan(prison.lead, person.prisonNumber, { reason: 'x', concernId: raised.concernId }),
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
    const row = await database.db
      .selectFrom('care_plan')
      .select(['assessment_at', 'assessor_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { assessment_at: null, assessor_id: null })
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

  it('keeps observations tamper-evident: the database refuses to edit or delete one', async () => {
    const { person, id } = await givenReviewedPlan()
    await observedNow(person.prisonNumber, id, 'Reading on the bed')
    const [row] = await observationRows(database.db, id)
    assert.ok(row)
    await assert.rejects(
      database.db.updateTable('care_plan_observation').set({ seen: 'changed' }).where('id', '=', row.id).execute(),
      /append-only/,
    )
    await assert.rejects(
      database.db.deleteFrom('care_plan_observation').where('id', '=', row.id).execute(),
      /append-only/,
    )
  })

  it('records a correction as a new entry pointing at the one it corrects, and shows both', async () => {
    const { person, id } = await givenReviewedPlan()
    await observedNow(person.prisonNumber, id, 'Asleep')
    const [first] = await observationRows(database.db, id)
    assert.ok(first)
    const corrected = await services.carePlans.correctObservation(prison.officer, person.prisonNumber, id, first.id, {
      observedAt: clock.now(),
      seen: 'Awake, talking about home',
      wasConversation: true,
      reason: 'Wrong person’s entry',
    })
    assert.equal(corrected, null)
    const rows = await observationRows(database.db, id)
    assert.deepEqual(
      rows.map((row) => [row.seen, row.corrects_id]),
      [
        ['Asleep', null],
        ['Awake, talking about home', first.id],
      ],
    )
    const view = await services.carePlans.viewCarePlan(prison.officer, person.prisonNumber, id)
    assert.equal(view.observations.length, 2)
    assert.equal(
      view.observations.find((entry) => entry.id === first.id)?.correctedBy?.seen,
      'Awake, talking about home',
    )
    const twice = await services.carePlans.correctObservation(prison.officer, person.prisonNumber, id, first.id, {
      observedAt: clock.now(),
      seen: 'Again',
      wasConversation: true,
      reason: 'Again',
    })
    assert.equal(twice?.messageKey, 'carePlans.correction.error.already')
  })

  it('alerts the wing when an observation goes overdue, then the orderly officer, each once even with two workers', async () => {
    const { person, id } = await givenReviewedPlan()
    await givenDedicatedOfficer(database.db, person.id, prison.keyworker.id, '2026-11-01T09:00:00Z')
    // Supervision was set at 09:00: day slots 08-10 (from 09:00), 10-12, 12-14 and on. Nobody looks.
    const at1001 = new Date('2026-11-25T10:01:00Z')
    await Promise.all([
      services.carePlans.sweepOverdueObservations(at1001),
      services.carePlans.sweepOverdueObservations(at1001),
    ])
    const href = `/people/${person.prisonNumber}/care-plans/${id}`
    const toDedicatedOfficer = await notificationsOf(
      database.db,
      prison.keyworker,
      'care-plan.observation-overdue.wing',
    )
    assert.deepEqual(toDedicatedOfficer.filter((entry) => entry.href === href).length, 1)
    const toOfficer = await notificationsOf(database.db, prison.officer, 'care-plan.observation-overdue.wing')
    assert.equal(toOfficer.filter((entry) => entry.href === href).length, 1)
    const { messageKey, params } = await database.db
      .selectFrom('notification')
      .select(['message_key as messageKey', 'params'])
      .where('recipient_id', '=', prison.officer.id)
      .where('href', '=', href)
      .executeTakeFirstOrThrow()
    const { lastName } = await database.db
      .selectFrom('person')
      .select('last_name as lastName')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow()
    assert.equal(
      translator.forLanguage('en')(messageKey, params),
      `An observation of ${lastName}, Test (${person.prisonNumber}) is overdue`,
    )
    const orderlyBefore = await notificationsOf(
      database.db,
      prison.governor,
      'care-plan.observation-overdue.orderly-officer',
    )
    assert.equal(orderlyBefore.filter((entry) => entry.href === href).length, 0)

    const at1031 = new Date('2026-11-25T10:31:00Z')
    await Promise.all([
      services.carePlans.sweepOverdueObservations(at1031),
      services.carePlans.sweepOverdueObservations(at1031),
    ])
    await services.carePlans.sweepOverdueObservations(new Date('2026-11-25T10:40:00Z'))
    assert.equal(
      (await notificationsOf(database.db, prison.keyworker, 'care-plan.observation-overdue.wing')).filter(
        (entry) => entry.href === href,
      ).length,
      1,
      'the wing is not told again',
    )
    const toGovernor = await notificationsOf(
      database.db,
      prison.governor,
      'care-plan.observation-overdue.orderly-officer',
    )
    assert.equal(toGovernor.filter((entry) => entry.href === href).length, 1)
    const alerts = await database.db
      .selectFrom('care_plan_observation_alert')
      .select(['stage'])
      .where('care_plan_id', '=', id)
      .execute()
    assert.deepEqual(alerts.map((alert) => alert.stage).sort(), ['orderly-officer', 'wing'])
  })

  it('has the server’s worker run the overdue observation sweep every minute', () => {
    const sweep = backgroundWork(services).sweeps.find((entry) => entry.name === 'care-plans.overdue-observations')
    assert.equal(sweep?.everySeconds, 60)
  })

  it('sends no alert for a slot someone looked in on', async () => {
    const { person, id } = await givenReviewedPlan()
    await observedNow(person.prisonNumber, id, 'Watching television', { wasConversation: true })
    await services.carePlans.sweepOverdueObservations(new Date('2026-11-25T11:05:00Z'))
    const alerts = await database.db
      .selectFrom('care_plan_observation_alert')
      .select('stage')
      .where('care_plan_id', '=', id)
      .execute()
    assert.deepEqual(alerts, [])
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
    const closed = await database.db
      .selectFrom('care_plan')
      .select(['closed_at', 'post_closure_review_due_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.equal(closed.post_closure_review_due_at?.toISOString(), '2026-12-02T09:00:00.000Z')
    assert.equal(await alertNow(), 'HA1')
    const observation = await observedNow(person.prisonNumber, id, 'After closure')
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

  describe('viewDeadlines', () => {
    let story: Awaited<ReturnType<typeof givenDeadlinesPrison>>
    let carePlans: Services['carePlans']
    before(async () => {
      story = await givenDeadlinesPrison(database.db)
      carePlans = createServices({ db: database.db, clock: fixedClock(story.now) }).carePlans
    })
    const deadlinesAudited = () =>
      database.db
        .selectFrom('audit_event')
        .select(['actor_username as actorUsername', 'details'])
        .where('action', '=', 'care-plans.deadlines-viewed')
        .where('actor_username', '=', story.prison.governor.username)
        .execute()

    it('gives each deadline met of those measured, and the plan that missed three, with its person', async () => {
      const view = await carePlans.viewDeadlines(story.prison.governor, { fromOn: '2026-10-27', toOn: '2026-11-25' })
      assert.ok(!('messageKey' in view))
      assert.equal(view.opened, 2)
      assert.deepEqual(
        view.shares.map(({ step, met, of, percent }) => [step, met, of, percent]),
        [
          ['immediateAction', 1, 2, 50],
          ['assessment', 1, 2, 50],
          ['firstReview', 1, 2, 50],
          ['review', 0, 0, null],
        ],
      )
      assert.deepEqual(
        view.missed.map((plan) => [plan.carePlanId, plan.prisonNumber, plan.isHere]),
        [[story.late.carePlanId, story.late.person.prisonNumber, true]],
      )
      assert.deepEqual(
        view.missed[0]?.deadlines.map((deadline) => [deadline.step, deadline.doneAt?.toISOString() ?? null]),
        [
          ['immediateAction', '2026-11-10T10:30:00.000Z'],
          ['assessment', null],
          ['firstReview', null],
        ],
      )
      const audited = await deadlinesAudited()
      assert.deepEqual(audited.at(-1)?.details, { fromOn: '2026-10-27', toOn: '2026-11-25', missed: 1 })
    })

    it('has nothing to measure in a period when no plan opened', async () => {
      const view = await carePlans.viewDeadlines(story.prison.governor, { fromOn: '2026-11-11', toOn: '2026-11-25' })
      assert.ok(!('messageKey' in view))
      assert.equal(view.opened, 0)
      assert.deepEqual(view.missed, [])
      assert.ok(view.shares.every((share) => share.of === 0 && share.percent === null))
    })

    it('refuses a period ending after today and records no view', async () => {
      const before = (await deadlinesAudited()).length
      const refusal = await carePlans.viewDeadlines(story.prison.governor, {
        fromOn: '2026-11-01',
        toOn: '2026-11-26',
      })
      assert.deepEqual(refusal, { field: 'to', messageKey: 'carePlans.deadlines.error.future', values: {} })
      assert.equal((await deadlinesAudited()).length, before)
    })

    it('shows a governor of another prison none of these plans', async () => {
      const { governor } = await givenPrisonWithStaff(database.db, { governor: 'governor' })
      const view = await carePlans.viewDeadlines(governor, { fromOn: '2026-10-27', toOn: '2026-11-25' })
      assert.ok(!('messageKey' in view))
      assert.equal(view.opened, 0)
      assert.deepEqual(view.missed, [])
    })
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
