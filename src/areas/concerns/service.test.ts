import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import {
  givenPersonAtStage,
  givenPersonOnWing as givenPersonOnWingAt,
  startedHandover,
} from '../../../test/support/journey-builders.ts'
import { givenConcern, notificationsOf as notificationsOfStaff } from '../../../test/support/concern-builders.ts'
import { givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import type { RaiseInput } from './service.ts'
import type { ConcernTable } from '../../db/schema.ts'

const worried: RaiseInput = {
  whatHappened: 'Gave away his radio and said he would not need it.',
  urgency: 'today',
  safeNow: 'not-sure',
  isSensitive: false,
  peerSupporterId: null,
}

describeServicesOnEachEngine('the concerns service', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const home = arrangedBefore(() =>
    givenPrisonWithStaff(database.db, {
      lead: 'safercustody',
      officer: 'keyworker',
      governor: 'governor',
      partner: 'partner',
      healthcare: 'healthcare',
    }),
  )

  /** These columns of a concern as stored. */
  const storedConcern = <Column extends keyof ConcernTable>(id: string, columns: readonly Column[]) =>
    database.db.selectFrom('concern').select(columns).where('id', '=', id).executeTakeFirstOrThrow()

  /** A person on the wing whose dedicated officer is `home.officer`, so they are responsible for them now. */
  const givenPersonOnWing = () => givenPersonOnWingAt(database.db, home, home.officer)

  /** A concern the partner worker raised about the person, at half past eight this morning unless the test says. */
  const givenConcernFromPartner = (person: { id: string }, values: Partial<Parameters<typeof givenConcern>[1]> = {}) =>
    givenConcern(database.db, {
      personId: person.id,
      establishmentCode: home.code,
      raisedBy: home.partner.id,
      raisedAt: '2026-11-25T08:30:00Z',
      ...values,
    })

  const notificationsOf = (recipientId: string) => notificationsOfStaff(database.db, recipientId)
  /** The person's audit trail with who did each thing, for who viewed or acted on a concern. */
  const auditOf = (personId: string) => auditTrailOf(database.db, { personId }, ['actor_username'])

  describe('raiseConcern', () => {
    it('tells the person’s dedicated officer and the safer custody lead at once, and not the raiser', async () => {
      const person = await givenPersonOnWing()
      const outcome = await services.concerns.raiseConcern(home.partner, person.prisonNumber, worried)
      assert.ok('concernId' in outcome)
      assert.equal(outcome.responsibleName, home.officer.displayName)
      const href = `/concerns/${outcome.concernId}`
      for (const recipient of [home.officer, home.lead]) {
        const received = (await notificationsOf(recipient.id)).filter((n) => n.href === href)
        assert.equal(received.length, 1, recipient.role)
        assert.equal(received[0].messageKey, 'concerns.notification.raised.today')
        assert.equal(received[0].params.prisonNumber, person.prisonNumber)
      }
      assert.deepEqual(await notificationsOf(home.partner.id), [])
      const row = await database.db
        .selectFrom('concern')
        .selectAll()
        .where('id', '=', outcome.concernId)
        .executeTakeFirstOrThrow()
      assert.equal(row.responsible_staff_user_id, home.officer.id)
      assert.equal(row.raised_by, home.partner.id)
      assert.deepEqual(row.escalate_at, new Date('2026-11-25T13:00:00Z'))
      const raised = (await auditOf(person.id)).find((entry) => entry.action === 'concern.raised')
      assert.equal(raised?.details.concernId, outcome.concernId)
      assert.equal(raised?.details.notified, 2)
    })

    it('asks the journey who is responsible without recording that the raiser viewed the person’s journey', async () => {
      const person = await givenPersonOnWing()
      const outcome = await services.concerns.raiseConcern(home.partner, person.prisonNumber, worried)
      assert.ok('concernId' in outcome)
      assert.equal(outcome.responsibleName, home.officer.displayName)
      assert.deepEqual(
        (await auditOf(person.id)).map((entry) => entry.action),
        ['concern.raised'],
      )
    })

    it('sends a concern about someone not safe now as immediate, to escalate in 15 minutes', async () => {
      const person = await givenPersonOnWing()
      const outcome = await services.concerns.raiseConcern(home.partner, person.prisonNumber, {
        ...worried,
        urgency: 'can-wait',
        safeNow: 'no',
      })
      assert.ok('concernId' in outcome)
      const row = await storedConcern(outcome.concernId, ['urgency', 'escalate_at'])
      assert.equal(row.urgency, 'immediate')
      assert.deepEqual(row.escalate_at, new Date('2026-11-25T09:15:00Z'))
    })

    it('tells safer custody alone when nobody is named for the person’s stage', async () => {
      const person = await givenPersonAtStage(database.db, home.code, {
        stage: 'reception',
        startedAt: '2026-11-25T08:00:00Z',
      })
      const outcome = await services.concerns.raiseConcern(home.partner, person.prisonNumber, worried)
      assert.ok('concernId' in outcome)
      assert.equal(outcome.responsibleName, null)
      const href = `/concerns/${outcome.concernId}`
      assert.equal((await notificationsOf(home.lead.id)).filter((n) => n.href === href).length, 1)
      assert.equal((await notificationsOf(home.officer.id)).filter((n) => n.href === href).length, 0)
    })

    it('sends the officer of a sensitive concern to their list, not to the detail they may not read', async () => {
      const person = await givenPersonOnWing()
      const before = (await notificationsOf(home.officer.id)).length
      const outcome = await services.concerns.raiseConcern(home.partner, person.prisonNumber, {
        ...worried,
        isSensitive: true,
      })
      assert.ok('concernId' in outcome)
      const officerGot = (await notificationsOf(home.officer.id)).slice(before)
      assert.deepEqual(
        officerGot.map((n) => n.href),
        ['/concerns'],
      )
      assert.equal(
        (await notificationsOf(home.lead.id)).filter((n) => n.href === `/concerns/${outcome.concernId}`).length,
        1,
      )
    })

    it('refuses a peer supporter who is not serving here and writes nothing', async () => {
      const person = await givenPersonOnWing()
      const outcome = await services.concerns.raiseConcern(home.officer, person.prisonNumber, {
        ...worried,
        peerSupporterId: '00000000-0000-4000-8000-000000000000',
      })
      assert.deepEqual(outcome, { field: 'peerSupporterId', messageKey: 'concerns.raise.error.peerSupporter' })
      const rows = await database.db.selectFrom('concern').select('id').where('person_id', '=', person.id).execute()
      assert.equal(rows.length, 0)
    })

    it('records a concern a Listener passed to a member of staff', async () => {
      const person = await givenPersonOnWing()
      const listener = await givenPerson(database.db, home.code, { cellId: home.cellId })
      const role = await database.db
        .insertInto('peer_supporter')
        .values({ person_id: listener.id, scheme: 'listener', wing_id: home.wingId, started_on: '2026-01-01' })
        .returning('id')
        .executeTakeFirstOrThrow()
      const outcome = await services.concerns.raiseConcern(home.officer, person.prisonNumber, {
        ...worried,
        peerSupporterId: role.id,
      })
      assert.ok('concernId' in outcome)
      const row = await storedConcern(outcome.concernId, ['peer_supporter_id', 'raised_by'])
      assert.deepEqual(row, { peer_supporter_id: role.id, raised_by: home.officer.id })
    })
  })

  describe('viewing a sensitive concern', () => {
    it('is a 404 to the partner worker who raised it, and the attempt is audited', async () => {
      const person = await givenPersonOnWing()
      const id = await givenConcernFromPartner(person, { isSensitive: true })
      await assert.rejects(() => services.concerns.viewConcern(home.partner, id), NotFound)
      await assert.rejects(() => services.concerns.viewConcern(home.officer, id), NotFound)
      await assert.rejects(() => services.concerns.viewConcern(home.governor, id), NotFound)
      const refused = (await auditOf(person.id)).filter((entry) => entry.action === 'concern.view-refused')
      assert.deepEqual(
        refused.map((entry) => entry.actor_username),
        [home.partner.username, home.officer.username, home.governor.username],
      )
    })

    it('shows its detail to healthcare, audited, and counts as received', async () => {
      const person = await givenPersonOnWing()
      const id = await givenConcernFromPartner(person, {
        isSensitive: true,
        whatHappened: 'Talked about a debt on the wing.',
      })
      const view = await services.concerns.viewConcern(home.healthcare, id)
      assert.equal(view.concern.whatHappened, 'Talked about a debt on the wing.')
      assert.equal(view.concern.status, 'received')
      const viewed = (await auditOf(person.id)).filter((entry) => entry.action === 'concern.viewed')
      assert.deepEqual(
        viewed.map((entry) => [entry.actor_username, entry.details.concernId]),
        [[home.healthcare.username, id]],
      )
    })

    it('opened by two at once, is received by one, and both are told who', async () => {
      const id = await givenConcernFromPartner(await givenPersonOnWing())
      const views = await Promise.all([home.lead, home.officer].map((who) => services.concerns.viewConcern(who, id)))
      const [receivedBy] = new Set(views.map((view) => view.concern.receivedByName))
      assert.deepEqual(
        views.map((view) => view.concern.receivedByName),
        [receivedBy, receivedBy],
      )
    })

    it('is a 404 to a user at another prison', async () => {
      const elsewhere = await givenEstablishment(database.db)
      const stranger = await givenStaffUser(database.db, {
        role: 'safercustody',
        establishmentCodes: [elsewhere.code],
      })
      const person = await givenPersonOnWing()
      const id = await givenConcernFromPartner(person)
      await assert.rejects(() => services.concerns.viewConcern(stranger, id), NotFound)
    })
  })

  describe('feedback to the raiser', () => {
    it('goes from sent to received by the officer to acted on, with what was done', async () => {
      const person = await givenPersonOnWing()
      const outcome = await services.concerns.raiseConcern(home.partner, person.prisonNumber, worried)
      assert.ok('concernId' in outcome)
      const mine = async () =>
        (await services.concerns.listRaised(home.partner)).concerns.find((c) => c.id === outcome.concernId)!
      assert.equal((await mine()).status, 'sent')
      await services.concerns.viewConcern(home.officer, outcome.concernId)
      assert.equal((await mine()).status, 'received')
      assert.equal((await mine()).receivedByName, home.officer.displayName)
      assert.equal(
        await services.concerns.actOnConcern(home.lead, outcome.concernId, { outcome: 'spoke-with-person', note: '' }),
        null,
      )
      const fed = await mine()
      assert.equal(fed.status, 'acted-on')
      assert.equal(fed.outcome, 'spoke-with-person')
      const acted = (await auditOf(person.id)).find((entry) => entry.action === 'concern.acted-on')
      assert.deepEqual(acted?.details, { concernId: outcome.concernId, outcome: 'spoke-with-person' })
    })

    it('never tells the raiser what was done about a sensitive concern', async () => {
      const person = await givenPersonOnWing()
      const outcome = await services.concerns.raiseConcern(home.partner, person.prisonNumber, {
        ...worried,
        isSensitive: true,
      })
      assert.ok('concernId' in outcome)
      await services.concerns.actOnConcern(home.lead, outcome.concernId, {
        outcome: 'referred-to-healthcare',
        note: 'Seen by mental health in-reach',
      })
      const fed = (await services.concerns.listRaised(home.partner)).concerns.find((c) => c.id === outcome.concernId)!
      assert.equal(fed.status, 'acted-on')
      assert.equal(fed.outcome, null)
      assert.equal(fed.detailShown, false)
      assert.ok(!JSON.stringify(fed).includes('mental health'))
    })
  })

  describe('actOnConcern', () => {
    it('asks why there is to be no further action, and a second action is refused', async () => {
      const person = await givenPersonOnWing()
      const id = await givenConcernFromPartner(person)
      assert.deepEqual(
        await services.concerns.actOnConcern(home.officer, id, { outcome: 'no-further-action', note: '' }),
        {
          field: 'note',
          messageKey: 'concerns.act.error.reason',
        },
      )
      assert.equal(
        await services.concerns.actOnConcern(home.officer, id, { outcome: 'no-further-action', note: 'Misheard' }),
        null,
      )
      assert.equal(
        (await services.concerns.actOnConcern(home.lead, id, { outcome: 'spoke-with-person', note: '' }))?.messageKey,
        'concerns.act.error.already',
      )
      const row = await storedConcern(id, ['outcome', 'acted_by', 'action_note'])
      assert.deepEqual(row, { outcome: 'no-further-action', acted_by: home.officer.id, action_note: 'Misheard' })
    })
  })

  describe('listConcerns', () => {
    it('gives safer custody the prison’s concerns and an officer only those sent to them, with the overdue and sensitive lists', async () => {
      const { itsLead, itsOfficer, ...prison } = await givenPrisonWithStaff(database.db, {
        itsLead: 'safercustody',
        itsOfficer: 'officer',
      })
      const person = await givenPerson(database.db, prison.code)
      const base = { personId: person.id, establishmentCode: prison.code, raisedBy: itsLead.id }
      const overdue = await givenConcern(database.db, {
        ...base,
        raisedAt: '2026-11-25T08:00:00Z',
        responsibleStaffUserId: itsOfficer.id,
      })
      const sensitive = await givenConcern(database.db, {
        ...base,
        raisedAt: '2026-11-25T08:58:00Z',
        isSensitive: true,
        whatHappened: 'Private',
      })
      const acted = await givenConcern(database.db, {
        ...base,
        raisedAt: '2026-11-24T08:00:00Z',
        actedAt: '2026-11-24T08:05:00Z',
      })
      const ids = async (actor: Actor, state: 'open' | 'overdue' | 'sensitive' | 'acted') =>
        (await services.concerns.listConcerns(actor, state)).concerns.map((concern) => concern.id)
      assert.deepEqual(await ids(itsLead, 'open'), [overdue, sensitive])
      assert.deepEqual(await ids(itsLead, 'overdue'), [overdue])
      assert.deepEqual(await ids(itsLead, 'sensitive'), [sensitive])
      assert.deepEqual(await ids(itsLead, 'acted'), [acted])
      assert.deepEqual(await ids(itsOfficer, 'open'), [overdue])
      const listed = (await auditTrailOf(database.db, { actorId: itsOfficer.id })).filter(
        (entry) => entry.action === 'concerns.listed',
      )
      assert.deepEqual(listed[0]?.details, { state: 'open', count: 1, wholePrison: false, page: 1, total: 1 })
    })

    it('never hands a sensitive concern’s detail to a governor’s list', async () => {
      const person = await givenPersonOnWing()
      const id = await givenConcernFromPartner(person, {
        raisedAt: '2026-11-25T08:59:00Z',
        isSensitive: true,
        whatHappened: 'Only for safer custody',
      })
      const row = (await services.concerns.listConcerns(home.governor, 'sensitive')).concerns.find(
        (concern) => concern.id === id,
      )
      assert.equal(row?.detailShown, false)
      assert.equal(row?.whatHappened, null)
    })
  })

  describe('the safer custody dashboard', () => {
    it('sets a director’s prisons side by side with the figures each prison’s own lead sees', async () => {
      const [north, south] = [await givenCarePlanPrison(database.db), await givenCarePlanPrison(database.db)]
      const quiet = await givenEstablishment(database.db)
      const concernAt = (prison: { code: string; person: { id: string } }, values: object = {}) =>
        givenConcern(database.db, {
          personId: prison.person.id,
          establishmentCode: prison.code,
          raisedBy: home.officer.id,
          raisedAt: '2026-11-25T08:00:00Z',
          ...values,
        })
      // North: two open (one overdue and escalated, one sensitive not yet due), one acted on; a care plan.
      const escalated = await concernAt(north)
      await database.db
        .updateTable('concern')
        .set({ escalated_at: new Date('2026-11-25T08:15:00Z') })
        .where('id', '=', escalated)
        .execute()
      await concernAt(north, { isSensitive: true, escalateAt: '2026-11-25T12:00:00Z' })
      await concernAt(north, { actedAt: '2026-11-25T08:30:00Z' })
      const opened = await services.carePlans.openCarePlan(north.officer, north.person.prisonNumber, {
        reason: 'Said they could not go on',
        concernId: null,
      })
      assert.ok('carePlanId' in opened)
      // South: one open, not yet due; the quiet prison has none.
      await concernAt(south, { escalateAt: '2026-11-25T10:00:00Z' })
      const director = {
        ...(await givenStaffUser(database.db, {
          role: 'director',
          establishmentCodes: [south.code, north.code, quiet.code],
        })),
        establishments: [
          { code: north.code, name: 'HMP Aber' },
          { code: south.code, name: 'HMP Bryn' },
          { code: quiet.code, name: 'HMP Cwm' },
        ],
      }
      const view = await services.concerns.dashboard(director)
      assert.deepEqual(
        view.prisons?.map((prison) => [prison.name, prison.concerns]),
        [
          ['HMP Aber', { open: 2, escalated: 1, overdue: 1, sensitive: 1 }],
          ['HMP Bryn', { open: 1, escalated: 0, overdue: 0, sensitive: 0 }],
          ['HMP Cwm', { open: 0, escalated: 0, overdue: 0, sensitive: 0 }],
        ],
      )
      const sideBySide = new Map(view.prisons?.map((prison) => [prison.code, prison]))
      for (const prison of [north, south]) {
        const own = await services.concerns.dashboard(prison.lead)
        assert.equal(own.prisons, null)
        assert.deepEqual(sideBySide.get(prison.code)?.concerns, own.concerns)
        assert.deepEqual(sideBySide.get(prison.code)?.carePlans, own.carePlans)
      }
      const awaitingFirstReview = (code: string) =>
        sideBySide.get(code)?.carePlans?.find((entry) => entry.key === 'carePlans.dashboard.awaitingFirstReview')?.count
      assert.deepEqual(
        [awaitingFirstReview(north.code), awaitingFirstReview(south.code), awaitingFirstReview(quiet.code)],
        [1, 0, 0],
      )
      // The prison the director works in now is the dashboard's own, counted once with the others.
      assert.deepEqual(view.concerns, sideBySide.get(south.code)?.concerns)
      const carePlanViews = await database.db
        .selectFrom('audit_event')
        .select('establishment_code')
        .where('actor_id', '=', director.id)
        .where('action', '=', 'care-plans.dashboard-viewed')
        .orderBy('establishment_code')
        .execute()
      assert.deepEqual(
        carePlanViews.map((entry) => entry.establishment_code),
        [north.code, south.code, quiet.code].sort(),
      )
    })

    it('counts the people with nobody named as the gaps page does, recording only the dashboard’s view', async () => {
      const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
      await givenPerson(database.db, prison.code)
      await givenPersonAtStage(database.db, prison.code, { stage: 'first-night', startedAt: '2026-11-24T20:00:00Z' })
      await givenPersonAtStage(database.db, prison.code, { stage: 'residential', startedAt: '2026-11-10T10:00:00Z' })
      const view = await services.concerns.dashboard(lead)
      assert.deepEqual(view.gaps, {
        total: 3,
        counts: { 'no-journey': 1, 'no-named-person': 1, 'no-dedicated-officer': 1 },
      })
      assert.deepEqual(
        (await auditTrailOf(database.db, { actorId: lead.id })).map((entry) => entry.action),
        ['care-plans.dashboard-viewed', 'safer-custody.dashboard-viewed'],
      )
    })
  })

  describe('for other areas', () => {
    it('puts a person’s open concerns into their transfer’s handover, without what was seen or heard', async () => {
      const elsewhere = await givenEstablishment(database.db, { function: 'training' })
      const person = await givenPersonOnWing()
      const id = await givenConcernFromPartner(person, { whatHappened: 'Frightened of the move' })
      const handover = await startedHandover(database.db, services.journey, home.lead, person.prisonNumber, {
        toEstablishmentCode: elsewhere.code,
        risks: '',
      })
      const carried = (handover.summary as { concerns: { id: string; description: string }[] }).concerns
      assert.deepEqual(
        carried.map((concern) => concern.id),
        [id],
      )
      assert.equal(carried[0].description, 'Concern raised 2026-11-25 at 08:30 UK time (immediate), not yet acted on')
      assert.ok(!JSON.stringify(handover.summary).includes('Frightened'))
    })

    it('gives a handover the open concerns without what was seen or heard', async () => {
      const person = await givenPersonOnWing()
      const open = await givenConcernFromPartner(person, { isSensitive: true, whatHappened: 'A private matter' })
      await givenConcernFromPartner(person, { raisedAt: '2026-11-20T08:30:00Z', actedAt: '2026-11-20T09:00:00Z' })
      const handover = await services.concerns.openConcernsForHandover(database.db, person.id)
      assert.deepEqual(
        handover.map((concern) => concern.id),
        [open],
      )
      assert.ok(!handover[0].summary.includes('private'))
      assert.ok(!/sensitive/i.test(handover[0].summary))
    })

    it('dates a concern in the handover by the prison’s clock: 00:30 on 1 July, not 23:30 the day before', async () => {
      const person = await givenPersonOnWing()
      await givenConcernFromPartner(person, { raisedAt: '2026-06-30T23:30:00Z', urgency: 'today' })
      const [concern] = await services.concerns.openConcernsForHandover(database.db, person.id)
      assert.equal(concern.summary, 'Concern raised 2026-07-01 at 00:30 UK time (to act on today), not yet acted on')
    })

    it('records a care plan opened from a concern as what was done, once', async () => {
      const person = await givenPersonOnWing()
      const id = await givenConcernFromPartner(person)
      const carePlanId = '11111111-1111-4111-8111-111111111111'
      const found = await services.concerns.findConcernForCarePlan(home.lead, id)
      assert.equal(found.personId, person.id)
      assert.equal(await services.concerns.recordCarePlanOpened(database.db, home.lead, id, carePlanId), true)
      assert.equal(await services.concerns.recordCarePlanOpened(database.db, home.lead, id, carePlanId), false)
      const row = await storedConcern(id, ['outcome', 'care_plan_id'])
      assert.deepEqual(row, { outcome: 'care-plan-opened', care_plan_id: carePlanId })
    })
  })
})
