import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { CookieJar, csrfTokenFrom, deliverEvents, describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { readPage } from '../../../test/support/page.ts'
import { opened, sentBack } from '../../../test/support/page-steps.ts'

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
            payload: { ...payload, _csrf: token },
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

    it('lets safer custody match a worry by hand, choose what the family sees, and set the line families ring', async () => {
      const visitor = await family()
      await visitor.post('/worried-about-someone', worry({ personName: 'Rhys', 'dateOfBirth-year': '1989' }))
      await deliverEvents(site.services)
      const id = (
        await site.db
          .selectFrom('family_worry')
          .select('id')
          .where('person_name', '=', 'Rhys')
          .executeTakeFirstOrThrow()
      ).id
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
      const matched = await safer.post(
        `/family-worries/${id}/match`,
        { prisonNumber: person.prisonNumber },
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
