import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { CookieJar, csrfTokenFrom, deliverEvents, describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { readPage } from '../../../test/support/page.ts'
import { followed, opened, sentBack } from '../../../test/support/page-steps.ts'

/** Issue 14: the public page for families, signed out, and safer custody's pages for what it sends. */
describePagesOnEachEngine(
  'worries from family and friends, page by page',
  { services: true, home: { name: 'HMP Bryn Glas' }, staff: ['safercustody', 'officer', 'admin'] },
  (site) => {
    let person: { prisonNumber: string }

    /** A browser with no account: the page's own CSRF token, as a family's phone would send it. */
    async function family(language: 'en' | 'cy' = 'en') {
      const jar = new CookieJar()
      const get = async (url: string) => jar.take(await site.app.inject({ method: 'GET', url, cookies: jar.header }))
      if (language === 'cy') await get('/language/cy?returnTo=/worried-about-someone')
      const post = async (url: string, payload: Record<string, string>, ip = '203.0.113.9') => {
        const token = csrfTokenFrom((await get(url)).body)
        return jar.take(
          await site.app.inject({
            method: 'POST',
            url,
            cookies: jar.header,
            remoteAddress: ip,
            // A test's own _csrf (a stale one, say) goes as it is given.
            payload: { _csrf: token, ...payload },
          }),
        )
      }
      return { get, post }
    }
    const worry = (overrides: Record<string, string> = {}) => ({
      establishmentCode: site.home.code,
      personName: 'Rhys Morgan',
      'dateOfBirth-day': '2',
      'dateOfBirth-month': '3',
      'dateOfBirth-year': '1988',
      prisonNumber: '',
      whatWorries: 'He said on the phone that he cannot see the point any more.',
      howSoon: 'today',
      selfHarm: 'not-sure',
      relationship: 'Brother',
      raiserName: 'Owain Morgan',
      raiserPhone: '01632 960 777',
      raiserEmail: '',
      mayTell: 'yes',
      website: '',
      ...overrides,
    })

    /** The worry the family sent about someone of this name, once its events are delivered, as safer custody find it. */
    async function sentWorryId(personName: string) {
      await deliverEvents(site.services)
      const { id } = await site.db
        .selectFrom('family_worry')
        .select('id')
        .where('person_name', '=', personName)
        .executeTakeFirstOrThrow()
      return id
    }

    before(async () => {
      person = await givenPerson(site.db, site.home.code, {
        firstName: 'Rhys',
        lastName: 'Morgan',
        dateOfBirth: '1988-03-02',
      })
    })

    it('is open to anyone, and linked from both sign-in pages', async () => {
      const visitor = await family()
      const page = await opened(visitor, '/worried-about-someone')
      assert.equal(page.heading(), 'Worried about someone in prison')
      assert.match(page.text, /call 999/)
      assert.match(page.text, /Samaritans answer day and night, free, on 116 123/)
      assert.match(page.text, /HMP Bryn Glas: ring the prison and ask for the safer custody team/)
      for (const signIn of ['/sign-in', '/my/sign-in'])
        assert.equal(
          (await opened(visitor, signIn)).link('Worried about someone in prison? Tell the prison, without signing in'),
          '/worried-about-someone',
        )
    })

    it('asks for an email address only to reach the sender, and promises no email: nothing sends the outbox on', async () => {
      for (const language of ['en', 'cy'] as const) {
        const page = await opened(await family(language), '/worried-about-someone')
        const hint = page.hint('raiserEmail')
        assert.doesNotMatch(hint, language === 'en' ? /email you/ : /drwy e-bost/)
        assert.match(
          hint,
          language === 'en'
            ? /Your reference and follow-up code are shown on the next page, once/
            : /Dangosir eich cyfeirnod a’ch cod dilyn ar y dudalen nesaf, unwaith/,
        )
      }
    })

    it('shows a page not found under the public pages in their own frame, with a way back to them, in Welsh too', async () => {
      for (const language of ['en', 'cy'] as const) {
        const visitor = await family(language)
        const missing = await visitor.get('/worried-about-someone/no-such-page')
        assert.equal(missing.statusCode, 404)
        const page = readPage(missing.body)
        const words = page.words()
        assert.equal(page.heading(), language === 'en' ? 'Page not found' : 'Heb ddod o hyd i’r dudalen')
        assert.match(words, language === 'en' ? /If something does not work, ring the prison/ : /ffoniwch y carchar/)
        assert.match(page.text, language === 'en' ? /call 999/ : /ffoniwch 999/)
        assert.doesNotMatch(words, /authorised staff|staff awdurdodedig|establishment|sefydliad/)
        assert.equal(
          page.link(language === 'en' ? 'Go to the start page' : 'Ewch i’r dudalen gychwyn'),
          '/worried-about-someone',
        )
      }
      // Anywhere else, the staff service's frame as before.
      const elsewhere = readPage((await (await family()).get('/no-such-page')).body)
      assert.match(elsewhere.words(), /For use by authorised staff only/)
      assert.equal(elsewhere.link('Go to the start page'), '/')
    })

    it('refuses a form sent with a stale token in the public frame, saying it could not be sent and what to do, in Welsh too', async () => {
      const worries = () => site.db.selectFrom('family_worry').select('id').execute()
      const before = await worries()
      for (const language of ['en', 'cy'] as const) {
        const visitor = await family(language)
        const refused = await visitor.post('/worried-about-someone', { ...worry(), _csrf: 'left-open-too-long' })
        assert.equal(refused.statusCode, 403)
        const page = readPage(refused.body)
        assert.equal(
          page.heading(),
          language === 'en' ? 'Sorry, that could not be sent' : 'Mae’n ddrwg gennym, nid oedd modd anfon hynny',
        )
        assert.match(page.text, language === 'en' ? /reload the page and try again/ : /ail-lwythwch y dudalen/)
        assert.match(page.text, language === 'en' ? /call 999/ : /ffoniwch 999/)
        assert.doesNotMatch(page.words(), /permission|caniatâd|authorised staff|staff awdurdodedig|administrator/)
      }
      assert.deepEqual(await worries(), before, 'nothing was stored')
    })

    it('refuses a form with what is missing, beside each field, in Welsh too', async () => {
      const visitor = await family('cy')
      const refused = await visitor.post(
        '/worried-about-someone',
        worry({ personName: '', raiserPhone: '', mayTell: '' }),
      )
      const page = sentBack(refused)
      assert.deepEqual(
        page.errors().map((error) => error.href),
        ['#personName', '#raiserPhone', '#mayTell'],
      )
      assert.equal(page.fieldError('personName'), 'Rhowch enw llawn y person')
      assert.equal(page.valueOfField('relationship'), 'Brother', 'what was typed comes back')
      assert.match(page.text, /Gwall: Rhowch enw llawn y person/, 'a screen reader hears the error in Welsh')
      assert.doesNotMatch(page.text, /Error:/)
      // Radios left unanswered send nothing at all: still a page with each problem, not an error page.
      const bare = await visitor.post('/worried-about-someone', {})
      assert.ok(
        sentBack(bare)
          .errors()
          .some((error) => error.href === '#howSoon'),
      )
    })

    it('answers the same whether or not the person is at the prison, and shows the reference and code once', async () => {
      const visitor = await family()
      const about = await visitor.post('/worried-about-someone', worry())
      const nobody = await visitor.post(
        '/worried-about-someone',
        worry({ personName: 'No One', 'dateOfBirth-year': '1950' }),
      )
      for (const response of [about, nobody]) {
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/worried-about-someone/sent')
      }
      const sent = await opened(visitor, '/worried-about-someone/sent')
      assert.equal(sent.heading(), 'Thank you, we have passed this on')
      const reference = /Your reference (W-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(sent.text)?.[1]
      const code = /Your follow-up code ([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})/.exec(sent.text)?.[1]
      assert.ok(reference && code, sent.text)
      // Shown again for two minutes, in Welsh too, then the cookie that carries it expires.
      const inWelsh = await visitor.get('/language/cy?returnTo=/worried-about-someone/sent')
      assert.equal(inWelsh.headers.location, '/worried-about-someone/sent')
      assert.ok((await opened(visitor, '/worried-about-someone/sent')).text.includes(code))
      const kept = (await visitor.get('/worried-about-someone/sent')).cookies
      assert.deepEqual(kept, [], 'kept from the first showing only, not renewed')
      await visitor.get('/language/en?returnTo=/worried-about-someone')

      await deliverEvents(site.services)
      const checked = readPage((await visitor.post('/worried-about-someone/follow-up', { reference, code })).body)
      assert.match(checked.text, /Received Since/)
      assert.ok(!checked.text.includes('Rhys'), 'nothing about the person')
      const wrong = await visitor.post('/worried-about-someone/follow-up', { reference, code: 'aaaa-bbbb-cccc' })
      assert.match(sentBack(wrong).text, /We could not find a worry with that reference and code/)
      // Read off a mail or a photo, the same code typed without its dashes, in capitals or spaced out is the same code.
      for (const typed of [
        { reference: reference.replaceAll('-', '').toLowerCase(), code: code.replaceAll('-', '').toUpperCase() },
        { reference: reference.replaceAll('-', ' '), code: ` ${code.replaceAll('-', ' ')} ` },
      ]) {
        const answer = await visitor.post('/worried-about-someone/follow-up', typed)
        assert.equal(answer.statusCode, 200, JSON.stringify(typed))
        assert.equal(readPage(answer.body).summary().Reference, reference, 'the reference as it was given')
      }
    })

    it('tells the sender plainly when a limit stops the worry, with the numbers to ring, and keeps what they wrote', async () => {
      const visitor = await family()
      for (let sent = 0; sent < 5; sent++)
        assert.equal(
          (await visitor.post('/worried-about-someone', worry({ personName: 'Flood Test' }), '203.0.113.50'))
            .statusCode,
          303,
        )
      const limited = await visitor.post('/worried-about-someone', worry({ personName: 'Flood Test' }), '203.0.113.50')
      assert.equal(limited.statusCode, 429)
      const page = readPage(limited.body)
      assert.match(page.text, /Your worry has not been sent/)
      assert.match(page.text, /call 999/)
      assert.equal(page.valueOfField('personName'), 'Flood Test')
      await deliverEvents(site.services)
    })

    it('gives safer custody who raised it, marks it from family in the concerns list, and keeps an officer out', async () => {
      const safer = await site.as('safercustody')
      const list = await opened(safer, '/family-worries')
      assert.equal(list.heading(), 'Worries from family and friends')
      const concerns = await opened(safer, '/concerns')
      assert.match(concerns.text, /From family or friends/)
      const concern = await site.db
        .selectFrom('concern')
        .select('id')
        .where('family_worry_id', 'is not', null)
        .executeTakeFirstOrThrow()
      const concernPage = await opened(safer, `/concerns/${concern.id}`)
      assert.match(concernPage.text, /Family or friends, through the public page See who raised it/)
      assert.ok(!concernPage.text.includes('Owain'), 'the concern itself does not name the family')

      const wing = await site.as('officer')
      assert.equal((await wing.get('/family-worries')).statusCode, 403)
      const asOfficer = await opened(wing, `/concerns/${concern.id}`)
      assert.ok(!asOfficer.links().some((link) => link.text === 'See who raised it'))
    })

    it('says, once a concern from a family is acted on, that the family’s page changes only when safer custody set it', async () => {
      const safer = await site.as('safercustody')
      const concern = await site.db
        .selectFrom('concern')
        .select('id')
        .where('family_worry_id', 'is not', null)
        .where('acted_at', 'is', null)
        .executeTakeFirstOrThrow()
      const from = `/concerns/${concern.id}`
      const acted = await followed(
        safer,
        await safer.post(`${from}/act`, { outcome: 'spoke-with-person', note: 'Settled.' }, { from }),
      )
      assert.match(acted.banner(), /their follow-up page changes only when safer custody set what it says/)
      assert.doesNotMatch(acted.banner(), /can see it was acted on/)
    })

    it('shows the family’s words on the worry page with their own line breaks, as text', async () => {
      const visitor = await family()
      const whatWorries = 'He rang on Sunday.\n\nHe said <b>goodbye</b> & hung up.\nHe never does that.'
      await visitor.post('/worried-about-someone', worry({ personName: 'Line Breaks', whatWorries }), '203.0.113.22')
      const id = await sentWorryId('Line Breaks')
      const page = await opened(await site.as('safercustody'), `/family-worries/${id}`)
      const row = page.root
        .querySelectorAll('.govuk-summary-list__row')
        .find(
          (candidate) =>
            candidate.querySelector('.govuk-summary-list__key')?.textContent.trim() === 'What worries them',
        )
      // Their words in an element that keeps lines (white-space: pre-line), which drops the spaces GOV.UK's macro
      // indents each line with and the newline before the first, as the browser shows it: nothing else.
      const value = row?.querySelector('.govuk-summary-list__value .waymark-own-lines')
      const shown = value?.textContent.split('\n').map((line) => line.replace(/^ +| +$/g, ''))
      assert.deepEqual(shown, whatWorries.split('\n'), 'each line as the family wrote it, markup as text')
      assert.equal(value?.querySelector('b'), null)
    })

    it('shows whom a prison number finds beside what the family gave, and matches only once safer custody say yes', async () => {
      const visitor = await family()
      await visitor.post(
        '/worried-about-someone',
        worry({ personName: 'Rhys Morgen', prisonNumber: 'A1234BC', 'dateOfBirth-day': '3' }),
        '203.0.113.20',
      )
      const id = await sentWorryId('Rhys Morgen')
      const safer = await site.as('safercustody')
      const worryPage = await opened(safer, `/family-worries/${id}`)
      assert.ok(worryPage.hasButton('Continue'))
      const checked = await safer.post(
        `/family-worries/${id}/match`,
        { prisonNumber: person.prisonNumber.toLowerCase() },
        { from: `/family-worries/${id}` },
      )
      assert.equal(checked.statusCode, 200)
      const check = readPage(checked.body)
      assert.match(check.heading(), /^Is this the person worry W-[A-Z0-9]{4}-[A-Z0-9]{4} is about\?$/)
      assert.deepEqual(check.headings(), ['On the roll at HMP Bryn Glas', 'What the family gave'])
      const [onRoll, familyGave] = check.root
        .querySelectorAll('.govuk-summary-list')
        .map((list) =>
          list.querySelectorAll('.govuk-summary-list__row').map((row) => row.text.replace(/\s+/g, ' ').trim()),
        )
      assert.deepEqual(onRoll.slice(0, 3), [
        'Name Morgan, Rhys',
        'Date of birth 2 March 1988',
        `Prison number ${person.prisonNumber}`,
      ])
      assert.match(onRoll[3], /^Location (No cell|.+, .+)$/)
      assert.deepEqual(familyGave, ['Name Rhys Morgen', 'Date of birth 3 March 1988', 'Prison number A1234BC'])
      assert.equal(check.link('No, change the prison number'), `/family-worries/${id}#prisonNumber`)
      const stillOpen = await site.db
        .selectFrom('family_worry')
        .select(['person_id', 'concern_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.deepEqual(stillOpen, { person_id: null, concern_id: null }, 'the check raises nothing')

      assert.ok(check.hasButton('Yes, match to this person'))
      const confirmForm = check.root.querySelector(`form[action="/family-worries/${id}/match"]`)
      const sent: Record<string, string> = Object.fromEntries(
        (confirmForm?.querySelectorAll('input[type="hidden"]') ?? [])
          .filter((input) => input.getAttribute('name') !== '_csrf')
          .map((input) => [input.getAttribute('name') ?? '', input.getAttribute('value') ?? '']),
      )
      assert.deepEqual(sent, { prisonNumber: person.prisonNumber, confirm: 'yes' })
      const matched = await safer.post(`/family-worries/${id}/match`, sent, { from: `/family-worries/${id}` })
      assert.equal(matched.headers.location, `/family-worries/${id}`)
      assert.match((await followed(safer, matched)).banner(), /Matched/)
      const { person_id: matchedTo } = await site.db
        .selectFrom('family_worry')
        .select('person_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.ok(matchedTo)

      // A number no one at the prison has is refused beside the field, on the first step as on the second.
      await visitor.post(
        '/worried-about-someone',
        worry({ personName: 'Nobody Known', prisonNumber: 'Z9999ZZ' }),
        '203.0.113.20',
      )
      const other = await sentWorryId('Nobody Known')
      for (const confirm of ['', 'yes']) {
        const refused = sentBack(
          await safer.post(
            `/family-worries/${other}/match`,
            { prisonNumber: 'Z9999ZZ', confirm },
            { from: `/family-worries/${other}` },
          ),
        )
        assert.equal(refused.fieldError('prisonNumber'), 'No one at this prison has that prison number')
        assert.equal(refused.valueOfField('prisonNumber'), 'Z9999ZZ')
      }
    })

    it('lets safer custody close a worry about someone not held here with a note, and tells the family to ring their prison', async () => {
      const visitor = await family()
      await visitor.post(
        '/worried-about-someone',
        worry({ personName: 'Held Elsewhere', prisonNumber: 'Z9999ZZ' }),
        '203.0.113.21',
      )
      const sent = await opened(visitor, '/worried-about-someone/sent')
      const reference = /Your reference (W-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(sent.text)![1]
      const code = /Your follow-up code ([a-z0-9-]{14})/.exec(sent.text)![1]
      const id = await sentWorryId('Held Elsewhere')
      const url = `/family-worries/${id}`
      const safer = await site.as('safercustody')
      const empty = sentBack(await safer.post(`${url}/not-held-here`, { note: ' ' }, { from: url }))
      assert.equal(empty.fieldError('note'), 'Enter what you checked')
      const long = sentBack(await safer.post(`${url}/not-held-here`, { note: 'x'.repeat(301) }, { from: url }))
      assert.equal(long.fieldError('note'), 'Write 300 characters or fewer')
      const { username } = await givenStaffUser(site.db, { role: 'governor', establishmentCodes: [site.home.code] })
      const governor = await site.signedInAs({ username })
      assert.equal((await governor.post(`${url}/not-held-here`, { note: 'Not ours' }, { from: url })).statusCode, 403)

      const closed = await safer.post(
        `${url}/not-held-here`,
        { note: 'Not on our roll; rang the mother, he is at HMP Elsewhere.' },
        { from: url },
      )
      assert.equal(closed.headers.location, url)
      const page = await followed(safer, closed)
      assert.match(page.banner(), /Closed as not held here/)
      assert.ok(!page.hasButton('Mark as malicious'), 'a closed worry is not then marked malicious')
      assert.match(
        page.summary().State,
        /^Closed: not held here ?: Not on our roll; rang the mother, he is at HMP Elsewhere\. \(/,
      )
      assert.deepEqual(
        [
          page.hasButton('Continue'),
          page.hasButton('Close as not held here'),
          page.hasButton('Save what the family sees'),
        ],
        [false, false, false],
      )
      const list = await opened(safer, '/family-worries')
      const row = list.table('Matched or closed in the last 30 days').find((cells) => cells[0] === reference)
      assert.match(row?.[4] ?? '', /Closed: not held here$/)
      const audited = await site.db
        .selectFrom('audit_event')
        .select('action')
        .where('action', '=', 'family-worry.closed-not-held-here')
        .execute()
      assert.equal(audited.length, 1)

      const followUp = readPage((await visitor.post('/worried-about-someone/follow-up', { reference, code })).body)
      assert.match(followUp.summary().State, /^Closed Since /)
      assert.match(followUp.text, /ring the prison they are in and ask for the safer custody team/)
      assert.doesNotMatch(followUp.text, /Held Elsewhere|HMP Elsewhere|not held|Z9999ZZ/, 'nothing of any person')
    })

    it('lets safer custody match a worry by hand, choose what the family sees, and set the line families ring', async () => {
      const visitor = await family()
      await visitor.post('/worried-about-someone', worry({ personName: 'Rhys', 'dateOfBirth-year': '1989' }))
      const id = await sentWorryId('Rhys')
      const safer = await site.as('safercustody')
      const page = await opened(safer, `/family-worries/${id}`)
      assert.match(page.text, /Owain Morgan/)
      assert.match(page.text, /01632 960 777/)
      const wrong = await safer.post(
        `/family-worries/${id}/match`,
        { prisonNumber: 'Z9999ZZ' },
        { from: `/family-worries/${id}` },
      )
      assert.equal(sentBack(wrong).fieldError('prisonNumber'), 'No one at this prison has that prison number')
      // A governor, who acts on it when no lead is on duty, reads what worries the family but not who they are.
      const { username } = await givenStaffUser(site.db, { role: 'governor', establishmentCodes: [site.home.code] })
      const governor = await site.signedInAs({ username })
      const asGovernor = await opened(governor, `/family-worries/${id}`)
      assert.deepEqual(
        [/Owain Morgan|01632 960 777/.test(asGovernor.text), Object.keys(asGovernor.summary())],
        [
          false,
          [
            'Received',
            'Written in',
            'State',
            'Who it is about, as typed',
            'Date of birth, as typed',
            'Prison number, as typed',
            'What worries them',
            'How soon',
            'Fears suicide or self-harm',
            'May the person be told who raised it',
          ],
        ],
      )
      assert.equal(asGovernor.hasButton('Mark as malicious'), false)
      assert.equal(asGovernor.hasButton('Close as not held here'), false)
      const matched = await safer.post(
        `/family-worries/${id}/match`,
        { prisonNumber: person.prisonNumber, confirm: 'yes' },
        { from: `/family-worries/${id}` },
      )
      const linked = await governor.post(`/family-worries/${id}/care-plan`, {}, { from: `/family-worries/${id}` })
      assert.equal(linked.statusCode, 403)
      assert.equal(matched.headers.location, `/family-worries/${id}`)
      const status = await safer.post(
        `/family-worries/${id}/status`,
        { familyStatus: 'acted-on' },
        { from: `/family-worries/${id}` },
      )
      assert.equal(status.statusCode, 303)
      // The mail for a worry with an email waits in the outbox, for an administrator and no one else.
      await visitor.post('/worried-about-someone', worry({ raiserEmail: 'owain@example.com' }))
      const administrator = await site.as('admin')
      const outbox = await opened(administrator, '/mail-outbox')
      assert.match(outbox.text, /Your worry: reference W-[A-Z0-9]{4}-[A-Z0-9]{4}/)
      assert.match(outbox.text, /owain@example\.com/)
      assert.equal((await safer.get('/mail-outbox')).statusCode, 403)
      const line = await safer.post(
        '/family-worries/phone-line',
        { phone: '01632 960 999' },
        { from: '/family-worries' },
      )
      assert.equal(line.statusCode, 303)
      assert.match(
        readPage((await (await family()).get('/worried-about-someone')).body).text,
        /HMP Bryn Glas: 01632 960 999/,
      )
    })
  },
)
