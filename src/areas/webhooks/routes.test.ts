import { it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { csrfTokenFrom, deliverEvents, describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { readPage } from '../../../test/support/page.ts'
import { followed, noticeWordOf } from '../../../test/support/page-steps.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { aClosedPort, givenDeliveredAfterFailed } from '../../../test/support/webhook-builders.ts'

/** Issue 15: the pages of events out, as an administrator (and no one else) meets them, in English and Welsh. */
describePagesOnEachEngine(
  'the events out pages',
  { clock: fixedClock('2026-11-25T09:00:00Z'), staff: ['admin', 'governor', 'safercustody'], services: true },
  (site) => {
    /** Adds a subscriber as the administrator: the secret page as it was shown, and the subscriber's address. */
    async function addSubscriber(browser: Browser, url: string, eventType = 'person.alert.created') {
      const added = await browser.post(
        '/webhooks/new',
        { url, eventTypes: eventType, establishmentCodes: site.home.code },
        { from: '/webhooks/new' },
      )
      assert.equal(added.statusCode, 303)
      const address = added.headers.location!
      assert.match(address, /^\/webhooks\/[0-9a-f-]{36}\/secret$/)
      const shown = readPage((await browser.get(address)).body)
      return { shown, subscription: address.replace('/secret', '') }
    }

    /** Sends the form on a page as a browser does, a field named as often as it is ticked; the page's own token. */
    async function sendForm(browser: Browser, address: string, fields: [string, string][]) {
      const token = csrfTokenFrom((await browser.get(address)).body)
      return browser.jar.take(
        await site.app.inject({
          method: 'POST',
          url: address,
          cookies: browser.jar.header,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams([...fields, ['_csrf', token]]).toString(),
        }),
      )
    }

    const nameOf = async (code: string) =>
      (await site.db.selectFrom('establishment').select('name').where('code', '=', code).executeTakeFirstOrThrow()).name

    it('shows an administrator the empty list, the way to add one, and how a delivery is signed', async () => {
      const page = readPage((await (await site.as('admin')).get('/webhooks')).body)
      assert.equal(page.heading(), 'Events out')
      assert.match(page.text, /There are no subscribers yet/)
      assert.equal(page.link('Add a subscriber'), '/webhooks/new')
      assert.match(page.text, /Waymark-Signature header reads t=<time>,v1=<signature>/)
      assert.match(page.text, /HMAC-SHA256, in hexadecimal, of the time, a full stop and the body/)
      assert.match(page.text, /person\.alert\.created/)
    })

    it('is for administrators only: anyone else is refused, and the menu does not offer it', async () => {
      for (const role of ['governor', 'safercustody'] as const) {
        const browser = await site.as(role)
        for (const address of ['/webhooks', '/webhooks/new'])
          assert.equal((await browser.get(address)).statusCode, 403, `${role} ${address}`)
        const posted = await browser.post('/webhooks/new', { url: 'https://example.org/e' }, { from: '/roll' })
        assert.equal(posted.statusCode, 403)
        // The row of staff pages in the menu, where an administrator finds it, does not offer it.
        const staffPages = readPage((await browser.get('/staff')).body)
        assert.equal(staffPages.addresses().includes('/webhooks'), false)
      }
      const staffPages = readPage((await (await site.as('admin')).get('/staff')).body)
      assert.equal(staffPages.addresses().includes('/webhooks'), true)
      assert.equal(staffPages.mentions('Events out'), true)
    })

    it('refuses a form with no address and no events, and an address that is not https, saying why beside each', async () => {
      const browser = await site.as('admin')
      const empty = await browser.post('/webhooks/new', {}, { from: '/webhooks/new' })
      assert.equal(empty.statusCode, 400)
      const page = readPage(empty.body)
      assert.deepEqual(
        page.errors().map((error) => error.text),
        [
          'Enter the address to send events to',
          'Select at least one event to send',
          'Select at least one prison you work in',
        ],
      )
      assert.equal(page.fieldError('eventTypes'), 'Select at least one event to send')
      assert.equal(page.fieldError('establishmentCodes'), 'Select at least one prison you work in')

      const plain = await browser.post(
        '/webhooks/new',
        {
          url: 'http://alerts.example.org/events',
          eventTypes: 'waymark.care-plan.opened',
          establishmentCodes: site.home.code,
        },
        { from: '/webhooks/new' },
      )
      assert.equal(plain.statusCode, 400)
      const again = readPage(plain.body)
      assert.deepEqual(
        again.errors().map((error) => error.text),
        ['Enter an https address (http only on this machine, localhost)'],
      )
      assert.equal(again.valueOfField('url'), 'http://alerts.example.org/events')
      assert.equal(again.isChecked(/care plan \(ACCT\) was opened/), true)
      assert.equal(again.isChecked(/ACCT alert was created/), false)
      assert.equal((await browser.get('/webhooks')).body.includes('alerts.example.org'), false, 'nothing stored')
    })

    it('shows a new subscriber’s secret once, and never again', async () => {
      const browser = await site.as('admin')
      const { shown, subscription } = await addSubscriber(browser, 'https://alerts.example.org/events')
      assert.equal(shown.heading(), 'The subscriber’s signing secret')
      const secret = shown.summary()['Signing secret']
      assert.match(secret, /^[0-9a-f]{64}$/)
      const again = readPage((await browser.get(`${subscription}/secret`)).body)
      assert.match(again.text, /was shown once, when the subscriber was added/)
      assert.equal(again.text.includes(secret), false)
      for (const address of ['/webhooks', subscription])
        assert.equal((await browser.get(address)).body.includes(secret), false, address)
      const page = readPage((await browser.get(subscription)).body)
      assert.equal(page.summary()['Status'], 'Sending')
      assert.match(page.text, /No event at your prisons has been sent to this subscriber yet/)
    })

    it('offers the prisons the administrator works in, theirs chosen to start with, and refuses one they do not', async () => {
      const browser = await site.as('admin')
      const homeName = await nameOf(site.home.code)
      const form = readPage((await browser.get('/webhooks/new')).body)
      assert.equal(form.mentions('Prisons whose events to send'), true)
      assert.equal(form.isChecked(homeName), true)
      const elsewhere = await givenEstablishment(site.db)
      const refused = await browser.post(
        '/webhooks/new',
        {
          url: 'https://prisons.example.org/events',
          eventTypes: 'waymark.concern.raised',
          establishmentCodes: elsewhere.code,
        },
        { from: '/webhooks/new' },
      )
      assert.equal(refused.statusCode, 400)
      const page = readPage(refused.body)
      assert.deepEqual(page.errorTexts(), ['Select at least one prison you work in'])
      assert.equal(page.fieldError('establishmentCodes'), 'Select at least one prison you work in')
      assert.equal(page.valueOfField('url'), 'https://prisons.example.org/events')
      assert.equal(page.isChecked(/A concern was raised/), true)
      assert.equal((await browser.get('/webhooks')).body.includes('prisons.example.org'), false, 'nothing stored')

      const { subscription } = await addSubscriber(browser, 'https://prisons.example.org/events')
      const shown = readPage((await browser.get(subscription)).body)
      assert.equal(shown.summary()['Prisons'], `${homeName} (${site.home.code})`)
      const list = readPage((await browser.get('/webhooks')).body)
      assert.ok(
        list
          .table('Subscribers')
          .some((row) => row[0].includes('prisons.example.org') && row.some((cell) => cell.includes(site.home.code))),
      )
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
    })

    it('rotates a subscriber’s secret: the new one shown once, and the page says both sign until a day later', async () => {
      const browser = await site.as('admin')
      const { shown: first, subscription } = await addSubscriber(browser, 'https://rotate.example.org/events')
      const old = first.summary()['Signing secret']
      let page = readPage((await browser.get(subscription)).body)
      assert.equal(page.hasButton('Rotate secret'), true)
      assert.equal(page.mentions(/signed with both the new secret and the old one until/), false)
      const drawnWith = { rotatedUntil: '' }
      const rotated = await browser.post(`${subscription}/rotate`, drawnWith, { from: subscription })
      assert.equal(rotated.statusCode, 303)
      assert.equal(rotated.headers.location, `${subscription}/secret`)
      // The button pressed twice: the browser shows the second answer, which is the secret the first made.
      assert.equal((await browser.post(`${subscription}/rotate`, drawnWith, { from: subscription })).statusCode, 303)
      const secretPage = readPage((await browser.get(`${subscription}/secret`)).body)
      const secret = secretPage.summary()['Signing secret']
      assert.match(secret, /^[0-9a-f]{64}$/)
      assert.notEqual(secret, old)
      assert.match(secretPage.text, /Until 26 November 2026.*signed with this secret and with the old one/)
      const again = readPage((await browser.get(`${subscription}/secret`)).body)
      assert.equal(again.text.includes(secret), false, 'shown once')
      page = readPage((await browser.get(subscription)).body)
      assert.equal(page.text.includes(secret), false)
      assert.match(page.text, /signed with both the new secret and the old one until 26 November 2026/)
      for (const role of ['governor', 'safercustody'] as const)
        assert.equal(
          (await (await site.as(role)).post(`${subscription}/rotate`, {}, { from: '/roll' })).statusCode,
          403,
          role,
        )
      const missing = await browser.post('/webhooks/00000000-0000-4000-8000-000000000000/rotate', drawnWith)
      assert.equal(missing.statusCode, 404)
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
    })

    it('stops and starts a subscriber, saying so', async () => {
      const browser = await site.as('admin')
      const { subscription } = await addSubscriber(browser, 'https://stop.example.org/events')
      const stopped = await browser.post(`${subscription}/disable`, {}, { from: subscription })
      assert.equal(stopped.headers.location, subscription)
      let page = await followed(browser, stopped)
      assert.match(page.banner(), /The subscriber is stopped/)
      assert.equal(page.summary()['Status'], 'Stopped')
      const twice = await browser.post(`${subscription}/disable`, {}, { from: subscription })
      assert.match((await followed(browser, twice)).banner(), /Nothing needed to change/)
      const started = await browser.post(`${subscription}/enable`, {}, { from: subscription })
      page = await followed(browser, started)
      assert.match(page.banner(), /sending again/)
      assert.equal(page.summary()['Status'], 'Sending')
      // Stopped again, so the tests after this one are not sent to it.
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
    })

    it('lists each delivery with its attempts and last answer, and sends a failed one again', async () => {
      const browser = await site.as('admin')
      for (const other of await site.services.webhooks.listSubscriptions(site.staff.admin))
        await site.services.webhooks.setEnabled(site.staff.admin, other.id, false)
      // Nothing listens on the port once it is free again: each attempt is refused at once.
      const { subscription } = await addSubscriber(browser, `http://127.0.0.1:${await aClosedPort()}/events`)
      const lead = await givenStaffUser(site.db, { role: 'safercustody', establishmentCodes: [site.home.code] })
      const person = await givenPerson(site.db, site.home.code)
      await site.services.carePlans.openCarePlan(lead, person.prisonNumber, { reason: 'Low', concernId: null })
      await deliverEvents(site.services)
      assert.equal(await site.services.webhooks.deliverDue(), 1)

      let page = readPage((await browser.get(subscription)).body)
      const [, row] = page.table('Delivery log')
      assert.match(
        [row[0], row[2], row[3], row[5]].join(' | '),
        /person\.alert\.created.*Waiting.*Next try.*Attempts 1 \| Last answer Could not connect \(ECONNREFUSED\)/,
      )
      // No body beyond ids: not even the person's prison number is on the page.
      assert.equal(page.text.includes(person.prisonNumber), false)
      assert.equal(page.hasButton(/Send again/), false, 'a delivery still being tried is not sent again')

      // Given up (as after its last attempt): it can be sent again.
      await site.db.updateTable('webhook_delivery').set({ state: 'failed' }).execute()
      // A hundred delivered since: the failed one is past the latest 100 of the log, and still a click away.
      await givenDeliveredAfterFailed(site.db, 100)
      page = readPage((await browser.get(subscription)).body)
      const states = page.table('Delivery log').map((row) => row[2])
      assert.deepEqual([states.length, states.filter((state) => /Delivered/.test(state)).length], [101, 100])
      const failedList = `${subscription}?failed=yes`
      assert.equal(page.link('Show the failed delivery'), `${failedList}#log`)
      const failedOnly = await browser.get(failedList)
      const failed = readPage(failedOnly.body).table('Failed deliveries')
      assert.deepEqual([failed.length, /Failed/.test(failed[1][2])], [2, true])
      const [deliveryId] = /deliveries\/(\d+)\/replay/.exec(failedOnly.body)!.slice(1)
      const replay = `${subscription}/deliveries/${deliveryId}/replay`
      const replayed = await browser.post(replay, { from: 'failed' }, { from: failedList })
      assert.equal(replayed.headers.location, `${failedList}#log`, 'back to the failed deliveries')
      page = readPage((await browser.get(failedList)).body)
      assert.match(page.banner(), /will be sent again/)
      assert.ok(page.text.includes('No delivery of an event at your prisons has failed.'))
      assert.equal(readPage((await browser.get(subscription)).body).mentions('Show the failed delivery'), false)
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
    })

    it('answers a subscriber or a delivery that does not exist as a page that does not exist', async () => {
      const browser = await site.as('admin')
      assert.equal((await browser.get('/webhooks/not-a-subscriber')).statusCode, 404)
      assert.equal((await browser.get('/webhooks/00000000-0000-4000-8000-000000000000')).statusCode, 404)
      const { subscription } = await addSubscriber(browser, 'https://gone.example.org/events')
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
      for (const id of ['x', '0', '99999999'])
        assert.equal(
          (await browser.post(`${subscription}/deliveries/${id}/replay`, {}, { from: subscription })).statusCode,
          404,
          id,
        )
    })

    it('changes a subscriber’s prisons and events from its page, saying so, the subscriber and its log as they were', async () => {
      const elsewhere = await givenEstablishment(site.db)
      const both = await givenStaffUser(site.db, {
        role: 'admin',
        establishmentCodes: [site.home.code, elsewhere.code],
      })
      const browser = await site.signedInAs({ username: both.username })
      const { subscription } = await addSubscriber(browser, 'https://change.example.org/events')
      const [homeName, elsewhereName] = [await nameOf(site.home.code), await nameOf(elsewhere.code)]

      const shown = readPage((await browser.get(subscription)).body)
      assert.equal(shown.link('Change prisons'), `${subscription}/edit#establishmentCodes`)
      assert.equal(shown.link('Change events'), `${subscription}/edit`)
      const form = readPage((await browser.get(`${subscription}/edit`)).body)
      assert.equal(form.heading(), 'Change the events and prisons')
      assert.equal(form.isChecked(homeName), true)
      assert.equal(form.isChecked(elsewhereName), false)
      assert.equal(form.isChecked(/ACCT alert was created/), true)
      assert.equal(form.isChecked(/A concern was raised/), false)
      assert.equal(form.link('Cancel'), subscription)

      const sent = await sendForm(browser, `${subscription}/edit`, [
        ['eventTypes', 'person.alert.created'],
        ['eventTypes', 'waymark.concern.raised'],
        ['establishmentCodes', elsewhere.code],
      ])
      assert.equal(sent.statusCode, 303)
      assert.equal(sent.headers.location, subscription)
      const page = await followed(browser, sent)
      assert.match(page.banner(), /events and prisons are changed/)
      assert.equal(page.summary()['Prisons'], `${elsewhereName} (${elsewhere.code})`)
      assert.match(page.summary()['Events'], /person\.alert\.created, waymark\.concern\.raised/)
      assert.equal(page.summary()['Address'], 'https://change.example.org/events')

      const again = await sendForm(browser, `${subscription}/edit`, [
        ['eventTypes', 'person.alert.created'],
        ['eventTypes', 'waymark.concern.raised'],
        ['establishmentCodes', elsewhere.code],
      ])
      assert.match((await followed(browser, again)).banner(), /Nothing needed to change/)
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
    })

    it('refuses no prison, a prison the administrator does not work in and a changed form, saying why and keeping what was ticked', async () => {
      const browser = await site.as('admin')
      const { subscription } = await addSubscriber(browser, 'https://refused.example.org/events')
      const homeName = await nameOf(site.home.code)
      const elsewhere = await givenEstablishment(site.db)
      const cases: [string, [string, string][], string[]][] = [
        ['no prison', [['eventTypes', 'waymark.concern.raised']], ['Select at least one prison you work in']],
        [
          'a prison elsewhere',
          [
            ['eventTypes', 'waymark.concern.raised'],
            ['establishmentCodes', site.home.code],
            ['establishmentCodes', elsewhere.code],
          ],
          ['Select only prisons you work in'],
        ],
        [
          'a code that names no prison',
          [
            ['eventTypes', 'waymark.concern.raised'],
            ['establishmentCodes', 'NOT A PRISON CODE'],
          ],
          ['Select only prisons you work in'],
        ],
        [
          'an event Waymark does not send, and no prison',
          [['eventTypes', 'person.deleted']],
          ['Select at least one event to send', 'Select at least one prison you work in'],
        ],
      ]
      for (const [what, fields, errors] of cases) {
        const refused = await sendForm(browser, `${subscription}/edit`, fields)
        assert.equal(refused.statusCode, 400, what)
        const page = readPage(refused.body)
        assert.deepEqual(page.errorTexts(), errors, what)
        assert.match(page.title, /^Error: Change the events and prisons/, what)
        assert.equal(page.fieldError('establishmentCodes'), errors.at(-1), what)
      }
      const kept = readPage(
        (await sendForm(browser, `${subscription}/edit`, [['eventTypes', 'waymark.concern.raised']])).body,
      )
      assert.equal(kept.isChecked(/A concern was raised/), true)
      assert.equal(kept.isChecked(/ACCT alert was created/), false)
      assert.equal(kept.isChecked(homeName), false)

      const page = readPage((await browser.get(subscription)).body)
      assert.equal(page.summary()['Prisons'], `${homeName} (${site.home.code})`, 'nothing stored')
      assert.match(page.summary()['Events'], /^person\.alert\.created/)
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
    })

    it('keeps a prison the administrator does not work in, naming it, and leaves the events of such a subscriber alone', async () => {
      const elsewhere = await givenEstablishment(site.db)
      const both = await givenStaffUser(site.db, {
        role: 'admin',
        establishmentCodes: [site.home.code, elsewhere.code],
      })
      const added = await site.services.webhooks.addSubscription(both, {
        url: 'https://shared.example.org/events',
        eventTypes: ['waymark.concern.raised'],
        establishmentCodes: [site.home.code, elsewhere.code],
      })
      assert.ok('id' in added)
      const subscription = `/webhooks/${added.id}`
      const browser = await site.as('admin')
      const form = readPage((await browser.get(`${subscription}/edit`)).body)
      assert.match(
        form.text,
        new RegExp(`prisons you do not work in.*: ${await nameOf(elsewhere.code)} \\(${elsewhere.code}\\)`),
      )
      assert.equal(form.isChecked(await nameOf(site.home.code)), true)
      assert.equal(form.mentions(/Only an administrator who works in every prison/), true)
      assert.equal(form.hasButton('Save changes'), true)

      const tampered = await sendForm(browser, `${subscription}/edit`, [
        ['eventTypes', 'person.alert.created'],
        ['establishmentCodes', site.home.code],
      ])
      assert.equal(tampered.statusCode, 400)
      assert.deepEqual(readPage(tampered.body).errorTexts(), [
        'You cannot change the events of a subscriber that hears of a prison you do not work in',
      ])
      const sent = await sendForm(browser, `${subscription}/edit`, [])
      assert.deepEqual([sent.headers.location, noticeWordOf(sent)], [subscription, 'changed'])
      const { subscription: now } = await site.services.webhooks.viewSubscription(both, added.id)
      assert.deepEqual([now.establishmentCodes, now.eventTypes], [[elsewhere.code], ['waymark.concern.raised']])
      await site.services.webhooks.setEnabled(both, added.id, false)
    })

    it('shows a subscriber shared with another prison with the log of its own prison’s events, without its secret or its stop, refusing them sent anyway', async () => {
      const elsewhere = await givenEstablishment(site.db)
      const adminOf = (establishmentCodes: string[]) => givenStaffUser(site.db, { role: 'admin', establishmentCodes })
      const both = await adminOf([site.home.code, elsewhere.code])
      const there = await adminOf([elsewhere.code])
      const eventTypes = ['waymark.concern.raised']
      const add = async (admin: typeof both, establishmentCodes: string[], url: string) => {
        const added = await site.services.webhooks.addSubscription(admin, { url, eventTypes, establishmentCodes })
        return `/webhooks/${'id' in added ? added.id : 'refused'}`
      }
      const shared = await add(both, [site.home.code, elsewhere.code], 'https://shared.example.org/events')
      const theirs = await add(there, [elsewhere.code], 'https://theirs.example.org/events')
      const browser = await site.as('admin')
      const list = readPage((await browser.get('/webhooks')).body)
      assert.deepEqual(
        [list.mentions('theirs.example.org'), list.mentions('Events at your prisons: 0 delivered')],
        [false, true],
      )
      const page = readPage((await browser.get(shared)).body)
      const inset = `prisons you do not work in: ${await nameOf(elsewhere.code)} (${elsewhere.code}). Only an administrator`
      assert.equal(page.mentions(inset), true)
      assert.deepEqual(
        [page.hasButton('Stop sending'), page.hasButton('Rotate secret'), page.headings().includes('Delivery log')],
        [false, false, true],
      )
      assert.equal(page.mentions('No event at your prisons has been sent to this subscriber yet.'), true)
      for (const action of ['disable', 'enable', 'rotate']) {
        const sent = await browser.post(`${shared}/${action}`, { rotatedUntil: '' }, { from: '/webhooks/new' })
        assert.equal(sent.statusCode, 403, action)
      }
      assert.equal((await browser.get(theirs)).statusCode, 404)
      assert.equal((await browser.post(`${theirs}/disable`, {}, { from: '/webhooks/new' })).statusCode, 404)
      await site.services.webhooks.setEnabled(both, shared.replace('/webhooks/', ''), false)
    })

    it('lets no one but an administrator change a subscriber, and answers one that does not exist as not found', async () => {
      const { subscription } = await addSubscriber(await site.as('admin'), 'https://only.example.org/events')
      for (const role of ['governor', 'safercustody'] as const) {
        const browser = await site.as(role)
        assert.equal((await browser.get(`${subscription}/edit`)).statusCode, 403, role)
        const posted = await browser.post(
          `${subscription}/edit`,
          { establishmentCodes: site.home.code },
          { from: '/roll' },
        )
        assert.equal(posted.statusCode, 403, role)
      }
      const admin = await site.as('admin')
      for (const missing of [
        '/webhooks/not-a-subscriber/edit',
        '/webhooks/00000000-0000-4000-8000-000000000000/edit',
      ]) {
        assert.equal((await admin.get(missing)).statusCode, 404, missing)
        const posted = await admin.post(missing, { establishmentCodes: site.home.code }, { from: subscription })
        assert.equal(posted.statusCode, 404, missing)
      }
      await admin.post(`${subscription}/disable`, {}, { from: subscription })
    })

    it('speaks Welsh to a Welsh reader', async () => {
      const browser = await site.signedInAs('admin')
      await browser.get('/language/cy?returnTo=%2Fwebhooks')
      const page = readPage((await browser.get('/webhooks')).body)
      assert.equal(page.language, 'cy')
      assert.equal(page.heading(), 'Digwyddiadau allan')
      assert.match(page.text, /Sut mae tanysgrifiwr yn gwirio anfoniad/)
      const form = await browser.post('/webhooks/new', {}, { from: '/webhooks/new' })
      assert.deepEqual(
        readPage(form.body)
          .errors()
          .map((error) => error.text),
        [
          'Rhowch y cyfeiriad i anfon digwyddiadau ato',
          'Dewiswch o leiaf un digwyddiad i’w anfon',
          'Dewiswch o leiaf un carchar rydych chi’n gweithio ynddo',
        ],
      )
      const { subscription } = await addSubscriber(browser, 'https://cymraeg.example.org/events')
      const page2 = readPage((await browser.get(subscription)).body)
      assert.equal(page2.hasButton('Cylchdroi’r gyfrinach'), true)
      assert.equal(page2.summary()['Carchardai'], `${await nameOf(site.home.code)} (${site.home.code})`)
      const change = readPage((await browser.get(`${subscription}/edit`)).body)
      assert.equal(change.heading(), 'Newid y digwyddiadau a’r carchardai')
      const refused = await sendForm(browser, `${subscription}/edit`, [['establishmentCodes', 'XXX']])
      assert.deepEqual(readPage(refused.body).errorTexts(), [
        'Dewiswch o leiaf un digwyddiad i’w anfon',
        'Dewiswch garchardai rydych chi’n gweithio ynddynt yn unig',
      ])
      const changed = await sendForm(browser, `${subscription}/edit`, [
        ['eventTypes', 'waymark.concern.raised'],
        ['establishmentCodes', site.home.code],
      ])
      assert.match(readPage((await browser.get(changed.headers.location!)).body).banner(), /wedi newid/)
      await browser.post(`${subscription}/disable`, {}, { from: subscription })
    })
  },
)
