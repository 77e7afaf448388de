import { before, describe, it } from 'node:test'
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
import { givenConcern } from '../../../test/support/concern-builders.ts'
import { givenDedicatedOfficer, givenHandover, givenPersonAtStage } from '../../../test/support/journey-builders.ts'
import { givenPersonAccount } from '../../../test/support/my-view-builders.ts'
import { TEST_PASSWORD } from '../../../test/support/builders.ts'
import { createSessions } from '../../platform/sessions.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { setStaffPasswordHash as setPasswordHash } from '../staff/service.ts'

describeServicesOnEachEngine('the person’s own view', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenPrisonWithStaff(database.db, { lead: 'safercustody', officer: 'keyworker' }))
  let person: Actor
  let other: { id: string; prisonNumber: string }

  before(async () => {
    const db = database.db
    const me = await givenPerson(db, prison.code, { firstName: 'Rhys' })
    other = await givenPerson(db, prison.code, { firstName: 'Gareth', lastName: 'Evans' })
    await givenDedicatedOfficer(db, me.id, prison.officer.id, '2026-11-01T09:00:00Z')
    await givenDedicatedOfficer(db, other.id, prison.officer.id, '2026-11-01T09:00:00Z')
    person = await givenPersonAccount(db, me)
  })

  it('tells the person what was done about their worry, but not once staff have marked it sensitive', async () => {
    const worriesAboutThemself = [
      ['Someone keeps taking my canteen', 'no'],
      ['I am scared of my cellmate', 'not-sure'],
    ] as const
    for (const [whatIsHappening, danger] of worriesAboutThemself)
      assert.deepEqual(
        await services.myView.raiseWorry(person, {
          about: 'me',
          firstName: '',
          lastName: '',
          wing: '',
          whatIsHappening,
          danger,
        }),
        [],
      )
    await database.db
      .updateTable('concern')
      .set({ acted_at: clock.now(), acted_by: prison.lead.id, outcome: 'passed-to-wing' })
      .where('raised_by_person_account_id', '=', person.id)
      .execute()
    await database.db
      .updateTable('concern')
      .set({ is_sensitive: true })
      .where('what_happened', '=', 'I am scared of my cellmate')
      .execute()
    const { worries } = await services.myView.worries(person)
    assert.deepEqual(worries.map((worry) => [worry.status, worry.outcome]).sort(), [
      ['acted-on', null],
      ['acted-on', 'passed-to-wing'],
    ])
  })

  it('never lists a concern staff raised about the person, only the worries they raised themselves', async () => {
    await givenConcern(database.db, {
      personId: person.person!.id,
      establishmentCode: prison.code,
      raisedBy: prison.officer.id,
      raisedAt: '2026-11-20T10:00:00Z',
      whatHappened: 'Officer noticed he was withdrawn',
    })
    const { worries } = await services.myView.worries(person)
    assert.equal(worries.length, 2)
  })

  it('records the person’s request to change officer for themselves only, however the key work service is asked', async () => {
    await assert.rejects(
      services.keywork.raiseChangeRequest(person, other.prisonNumber, 'For someone else'),
      (error) => error instanceof NotFound,
    )
    assert.equal(await services.myView.askToChangeOfficer(person, ''), null)
    const requests = await database.db
      .selectFrom('officer_change_request')
      .select(['person_id', 'raised_by_person_account_id'])
      .execute()
    assert.deepEqual(requests, [{ person_id: person.person!.id, raised_by_person_account_id: person.id }])
  })

  it('is no use to a member of staff: every use case is the signed-in person’s own', async () => {
    await assert.rejects(services.myView.timetable(prison.lead), (error) => error instanceof NotFound)
    await assert.rejects(services.myView.worries(prison.lead), (error) => error instanceof NotFound)
  })

  describe('leaving custody (C1)', () => {
    const sessions = () =>
      createSessions({
        setPasswordHash,
        db: database.db,
        clock,
        audit: services.audit,
        policy: { idleMinutes: 30, absoluteHours: 12 },
      })
    const accountOf = (personId: string) =>
      database.db
        .selectFrom('person_account')
        .select('is_active')
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow()
    const aPersonSignedIn = async () => {
      const someone = await givenPersonAtStage(database.db, prison.code, {
        stage: 'residential',
        responsibleStaffUserId: prison.officer.id,
        startedAt: '2026-10-01T10:00:00Z',
      })
      const account = await givenPersonAccount(database.db, someone)
      const signIn = await sessions().signInPerson(account.username, TEST_PASSWORD)
      assert.ok(signIn.signedIn)
      return { someone, account, token: signIn.token }
    }

    it('closes the person’s account and ends their sessions with their release, so they cannot sign in again', async () => {
      const { someone, account, token } = await aPersonSignedIn()
      // What the tests before this one published (a concern raised goes out to other systems) is heard first.
      await deliverEvents(services)
      const release = { stage: 'release', responsibleStaffUserId: null, reason: 'Sentence served' } as const
      assert.equal(await services.journey.recordStage(prison.lead, someone.prisonNumber, release), null)
      assert.equal((await accountOf(someone.id)).is_active, true, 'closed by the release’s event, not in its write')
      // Two listeners hear of a release: the person's own view, and care plans (which end a plan in progress).
      assert.equal(await deliverEvents(services), 2)
      assert.equal((await accountOf(someone.id)).is_active, false)
      assert.equal(await sessions().resolve(token), null, 'the laptop left signed in is signed out')
      assert.deepEqual(await sessions().signInPerson(account.username, TEST_PASSWORD), { signedIn: false })
      const closed = await database.db
        .selectFrom('audit_event')
        .select(['person_id', 'actor_id', 'details'])
        .where('action', '=', 'person-account.closed')
        .executeTakeFirstOrThrow()
      assert.deepEqual(closed, {
        person_id: someone.id,
        actor_id: prison.lead.id,
        details: { reason: 'release', sessionsEnded: 1, event: closed.details.event },
      })
      assert.equal(typeof closed.details.event, 'number')
    })

    it('keeps the account open when the release is refused: nothing of it is saved', async () => {
      const { someone, token } = await aPersonSignedIn()
      await givenHandover(database.db, {
        personId: someone.id,
        fromEstablishmentCode: prison.code,
        toEstablishmentCode: (await givenEstablishment(database.db)).code,
        createdBy: prison.lead.id,
      })
      const release = { stage: 'release', responsibleStaffUserId: null, reason: 'Sentence served' } as const
      assert.ok(await services.journey.recordStage(prison.lead, someone.prisonNumber, release))
      assert.equal((await accountOf(someone.id)).is_active, true)
      assert.ok(await sessions().resolve(token))
    })

    it('ends the sessions of a person transferred out but keeps their account, which now opens at the receiving prison', async () => {
      const { someone, account, token } = await aPersonSignedIn()
      const receiving = await givenEstablishment(database.db)
      const receiver = await givenStaffUser(database.db, {
        role: 'safercustody',
        establishmentCodes: [receiving.code],
      })
      const handoverId = await givenHandover(database.db, {
        personId: someone.id,
        fromEstablishmentCode: prison.code,
        toEstablishmentCode: receiving.code,
        createdBy: prison.lead.id,
      })
      assert.equal(
        await services.journey.acknowledgeHandover(receiver, handoverId, {
          responsibleStaffUserId: receiver.id,
          reason: 'Arrived',
        }),
        null,
      )
      assert.equal(await deliverEvents(services), 1)
      assert.equal(await sessions().resolve(token), null, 'the sending prison’s device is signed out')
      assert.equal((await accountOf(someone.id)).is_active, true)
      const again = await sessions().signInPerson(account.username, TEST_PASSWORD)
      assert.ok(again.signedIn)
      assert.equal(again.actor.establishmentCode, receiving.code)
    })
  })

  it('audits the person looking at their timetable against their own record', async () => {
    const { weeks } = await services.myView.timetable(person)
    assert.equal(weeks.length, 2)
    const entry = await database.db
      .selectFrom('audit_event')
      .select(['person_id', 'actor_username'])
      .where('action', '=', 'my-view.timetable-viewed')
      .executeTakeFirstOrThrow()
    assert.deepEqual(entry, { person_id: person.person!.id, actor_username: person.username })
  })
})
