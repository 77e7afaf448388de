import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenSystemAtHome } from '../../../test/support/api-client.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'
import { givenPersonOnWing as givenPersonOnWingAt } from '../../../test/support/journey-builders.ts'
import { readPage } from '../../../test/support/page.ts'
import { fixedClock } from '../../platform/clock.ts'

type Listed = {
  content: { whatHappened: string | null; isSensitive: boolean; safeNow: string | null; status: string }[]
  totalElements: number
}

describe('concerns for other systems', () => {
  describePagesOnEachEngine(
    'GET /api/concerns',
    { clock: fixedClock('2026-12-01T10:00:00Z'), services: true, staff: ['officer'] },
    (site) => {
      const seen = 'Gave away his radio and said he would not need it'
      const sensitive = 'Told healthcare about what happened to him as a child'

      it('lists the prison’s open concerns with what was seen, but a sensitive one’s detail only with its role', async () => {
        const person = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId })
        for (const [minutes, isSensitive, whatHappened] of [
          [30, false, seen],
          [20, true, sensitive],
        ] as const)
          await givenConcern(site.db, {
            personId: person.id,
            establishmentCode: site.home.code,
            raisedBy: site.staff.officer.id,
            raisedAt: new Date(Date.parse('2026-12-01T10:00:00Z') - minutes * 60_000),
            isSensitive,
            whatHappened,
          })
        const wing = await givenSystemAtHome(site, ['ROLE_WAYMARK__CONCERNS__RO'])
        const listed = await wing.get('/api/concerns')
        assert.equal(listed.statusCode, 200, listed.body)
        const page = listed.json<Listed>()
        assert.equal(page.totalElements, 2)
        assert.deepEqual(
          // A sensitive concern's detail, what the raiser feared for them included, as the pages' lists hold it back.
          page.content.map((concern) => [concern.isSensitive, concern.whatHappened, concern.safeNow, concern.status]),
          [
            [true, null, null, 'sent'],
            [false, seen, 'not-sure', 'sent'],
          ],
        )
        assert.doesNotMatch(listed.body, /childhood|as a child/)
        // No member of staff's name travels either.
        assert.doesNotMatch(listed.body, /Test officer/)

        const saferCustody = await givenSystemAtHome(site, [
          'ROLE_WAYMARK__CONCERNS__RO',
          'ROLE_WAYMARK__SENSITIVE_CONCERNS__RO',
        ])
        const full = (await saferCustody.get('/api/concerns')).json<Listed>()
        assert.deepEqual(
          full.content.map((concern) => concern.whatHappened),
          [sensitive, seen],
        )
      })

      it('gives one concern by id under the same need to know, and 404 for one at another prison', async () => {
        const person = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId })
        const elsewhere = await givenEstablishment(site.db)
        const there = await givenPerson(site.db, elsewhere.code)
        const concernAbout = (about: { id: string }, establishmentCode: string) =>
          givenConcern(site.db, {
            personId: about.id,
            establishmentCode,
            raisedBy: site.staff.officer.id,
            raisedAt: '2026-12-01T09:00:00Z',
            isSensitive: true,
            whatHappened: sensitive,
          })
        const here = await concernAbout(person, site.home.code)
        const notHere = await concernAbout(there, elsewhere.code)
        const wing = await givenSystemAtHome(site, ['ROLE_WAYMARK__CONCERNS__RO'])
        const one = await wing.get(`/api/concerns/${here}`)
        assert.equal(one.statusCode, 200, one.body)
        assert.deepEqual(
          (({ id, prisonNumber, whatHappened }) => ({ id, prisonNumber, whatHappened }))(
            one.json<{ id: string; prisonNumber: string; whatHappened: string | null }>(),
          ),
          { id: here, prisonNumber: person.prisonNumber, whatHappened: null },
        )
        assert.equal((await wing.get(`/api/concerns/${notHere}`)).statusCode, 404)
        assert.equal((await wing.get('/api/concerns/not-an-id')).statusCode, 404)
        const saferCustody = await givenSystemAtHome(site, [
          'ROLE_WAYMARK__CONCERNS__RO',
          'ROLE_WAYMARK__SENSITIVE_CONCERNS__RO',
        ])
        const full = await saferCustody.get(`/api/concerns/${here}`)
        assert.equal(full.json<{ whatHappened: string }>().whatHappened, sensitive)
      })

      it('lists the acted-on ones apart, and refuses a state it does not know with 400', async () => {
        const system = await givenSystemAtHome(site, ['ROLE_WAYMARK__CONCERNS__RW'])
        const acted = (await system.get('/api/concerns?state=acted')).json<Listed>()
        assert.equal(acted.totalElements, 0)
        assert.equal((await system.get('/api/concerns?state=closed')).statusCode, 400)
      })

      it('is refused to a system without a concerns role', async () => {
        const roll = await givenSystemAtHome(site, ['ROLE_WAYMARK__SENSITIVE_CONCERNS__RO'])
        assert.equal((await roll.get('/api/concerns')).statusCode, 403)
      })
    },
  )
})

describe('a concern raised by another system', () => {
  describePagesOnEachEngine(
    'POST /api/concerns',
    {
      clock: fixedClock('2026-12-01T10:00:00Z'),
      services: true,
      staff: ['officer', 'keyworker', 'safercustody', 'director'],
    },
    (site) => {
      /** Someone on the wing, with a key worker responsible for them. */
      const givenPersonOnWing = () => givenPersonOnWingAt(site.db, site.home, site.staff.keyworker)

      const kiosk = () => givenSystemAtHome(site, ['ROLE_WAYMARK__CONCERNS__RW'], 'Wing kiosk')

      /** The answers the page asks for: what was seen, for today, safe now, no sign of self-harm. */
      const answers = (person: { prisonNumber: string }, changes: Record<string, unknown> = {}) => ({
        prisonNumber: person.prisonNumber,
        whatHappened: 'Crying on the phone to his mum, and would not say why',
        urgency: 'today',
        safeNow: 'yes',
        selfHarmRisk: 'no',
        ...changes,
      })

      const concernsAbout = (person: { id: string }) =>
        site.db.selectFrom('concern').selectAll().where('person_id', '=', person.id).execute()

      /** Who was told of the concerns about a person, and how, as the notifications say it. */
      async function notificationsAbout(person: { prisonNumber: string }) {
        const rows = await site.db
          .selectFrom('notification')
          .select(['recipient_id', 'kind', 'message_key', 'params', 'href'])
          .orderBy('recipient_id')
          .execute()
        return rows
          .filter((row) => row.params.prisonNumber === person.prisonNumber)
          .map((row) => ({
            recipient: row.recipient_id,
            kind: row.kind,
            messageKey: row.message_key,
            to: row.href.replace(/\/concerns\/[\w-]+$/, '/concerns/{id}'),
          }))
      }

      it('raises it for the member of staff named, at once to the person responsible, as the page does', async () => {
        const person = await givenPersonOnWing()
        const system = await kiosk()
        const raised = await system.post('/api/concerns', answers(person, { selfHarmRisk: 'not-sure' }), {
          username: site.staff.officer.username,
        })
        assert.equal(raised.statusCode, 201, raised.body)
        const concern = raised.json<{
          id: string
          status: string
          indicatesSelfHarmRisk: boolean
          whatHappened: string
        }>()
        assert.equal(raised.headers.location, `/api/concerns/${concern.id}`)
        assert.equal(concern.status, 'sent')
        assert.equal(concern.indicatesSelfHarmRisk, true, 'not sure is taken as a risk, as on the page')
        assert.equal(concern.whatHappened, 'Crying on the phone to his mum, and would not say why')

        const [row] = await concernsAbout(person)
        assert.equal(row.id, concern.id)
        assert.equal(row.raised_by, site.staff.officer.id)
        assert.equal(row.responsible_staff_user_id, site.staff.keyworker.id)
        const audited = await auditTrailOf(site.db, { personId: person.id }, ['actor_id'])
        assert.ok(
          audited.some((entry) => entry.action === 'concern.raised' && entry.actor_id === site.staff.officer.id),
        )

        // On the pages: the key worker's list, and the raiser's own concerns.
        const list = await (await site.as('keyworker')).get('/concerns')
        assert.match(readPage(list.body).text, /Crying on the phone to his mum/)
        const mine = await (await site.as('officer')).get('/concerns/raised')
        assert.ok(readPage(mine.body).text.includes(`${site.staff.keyworker.displayName} and safer custody`))

        // Told to the same people, in the same words, as a concern raised on the page.
        const onPage = await givenPersonOnWing()
        const form = `/people/${onPage.prisonNumber}/concerns/new`
        const { prisonNumber, selfHarmRisk, ...pageAnswers } = answers(onPage, { selfHarmRisk: 'not-sure' })
        const sent = await (await site.as('officer')).post(form, { ...pageAnswers, selfHarmRisk }, { from: form })
        assert.equal(sent.statusCode, 303, prisonNumber)
        const fromSystem = await notificationsAbout(person)
        assert.ok(fromSystem.some((told) => told.recipient === site.staff.keyworker.id))
        assert.ok(fromSystem.some((told) => told.recipient === site.staff.safercustody.id))
        assert.deepEqual(fromSystem, await notificationsAbout(onPage))
      })

      it('answers a sensitive concern’s detail only to a client that may read it', async () => {
        const person = await givenPersonOnWing()
        const whatHappened = 'Told me about what happened to him as a child'
        const body = answers(person, { isSensitive: true, whatHappened })
        const headers = { username: site.staff.officer.username }
        const kept = await (await kiosk()).post('/api/concerns', body, headers)
        assert.equal(kept.statusCode, 201, kept.body)
        assert.equal(kept.json<{ whatHappened: string | null }>().whatHappened, null)
        assert.doesNotMatch(kept.body, /as a child/)
        const healthcare = await givenSystemAtHome(site, [
          'ROLE_WAYMARK__CONCERNS__RW',
          'ROLE_WAYMARK__SENSITIVE_CONCERNS__RO',
        ])
        const shown = await healthcare.post('/api/concerns', body, headers)
        assert.equal(shown.json<{ whatHappened: string | null }>().whatHappened, whatHappened)
        assert.equal((await concernsAbout(person)).length, 2)
      })

      it('needs the Username of a member of staff at the prison who may raise one, and writes nothing otherwise', async () => {
        const person = await givenPersonOnWing()
        const system = await kiosk()
        const { stranger } = await givenPrisonWithStaff(site.db, { stranger: 'officer' })
        // Given a one-time password: on a page they could do nothing until they chose their own.
        const newcomer = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [site.home.code] })
        await site.db
          .updateTable('staff_user')
          .set({ must_change_password: true })
          .where('id', '=', newcomer.id)
          .execute()
        for (const [headers, status] of [
          [{}, 400],
          [{ username: stranger.username }, 403],
          [{ username: newcomer.username }, 403],
          [{ username: 'no.such.user' }, 403],
          // A group director oversees from outside the prison: the page refuses them too.
          [{ username: site.staff.director.username }, 403],
        ] as const) {
          const refused = await system.post('/api/concerns', answers(person), headers)
          assert.equal(refused.statusCode, status, JSON.stringify(headers))
          assert.equal(refused.json<{ status: number }>().status, status)
        }
        const readOnly = await givenSystemAtHome(site, ['ROLE_WAYMARK__CONCERNS__RO'])
        const unheld = await readOnly.post('/api/concerns', answers(person), { username: site.staff.officer.username })
        assert.equal(unheld.statusCode, 403)
        assert.deepEqual(await concernsAbout(person), [])
      })

      it('is a 404 for someone at another prison, even one the member of staff also works at', async () => {
        const elsewhere = await givenEstablishment(site.db)
        const stranger = await givenPerson(site.db, elsewhere.code)
        const both = await givenStaffUser(site.db, {
          role: 'officer',
          establishmentCodes: [site.home.code, elsewhere.code],
        })
        const refused = await (await kiosk()).post('/api/concerns', answers(stranger), { username: both.username })
        assert.equal(refused.statusCode, 404, refused.body)
        assert.deepEqual(await concernsAbout(stranger), [])
      })

      it('refuses what the page would refuse with 400 naming the field, and writes nothing', async () => {
        const person = await givenPersonOnWing()
        const system = await kiosk()
        const headers = { username: site.staff.officer.username }
        for (const [changes, field] of [
          [{ whatHappened: '   ' }, 'whatHappened'],
          [{ whatHappened: 'x'.repeat(1001) }, 'whatHappened'],
          [{ urgency: 'soon' }, 'urgency'],
          [{ safeNow: undefined }, 'safeNow'],
          [{ selfHarmRisk: true }, 'selfHarmRisk'],
          [{ peerSupporterId: '00000000-0000-4000-8000-000000000000' }, 'peerSupporterId'],
        ] as const) {
          const refused = await system.post('/api/concerns', answers(person, changes), headers)
          assert.equal(refused.statusCode, 400, field)
          assert.match(refused.json<{ developerMessage: string }>().developerMessage, new RegExp(field), field)
        }
        assert.deepEqual(await concernsAbout(person), [])
      })
    },
  )
})
