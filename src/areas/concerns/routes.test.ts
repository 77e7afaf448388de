import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readPage, textOf } from '../../../test/support/page.ts'
import { sentBack } from '../../../test/support/page-steps.ts'
import { fixedClock } from '../../platform/clock.ts'
import { hasPermission, roles, type StaffRole } from '../../platform/permissions.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenPersonOnWing as givenPersonOnWingAt } from '../../../test/support/journey-builders.ts'
import { givenConcern, givenConcernAboutNewPerson } from '../../../test/support/concern-builders.ts'
import { describePagesOnEachEngine, signedInAs } from '../../../test/support/app.ts'
import { parse } from 'node-html-parser'
import { assertDrawnAs } from '../../../test/support/macro-markup.ts'

describePagesOnEachEngine(
  'concern pages',
  { clock: fixedClock('2026-11-25T10:00:00Z'), config: { signInAttemptsPerMinute: 100 }, staff: roles },
  (site) => {
    /** Someone on the wing, with a key worker responsible for them. */
    const givenPersonOnWing = () =>
      givenPersonOnWingAt(site.db, site.home, site.staff.keyworker, { lastName: 'Worried' })

    /** The form on a person's record for raising a concern about them. */
    const concernForm = (person: { prisonNumber: string }) => `/people/${person.prisonNumber}/concerns/new`

    /** A member of staff, named by role, sends the concern form on the person's record with these answers. */
    async function raiseConcern(role: StaffRole, person: { prisonNumber: string }, answers: Record<string, string>) {
      const from = concernForm(person)
      return (await site.as(role)).post(from, answers, { from })
    }

    /** Answers the form takes: what was seen or heard, raised for today, the person safe now, no sign of self-harm. */
    const concernAnswers = (whatHappened: string, changes: Record<string, string> = {}) => ({
      whatHappened,
      urgency: 'today',
      safeNow: 'yes',
      selfHarmRisk: 'no',
      ...changes,
    })

    /** A concern about a person on the wing, raised at half past nine this morning by a member of staff named by role. */
    async function givenConcernRaisedBy(role: StaffRole, more: Partial<Parameters<typeof givenConcern>[1]> = {}) {
      const person = await givenPersonOnWing()
      const id = await givenConcern(site.db, {
        personId: person.id,
        establishmentCode: site.home.code,
        raisedBy: site.staff[role].id,
        raisedAt: '2026-11-25T09:30:00Z',
        ...more,
      })
      return { person, id }
    }

    /** A member of staff, named by role, records on the concern's page what was done about it. */
    async function act(role: StaffRole, id: string, answers: Record<string, string>) {
      const from = `/concerns/${id}`
      return (await site.as(role)).post(`${from}/act`, answers, { from })
    }

    /** How many concerns have been raised about the person. */
    async function concernsAbout(person: { id: string }) {
      return (await site.db.selectFrom('concern').select('id').where('person_id', '=', person.id).execute()).length
    }

    describe('GET /people/:prisonNumber/concerns/new', () => {
      it('is open to every role that works in a prison, and says what to do at once before the form', async () => {
        const person = await givenPersonOnWing()
        // A group director oversees from outside the prison and reaches no one's record (M2).
        assert.equal((await (await site.as('director')).get(concernForm(person))).statusCode, 403)
        for (const role of roles.filter((role) => hasPermission(role, 'concerns.raise'))) {
          const page = await (await site.as(role)).get(concernForm(person))
          assert.equal(page.statusCode, 200, role)
          const read = readPage(page.body)
          const form = textOf(read.root.querySelector(`form[action="${concernForm(person)}"]`))
          const guidance = read.text.indexOf('If they are at risk right now')
          assert.ok(
            form && guidance >= 0 && guidance < read.text.indexOf(form),
            `${role}: guidance comes before the form`,
          )
          assert.match(read.text, /Stay with them/)
        }
      })

      it('is a 404 for a person at another prison', async () => {
        const elsewhere = await givenEstablishment(site.db)
        const stranger = await givenPerson(site.db, elsewhere.code)
        const page = await (await site.as('partner')).get(concernForm(stranger))
        assert.equal(page.statusCode, 404)
      })
    })

    describe('POST /people/:prisonNumber/concerns/new', () => {
      it('comes back with each problem beside its field and what was typed', async () => {
        const person = await givenPersonOnWing()
        const page = await raiseConcern('partner', person, { whatHappened: '', urgency: 'today' })
        const refused = sentBack(page)
        assert.deepEqual(refused.errors(), [
          { text: 'Enter what you saw or heard', href: '#whatHappened' },
          { text: 'Choose whether the person is safe right now', href: '#safeNow' },
          { text: 'Choose whether this suggests a risk of suicide or self-harm', href: '#selfHarmRisk' },
        ])
        assert.match(refused.title, /^Error: /)
        assert.deepEqual(refused.chosen('urgency'), ['today'])
        assert.equal(await concernsAbout(person), 0)
      })

      it('asks whether the concern suggests a risk of suicide or self-harm, and keeps the answer', async () => {
        const person = await givenPersonOnWing()
        const whatHappened = 'Gave away his radio and said he would not need it.'
        const unanswered = await raiseConcern('chaplain', person, { whatHappened, urgency: 'today', safeNow: 'yes' })
        assert.equal(
          sentBack(unanswered).fieldError('selfHarmRisk'),
          'Choose whether this suggests a risk of suicide or self-harm',
        )
        const sent = await raiseConcern('chaplain', person, concernAnswers(whatHappened, { selfHarmRisk: 'not-sure' }))
        assert.equal(sent.statusCode, 303)
        const row = await site.db
          .selectFrom('concern')
          .select('indicates_self_harm_risk')
          .where('person_id', '=', person.id)
          .executeTakeFirstOrThrow()
        assert.equal(row.indicates_self_harm_risk, true, 'not sure is treated as a risk')
      })

      it('refuses what was seen or heard over 1000 characters and keeps it', async () => {
        const person = await givenPersonOnWing()
        const long = 'x'.repeat(1001)
        const page = await raiseConcern('chaplain', person, concernAnswers(long))
        const refused = sentBack(page)
        assert.deepEqual(refused.errors(), [
          { text: 'What you saw or heard must be 1000 characters or fewer', href: '#whatHappened' },
        ])
        assert.equal(refused.valueOfField('whatHappened'), long)
      })

      it('never says a concern was sent when the sensitive box sent an answer the form does not offer, and keeps what was typed', async () => {
        const person = await givenPersonOnWing()
        const whatHappened = 'On the landing he said he will hang himself tonight.'
        for (const isSensitive of ['on', 'no', ['yes', 'no']]) {
          const answers = concernAnswers(whatHappened, { urgency: 'immediate', safeNow: 'no' })
          const page = await raiseConcern('officer', person, { ...answers, isSensitive } as never)
          const refused = sentBack(page, JSON.stringify(isSensitive))
          assert.match(refused.title, /^Error: /)
          assert.deepEqual(refused.errorTexts(), ['There is a problem with this answer. Check it and try again.'])
          assert.equal(refused.valueOfField('whatHappened'), whatHappened)
        }
        assert.equal(await concernsAbout(person), 0)
        const notifications = await site.db.selectFrom('notification').select('id').execute()
        const audited = await site.db
          .selectFrom('audit_event')
          .select('id')
          .where('action', '=', 'concern.raised')
          .execute()
        const sent = await raiseConcern(
          'officer',
          person,
          concernAnswers(whatHappened, { urgency: 'immediate', safeNow: 'no', isSensitive: 'yes' }),
        )
        assert.equal(sent.statusCode, 303)
        assert.ok((await site.db.selectFrom('notification').select('id').execute()).length > notifications.length)
        assert.equal(
          (await site.db.selectFrom('audit_event').select('id').where('action', '=', 'concern.raised').execute())
            .length,
          audited.length + 1,
        )
      })

      it('refuses a NUL character in what was seen or heard with a message, and sends nothing', async () => {
        const person = await givenPersonOnWing()
        const page = await raiseConcern('officer', person, concernAnswers('He said\u0000 goodbye'))
        assert.match(sentBack(page).text, /a character that cannot be saved/)
        assert.equal(await concernsAbout(person), 0)
      })

      it('sends the concern and takes the raiser to what has happened to their concerns', async () => {
        const person = await givenPersonOnWing()
        const partner = await site.as('partner')
        const sent = await raiseConcern('partner', person, concernAnswers('Crying on the phone to his mum.'))
        assert.equal(sent.statusCode, 303)
        assert.equal(sent.headers.location, '/concerns/raised')
        const raised = await partner.get('/concerns/raised')
        const page = readPage(raised.body)
        assert.match(page.banner(), /Your concern was sent/)
        const [, ...concerns] = page.table()
        assert.ok(
          concerns.some(
            ([, , sentTo, status]) =>
              sentTo.includes(`${site.staff.keyworker.displayName} and safer custody`) &&
              status === 'Sent, not yet opened',
          ),
          JSON.stringify(concerns),
        )
      })
    })

    describe('GET /concerns and /concerns/:id', () => {
      it('lists a concern for the responsible officer, and opening it tells the raiser it was received', async () => {
        const { id } = await givenConcernRaisedBy('activities', {
          responsibleStaffUserId: site.staff.keyworker.id,
          whatHappened: 'Would not come out for education.',
        })
        const officer = await site.as('keyworker')
        const list = await officer.get('/concerns')
        assert.equal(list.statusCode, 200)
        assert.match(readPage(list.body).text, /Would not come out for education/)
        assert.equal((await officer.get(`/concerns/${id}`)).statusCode, 200)
        const raised = await (await site.as('activities')).get('/concerns/raised')
        assert.ok(readPage(raised.body).text.includes(`Received by ${site.staff.keyworker.displayName}`))
      })

      it('shows what was seen or heard, and the note of what was done, in the lines they were written in', async () => {
        const whatHappened = 'Quiet at breakfast.\n\nSaid <b>nobody</b> & nothing matters.'
        const { person, id } = await givenConcernRaisedBy('activities', {
          responsibleStaffUserId: site.staff.keyworker.id,
          whatHappened,
        })
        const officer = await site.as('keyworker')
        // Markup typed into the box reads back as the characters typed: escaped once, never drawn as markup.
        assert.deepEqual(readPage((await officer.get(`/concerns/${id}`)).body).ownLines(), [whatHappened])
        const tab = readPage((await officer.get(`/people/${person.prisonNumber}/concerns`)).body)
        assert.deepEqual(tab.ownLines(), [whatHappened])
        assert.ok(
          readPage((await officer.get('/concerns')).body)
            .ownLines()
            .includes(whatHappened),
          'on the list too',
        )
        const note = 'Spoke with him on the landing.\nSettled <i>for now</i>.'
        assert.equal((await act('safercustody', id, { outcome: 'spoke-with-person', note })).statusCode, 303)
        const acted = readPage((await (await site.as('safercustody')).get(`/concerns/${id}`)).body)
        assert.deepEqual(acted.ownLines(), [whatHappened, note])
        assert.equal(acted.root.querySelector('.waymark-own-lines b, .waymark-own-lines i'), null)
      })

      it('is refused to partner workers and monitors as a list', async () => {
        assert.equal((await (await site.as('partner')).get('/concerns')).statusCode, 403)
        assert.equal((await (await site.as('monitor')).get('/concerns')).statusCode, 403)
      })

      it('gives a partner worker a 404 for a sensitive concern, even their own, and shows it to safer custody', async () => {
        const { person, id } = await givenConcernRaisedBy('partner', {
          isSensitive: true,
          whatHappened: 'Told me about trouble at home.',
        })
        const refused = await (await site.as('partner')).get(`/concerns/${id}`)
        assert.equal(refused.statusCode, 404)
        const raisedApi = await (await site.as('partner')).get('/api/concerns/raised')
        assert.equal(raisedApi.statusCode, 200)
        assert.ok(!raisedApi.body.includes('trouble at home'))
        assert.ok(!refused.body.includes('trouble at home'))
        assert.equal((await (await site.as('officer')).get(`/concerns/${id}`)).statusCode, 404)
        const shown = await (await site.as('safercustody')).get(`/concerns/${id}`)
        assert.equal(shown.statusCode, 200)
        assert.match(readPage(shown.body).text, /Told me about trouble at home/)
        const audit = await site.db
          .selectFrom('audit_event')
          .select(['action', 'actor_username as username'])
          .where('person_id', '=', person.id)
          .where('action', 'in', ['concern.viewed', 'concern.view-refused'])
          .orderBy('id')
          .execute()
        assert.deepEqual(audit, [
          { action: 'concern.view-refused', username: site.staff.partner.username },
          { action: 'concern.view-refused', username: site.staff.officer.username },
          { action: 'concern.viewed', username: site.staff.safercustody.username },
        ])
        const tab = await (await site.as('partner')).get(`/people/${person.prisonNumber}/concerns`)
        assert.equal(tab.statusCode, 200)
        assert.ok(!tab.body.includes('trouble at home'))
        assert.equal(readPage(tab.body).mentions('trouble at home'), false)
        assert.match(readPage(tab.body).text, /Sensitive: the detail is held by safer custody and healthcare/)
      })
    })

    describe('POST /concerns/:id/act', () => {
      it('asks why when there is to be no further action, then records it and feeds it back', async () => {
        const { id } = await givenConcernRaisedBy('healthcare')
        const refused = await act('safercustody', id, { outcome: 'no-further-action', note: '' })
        assert.deepEqual(sentBack(refused).errors(), [
          { text: 'Say why there is to be no further action', href: '#note' },
        ])
        const missing = await act('safercustody', id, { note: 'x' })
        assert.deepEqual(sentBack(missing).errors(), [{ text: 'Choose what was done', href: '#outcome' }])
        const done = await act('safercustody', id, { outcome: 'spoke-with-person', note: 'Settled.' })
        assert.equal(done.statusCode, 303)
        assert.equal(done.headers.location, `/concerns/${id}`)
        const raised = await (await site.as('healthcare')).get('/concerns/raised')
        assert.match(readPage(raised.body).text, /Acted on: Spoke with the person/)
      })

      it('leaves no further action on a concern of self-harm risk to a manager', async () => {
        const { id } = await givenConcernRaisedBy('healthcare', {
          indicatesSelfHarmRisk: true,
          responsibleStaffUserId: site.staff.officer.id,
        })
        const refused = await act('officer', id, { outcome: 'no-further-action', note: 'Seemed fine' })
        assert.match(
          sentBack(refused).errorTexts().join('\n'),
          /only a safer custody lead or the orderly officer can decide on no further action/,
        )
        const done = await act('safercustody', id, {
          outcome: 'no-further-action',
          note: 'Spoke with him and his nurse',
        })
        assert.equal(done.statusCode, 303)
      })

      it('is refused to a partner worker', async () => {
        const { id } = await givenConcernRaisedBy('partner')
        const page = await act('partner', id, { outcome: 'spoke-with-person' })
        assert.equal(page.statusCode, 403)
      })
    })

    describe('/concern-settings and /safer-custody', () => {
      it('refuses concerns for today with less time than immediate ones, and saves good times', async () => {
        const governor = await site.as('governor')
        const from = '/concern-settings'
        const bad = await governor.post(
          from,
          { immediateMinutes: '30', todayMinutes: '20', canWaitMinutes: '1440' },
          { from },
        )
        const refused = sentBack(bad)
        assert.deepEqual(refused.errors(), [
          { text: 'Concerns to act on today cannot have less time than immediate ones', href: '#todayMinutes' },
        ])
        assert.equal(refused.valueOfField('todayMinutes'), '20')
        const good = await governor.post(
          from,
          { immediateMinutes: '10', todayMinutes: '120', canWaitMinutes: '720' },
          { from },
        )
        assert.equal(good.statusCode, 303)
        const page = await governor.get('/concern-settings')
        assert.equal(readPage(page.body).valueOfField('immediateMinutes'), '10')
        assert.equal((await (await site.as('officer')).get('/concern-settings')).statusCode, 403)
      })

      it('shows safer custody the counts as links, a monitor the counts alone, and an officer nothing', async () => {
        const lead = await (await site.as('safercustody')).get('/safer-custody')
        assert.equal(lead.statusCode, 200)
        const forLead = readPage(lead.body)
        assert.ok(forLead.addresses().includes('/concerns?state=escalated'))
        assert.match(forLead.text, /People with nobody named as responsible/)
        const monitor = await (await site.as('monitor')).get('/safer-custody')
        assert.equal(monitor.statusCode, 200)
        const forMonitor = readPage(monitor.body)
        assert.match(forMonitor.text, /Open concerns/)
        assert.equal(forMonitor.mentions(/^\/concerns\?state=/), false)
        assert.equal(forMonitor.mentions(/^\/care-plans\?list=/), false)
        assert.equal((await (await site.as('officer')).get('/safer-custody')).statusCode, 403)
      })

      it('draws the counts of a prison as govukSummaryList draws them, for those who may open the lists and those who may not', async () => {
        for (const role of ['safercustody', 'monitor'] as const) {
          const page = await (await site.as(role)).get('/safer-custody')
          const lists = parse(page.body).querySelectorAll('main dl.govuk-summary-list')
          assert.ok(lists.length >= 2, role)
          for (const list of lists) {
            const rows = list.querySelectorAll('.govuk-summary-list__row').map((row) => ({
              key: { text: row.querySelector('dt')?.text.trim() },
              value: { html: row.querySelector('dd')?.innerHTML.trim() },
            }))
            assertDrawnAs(list.outerHTML, 'govukSummaryList', 'govuk/components/summary-list/macro.njk', { rows }, role)
          }
        }
      })

      it('shows a group director each of their prisons’ counts side by side in one table', async () => {
        const north = await givenEstablishment(site.db, { name: 'HMP Aber' })
        const south = await givenEstablishment(site.db, { name: 'HMP Bryn' })
        const director = await givenStaffUser(site.db, {
          role: 'director',
          establishmentCodes: [south.code, north.code],
        })
        const raiser = site.staff.officer
        for (const [prison, open] of [
          [north, 2],
          [south, 3],
        ] as const)
          for (let n = 0; n < open; n += 1) {
            await givenConcernAboutNewPerson(site.db, {
              establishmentCode: prison.code,
              raisedBy: raiser.id,
              raisedAt: '2026-11-25T09:00:00Z',
            })
          }
        const page = await (await signedInAs(site.app, director.username)).get('/safer-custody')
        assert.equal(page.statusCode, 200)
        const dashboard = readPage(page.body)
        const [heads, ...rows] = dashboard.table('Concerns')
        assert.deepEqual(heads.slice(1), ['HMP Aber', 'HMP Bryn'])
        const open = rows.find(([label]) => label === 'Open concerns')
        assert.deepEqual(open?.slice(1), ['2', '3'])
        assert.equal(dashboard.mentions(/^\/concerns\?state=/), false, 'a director opens no list')
      })
    })

    describe('/raise-a-concern', () => {
      const find = async (role: StaffRole, person: string) =>
        (await site.as(role)).post('/raise-a-concern', { person }, { from: '/raise-a-concern' })

      it('goes to the person’s raise page from their prison number, and refuses one not here', async () => {
        const person = await givenPersonOnWing()
        const found = await find('chaplain', person.prisonNumber.toLowerCase())
        assert.equal(found.statusCode, 303)
        assert.equal(found.headers.location, concernForm(person))
        const missing = await find('chaplain', 'Z9999ZZ')
        const refused = sentBack(missing)
        assert.deepEqual(refused.errors(), [
          {
            text: 'Enter the prison number, or the first and last names, of someone at this prison',
            href: '#person',
          },
        ])
        assert.equal(refused.valueOfField('person'), 'Z9999ZZ')
      })

      it('finds the person from their first and last names, either way round, for a partner worker and a monitor', async () => {
        const person = await givenPerson(site.db, site.home.code, { firstName: 'Gethin', lastName: 'Llewellyn' })
        for (const [role, typed] of [
          ['partner', 'gethin llewellyn'],
          ['monitor', 'Llewellyn, Gethin'],
        ] as const) {
          const found = await find(role, typed)
          assert.equal(found.statusCode, 303, role)
          assert.equal(found.headers.location, concernForm(person))
        }
      })

      it('lists the people who share a name, with their number and wing, to choose from', async () => {
        const first = await givenPerson(site.db, site.home.code, {
          firstName: 'Owain',
          lastName: 'Price',
          cellId: site.home.cellId,
        })
        const second = await givenPerson(site.db, site.home.code, { firstName: 'Owain', lastName: 'Price' })
        const page = await find('partner', 'Owain Price')
        assert.equal(page.statusCode, 200)
        const choices = readPage(page.body)
        assert.match(choices.text, /More than one person has that name/)
        for (const person of [first, second])
          assert.ok(
            choices.links().some((link) => link.href === concernForm(person)),
            person.prisonNumber,
          )
      })

      it('finds no one from part of a name, or someone at another prison, so the form lists no roll', async () => {
        await givenPerson(site.db, site.home.code, { firstName: 'Nia', lastName: 'Roberts' })
        const elsewhere = await givenEstablishment(site.db)
        await givenPerson(site.db, elsewhere.code, { firstName: 'Nia', lastName: 'Elsewhere' })
        for (const typed of ['Roberts', 'Ni Roberts', 'Nia', 'Nia Elsewhere', 'a a']) {
          const page = await find('partner', typed)
          assert.equal(sentBack(page, typed).mentions(/concerns\/new$/), false, typed)
        }
      })
    })
  },
)
