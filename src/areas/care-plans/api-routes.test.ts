import { it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/database.ts'
import { describePagesOnEachEngine, type PagesUnderTest } from '../../../test/support/app.ts'
import { givenSystemAtHome } from '../../../test/support/api-client.ts'
import {
  givenAnotherPerson,
  closingReview,
  givenAssessedPlan,
  givenCarePlanPrison,
  givenOpenedPlan,
  givenReviewedPlan,
  observationRows,
  type CarePlanPrison,
} from '../../../test/support/care-plan-builders.ts'
import { readPage } from '../../../test/support/page.ts'
import { whileAuditRefuses } from '../../../test/support/audit-trail.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { CarePlanService } from './service.ts'

/**
 * Tests of the JSON API on a database of their own: the app with its services built in the test, at a prison
 * ready for care plans, on a clock stopped at `now`.
 */
function describeApiAt(
  now: string,
  title: string,
  body: (site: PagesUnderTest<never, CarePlanPrison>, clock: ReturnType<typeof fixedClock>) => void,
) {
  const clock = fixedClock(now)
  describePagesOnEachEngine<never, CarePlanPrison>(
    title,
    { clock, services: true, home: givenCarePlanPrison },
    (site) => body(site, clock),
  )
}

describeApiAt('2026-11-28T14:05:00Z', 'ACCT alerts for other systems: GET /api/acct-alerts and a person’s', (site) => {
  it('gives the alert of an open care plan in the HMPPS alerts API’s shape, and nothing of the plan', async () => {
    const opened = await site.services.carePlans.openCarePlan(site.home.officer, site.home.person.prisonNumber, {
      reason: 'Said they could not go on',
      concernId: null,
    })
    assert.ok('carePlanId' in opened)
    const system = await givenSystemAtHome(site, ['ROLE_WAYMARK__CARE_PLANS__RO'])
    const inForce = await system.get('/api/acct-alerts')
    assert.equal(inForce.statusCode, 200, inForce.body)
    const page = inForce.json<{ content: Record<string, unknown>[]; totalElements: number }>()
    assert.equal(page.totalElements, 1)
    const [alert] = page.content
    assert.deepEqual(
      { ...alert, alertUuid: typeof alert?.alertUuid },
      {
        alertUuid: 'string',
        prisonNumber: site.home.person.prisonNumber,
        alertCode: { alertTypeCode: 'H', alertTypeDescription: 'Self harm', code: 'HA', description: 'ACCT open' },
        description: 'ACCT open',
        activeFrom: '2026-11-28',
        activeTo: null,
        isActive: true,
        createdAt: '2026-11-28T14:05:00.000Z',
        createdBy: 'WAYMARK',
        prisonCodeWhenCreated: site.home.code,
      },
    )
    assert.doesNotMatch(inForce.body, /could not go on/)

    const history = await system.get(`/api/people/${site.home.person.prisonNumber.toLowerCase()}/acct-alerts`)
    assert.equal(history.statusCode, 200)
    assert.deepEqual(
      history.json<{ alertUuid: string }[]>().map((each) => each.alertUuid),
      [alert?.alertUuid],
    )
  })

  it('answers 404 for someone not at the prison, and an empty list for someone with no care plan', async () => {
    const system = await givenSystemAtHome(site, ['ROLE_WAYMARK__CARE_PLANS__RW'])
    const nobody = await system.get('/api/people/Z9999ZZ/acct-alerts')
    assert.equal(nobody.statusCode, 404)
    assert.equal(nobody.json<{ status: number }>().status, 404)
    const other = await givenAnotherPerson(site.db, site.home)
    const none = await system.get(`/api/people/${other.prisonNumber}/acct-alerts`)
    assert.equal(none.statusCode, 200)
    assert.deepEqual(none.json(), [])
    const badNumber = await system.get('/api/people/not-a-number/acct-alerts')
    assert.equal(badNumber.statusCode, 400)
  })

  it('is refused to a system that may read the roll but not care plans', async () => {
    const system = await givenSystemAtHome(site, ['ROLE_WAYMARK__PEOPLE__RO'])
    assert.equal((await system.get('/api/acct-alerts')).statusCode, 403)
  })
})

const supervision = { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 }
/** A plan through its first case review, then closed at the next: awaiting its post-closure review. */
async function givenClosedPlan(db: Db, carePlans: CarePlanService, prison: CarePlanPrison, at: Date) {
  const { person, id } = await givenReviewedPlan(db, carePlans, prison, at, supervision)
  const refusal = await carePlans.holdReview(prison.lead, person.prisonNumber, id, closingReview(prison, at))
  if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  return { person, id }
}

/** A handheld device's change: its token, the prison, and whoever the device says made it. */
function postAs(app: FastifyInstance, system: { token: string }, prisonCode: string) {
  return (url: string, payload: object, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${system.token}`, 'caseload-id': prisonCode, ...headers },
      payload,
    })
}

describeApiAt(
  '2026-11-25T09:00:00Z',
  'care plans for other systems: GET /api/care-plans, one of them, and POST an observation',
  (site, clock) => {
    const openPlan = () => givenOpenedPlan(site.db, site.services.carePlans, site.home)
    const reader = () => givenSystemAtHome(site, ['ROLE_WAYMARK__CARE_PLANS__RO'])
    const device = async () => {
      const system = await givenSystemAtHome(site, ['ROLE_WAYMARK__CARE_PLANS__RW'], 'Wing handheld')
      return { ...system, post: postAs(site.app, system, site.home.code) }
    }
    const observation = { observedAt: '2026-11-25T09:00:00Z', seen: 'Sitting up, reading', wasConversation: true }

    it('lists the open plans at the prison in facts, and none of what anyone wrote', async () => {
      const { person, id } = await openPlan()
      const assessed = await givenAssessedPlan(site.db, site.services.carePlans, site.home, clock.now(), supervision)
      const closed = await givenClosedPlan(site.db, site.services.carePlans, site.home, clock.now())
      const system = await reader()
      const open = await system.get('/api/care-plans?page=0&size=100')
      assert.equal(open.statusCode, 200, open.body)
      const page = open.json<{ content: { id: string }[]; totalElements: number }>()
      assert.deepEqual(
        page.content.find((plan) => plan.id === id),
        {
          id,
          prisonNumber: person.prisonNumber,
          stage: 'awaiting-immediate-action',
          openedAt: '2026-11-25T09:00:00.000Z',
          closedAt: null,
          riskLevel: null,
          supervision: null,
          nextCaseReviewDueAt: '2026-11-26T09:00:00.000Z',
          lastObservedAt: null,
        },
      )
      assert.deepEqual(
        page.content.find((plan) => plan.id === assessed.id),
        {
          id: assessed.id,
          prisonNumber: assessed.person.prisonNumber,
          stage: 'awaiting-first-review',
          openedAt: '2026-11-25T09:00:00.000Z',
          closedAt: null,
          riskLevel: null,
          supervision: { level: 'intervals', ...supervision },
          nextCaseReviewDueAt: '2026-11-26T09:00:00.000Z',
          lastObservedAt: null,
        },
      )
      assert.ok(!page.content.some((plan) => plan.id === closed.id), 'a closed plan is not an open one')
      assert.doesNotMatch(open.body, /could not go on|Officer staying|Low mood/)

      const closedPage = await system.get('/api/care-plans?state=closed')
      assert.equal(closedPage.statusCode, 200)
      const closedPlans = closedPage.json<{ content: { id: string; stage: string; supervision: unknown }[] }>()
      assert.deepEqual(
        closedPlans.content.map(({ id: each, stage, supervision: now }) => ({ id: each, stage, supervision: now })),
        [{ id: closed.id, stage: 'post-closure', supervision: null }],
      )
      assert.doesNotMatch(closedPage.body, /Much better|Feels able to cope|visits team|Phone calls|Stops eating/)
    })

    it('gives one plan with an ETag that changes when an observation is recorded on it', async () => {
      const { person, id } = await openPlan()
      const system = await reader()
      const before = await system.get(`/api/care-plans/${id}`)
      assert.equal(before.statusCode, 200, before.body)
      assert.equal(before.json<{ prisonNumber: string }>().prisonNumber, person.prisonNumber)
      const tag = before.headers.etag
      assert.match(String(tag), /^"[\w-]+"$/)
      assert.equal((await system.get(`/api/care-plans/${id}`)).headers.etag, tag, 'unchanged, the same tag')

      const refusal = await site.services.carePlans.recordObservation(site.home.officer, person.prisonNumber, id, {
        observedAt: new Date('2026-11-25T09:00:30Z'),
        seen: 'Asleep',
        wasConversation: false,
      })
      assert.equal(refusal, null)
      const after = await system.get(`/api/care-plans/${id}`)
      assert.notEqual(after.headers.etag, tag)
      assert.equal(after.json<{ lastObservedAt: string }>().lastObservedAt, '2026-11-25T09:00:30.000Z')
    })

    it('answers 404 in the API’s shape for another prison’s plan, and for an id that is none', async () => {
      const elsewhere = await givenCarePlanPrison(site.db)
      const theirs = await site.services.carePlans.openCarePlan(elsewhere.officer, elsewhere.person.prisonNumber, {
        reason: 'Said they could not go on',
        concernId: null,
      })
      assert.ok('carePlanId' in theirs)
      const system = await device()
      const read = await system.get(`/api/care-plans/${theirs.carePlanId}`)
      assert.equal(read.statusCode, 404)
      assert.deepEqual(read.json(), {
        status: 404,
        userMessage: 'Not Found',
        developerMessage: 'No such care plan at this prison',
      })
      assert.equal((await system.get('/api/care-plans/not-a-plan')).statusCode, 404)
      const write = await system.post(`/api/care-plans/${theirs.carePlanId}/observations`, observation, {
        username: site.home.officer.username,
      })
      assert.equal(write.statusCode, 404)
      assert.deepEqual(await observationRows(site.db, theirs.carePlanId), [])
      const seenThere = await site.services.carePlans.recordObservation(
        elsewhere.officer,
        elsewhere.person.prisonNumber,
        theirs.carePlanId,
        { observedAt: clock.now(), seen: 'Asleep', wasConversation: false },
      )
      assert.equal(seenThere, null)
      const [theirObservation] = await observationRows(site.db, theirs.carePlanId)
      const observationThere = `/api/care-plans/${theirs.carePlanId}/observations/${theirObservation?.id}`
      assert.equal((await system.get(observationThere)).statusCode, 404)
    })

    it('records a handheld device’s observation as the officer’s own, shown on the care plan page as theirs', async () => {
      const { person, id } = await openPlan()
      const system = await device()
      const sent = await system.post(`/api/care-plans/${id}/observations`, observation, {
        username: site.home.officer.username.toUpperCase(),
      })
      assert.equal(sent.statusCode, 201, sent.body)
      const stored = sent.json<{ id: string }>()
      assert.deepEqual(stored, {
        id: stored.id,
        carePlanId: id,
        prisonNumber: person.prisonNumber,
        observedAt: '2026-11-25T09:00:00.000Z',
        wasConversation: true,
        recordedAt: '2026-11-25T09:00:00.000Z',
        recordedBy: site.home.officer.username,
      })
      assert.equal(sent.headers.location, `/api/care-plans/${id}/observations/${stored.id}`)
      const located = await system.get(String(sent.headers.location))
      assert.equal(located.statusCode, 200, located.body)
      assert.deepEqual(located.json(), stored)
      assert.doesNotMatch(located.body, /Sitting up/)
      const [row] = await observationRows(site.db, id)
      assert.equal(row?.id, stored.id)
      assert.equal(row?.recorded_by, site.home.officer.id)

      const lead = await site.as(site.home.lead)
      const page = readPage((await lead.get(`/people/${person.prisonNumber}/care-plans/${id}`)).body)
      const entries = page.table('Observation record').slice(1)
      assert.equal(entries.length, 1)
      assert.deepEqual(entries[0]?.slice(2, 5), [
        'What was seen Sitting up, reading',
        'Conversation Yes',
        `Recorded by ${site.home.officer.displayName}`,
      ])
    })

    it('answers a change it made with 201 when the record of the call cannot be written, and a read with 500', async () => {
      const { id } = await openPlan()
      const system = await device()
      await whileAuditRefuses(site.db, 'api.called', async () => {
        // The observation and its own audit entry are saved together: an error here would have the device send
        // it again, and the care plan would hold it twice.
        const sent = await system.post(`/api/care-plans/${id}/observations`, observation, {
          username: site.home.officer.username,
        })
        assert.equal(sent.statusCode, 201, sent.body)
        assert.equal((await observationRows(site.db, id)).length, 1)
        // A read no one recorded is not given, nor the database's words.
        const read = await system.get(`/api/care-plans/${id}`)
        assert.equal(read.statusCode, 500)
        assert.deepEqual(read.json(), {
          status: 500,
          userMessage: 'Something went wrong',
          developerMessage: 'Something went wrong',
        })
        assert.equal(read.headers.etag, undefined)
      })
    })

    it('refuses a change that names no one (400), someone whose role may not record (403), or a read-only client', async () => {
      const { id } = await openPlan()
      const system = await device()
      const anonymous = await system.post(`/api/care-plans/${id}/observations`, observation)
      assert.equal(anonymous.statusCode, 400)
      assert.match(anonymous.json<{ developerMessage: string }>().developerMessage, /username/i)
      // A governor reads care plans but does not record observations on the page: nor from a device.
      const governor = await system.post(`/api/care-plans/${id}/observations`, observation, {
        username: site.home.governor.username,
      })
      assert.equal(governor.statusCode, 403)
      assert.match(governor.json<{ developerMessage: string }>().developerMessage, /may not record observations/)
      const stranger = await system.post(`/api/care-plans/${id}/observations`, observation, {
        username: 'nobody.here',
      })
      assert.equal(stranger.statusCode, 403)
      const readOnly = postAs(site.app, await reader(), site.home.code)
      const refused = await readOnly(`/api/care-plans/${id}/observations`, observation, {
        username: site.home.officer.username,
      })
      assert.equal(refused.statusCode, 403)
      assert.deepEqual(await observationRows(site.db, id), [])
    })

    it('refuses an observation on a closed plan (409), and stores nothing', async () => {
      const closed = await givenClosedPlan(site.db, site.services.carePlans, site.home, clock.now())
      const system = await device()
      const late = await system.post(`/api/care-plans/${closed.id}/observations`, observation, {
        username: site.home.officer.username,
      })
      assert.equal(late.statusCode, 409, late.body)
      assert.equal(late.json<{ status: number }>().status, 409)
      assert.deepEqual(await observationRows(site.db, closed.id), [])
    })

    it('refuses what the page would refuse (400), naming the field', async () => {
      const { id } = await openPlan()
      const system = await device()
      const asOfficer = { username: site.home.officer.username }
      const refusals = [
        [{ ...observation, seen: '   ' }, 'seen'],
        [{ ...observation, seen: 'x'.repeat(4001) }, 'seen'],
        [{ ...observation, observedAt: '25/11/2026 08:50' }, 'observedAt'],
        [{ ...observation, observedAt: '2026-11-25T10:00:00Z' }, 'observedAt'],
        [{ ...observation, observedAt: '2026-11-24T08:00:00Z' }, 'observedAt'],
        [{ observedAt: observation.observedAt, seen: observation.seen }, 'wasConversation'],
      ] as const
      for (const [body, field] of refusals) {
        const refused = await system.post(`/api/care-plans/${id}/observations`, body, asOfficer)
        assert.equal(refused.statusCode, 400, `${field}: ${refused.body}`)
        assert.match(refused.json<{ developerMessage: string }>().developerMessage, new RegExp(field))
      }
      assert.deepEqual(await observationRows(site.db, id), [])
    })
  },
)
