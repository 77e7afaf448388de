import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import { givenHandover, givenPersonAtStage, givenStage } from '../../../test/support/journey-builders.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenSystemAtHome } from '../../../test/support/api-client.ts'
import { readPage } from '../../../test/support/page.ts'
import { opened, sentBack } from '../../../test/support/page-steps.ts'
import type { Actor } from '../../platform/permissions.ts'

describePagesOnEachEngine(
  'journey pages',
  {
    config: { signInAttemptsPerMinute: 1000 },
    home: { name: 'HMP Sending' },
    staff: ['officer', 'safercustody'],
    services: true,
  },
  (site) => {
    let receiving: { code: string }
    let receivingLead: Actor
    let receivingOfficer: Actor

    before(async () => {
      receiving = await givenEstablishment(site.db, { name: 'HMP Receiving', function: 'training' })
      receivingLead = await givenStaffUser(site.db, { role: 'safercustody', establishmentCodes: [receiving.code] })
      receivingOfficer = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [receiving.code] })
    })

    describe('GET /people/:prisonNumber/journey', () => {
      it('answers who is responsible now and before above the timeline', async () => {
        const person = await givenPerson(site.db, site.home.code, { firstName: 'Owain', lastName: 'Price' })
        await givenStage(site.db, {
          personId: person.id,
          establishmentCode: site.home.code,
          stage: 'reception',
          responsibleStaffUserId: site.staff.safercustody.id,
          startedAt: '2026-11-20T10:00:00Z',
          endedAt: '2026-11-20T18:00:00Z',
          reason: 'From court',
        })
        await givenStage(site.db, {
          personId: person.id,
          establishmentCode: site.home.code,
          stage: 'first-night',
          responsibleStaffUserId: site.staff.officer.id,
          startedAt: '2026-11-20T18:00:00Z',
        })
        const page = await (await site.signedInAs('officer')).get(`/people/${person.prisonNumber}/journey`)
        assert.equal(page.statusCode, 200)
        const journey = readPage(page.body)
        assert.match(journey.heading(), /^Price, Owain/)
        const now = page.body.indexOf('Responsible now')
        const timeline = page.body.indexOf('Stages of the journey')
        assert.ok(now > 0 && now < timeline, 'who is responsible comes before the timeline')
        assert.equal(journey.summary()['Responsible now'], 'Test officer, first night officer')
        assert.match(journey.summary()['Responsible before'] ?? '', /^Test safercustody, Reception/)
        assert.ok(
          journey
            .table('Stages of the journey')
            .some(([stage, , , , why]) => stage === 'Reception' && why === 'From court'),
        )
        assert.equal(journey.mentions('function macro'), false, 'no template name shadows the layout’s')
      })

      it('answers who is responsible now to another system, with a token, and nothing of what staff typed', async () => {
        const person = await givenPersonAtStage(site.db, site.home.code, {
          stage: 'reception',
          responsibleStaffUserId: site.staff.officer.id,
          startedAt: '2026-11-24T10:00:00Z',
        })
        const system = await givenSystemAtHome(site, ['ROLE_WAYMARK__PEOPLE__RO'])
        const response = await system.get(`/api/people/${person.prisonNumber.toLowerCase()}/journey`)
        assert.equal(response.statusCode, 200)
        const body = response.json<{ responsibility: unknown; stages: Record<string, unknown>[] }>()
        assert.deepEqual(body.responsibility, {
          status: 'RESPONSIBLE',
          role: 'reception-officer',
          responsibleName: 'Test officer',
          gap: null,
        })
        assert.deepEqual(body.stages, [
          {
            stage: 'reception',
            prisonCode: site.home.code,
            startedAt: '2026-11-24T10:00:00.000Z',
            endedAt: null,
            reasonCode: null,
          },
        ])
        const elsewhere = await givenPerson(site.db, receiving.code)
        const refused = await system.get(`/api/people/${elsewhere.prisonNumber}/journey`)
        assert.equal(refused.statusCode, 404)
        assert.equal(refused.json<{ status: number }>().status, 404)
        const signedIn = await site.signedInAs('officer')
        assert.equal((await signedIn.get(`/api/people/${person.prisonNumber}/journey`)).statusCode, 401)
      })

      it('gives 404 for a person in another establishment', async () => {
        const person = await givenPerson(site.db, receiving.code)
        const page = await (await site.signedInAs('officer')).get(`/people/${person.prisonNumber}/journey`)
        assert.equal(page.statusCode, 404)
      })
    })

    describe('standard stage reasons', () => {
      it('shows a standard reason in the reader’s language in the page, and its code in the API', async () => {
        const person = await givenPerson(site.db, site.home.code)
        await givenStage(site.db, {
          personId: person.id,
          establishmentCode: site.home.code,
          stage: 'reception',
          responsibleStaffUserId: site.staff.officer.id,
          startedAt: '2026-11-20T10:00:00Z',
          reasonKey: 'arrived-from-court',
        })
        const reader = await site.signedInAs('safercustody')
        const url = `/people/${person.prisonNumber}/journey`
        const why = (html: string, caption: string) =>
          readPage(html)
            .table(caption)
            .slice(1)
            .map((row) => row[4])
        assert.deepEqual(why((await reader.get(url)).body, 'Stages of the journey'), ['Arrived from court'])
        await reader.get(`/language/cy?returnTo=${encodeURIComponent(url)}`)
        assert.deepEqual(why((await reader.get(url)).body, 'Camau’r daith'), ['Wedi cyrraedd o’r llys'])
        // Another system gets the reason's code, to word in its own language.
        const system = await givenSystemAtHome(site, ['ROLE_WAYMARK__PEOPLE__RO'])
        const api = (await system.get(`/api${url}`)).json<{ stages: { reasonCode: string }[] }>()
        assert.equal(api.stages[0]?.reasonCode, 'arrived-from-court')
        await reader.get(`/language/en?returnTo=${encodeURIComponent(url)}`)
      })
    })

    describe('POST /people/:prisonNumber/journey', () => {
      /** A new person at the sending prison, and `who` signed in on their journey page, posting its form from there. */
      const onNewPersonsJourney = async (who: Parameters<typeof site.signedInAs>[0]) => {
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.signedInAs(who)
        const url = `/people/${person.prisonNumber}/journey`
        const post = (sent: Record<string, string>) => browser.post(url, sent, { from: url })
        return { person, browser, url, post }
      }

      it('keeps what was chosen and says what is missing when no reason is given', async () => {
        const { post } = await onNewPersonsJourney('officer')
        const response = await post({ stage: 'reception', responsible: site.staff.officer.id, reason: '' })
        const refused = sentBack(response)
        assert.match(refused.title, /^Error: /)
        assert.ok(refused.headings(2).includes('There is a problem'))
        assert.deepEqual(refused.errors(), [{ text: 'Enter why the stage changed', href: '#reason' }])
        assert.equal(refused.isChecked('Reception'), true)
        assert.equal(refused.valueOf('Who is responsible at this stage'), site.staff.officer.id)
      })

      it('records the stage and returns to the journey page', async () => {
        const { browser, url, post } = await onNewPersonsJourney('officer')
        const response = await post({
          stage: 'reception',
          responsible: site.staff.officer.id,
          reason: 'Arrived from court',
        })
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, url)
        const page = await opened(browser, url)
        assert.equal(page.summary()['Responsible now'], 'Test officer, reception officer')
        assert.ok(
          page
            .table('Stages of the journey')
            .some(([stage, , , , why]) => stage === 'Reception' && why === 'Arrived from court'),
        )
      })

      it('says there is a problem with the form, and records nothing, when a field is missing altogether', async () => {
        const { person, post } = await onNewPersonsJourney('officer')
        const incomplete: Record<string, string>[] = [
          { stage: 'reception', responsible: site.staff.officer.id },
          { stage: 'reception', reason: 'Court' },
          {},
        ]
        for (const sent of incomplete) {
          const response = await post(sent)
          assert.match(sentBack(response, JSON.stringify(sent)).title, /^Error: /)
        }
        const missingReason = await post({ stage: 'reception', responsible: site.staff.officer.id })
        assert.ok(
          readPage(missingReason.body)
            .errors()
            .some(
              (error) =>
                error.href === '#reason' &&
                error.text === 'There is a problem with this answer. Check it and try again.',
            ),
        )
        const stages = await site.db
          .selectFrom('journey_stage')
          .select('id')
          .where('person_id', '=', person.id)
          .execute()
        assert.equal(stages.length, 0)
      })

      it('is refused to a role that cannot record stages', async () => {
        const governor = await givenStaffUser(site.db, { role: 'governor', establishmentCodes: [site.home.code] })
        const { post } = await onNewPersonsJourney(governor)
        const response = await post({ stage: 'reception', responsible: site.staff.officer.id, reason: 'x' })
        assert.equal(response.statusCode, 403)
      })
    })

    describe('GET /responsibility-gaps', () => {
      it('lists a person with no journey, linking to their journey', async () => {
        const person = await givenPerson(site.db, site.home.code, { firstName: 'Gap', lastName: 'Nobodynamed' })
        const page = await (await site.signedInAs('safercustody')).get('/responsibility-gaps')
        assert.equal(page.statusCode, 200)
        assert.equal(readPage(page.body).link(/^Nobodynamed, Gap/), `/people/${person.prisonNumber}/journey`)
      })

      it('says everyone has a named responsible person where nobody is missing', async () => {
        const { emptyLead } = await givenPrisonWithStaff(site.db, { emptyLead: 'safercustody' })
        const page = await (await site.signedInAs(emptyLead)).get('/responsibility-gaps')
        assert.match(readPage(page.body).text, /Everyone has a named responsible person/)
      })

      it('counts each kind of gap, filters by one and shows 50 people a page', async () => {
        const { placeLead, ...place } = await givenPrisonWithStaff(site.db, { placeLead: 'safercustody' })
        for (let index = 0; index < 51; index++) await givenPerson(site.db, place.code)
        const named = await givenPerson(site.db, place.code, { firstName: 'Unnamed', lastName: 'Stage' })
        await givenStage(site.db, {
          personId: named.id,
          establishmentCode: place.code,
          stage: 'induction',
          startedAt: '2026-11-24T09:00:00Z',
        })
        const browser = await site.signedInAs(placeLead)
        const all = await opened(browser, '/responsibility-gaps')
        assert.equal(all.link('All (52)'), '/responsibility-gaps')
        assert.equal(all.link('No journey recorded (51)'), '/responsibility-gaps?gap=no-journey')
        assert.equal(all.link('Nobody named for the stage (1)'), '/responsibility-gaps?gap=no-named-person')
        const journeys = (page: ReturnType<typeof readPage>) =>
          page.addresses().filter((address) => /^\/people\/[A-Z0-9]+\/journey$/.test(address))
        assert.equal(journeys(all).length, 50)
        const second = await opened(browser, '/responsibility-gaps?page=2')
        assert.equal(journeys(second).length, 2)
        const filtered = await opened(browser, '/responsibility-gaps?gap=no-named-person')
        assert.ok(filtered.statuses().includes('1 person'))
        assert.ok(filtered.table('People with nobody named as responsible').some(([name]) => name === 'Stage, Unnamed'))
      })

      it('is refused to a prison officer', async () => {
        const page = await (await site.signedInAs('officer')).get('/responsibility-gaps')
        assert.equal(page.statusCode, 403)
      })
    })

    describe('handovers', () => {
      /** A handover of a new person from the sending prison to the receiving one, waiting for an answer. */
      const pendingHandoverUrl = async () => {
        const person = await givenPerson(site.db, site.home.code)
        const id = await givenHandover(site.db, {
          personId: person.id,
          fromEstablishmentCode: site.home.code,
          toEstablishmentCode: receiving.code,
          createdBy: site.staff.safercustody.id,
        })
        return `/handovers/${id}`
      }

      it('carry a person from the sending prison to the receiving one, who then sees them', async () => {
        const person = await givenPerson(site.db, site.home.code, {
          firstName: 'Dafydd',
          lastName: 'Travels',
          cellId: site.home.cellId,
        })
        const sender = await site.signedInAs('safercustody')
        const start = `/people/${person.prisonNumber}/handover`
        const risks = 'Low mood after sentencing.\nSaid <b>nothing</b> & kept to his cell.'
        const invalid = await sender.post(start, { to: '', risks: '', wishes: 'Near family' }, { from: start })
        const refused = sentBack(invalid)
        assert.equal(refused.fieldError('to'), 'Choose the establishment the person is moving to')
        assert.equal(refused.valueOfField('wishes'), 'Near family')
        const started = await sender.post(start, { to: receiving.code, risks, wishes: 'Near family' }, { from: start })
        assert.equal(started.statusCode, 303)
        const handoverUrl = started.headers.location as string
        assert.match(handoverUrl, /^\/handovers\/[0-9a-f-]{36}$/)

        const receiver = await site.signedInAs(receivingLead)
        const list = await opened(receiver, '/handovers')
        assert.equal(list.link(/^Travels, Dafydd/), handoverUrl)
        const handover = await opened(receiver, handoverUrl)
        assert.equal(handover.summary().Risks, 'Low mood after sentencing. Said <b>nothing</b> & kept to his cell.')
        assert.deepEqual(
          handover.ownLines(),
          ['Near family', risks],
          'in the lines they were written in, markup as typed',
        )
        assert.equal(handover.summary()['Open care plans'], 'None recorded in Waymark')
        assert.equal((await receiver.get(`/people/${person.prisonNumber}`)).statusCode, 404)

        const unnamed = await receiver.post(
          `${handoverUrl}/acknowledge`,
          { responsible: '', note: '' },
          { from: handoverUrl },
        )
        assert.equal(sentBack(unnamed).fieldError('responsible'), 'Choose who is responsible at this stage')
        const acknowledged = await receiver.post(
          `${handoverUrl}/acknowledge`,
          { responsible: receivingOfficer.id, note: 'Arrived.\nSettled on <i>B wing</i>.' },
          { from: handoverUrl },
        )
        assert.equal(acknowledged.statusCode, 303)
        assert.equal((await receiver.get(`/people/${person.prisonNumber}`)).statusCode, 200)
        const journey = await opened(receiver, `/people/${person.prisonNumber}/journey`)
        assert.equal(journey.summary()['Responsible now'], 'Test officer, reception officer')
        assert.ok(journey.ownLines().includes('Arrived.\nSettled on <i>B wing</i>.'), journey.ownLines().join(' | '))
        const sendingOfficer = await site.signedInAs('officer')
        assert.equal((await sendingOfficer.get(`/people/${person.prisonNumber}`)).statusCode, 404)
      })

      it('say there is a problem with the form, and change nothing, when a field is missing altogether', async () => {
        const person = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId })
        const sender = await site.signedInAs('safercustody')
        const start = `/people/${person.prisonNumber}/handover`
        const unstarted = await sender.post(start, { to: receiving.code, wishes: 'Near family' }, { from: start })
        const refused = sentBack(unstarted)
        assert.ok(
          refused
            .errors()
            .some((error) => error.href === '#risks' && error.text.startsWith('There is a problem with this answer')),
        )
        assert.equal(refused.valueOfField('wishes'), 'Near family')
        const started = await site.db.selectFrom('handover').select('id').where('person_id', '=', person.id).execute()
        assert.equal(started.length, 0)

        const handoverUrl = await pendingHandoverUrl()
        const receiver = await site.signedInAs(receivingLead)
        for (const [action, sent] of [
          ['acknowledge', { note: 'Arrived' }],
          ['refuse', {}],
        ] as const) {
          const response = await receiver.post(`${handoverUrl}/${action}`, sent, { from: handoverUrl })
          assert.ok(
            sentBack(response, action)
              .errors()
              .some((error) => error.text === 'There is a problem with this answer. Check it and try again.'),
            action,
          )
        }
        const handover = await site.db
          .selectFrom('handover')
          .select(['acknowledged_at', 'refused_at'])
          .where('id', '=', handoverUrl.split('/').pop()!)
          .executeTakeFirstOrThrow()
        assert.deepEqual(handover, { acknowledged_at: null, refused_at: null })
      })

      it('records a chase from the sending prison and says when it was last chased', async () => {
        const handoverUrl = await pendingHandoverUrl()
        const sender = await site.signedInAs('safercustody')
        assert.match((await opened(sender, handoverUrl)).text, /Not chased yet/)
        const chased = await sender.post(`${handoverUrl}/chase`, {}, { from: handoverUrl })
        assert.equal(chased.statusCode, 303)
        assert.match((await opened(sender, handoverUrl)).text, /Last chased on \d+ \w+ \d{4}/)
      })

      it('gives 404 for a handover to an establishment it is not between', async () => {
        const handoverUrl = await pendingHandoverUrl()
        const outsiderPlace = await givenEstablishment(site.db)
        const outsider = await givenStaffUser(site.db, {
          role: 'safercustody',
          establishmentCodes: [outsiderPlace.code],
        })
        const page = await (await site.signedInAs(outsider)).get(handoverUrl)
        assert.equal(page.statusCode, 404)
      })

      it('gives 404, not 500, for an address that looks like a handover’s but is no id', async () => {
        const safer = await site.signedInAs('safercustody')
        for (const id of ['0'.repeat(36), '7c9e66797-425-40de-944b-e07fc1f90ae7'])
          assert.equal((await safer.get(`/handovers/${id}`)).statusCode, 404)
      })
    })

    describe('GET /accountability', () => {
      it('names the staff who hold each role at the establishment', async () => {
        const page = await (await site.signedInAs('officer')).get('/accountability')
        assert.equal(page.statusCode, 200)
        const read = readPage(page.body)
        assert.equal(read.heading(), 'Accountability: HMP Sending')
        const saferCustody = read
          .table('Accountability: HMP Sending')
          .find(([responsibility]) => responsibility === 'Safer custody lead')
        assert.equal(saferCustody?.at(-1), 'Test safercustody')
        assert.equal(read.mentions('HMP Receiving'), false)
      })

      it('gives the prison’s name for a dedicated officer in the reader’s language', async () => {
        await site.db
          .insertInto('keywork_policy')
          .values({
            establishment_code: site.home.code,
            officer_label: 'personal officer',
            officer_label_cy: 'swyddog personol',
          })
          .execute()
        const browser = await site.signedInAs('officer')
        assert.match((await opened(browser, '/accountability')).text, /Called “personal officer” here/)
        await browser.get('/language/cy?returnTo=%2Faccountability')
        const welsh = await opened(browser, '/accountability')
        assert.match(welsh.text, /“swyddog personol”/)
        assert.equal(welsh.mentions('personal officer'), false)
      })
    })
  },
)
