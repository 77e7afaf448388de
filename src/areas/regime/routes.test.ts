import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { csrfTokenFrom, describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { givenActivity, givenUsableDay, settledAnswers } from '../../../test/support/regime-builders.ts'
import { needs } from './rules.ts'
import { readPage } from '../../../test/support/page.ts'
import { opened, sentBack } from '../../../test/support/page-steps.ts'

describePagesOnEachEngine(
  'regime pages',
  {
    clock: fixedClock('2026-11-25T09:00:00Z'),
    config: { signInAttemptsPerMinute: 100 },
    home: { function: 'resettlement' },
    staff: ['activities', 'officer', 'partner', 'monitor', 'governor'],
  },
  (site) => {
    let elsewhere: { code: string }
    let person: { id: string; prisonNumber: string }
    let neighbour: { id: string; prisonNumber: string }
    let stranger: { id: string; prisonNumber: string }

    /** Posts a form as one of the file's staff, which must be sent back: the page, to read for its messages. */
    const postRefused = async (who: Parameters<typeof site.as>[0], ...form: Parameters<Browser['post']>) =>
      sentBack(await (await site.as(who)).post(...form))

    /** Posts a form as one of the file's staff, which must be taken (303): the answer, for where it leads. */
    const postTaken = async (who: Parameters<typeof site.as>[0], ...form: Parameters<Browser['post']>) => {
      const answer = await (await site.as(who)).post(...form)
      assert.equal(answer.statusCode, 303, `${form[0]} answered ${answer.statusCode}, not 303 (taken)`)
      return answer
    }

    /**
     * One test a case: the activities manager's form at `url` is sent back (400) as an error page with these
     * messages, keeping the field named as it was typed.
     */
    const itSendsBack = (
      url: string,
      cases: {
        it: string
        answers: Record<string, string>
        errors: { text: string; href: string }[]
        kept: { field: string; value: string }
      }[],
    ) => {
      for (const { it: behaviour, answers, errors, kept } of cases)
        it(behaviour, async () => {
          const refused = await postRefused('activities', url, answers)
          assert.match(refused.title, /^Error: /)
          assert.deepEqual(refused.errors(), errors)
          assert.equal(refused.valueOfField(kept.field), kept.value)
        })
    }

    /** A page one of the file's staff opens (200), read. */
    const openedAs = async (who: Parameters<typeof site.as>[0], url: string) => opened(await site.as(who), url)

    before(async () => {
      const db = site.db
      elsewhere = await givenEstablishment(db)
      await givenUsableDay(db, site.home.code, ['MON_AM', 'TUE_AM', 'WED_PM'])
      await givenActivity(db, site.home.code, {
        code: 'INT-TSP',
        name: 'Thinking Skills Programme',
        category: 'intervention',
        needs: ['offending-behaviour'],
        groups: [{ code: 'a', slots: ['MON_AM'], capacity: 10, minSize: 6 }],
      })
      await givenActivity(db, elsewhere.code, { code: 'EDU-AWAY' })
      person = await givenPerson(db, site.home.code)
      neighbour = await givenPerson(db, site.home.code)
      stranger = await givenPerson(db, elsewhere.code)
    })

    describe('GET /regime/offer', () => {
      it('lists the prison’s activities for everyone, partners included, and not another prison’s', async () => {
        const offer = await openedAs('partner', '/regime/offer')
        assert.equal(offer.heading(), 'Regime offer')
        assert.equal(offer.link('Thinking Skills Programme'), '/regime/offer/INT-TSP')
        assert.equal(offer.mentions('EDU-AWAY'), false)
        assert.equal(offer.mentions('Add an activity'), false)
      })

      it('gives a 404 for another prison’s activity', async () => {
        assert.equal((await (await site.as('activities')).get('/regime/offer/EDU-AWAY')).statusCode, 404)
      })
    })

    describe('POST /regime/offer/new', () => {
      itSendsBack('/regime/offer/new', [
        {
          it: 'comes back with 400, the messages and what was typed',
          answers: { code: 'not a code!', name: 'Barbering', deliveryMode: 'group' },
          errors: [
            {
              text: 'Enter an activity code of capital letters, numbers and hyphens, up to 40 characters, for example EDU-ENG-L1',
              href: '#code',
            },
            { text: 'Select the category', href: '#category' },
          ],
          kept: { field: 'name', value: 'Barbering' },
        },
        {
          it: 'refuses a code the prison already uses',
          answers: { code: 'int-tsp', name: 'Again', category: 'intervention', deliveryMode: 'group' },
          errors: [{ text: 'This prison already has an activity with the code INT-TSP', href: '#code' }],
          kept: { field: 'name', value: 'Again' },
        },
      ])

      it('adds the activity and goes to its page', async () => {
        const response = await postTaken('activities', '/regime/offer/new', {
          code: 'wrk-barber',
          name: 'Barbering',
          category: 'work',
          deliveryMode: 'group',
          providerOrganisationId: '',
          needs: 'work-skills',
        })
        assert.equal(response.headers.location, '/regime/offer/WRK-BARBER')
      })

      it('refuses an officer', async () => {
        const response = await (await site.as('officer')).post('/regime/offer/new', { code: 'X', name: 'X' })
        assert.equal(response.statusCode, 403)
      })
    })

    describe('POST /regime/offer/:code/groups/new', () => {
      itSendsBack('/regime/offer/INT-TSP/groups/new', [
        {
          it: 'refuses a minimum above the capacity and a slot outside the usable day, with 400',
          answers: { code: 'b', location: 'Programmes unit', slots: 'SUN_ED', capacity: '8', minSize: '9' },
          errors: [
            { text: 'These sessions are not in the usable day: SUN_ED', href: '#slots' },
            { text: 'The minimum size (9) cannot be more than the capacity (8)', href: '#minSize' },
          ],
          kept: { field: 'location', value: 'Programmes unit' },
        },
        {
          it: 'refuses a capacity that is not a number',
          answers: { code: 'b', slots: 'MON_AM', capacity: 'ten', minSize: '0' },
          errors: [{ text: 'Enter a capacity between 1 and 200', href: '#capacity' }],
          kept: { field: 'capacity', value: 'ten' },
        },
      ])

      it('takes a session sent more than once as one session, not a 500', async () => {
        // A form made by hand: the page's boxes send each session once. More than 21 broke the table's check.
        await postTaken('activities', '/regime/offer/new', {
          code: 'wrk-twice',
          name: 'Laundry',
          category: 'work',
          deliveryMode: 'group',
          providerOrganisationId: '',
        })
        const browser = await site.as('activities')
        const from = '/regime/offer/WRK-TWICE/groups/new'
        const form = new URLSearchParams([
          ['_csrf', csrfTokenFrom((await browser.get(from)).body)],
          ['code', 'twice'],
          ['capacity', '10'],
          ['minSize', '0'],
          ['cohorts', 'mainstream'],
          ...Array.from({ length: 22 }, () => ['slots', 'TUE_AM']),
        ])
        const answer = await site.app.inject({
          method: 'POST',
          url: from,
          cookies: browser.jar.header,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: form.toString(),
        })
        assert.equal(answer.statusCode, 303)
        assert.ok(
          (await openedAs('activities', '/regime/offer/WRK-TWICE'))
            .table('Groups')
            .some(([group, , sessions]) => group === 'WRK-TWICE/twice' && sessions === 'Tuesday morning'),
        )
      })

      it('adds a group in the usable day', async () => {
        await postTaken('activities', '/regime/offer/INT-TSP/groups/new', {
          code: 'b',
          slots: 'TUE_AM',
          capacity: '10',
          minSize: '6',
          cohorts: 'mainstream',
        })
        assert.ok(
          (await openedAs('activities', '/regime/offer/INT-TSP'))
            .table('Groups')
            .some(([group, , sessions]) => group === 'INT-TSP/b' && sessions === 'Tuesday morning'),
        )
        // Welsh puts the part of the day first: 'bore dydd Mawrth', not 'Dydd Mawrth bore'.
        await (await site.as('activities')).get('/language/cy?returnTo=%2Fregime%2Foffer%2FINT-TSP')
        try {
          assert.ok(
            (await openedAs('activities', '/regime/offer/INT-TSP'))
              .table('Grwpiau')
              .some(([group, , sessions]) => group === 'INT-TSP/b' && sessions === 'bore Dydd Mawrth'),
          )
        } finally {
          await (await site.as('activities')).get('/language/en?returnTo=%2Fregime%2Foffer%2FINT-TSP')
        }
      })
    })

    describe('changing and retiring', () => {
      it('changes an activity’s details but keeps its code', async () => {
        const form = await (await site.as('activities')).get('/regime/offer/WRK-BARBER/edit')
        assert.equal(form.statusCode, 200)
        assert.equal(readPage(form.body).root.querySelector('[name="code"]'), null)
        await postTaken('activities', '/regime/offer/WRK-BARBER/edit', {
          name: 'Barbering academy',
          category: 'work',
          deliveryMode: 'blended',
          needs: ['work-skills', 'resettlement'] as unknown as string,
        })
        const activity = await openedAs('activities', '/regime/offer/WRK-BARBER')
        assert.equal(activity.heading(), 'Barbering academy')
        assert.equal(activity.summary()['How it is delivered'], 'Blended')
        assert.equal(activity.summary()['Needs it meets'], 'Resettlement, Work skills')
      })

      it('changes a group’s sizes, and refuses a minimum above the new capacity', async () => {
        const refused = await postRefused('activities', '/regime/offer/INT-TSP/groups/a/edit', {
          slots: 'MON_AM',
          capacity: '5',
          minSize: '6',
        })
        assert.deepEqual(refused.errors(), [
          { text: 'The minimum size (6) cannot be more than the capacity (5)', href: '#minSize' },
        ])
        await postTaken('activities', '/regime/offer/INT-TSP/groups/a/edit', {
          slots: 'MON_AM',
          capacity: '12',
          minSize: '6',
        })
        const [header, ...groups] = (await openedAs('activities', '/regime/offer/INT-TSP')).table('Groups')
        const capacity = header.indexOf('Capacity')
        assert.equal(groups.find(([group]) => group === 'INT-TSP/a')?.[capacity], '12')
      })

      it('retires an activity, which leaves the catalogue', async () => {
        const response = await postTaken('activities', '/regime/offer/WRK-BARBER/retire', {})
        assert.equal(response.headers.location, '/regime/offer/WRK-BARBER')
        assert.equal((await openedAs('activities', '/regime/offer')).mentions('Barbering academy'), false)
        assert.equal(
          (await openedAs('activities', '/regime/offer?retired=yes')).link('Barbering academy'),
          '/regime/offer/WRK-BARBER',
        )
      })
    })

    describe('POST /regime/usable-day and /regime/framework', () => {
      it('refuses an evening that ends before it starts', async () => {
        const refused = await postRefused(
          'activities',
          '/regime/usable-day',
          {
            'run-MON_AM': 'yes',
            'MON_AM-startsAt': '08:30',
            'MON_AM-endsAt': '11:45',
            'run-TUE_AM': 'yes',
            'TUE_AM-startsAt': '08:30',
            'TUE_AM-endsAt': '11:45',
            'run-MON_ED': 'yes',
            'MON_ED-startsAt': '19:00',
            'MON_ED-endsAt': '18:00',
          },
          { from: '/regime/usable-day' },
        )
        assert.deepEqual(refused.errorTexts(), ['The end of MON_ED must be after its start'])
      })

      it('shows a resettlement prison’s framework, and refuses shares that add up to more than 100', async () => {
        assert.match((await openedAs('governor', '/regime/framework')).text, /is a resettlement prison/)
        const shares = Object.fromEntries(
          ['education', 'work', 'intervention', 'therapeutic', 'peer-led', 'chaplaincy', 'family', 'gym'].map((c) => [
            `share-${c}`,
            '20',
          ]),
        )
        const emphasis = Object.fromEntries(needs.map((need) => [`emphasis-${need}`, '3']))
        const refused = await postRefused('governor', '/regime/framework', {
          ...shares,
          ...emphasis,
          firstAssessmentDays: '5',
          reassessmentDays: '182',
        })
        assert.deepEqual(refused.errorTexts(), ['The shares must add up to 100. They add up to 160.'])
      })

      it('refuses a partner the framework', async () => {
        assert.equal((await (await site.as('partner')).get('/regime/framework')).statusCode, 403)
      })
    })

    describe('the needs assessment', () => {
      it('names each unanswered question with 400', async () => {
        const refused = await postRefused('officer', `/people/${person.prisonNumber}/needs-assessment/new`, {
          kind: 'reception',
        })
        const questions = refused.errorTexts()
        assert.ok(questions.includes('Select whether they use drugs or alcohol'), questions.join('; '))
        assert.ok(questions.includes('Select when they are due for release'), questions.join('; '))
      })

      it('saves an assessment whose needs become wants, shown on the person’s tab', async () => {
        await postTaken('officer', `/people/${person.prisonNumber}/needs-assessment/new`, {
          kind: 'reception',
          ...settledAnswers,
          sentencePlanIntervention: 'yes',
        })
        const tab = await openedAs('officer', `/people/${person.prisonNumber}/needs-assessment`)
        assert.match(tab.text, /Offending behaviour programme/)
        assert.equal(tab.link('Thinking Skills Programme'), '/regime/offer/INT-TSP')
      })

      it('answers the same as JSON for other systems', async () => {
        const response = await (await site.as('officer')).get(`/api/people/${person.prisonNumber}/needs-assessment`)
        assert.equal(response.statusCode, 200)
        const body = response.json<{ latest: { version: number }; wants: { code: string; weight: number }[] }>()
        assert.equal(body.latest.version, 1)
        assert.deepEqual(
          body.wants.map((want) => want.code),
          ['INT-TSP'],
        )
      })

      it('is not shown to a partner worker', async () => {
        assert.equal(
          (await (await site.as('partner')).get(`/people/${person.prisonNumber}/needs-assessment`)).statusCode,
          403,
        )
      })

      it('gives a 404 for a person at another prison', async () => {
        assert.equal(
          (await (await site.as('officer')).get(`/people/${stranger.prisonNumber}/needs-assessment`)).statusCode,
          404,
        )
      })

      it('lists who is due for the officer', async () => {
        assert.ok((await openedAs('officer', '/needs-assessments')).text.includes(neighbour.prisonNumber))
      })
    })

    describe('non-associations', () => {
      const nonAssociationComment = 'Fought on the landing.\nSee <b>both</b> & the wing log.'
      const closeReason = 'Moved to separate wings.\nReviewed <i>weekly</i>.'

      it('refuses a prison number in the wrong format with 400', async () => {
        const refused = await postRefused('officer', `/people/${person.prisonNumber}/non-associations`, {
          otherPrisonNumber: '12345',
          reason: 'threat',
          level: 'wing',
        })
        assert.deepEqual(refused.errors(), [
          { text: 'Enter a prison number in the format A1234BC', href: '#otherPrisonNumber' },
        ])
        assert.equal(refused.valueOfField('otherPrisonNumber'), '12345')
      })

      it('records one and lists it for the prison', async () => {
        await postTaken('officer', `/people/${person.prisonNumber}/non-associations`, {
          otherPrisonNumber: neighbour.prisonNumber.toLowerCase(),
          reason: 'threat',
          level: 'regime',
          comment: nonAssociationComment,
        })
        assert.equal((await openedAs('officer', '/non-associations')).table('Open non-associations (1)').length, 2)
      })

      it('closes one with a reason, back on the person’s page', async () => {
        const prison = await openedAs('officer', '/non-associations')
        const id = /^\/non-associations\/([0-9a-f-]{36})\/close$/.exec(prison.link(/^Close/))?.[1]
        assert.ok(id)
        const empty = await postRefused('officer', `/non-associations/${id}/close`, { closeReason: ' ' })
        assert.deepEqual(empty.errorTexts(), ['Enter why it is no longer needed, up to 500 characters'])
        const response = await postTaken('officer', `/non-associations/${id}/close`, {
          closeReason,
          returnTo: person.prisonNumber,
        })
        assert.equal(response.headers.location, `/people/${person.prisonNumber}/non-associations`)
        const page = await openedAs('officer', `/people/${person.prisonNumber}/non-associations`)
        const [, ...rows] = page.table('Non-associations')
        assert.ok(rows.some((row) => row.at(-1)?.endsWith(': Moved to separate wings. Reviewed <i>weekly</i>.')))
        // The comment and why it closed, in the lines they were written in; markup typed is shown as typed.
        const written = page.ownLines()
        assert.ok(written.includes(nonAssociationComment), written.join(' | '))
        assert.ok(
          written.some((text) => text.endsWith(`: ${closeReason}`)),
          written.join(' | '),
        )
      })

      it('lets the activities manager keep two cohorts apart, and refuses one cohort with itself', async () => {
        const same = await postRefused('activities', '/non-associations/cohort-separations', {
          cohortA: 'mainstream',
          cohortB: 'mainstream',
        })
        assert.deepEqual(same.errorTexts(), ['Select two different cohorts'])
        await postTaken('activities', '/non-associations/cohort-separations', {
          cohortA: 'vulnerable',
          cohortB: 'mainstream',
        })
        assert.ok(
          (await openedAs('activities', '/non-associations'))
            .items()
            .some((item) => item.startsWith('Mainstream and Vulnerable prisoners')),
        )
        // 'a' would ask 'a Charcharorion': the Welsh says 'carfan … a charfan …', and the names stay whole.
        await (await site.as('activities')).get('/language/cy?returnTo=%2Fnon-associations')
        try {
          assert.ok(
            (await openedAs('activities', '/non-associations'))
              .items()
              .some((item) => item.startsWith('Carfan Prif ffrwd a charfan Carcharorion agored i niwed')),
          )
        } finally {
          await (await site.as('activities')).get('/language/en?returnTo=%2Fnon-associations')
        }
        assert.equal(
          (
            await (
              await site.as('officer')
            ).post('/non-associations/cohort-separations', { cohortA: 'a', cohortB: 'b' })
          ).statusCode,
          403,
        )
      })

      it('is not shown to a monitor or a partner', async () => {
        assert.equal((await (await site.as('monitor')).get('/non-associations')).statusCode, 403)
        assert.equal(
          (await (await site.as('partner')).get(`/people/${person.prisonNumber}/non-associations`)).statusCode,
          403,
        )
      })
    })

    describe('the population needs analysis', () => {
      it('shows a monitor the counts without the links to people', async () => {
        const analysis = await openedAs('monitor', '/needs-analysis')
        assert.ok(
          analysis
            .table('Gaps by need and cohort, largest shortfall first')
            .some(([need]) => need === 'Offending behaviour programme'),
        )
        assert.equal(analysis.mentions('needs-analysis/people'), false)
        const people = await (
          await site.as('monitor')
        ).get('/needs-analysis/people?need=offending-behaviour&cohort=mainstream')
        assert.equal(people.statusCode, 403)
      })

      it('gives the activities manager the CSV and the people behind a gap', async () => {
        const csv = await (await site.as('activities')).get('/needs-analysis.csv')
        assert.equal(csv.statusCode, 200)
        assert.match(String(csv.headers['content-type']), /text\/csv/)
        assert.match(csv.body, /offending-behaviour,intervention,mainstream,1,22,0/)
        const people = await (
          await site.as('activities')
        ).get('/needs-analysis/people?need=offending-behaviour&cohort=mainstream')
        assert.equal(people.statusCode, 200)
        assert.ok(
          readPage(people.body)
            .table()
            .some((row) => row.includes(person.prisonNumber)),
        )
      })
    })
  },
)
