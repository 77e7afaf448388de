import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { testEngines, type TestDatabase } from '../../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenHandover, givenStage } from '../../../test/support/journey-builders.ts'
import { buildTestApp, signedInAs } from '../../../test/support/app.ts'
import type { Actor } from '../../platform/permissions.ts'

for (const engine of testEngines()) {
  describe(`journey pages on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let home: { code: string; cellId: number }
    let receiving: { code: string }
    let officer: Actor
    let lead: Actor
    let receivingLead: Actor
    let receivingOfficer: Actor

    before(async () => {
      database = await engine.open()
      app = await buildTestApp(database.db, { config: { signInAttemptsPerMinute: 1000 } })
      home = await givenEstablishment(database.db, { name: 'HMP Sending' })
      receiving = await givenEstablishment(database.db, { name: 'HMP Receiving', function: 'training' })
      officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })
      lead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [home.code] })
      receivingLead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [receiving.code] })
      receivingOfficer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [receiving.code] })
    })
    after(async () => {
      await app.close()
      await database.close()
    })

    describe('GET /people/:prisonNumber/journey', () => {
      it('answers who is responsible now and before above the timeline', async () => {
        const person = await givenPerson(database.db, home.code, { firstName: 'Owain', lastName: 'Price' })
        await givenStage(database.db, {
          personId: person.id,
          establishmentCode: home.code,
          stage: 'reception',
          responsibleStaffUserId: lead.id,
          startedAt: '2026-11-20T10:00:00Z',
          endedAt: '2026-11-20T18:00:00Z',
          reason: 'From court',
        })
        await givenStage(database.db, {
          personId: person.id,
          establishmentCode: home.code,
          stage: 'first-night',
          responsibleStaffUserId: officer.id,
          startedAt: '2026-11-20T18:00:00Z',
        })
        const page = await (await signedInAs(app, officer.username)).get(`/people/${person.prisonNumber}/journey`)
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /<h1 class="govuk-heading-l">Price, Owain/)
        const now = page.body.indexOf('Responsible now')
        const timeline = page.body.indexOf('Stages of the journey')
        assert.ok(now > 0 && now < timeline, 'who is responsible comes before the timeline')
        assert.match(page.body, /Test officer, first night officer/)
        assert.match(page.body, /Test safercustody, Reception/)
        assert.match(page.body, /From court/)
        assert.doesNotMatch(page.body, /function macro/, 'no template name shadows the layout’s')
      })

      it('answers the same from the JSON API', async () => {
        const person = await givenPerson(database.db, home.code)
        await givenStage(database.db, {
          personId: person.id,
          establishmentCode: home.code,
          stage: 'reception',
          responsibleStaffUserId: officer.id,
          startedAt: '2026-11-24T10:00:00Z',
        })
        const browser = await signedInAs(app, officer.username)
        const response = await browser.get(`/api/people/${person.prisonNumber}/journey`)
        assert.equal(response.statusCode, 200)
        const body = response.json<{ responsibility: unknown; stages: { stage: string }[] }>()
        assert.deepEqual(body.responsibility, {
          kind: 'responsible',
          role: 'reception-officer',
          person: { staffUserId: officer.id, displayName: 'Test officer' },
        })
        assert.deepEqual(
          body.stages.map((stage) => stage.stage),
          ['reception'],
        )
        const elsewhere = await givenPerson(database.db, receiving.code)
        assert.equal((await browser.get(`/api/people/${elsewhere.prisonNumber}/journey`)).statusCode, 404)
      })

      it('gives 404 for a person in another establishment', async () => {
        const person = await givenPerson(database.db, receiving.code)
        const page = await (await signedInAs(app, officer.username)).get(`/people/${person.prisonNumber}/journey`)
        assert.equal(page.statusCode, 404)
      })
    })

    describe('standard stage reasons', () => {
      it('shows a standard reason in the reader’s language, in the page and the API', async () => {
        const person = await givenPerson(database.db, home.code)
        await givenStage(database.db, {
          personId: person.id,
          establishmentCode: home.code,
          stage: 'reception',
          responsibleStaffUserId: officer.id,
          startedAt: '2026-11-20T10:00:00Z',
          reasonKey: 'arrived-from-court',
        })
        const reader = await signedInAs(app, lead.username)
        const url = `/people/${person.prisonNumber}/journey`
        assert.match((await reader.get(url)).body, /<td class="govuk-table__cell">Arrived from court<\/td>/)
        await reader.get(`/language/cy?returnTo=${encodeURIComponent(url)}`)
        assert.match((await reader.get(url)).body, /<td class="govuk-table__cell">Wedi cyrraedd o’r llys<\/td>/)
        const api = JSON.parse((await reader.get(`/api${url}`)).body) as {
          stages: { reason: string; reasonKey: string }[]
        }
        assert.deepEqual(api.stages[0], {
          ...api.stages[0],
          reason: 'Wedi cyrraedd o’r llys',
          reasonKey: 'arrived-from-court',
        })
        await reader.get(`/language/en?returnTo=${encodeURIComponent(url)}`)
      })
    })

    describe('POST /people/:prisonNumber/journey', () => {
      it('keeps what was chosen and says what is missing when no reason is given', async () => {
        const person = await givenPerson(database.db, home.code)
        const browser = await signedInAs(app, officer.username)
        const url = `/people/${person.prisonNumber}/journey`
        const response = await browser.post(
          url,
          { stage: 'reception', responsible: officer.id, reason: '' },
          { from: url },
        )
        assert.equal(response.statusCode, 400)
        assert.match(response.body, /<title>Error: /)
        assert.match(response.body, /There is a problem/)
        assert.match(response.body, /href="#reason">Enter why the stage changed/)
        assert.match(response.body, /value="reception" checked/)
        assert.match(response.body, new RegExp(`value="${officer.id}" selected`))
      })

      it('records the stage and returns to the journey page', async () => {
        const person = await givenPerson(database.db, home.code)
        const browser = await signedInAs(app, officer.username)
        const url = `/people/${person.prisonNumber}/journey`
        const response = await browser.post(
          url,
          { stage: 'reception', responsible: officer.id, reason: 'Arrived from court' },
          { from: url },
        )
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, url)
        const page = await browser.get(url)
        assert.match(page.body, /Test officer, reception officer/)
        assert.match(page.body, /Arrived from court/)
      })

      it('says there is a problem with the form, and records nothing, when a field is missing altogether', async () => {
        const person = await givenPerson(database.db, home.code)
        const browser = await signedInAs(app, officer.username)
        const url = `/people/${person.prisonNumber}/journey`
        const incomplete: Record<string, string>[] = [
          { stage: 'reception', responsible: officer.id },
          { stage: 'reception', reason: 'Court' },
          {},
        ]
        for (const sent of incomplete) {
          const response = await browser.post(url, sent, { from: url })
          assert.equal(response.statusCode, 400, JSON.stringify(sent))
          assert.match(response.body, /<title>Error: /)
        }
        const missingReason = await browser.post(url, { stage: 'reception', responsible: officer.id }, { from: url })
        assert.match(missingReason.body, /href="#reason">There is a problem with this answer. Check it and try again./)
        const stages = await database.db
          .selectFrom('journey_stage')
          .select('id')
          .where('person_id', '=', person.id)
          .execute()
        assert.equal(stages.length, 0)
      })

      it('is refused to a role that cannot record stages', async () => {
        const person = await givenPerson(database.db, home.code)
        const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [home.code] })
        const browser = await signedInAs(app, governor.username)
        const url = `/people/${person.prisonNumber}/journey`
        const response = await browser.post(
          url,
          { stage: 'reception', responsible: officer.id, reason: 'x' },
          { from: url },
        )
        assert.equal(response.statusCode, 403)
      })
    })

    describe('GET /responsibility-gaps', () => {
      it('lists a person with no journey, linking to their journey', async () => {
        const person = await givenPerson(database.db, home.code, { firstName: 'Gap', lastName: 'Nobodynamed' })
        const page = await (await signedInAs(app, lead.username)).get('/responsibility-gaps')
        assert.equal(page.statusCode, 200)
        assert.match(page.body, new RegExp(`href="/people/${person.prisonNumber}/journey">Nobodynamed, Gap`))
      })

      it('says everyone has a named responsible person where nobody is missing', async () => {
        const empty = await givenEstablishment(database.db)
        const emptyLead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [empty.code] })
        const page = await (await signedInAs(app, emptyLead.username)).get('/responsibility-gaps')
        assert.match(page.body, /Everyone has a named responsible person/)
      })

      it('counts each kind of gap, filters by one and shows 50 people a page', async () => {
        const place = await givenEstablishment(database.db)
        const placeLead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [place.code] })
        for (let index = 0; index < 51; index++) await givenPerson(database.db, place.code)
        const named = await givenPerson(database.db, place.code, { firstName: 'Unnamed', lastName: 'Stage' })
        await givenStage(database.db, {
          personId: named.id,
          establishmentCode: place.code,
          stage: 'induction',
          startedAt: '2026-11-24T09:00:00Z',
        })
        const browser = await signedInAs(app, placeLead.username)
        const all = await browser.get('/responsibility-gaps')
        assert.match(all.body, /All \(52\)/)
        assert.match(all.body, /No journey recorded \(51\)/)
        assert.match(all.body, /Nobody named for the stage \(1\)/)
        assert.equal(all.body.match(/href="\/people\/[A-Z0-9]+\/journey"/g)?.length, 50)
        const second = await browser.get('/responsibility-gaps?page=2')
        assert.equal(second.body.match(/href="\/people\/[A-Z0-9]+\/journey"/g)?.length, 2)
        const filtered = await browser.get('/responsibility-gaps?gap=no-named-person')
        assert.match(filtered.body, /<p class="govuk-body" role="status">1 person<\/p>/)
        assert.match(filtered.body, /Stage, Unnamed/)
      })

      it('is refused to a prison officer', async () => {
        const page = await (await signedInAs(app, officer.username)).get('/responsibility-gaps')
        assert.equal(page.statusCode, 403)
      })
    })

    describe('handovers', () => {
      /** A handover of a new person from the sending prison to the receiving one, waiting for an answer. */
      const pendingHandoverUrl = async () => {
        const person = await givenPerson(database.db, home.code)
        const id = await givenHandover(database.db, {
          personId: person.id,
          fromEstablishmentCode: home.code,
          toEstablishmentCode: receiving.code,
          createdBy: lead.id,
        })
        return `/handovers/${id}`
      }

      it('carry a person from the sending prison to the receiving one, who then sees them', async () => {
        const person = await givenPerson(database.db, home.code, {
          firstName: 'Dafydd',
          lastName: 'Travels',
          cellId: home.cellId,
        })
        const sender = await signedInAs(app, lead.username)
        const start = `/people/${person.prisonNumber}/handover`
        const invalid = await sender.post(start, { to: '', risks: '', wishes: 'Near family' }, { from: start })
        assert.equal(invalid.statusCode, 400)
        assert.match(invalid.body, /Choose the establishment the person is moving to/)
        assert.match(invalid.body, /Near family<\/textarea>/)
        const started = await sender.post(
          start,
          { to: receiving.code, risks: 'Low mood after sentencing', wishes: 'Near family' },
          { from: start },
        )
        assert.equal(started.statusCode, 303)
        const handoverUrl = started.headers.location as string
        assert.match(handoverUrl, /^\/handovers\/[0-9a-f-]{36}$/)

        const receiver = await signedInAs(app, receivingLead.username)
        const list = await receiver.get('/handovers')
        assert.match(list.body, new RegExp(`href="${handoverUrl}">Travels, Dafydd`))
        const handover = await receiver.get(handoverUrl)
        assert.match(handover.body, /Low mood after sentencing/)
        assert.match(handover.body, /None recorded in Waymark/)
        assert.equal((await receiver.get(`/people/${person.prisonNumber}`)).statusCode, 404)

        const unnamed = await receiver.post(
          `${handoverUrl}/acknowledge`,
          { responsible: '', note: '' },
          { from: handoverUrl },
        )
        assert.equal(unnamed.statusCode, 400)
        assert.match(unnamed.body, /Choose who is responsible at this stage/)
        const acknowledged = await receiver.post(
          `${handoverUrl}/acknowledge`,
          { responsible: receivingOfficer.id, note: 'Arrived' },
          { from: handoverUrl },
        )
        assert.equal(acknowledged.statusCode, 303)
        assert.equal((await receiver.get(`/people/${person.prisonNumber}`)).statusCode, 200)
        const journey = await receiver.get(`/people/${person.prisonNumber}/journey`)
        assert.match(journey.body, /Test officer, reception officer/)
        const sendingOfficer = await signedInAs(app, officer.username)
        assert.equal((await sendingOfficer.get(`/people/${person.prisonNumber}`)).statusCode, 404)
      })

      it('say there is a problem with the form, and change nothing, when a field is missing altogether', async () => {
        const person = await givenPerson(database.db, home.code, { cellId: home.cellId })
        const sender = await signedInAs(app, lead.username)
        const start = `/people/${person.prisonNumber}/handover`
        const unstarted = await sender.post(start, { to: receiving.code, wishes: 'Near family' }, { from: start })
        assert.equal(unstarted.statusCode, 400)
        assert.match(unstarted.body, /href="#risks">There is a problem with this answer/)
        assert.match(unstarted.body, /Near family<\/textarea>/)
        const started = await database.db
          .selectFrom('handover')
          .select('id')
          .where('person_id', '=', person.id)
          .execute()
        assert.equal(started.length, 0)

        const handoverUrl = await pendingHandoverUrl()
        const receiver = await signedInAs(app, receivingLead.username)
        for (const [action, sent] of [
          ['acknowledge', { note: 'Arrived' }],
          ['refuse', {}],
        ] as const) {
          const response = await receiver.post(`${handoverUrl}/${action}`, sent, { from: handoverUrl })
          assert.equal(response.statusCode, 400, action)
          assert.match(response.body, /There is a problem with this answer. Check it and try again./, action)
        }
        const handover = await database.db
          .selectFrom('handover')
          .select(['acknowledged_at', 'refused_at'])
          .where('id', '=', handoverUrl.split('/').pop()!)
          .executeTakeFirstOrThrow()
        assert.deepEqual(handover, { acknowledged_at: null, refused_at: null })
      })

      it('records a chase from the sending prison and says when it was last chased', async () => {
        const handoverUrl = await pendingHandoverUrl()
        const sender = await signedInAs(app, lead.username)
        assert.match((await sender.get(handoverUrl)).body, /Not chased yet/)
        const chased = await sender.post(`${handoverUrl}/chase`, {}, { from: handoverUrl })
        assert.equal(chased.statusCode, 303)
        assert.match((await sender.get(handoverUrl)).body, /Last chased on \d+ \w+ \d{4}/)
      })

      it('gives 404 for a handover to an establishment it is not between', async () => {
        const handoverUrl = await pendingHandoverUrl()
        const outsiderPlace = await givenEstablishment(database.db)
        const outsider = await givenStaffUser(database.db, {
          role: 'safercustody',
          establishmentCodes: [outsiderPlace.code],
        })
        const page = await (await signedInAs(app, outsider.username)).get(handoverUrl)
        assert.equal(page.statusCode, 404)
      })
    })

    describe('GET /accountability', () => {
      it('names the staff who hold each role at the establishment', async () => {
        const page = await (await signedInAs(app, officer.username)).get('/accountability')
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /Accountability: HMP Sending/)
        assert.match(page.body, /Safer custody lead[\s\S]*?Test safercustody/)
        assert.doesNotMatch(page.body, /HMP Receiving/)
      })

      it('gives the prison’s name for a dedicated officer in the reader’s language', async () => {
        await database.db
          .insertInto('keywork_policy')
          .values({
            establishment_code: home.code,
            officer_label: 'personal officer',
            officer_label_cy: 'swyddog personol',
          })
          .execute()
        const browser = await signedInAs(app, officer.username)
        assert.match((await browser.get('/accountability')).body, /Called “personal officer” here/)
        await browser.get('/language/cy?returnTo=%2Faccountability')
        const welsh = (await browser.get('/accountability')).body
        assert.match(welsh, /“swyddog personol”/)
        assert.doesNotMatch(welsh, /personal officer/)
      })
    })
  })
}
