import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { RouteOptions } from 'fastify'
import { fixedClock } from '../../platform/clock.ts'
import { givenPerson, TEST_PASSWORD } from '../../../test/support/builders.ts'
import { csrfTokenFrom, deliverEvents, describePagesOnEachEngine, permissionOf } from '../../../test/support/app.ts'
import { givenActivity, givenActivityAllocation } from '../../../test/support/attendance-builders.ts'
import { givenDedicatedOfficer, givenStage } from '../../../test/support/journey-builders.ts'
import { givenPersonAccount, signedInAsPerson } from '../../../test/support/my-view-builders.ts'
import { readPage } from '../../../test/support/page.ts'
import { followed, sentBack, sentBackWith } from '../../../test/support/page-steps.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'

/** The page's h1 as its reader hears it. */
const headingOf = (html: string): string => readPage(html).heading()

const clock = fixedClock('2026-11-25T09:00:00Z')

describePagesOnEachEngine(
  "the person's own view",
  {
    clock,
    config: { signInAttemptsPerMinute: 1000 },
    services: true,
    routes: true,
    home: { name: 'HMP Northgate' },
    staff: ['keyworker', 'safercustody', 'governor'],
  },
  (site) => {
    let dean: { id: string; prisonNumber: string }
    let other: { id: string; prisonNumber: string }
    let activity: { id: string }
    let deanBrowser: Awaited<ReturnType<typeof signedInAsPerson>>

    before(async () => {
      const db = site.db
      dean = await givenPerson(db, site.home.code, { firstName: 'Dean', lastName: 'Morgan' })
      other = await givenPerson(db, site.home.code, { firstName: 'Oliver', lastName: 'Twist' })
      await givenDedicatedOfficer(db, dean.id, site.staff.keyworker.id, '2026-11-01T09:00:00Z')
      const education = await givenActivity(db, site.home.code, {
        name: 'English level 1',
        groups: [{ slots: ['MON_AM', 'THU_PM'], location: 'Education block' }],
      })
      activity = education
      await givenActivityAllocation(db, dean.id, education.groups[0].id, '2026-11-01')
      await givenPersonAccount(db, dean, { username: 'dean.morgan' })
      await givenPersonAccount(db, other, { username: 'oliver.twist' })
      deanBrowser = await signedInAsPerson(site.app, 'dean.morgan')
    })

    /** Dean sends a worry about someone else, named as he types them, without saying their wing. */
    const worryAboutSomeoneElse = (
      name: { firstName: string; lastName: string },
      worry: { whatIsHappening: string; danger: string },
    ) => deanBrowser.post('/my/worry', { about: 'someone-else', ...name, wing: '', ...worry })

    describe('signing in', () => {
      it('sends someone not signed in from their page to the sign-in page of their own view', async () => {
        const response = await site.app.inject({ method: 'GET', url: '/my/timetable' })
        assert.equal(response.statusCode, 303)
        assert.match(response.headers.location ?? '', /^\/my\/sign-in/)
      })

      it('refuses a wrong password with 400, the message beside the username and the username kept', async () => {
        const page = await site.app.inject({ method: 'GET', url: '/my/sign-in' })
        const token = readPage(page.body).valueOfField('_csrf')
        const response = await site.app.inject({
          method: 'POST',
          url: '/my/sign-in',
          cookies: Object.fromEntries(page.cookies.map((cookie) => [cookie.name, cookie.value])),
          payload: { username: 'dean.morgan', password: 'wrong', _csrf: token },
        })
        const refused = sentBack(response)
        assert.deepEqual(
          refused.errors().map((error) => error.href),
          ['#username'],
        )
        assert.match(refused.errors()[0].text, /The username or password is not right/)
        assert.match(refused.fieldError('username'), /The username or password is not right/)
        assert.equal(refused.valueOfField('username'), 'dean.morgan')
      })

      it('does not let a member of staff sign in to the person’s view, nor a person to the staff service', async () => {
        await assert.rejects(signedInAsPerson(site.app, site.staff.safercustody.username), /failed with 400/)
        await assert.rejects(site.signedInAs({ username: 'oliver.twist' }), /failed with 400/)
      })

      it('refuses a person whose account has been closed', async () => {
        const closed = await givenPerson(site.db, site.home.code)
        await givenPersonAccount(site.db, closed, { username: 'closed.account', isActive: false })
        await assert.rejects(signedInAsPerson(site.app, 'closed.account'), /failed with 400/)
      })
    })

    describe('leaving custody', () => {
      it('signs a released person out and refuses their sign-in after, with the words for a wrong password', async () => {
        const leaver = await givenPerson(site.db, site.home.code, { firstName: 'Lewis' })
        await givenStage(site.db, {
          personId: leaver.id,
          establishmentCode: site.home.code,
          stage: 'residential',
          responsibleStaffUserId: site.staff.safercustody.id,
          startedAt: '2026-10-01T10:00:00Z',
        })
        await givenPersonAccount(site.db, leaver, { username: 'lewis.leaving' })
        const leaverBrowser = await signedInAsPerson(site.app, 'lewis.leaving')
        assert.equal((await leaverBrowser.get('/my')).statusCode, 200)
        const staff = await site.as('safercustody')
        const released = await staff.post(
          `/people/${leaver.prisonNumber}/journey`,
          { stage: 'release', responsible: '', reason: 'Sentence served' },
          { from: `/people/${leaver.prisonNumber}/journey` },
        )
        assert.equal(released.statusCode, 303)
        // Two listeners hear of a release: the person's own view, and care plans (which end a plan in progress).
        assert.equal(await deliverEvents(site.services), 2)
        const after = await leaverBrowser.get('/my/timetable')
        assert.equal(after.statusCode, 303)
        assert.match(after.headers.location ?? '', /^\/my\/sign-in/)
        const page = await site.app.inject({ method: 'GET', url: '/my/sign-in' })
        const response = await site.app.inject({
          method: 'POST',
          url: '/my/sign-in',
          cookies: Object.fromEntries(page.cookies.map((cookie) => [cookie.name, cookie.value])),
          payload: { username: 'lewis.leaving', password: TEST_PASSWORD, _csrf: csrfTokenFrom(page.body) },
        })
        assert.match(sentBack(response).errors()[0]?.text ?? '', /The username or password is not right/)
      })
    })

    describe('their pages', () => {
      it('greets the person by first name with four plain links and none of the staff menu', async () => {
        const response = await deanBrowser.get('/my')
        assert.equal(response.statusCode, 200)
        const page = readPage(response.body)
        assert.equal(page.heading(), 'Hello Dean')
        assert.deepEqual(
          page.links().map((link) => link.href),
          ['/my/timetable', '/my/officer', '/my/worry', '/my/feedback'],
        )
        assert.ok(!page.addresses().includes('/roll'))
        assert.ok(!page.addresses().includes('/notifications'))
        assert.deepEqual(
          page.root.querySelectorAll('nav').map((nav) => nav.getAttribute('aria-label')),
          ['Language'],
          'no staff menu: the only navigation is the choice of language',
        )
        assert.equal(page.root.querySelectorAll('script[type="module"]').length, 0)
      })

      it('shows this week’s and next week’s timetable day by day, with where to go', async () => {
        const response = await deanBrowser.get('/my/timetable')
        assert.equal(response.statusCode, 200)
        const page = readPage(response.body)
        assert.deepEqual(page.headings(2), ['This week, from 23 November 2026', 'Next week, from 30 November 2026'])
        const mentions = page.text.match(/English level 1 at Education block/g) ?? []
        assert.equal(mentions.length, 4, 'Monday morning and Thursday afternoon, both weeks')
        assert.match(page.text, /25 November 2026 \(Today\)/)
      })

      it('turns a worry about themselves into a concern safer custody is told about at once, and says what happens next', async () => {
        const response = await deanBrowser.post('/my/worry', {
          about: 'me',
          whatIsHappening: 'I cannot sleep and I feel low',
          danger: 'not-sure',
        })
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/my/worries')
        const concern = await site.db
          .selectFrom('concern')
          .select(['person_id', 'raised_by', 'raised_by_person_account_id', 'urgency', 'safe_now'])
          .where('what_happened', '=', 'I cannot sleep and I feel low')
          .executeTakeFirstOrThrow()
        assert.equal(concern.person_id, dean.id)
        assert.equal(concern.raised_by, null)
        assert.ok(concern.raised_by_person_account_id)
        assert.equal(concern.urgency, 'today')
        assert.equal(concern.safe_now, 'not-sure')
        const told = await site.db
          .selectFrom('notification')
          .select('href')
          .where('recipient_id', '=', site.staff.safercustody.id)
          .where('kind', '=', 'concern-raised')
          .execute()
        assert.ok(told.length >= 1)
        const sent = await followed(deanBrowser, response)
        assert.ok(sent.headings(2).includes('What happens next'))
        assert.match(sent.text, /The safer custody team has your worry now/)
        assert.ok(sent.items().some((item) => item.endsWith('About you. Sent, not read yet.')))
      })

      it('finds the one person a worry about someone else names, and never shows what was done about them', async () => {
        const response = await worryAboutSomeoneElse(
          { firstName: 'oliver', lastName: 'TWIST' },
          { whatIsHappening: 'Oliver gave away his things', danger: 'yes' },
        )
        assert.equal(response.statusCode, 303)
        const concern = await site.db
          .selectFrom('concern')
          .select(['id', 'person_id', 'urgency', 'safe_now'])
          .where('what_happened', '=', 'Oliver gave away his things')
          .executeTakeFirstOrThrow()
        assert.equal(concern.person_id, other.id)
        assert.equal(concern.urgency, 'immediate')
        assert.equal(concern.safe_now, 'no')
        await site.db
          .updateTable('concern')
          .set({ acted_at: clock.now(), acted_by: site.staff.safercustody.id, outcome: 'spoke-with-person' })
          .where('id', '=', concern.id)
          .execute()
        const list = readPage((await deanBrowser.get('/my/worries')).body)
        assert.ok(list.items().some((item) => item.endsWith('About someone else. Staff have acted on it.')))
        assert.equal(list.mentions(/Oliver|Twist|Someone talked with you/), false)
      })

      it('comes back with 400, the message and what was typed when the name matches nobody', async () => {
        const response = await worryAboutSomeoneElse(
          { firstName: 'Nobody', lastName: 'Here' },
          { whatIsHappening: 'Something is wrong', danger: 'no' },
        )
        const refused = sentBack(response)
        assert.match(refused.title, /^Error: /)
        assert.match(refused.errors()[0]?.text ?? '', /^We could not tell who you mean/)
        assert.equal(refused.valueOfField('firstName'), 'Nobody')
        assert.equal(refused.valueOfField('whatIsHappening'), 'Something is wrong')
        assert.equal(refused.isChecked('No'), true)
      })

      it('asks who the worry is about and whether anyone is in danger when neither is answered', async () => {
        const response = await deanBrowser.post('/my/worry', { whatIsHappening: '' })
        const errors = sentBack(response).errors()
        assert.ok(errors.some((error) => error.href === '#about' && error.text === 'Choose who you are worried about'))
        assert.ok(
          errors.some((error) => error.href === '#danger' && error.text === 'Say if someone is in danger right now'),
        )
      })

      it('records their score for an activity they go to as their own feedback and shows it back', async () => {
        const response = await deanBrowser.post('/my/feedback', {
          activityId: activity.id,
          rating: '4',
          comment: 'Good teacher.\nExplains <i>slowly</i> & clearly.',
        })
        assert.equal(response.statusCode, 303)
        const row = await site.db
          .selectFrom('activity_feedback')
          .select(['rating', 'comment', 'given_on', 'recorded_by', 'given_by_person_account_id'])
          .where('person_id', '=', dean.id)
          .executeTakeFirstOrThrow()
        assert.equal(row.rating, 4)
        assert.equal(row.given_on, '2026-11-25')
        assert.equal(row.recorded_by, null)
        assert.ok(row.given_by_person_account_id)
        const page = await deanBrowser.get('/my/feedback')
        assert.match(readPage(page.body).text, /English level 1: 4 out of 5, 25 November 2026/)
        assert.deepEqual(readPage(page.body).ownLines(), ['Good teacher.\nExplains <i>slowly</i> & clearly.'])
      })

      it('refuses a score without a rating with 400 and the activity kept chosen', async () => {
        const response = await deanBrowser.post('/my/feedback', { activityId: activity.id, comment: '' })
        const refused = sentBackWith(response, [{ text: 'Choose a score', href: '#rating' }])
        assert.equal(refused.valueOfField('activityId'), activity.id)
        assert.equal(refused.isChecked('English level 1'), true)
      })

      it('gives the person their own copy of their care plan in progress, and nothing staff keep about it', async () => {
        const empty = await deanBrowser.get('/my/care-plan')
        assert.equal(empty.statusCode, 200)
        assert.match(readPage(empty.body).text, /You do not have a care plan at the moment/)
        assert.ok(
          !readPage((await deanBrowser.get('/my')).body)
            .addresses()
            .includes('/my/care-plan'),
        )

        const opened = await site.services.carePlans.openCarePlan(site.staff.safercustody, dean.prisonNumber, {
          reason: 'Told the chaplain he had written goodbye letters',
          concernId: null,
        })
        assert.ok('carePlanId' in opened)
        const id = opened.carePlanId
        assert.equal(
          await site.services.carePlans.recordImmediateAction(site.staff.safercustody, dean.prisonNumber, id, {
            text: 'Officer with him; cell searched',
            supervision: {
              observationsPerDay: 12,
              observationsPerNight: 12,
              conversationsPerDay: 3,
              conversationsPerNight: 1,
            },
          }),
          null,
        )
        assert.equal(
          await site.services.carePlans.addAction(site.staff.safercustody, dean.prisonNumber, id, {
            description: 'Phone call to his sister',
            owner: 'Wing staff',
            dueOn: '2026-11-27',
          }),
          null,
        )
        assert.equal(
          await site.services.carePlans.recordObservation(site.staff.safercustody, dean.prisonNumber, id, {
            observedAt: clock.now(),
            seen: 'Crying quietly on the bed',
            wasConversation: false,
          }),
          null,
        )
        // As a case review leaves them: written in lines, and what is typed is never markup.
        const triggers = 'Letters from home.\nAnniversaries <b>in March</b> & June.'
        const warningSigns = 'Stays in his cell.\n\nStops eating.'
        await site.db
          .updateTable('care_plan')
          .set({ triggers, warning_signs: warningSigns })
          .where('id', '=', id)
          .execute()
        assert.equal(readPage((await deanBrowser.get('/my')).body).link('Your care plan'), '/my/care-plan')
        const copy = await deanBrowser.get('/my/care-plan')
        assert.equal(copy.statusCode, 200)
        const plan = readPage(copy.body)
        assert.equal(plan.heading(), 'Your care plan')
        assert.match(plan.text, /Your care plan started on 25 November 2026/)
        assert.match(plan.text, /Phone call to his sister: Wing staff, by 27 November 2026/)
        assert.deepEqual(plan.ownLines(), [triggers, warningSigns])
        for (const kept of ['goodbye letters', 'Crying quietly', 'cell searched'])
          assert.equal(plan.mentions(kept), false, `the person's copy does not show "${kept}"`)

        const oliver = await signedInAsPerson(site.app, 'oliver.twist')
        const theirs = readPage((await oliver.get('/my/care-plan')).body)
        assert.match(theirs.text, /You do not have a care plan at the moment/)
        assert.equal(theirs.mentions('Phone call to his sister'), false)

        await deanBrowser.get('/language/cy?returnTo=/my/care-plan')
        const welsh = await deanBrowser.get('/my/care-plan')
        assert.equal(headingOf(welsh.body), 'Eich cynllun gofal')
        assert.match(readPage(welsh.body).text, /Phone call to his sister: Wing staff, erbyn 27 Tachwedd 2026/)
        await deanBrowser.get('/language/en?returnTo=/my')
        const trail = await auditTrailOf(site.db, { personId: dean.id })
        assert.equal(trail.filter((entry) => entry.action === 'my-view.care-plan-viewed').length, 3)
      })

      it('speaks Welsh when the person chooses Cymraeg', async () => {
        await deanBrowser.get('/language/cy?returnTo=/my')
        const response = await deanBrowser.get('/my')
        assert.equal(headingOf(response.body), 'Helo Dean')
        // The prison's own name for a dedicated officer, in its Welsh.
        const page = readPage(response.body)
        assert.ok(page.links().some((link) => link.text === 'Eich gweithiwr allweddol'))
        assert.equal(page.mentions('key worker'), false)
        await deanBrowser.get('/language/en?returnTo=/my')
      })
    })

    describe('what the person may not reach', () => {
      it('is refused every staff route (403, or 404 where no such page exists; 401 for other systems’ API): the route walk', async () => {
        const own = (route: RouteOptions) => route.url === '/my' || route.url.startsWith('/my/')
        const staffRoutes = site.routes.filter(
          (route) =>
            permissionOf(route) !== 'public' && !own(route) && route.method !== 'HEAD' && route.method !== 'OPTIONS',
        )
        assert.ok(staffRoutes.length > 50, `walked ${staffRoutes.length} routes`)
        const reached: string[] = []
        for (const route of staffRoutes) {
          const methods = Array.isArray(route.method) ? route.method : [route.method]
          for (const method of methods) {
            const url = route.url.replace(/:prisonNumber/g, dean.prisonNumber).replace(/:\w+/g, 'A1234BC')
            const response = deanBrowser.jar.take(
              await site.app.inject({ method: method as 'GET', url, cookies: deanBrowser.jar.header }),
            )
            // Other systems' routes want a bearer token, which no session is: 401 before anything else.
            const refused = permissionOf(route) === 'api' ? [401] : [403, 404]
            if (!refused.includes(response.statusCode)) reached.push(`${method} ${url} ${response.statusCode}`)
          }
        }
        assert.deepEqual(reached, [])
      })

      it('reaches only the my-view pages: every route it may use is under /my or public', () => {
        const allowed = site.routes
          .filter((route) => permissionOf(route) === 'my-view')
          .map((route) => route.url)
          .filter((url) => !(url === '/my' || url.startsWith('/my/')))
        assert.deepEqual(allowed, [])
      })

      it('cannot open their own staff record, another person’s record or a concern by direct address', async () => {
        for (const url of [
          `/people/${dean.prisonNumber}`,
          `/people/${other.prisonNumber}/timetable`,
          `/people/${other.prisonNumber}/concerns`,
          '/concerns',
          '/roll',
          '/notifications',
          '/',
        ]) {
          const response = await deanBrowser.get(url)
          assert.equal(response.statusCode, 403, url)
          assert.equal(readPage(response.body).mentions(/Oliver|Twist/), false, url)
        }
        // The prison's concerns as JSON are for other systems, with a token: a session of any kind gets 401.
        const api = await deanBrowser.get('/api/concerns')
        assert.equal(api.statusCode, 401)
        assert.doesNotMatch(api.body, /Oliver|Twist/)
      })

      it('tells a person who reaches a staff page, in their own words and page, and leads back to their page', async () => {
        for (const [url, status, heading] of [
          ['/roll', 403, 'You cannot see this page'],
          ['/no-such-page', 404, 'We cannot find this page'],
        ] as const) {
          const response = await deanBrowser.get(url)
          assert.equal(response.statusCode, status, url)
          const page = readPage(response.body)
          assert.equal(page.heading(), heading, url)
          assert.match(page.title, / - Your Waymark$/, url)
          assert.equal(page.link('Back to your page'), '/my', url)
          assert.equal(page.mentions('administrator'), false, url)
          assert.ok(!page.addresses().includes('/'), url)
          assert.ok(!page.addresses().includes('/notifications'), url)
        }
        await deanBrowser.get('/language/cy?returnTo=/my')
        const welsh = await deanBrowser.get('/roll')
        assert.equal(headingOf(welsh.body), 'Ni allwch chi weld y dudalen hon')
        await deanBrowser.get('/language/en?returnTo=/my')
      })

      it('is a 403 to a member of staff who opens a person’s page', async () => {
        const leadBrowser = await site.as('governor')
        const response = await leadBrowser.get('/my/timetable')
        assert.equal(response.statusCode, 403)
        assert.equal(headingOf(response.body), 'You do not have permission to see this page')
      })

      it('ends the session on sign-out, so the old cookie opens nothing', async () => {
        const browser = await signedInAsPerson(site.app, 'oliver.twist')
        const out = await browser.post('/my/sign-out', {})
        assert.equal(out.statusCode, 303)
        assert.equal(out.headers.location, '/my/sign-in?signedOut=1')
        const after = await browser.get('/my')
        assert.equal(after.statusCode, 303)
      })
    })
  },
)
