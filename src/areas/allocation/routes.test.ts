import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { Actor } from '../../platform/permissions.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { readPage } from '../../../test/support/page.ts'
import { followed, opened, sentBack } from '../../../test/support/page-steps.ts'
import {
  givenActivity,
  givenAllocationPrison,
  givenCurrentAllocation,
  givenNonAssociation,
  givenOneGroupPrison,
  givenUsableDay,
  givenWant,
} from '../../../test/support/allocation-builders.ts'

const clock = fixedClock('2026-11-25T10:00:00Z')

/** The row headings of the table with this caption: the groups it has a row for. */
const rowHeadings = (body: string, caption: string) =>
  readPage(body)
    .table(caption)
    .slice(1)
    .map(([heading]) => heading)
const h1 = (body: string) => readPage(body).heading()

describePagesOnEachEngine(
  'allocation pages',
  {
    clock,
    home: (db) => givenAllocationPrison(db, { people: 30, activities: 6 }),
    staff: ['activities', 'officer', 'partner'],
  },
  (site) => {
    before(async () => {
      // Religion as people answer it: a faith, preferring not to say, and never asked.
      for (const [index, religion] of [
        [0, 'buddhist'],
        [1, 'not-stated'],
        [2, null],
      ] as const)
        await site.db.updateTable('person').set({ religion }).where('id', '=', site.home.people[index].id).execute()
    })

    describe('a run from the runs page to acceptance', () => {
      let runUrl: string

      it('starts a run from the runs page and shows its progress page, which refreshes itself', async () => {
        const browser = await site.as('activities')
        const page = await browser.get('/allocation/runs')
        assert.equal(page.statusCode, 200)
        assert.equal(h1(page.body), 'Allocation runs')
        const started = await browser.post('/allocation/runs', {}, { from: '/allocation/runs' })
        assert.equal(started.statusCode, 303)
        runUrl = started.headers.location as string
        assert.match(runUrl, /^\/allocation\/runs\/[0-9a-f-]{36}$/)
        const progress = await browser.get(runUrl)
        assert.equal(progress.statusCode, 200)
        assert.equal(progress.headers.refresh, '3')
        assert.ok(
          readPage(progress.body)
            .links()
            .some((link) => link.text === 'Stop updating this page'),
        )
        const still = await browser.get(`${runUrl}?updates=off`)
        assert.equal(still.headers.refresh, undefined)
        assert.match(readPage(still.body).text, /This page no longer updates itself/)
        assert.match(readPage(progress.body).text, /The run is waiting to start/)
      })

      it('refuses a second run while one is under way, with the reason', async () => {
        const browser = await site.as('activities')
        const again = await browser.post('/allocation/runs', {}, { from: '/allocation/runs' })
        assert.match(sentBack(again).errors()[0]?.text ?? '', /^A run is already under way at this prison/)
      })

      it('shows the review once the job has run: score, changes, no session and sessions by characteristic', async () => {
        const services = createServices({ db: site.db, clock })
        await services.jobs.work('test-worker', services.allocation.jobHandlers())
        const browser = await site.as('activities')
        const page = await browser.get(runUrl)
        assert.equal(page.statusCode, 200)
        assert.equal(page.headers.refresh, undefined)
        const review = readPage(page.body)
        assert.match(review.text, /Ready to review/)
        assert.ok(review.table('Score: the proposal compared with today’s timetable').length > 1)
        assert.ok(review.headings(2).includes('Who joins and who leaves each group'))
        assert.ok(review.table('Religion or belief').length > 1)
        assert.match(review.text, /Keeps all six rules/)
        // The run keeps the bound its solver proved, and says how close the proposal comes to it.
        assert.match(review.text, /(Within \d+(\.\d)?% of the|The) best timetable possible for this offer/)
        assert.equal(review.hasButton('Accept this timetable'), true)
      })

      it('names each group in the sessions by characteristic as the person’s record does, not by its code', async () => {
        const page = await (await site.as('activities')).get(runUrl)
        assert.deepEqual(rowHeadings(page.body, 'Sex'), ['Male'])
        assert.deepEqual(rowHeadings(page.body, 'Religion or belief'), [
          'Buddhist',
          'No religion',
          'Prefers not to say',
          'Not recorded',
        ])
        assert.deepEqual(rowHeadings(page.body, 'Ethnic group'), [
          'Asian or Asian British',
          'Black, African, Caribbean or Black British',
          'Mixed or multiple ethnic groups',
          'White',
          'Prefers not to say',
        ])
        assert.deepEqual(rowHeadings(page.body, 'Cohort'), ['Mainstream', 'Vulnerable prisoners'])
      })

      it('does not let an officer see runs or accept one', async () => {
        const browser = await site.as('officer')
        assert.equal((await browser.get(runUrl)).statusCode, 403)
        const accept = await browser.post(`${runUrl}/accept`, {}, { from: '/allocation/groups' })
        assert.equal(accept.statusCode, 403)
      })

      it('accepts the proposal and says so', async () => {
        const browser = await site.as('activities')
        const accepted = await browser.post(`${runUrl}/accept`, {}, { from: runUrl })
        assert.equal(accepted.headers.location, runUrl)
        const page = await followed(browser, accepted)
        // Said whether or not anyone's groups changed: a timetable the same as the current one may be accepted too.
        assert.match(page.banner(), /Timetable accepted: it is the prison’s timetable now$/)
        assert.equal(page.mentions('Accept this timetable'), false)
        const recheck = await browser.get(`${runUrl}/recheck`)
        assert.equal(recheck.statusCode, 200)
        assert.equal((readPage(recheck.body).text.match(/Keeps all six rules/g) ?? []).length, 2)
      })

      it('shows a person’s timetable tab and their printable large-type copy', async () => {
        const row = await site.db
          .selectFrom('activity_allocation as x')
          .innerJoin('person as p', 'p.id', 'x.person_id')
          .select('p.prison_number')
          .where('p.establishment_code', '=', site.home.code)
          .where('x.ends_on', 'is', null)
          .executeTakeFirstOrThrow()
        const browser = await site.as('officer')
        const page = await browser.get(`/people/${row.prison_number}/timetable`)
        assert.equal(page.statusCode, 200)
        assert.deepEqual(readPage(page.body).currentPages(), ['Timetable'])
        assert.match(readPage(page.body).text, /Sessions a week: \d+/)
        const print = await browser.get(`/people/${row.prison_number}/timetable/print`)
        assert.equal(print.statusCode, 200)
        assert.ok(readPage(print.body).stylesheets().includes('/assets/allocation/timetable-print.css'))
        assert.match(readPage(print.body).heading(), /^Your timetable, /)
        const css = await site.app.inject({ method: 'GET', url: '/assets/allocation/timetable-print.css' })
        assert.equal(css.statusCode, 200)
        assert.match(css.body, /@media print/)
      })

      it('says a single session in the singular on the printable copy', async () => {
        // A prison of its own: the other tests count the people at home.
        const elsewhere = await givenEstablishment(site.db)
        const officer = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [elsewhere.code] })
        const person = await givenPerson(site.db, elsewhere.code)
        const { groups } = await givenActivity(site.db, elsewhere.code, { groups: [{ slots: ['MON_AM'] }] })
        await givenCurrentAllocation(site.db, person.id, groups.a)
        const print = await (await site.as(officer)).get(`/people/${person.prisonNumber}/timetable/print`)
        assert.match(readPage(print.body).text, /You have 1 session each week\./)
      })

      it('keeps timetables from partner workers', async () => {
        const browser = await site.as('partner')
        assert.equal((await browser.get(`/people/${site.home.people[0].prisonNumber}/timetable`)).statusCode, 403)
      })
    })

    describe('registers and changes by hand', () => {
      let code: string
      let groupId: string
      let first: Awaited<ReturnType<typeof givenPerson>>
      let second: Awaited<ReturnType<typeof givenPerson>>
      let prisonManager: Actor

      before(async () => {
        const other = await givenEstablishment(site.db)
        code = other.code
        await givenUsableDay(site.db, code, ['MON_AM'])
        prisonManager = await givenStaffUser(site.db, { role: 'activities', establishmentCodes: [code] })
        const barbering = await givenActivity(site.db, code, {
          code: 'WRK-BARBER',
          name: 'Barbering',
          groups: [{ code: 'a', slots: ['MON_AM'], capacity: 4, location: 'Salon' }],
        })
        groupId = barbering.groups.a!
        first = await givenPerson(site.db, code, { cellId: other.cellId, lastName: 'Abbott' })
        second = await givenPerson(site.db, code, { cellId: other.cellId, lastName: 'Baker' })
        for (const person of [first, second]) await givenWant(site.db, person.id, barbering.id)
        await givenCurrentAllocation(site.db, second.id, groupId)
        await givenNonAssociation(site.db, first.id, second.id, { level: 'regime' })
      })

      it('does not show a register of another prison', async () => {
        const browser = await site.as('officer')
        assert.equal((await browser.get(`/allocation/groups/${groupId}`)).statusCode, 404)
      })

      it('refuses to add a person with a non-association with someone in the group, naming both', async () => {
        const browser = await site.as(prisonManager)
        const page = await browser.get(`/allocation/groups/${groupId}`)
        assert.equal(page.statusCode, 200)
        assert.equal(h1(page.body), 'Barbering/a')
        assert.ok(
          readPage(page.body)
            .table()
            .some(([name]) => name.startsWith('Baker')),
        )
        const refused = await browser.post(
          `/allocation/groups/${groupId}/add`,
          { prisonNumber: first.prisonNumber.toLowerCase() },
          { from: `/allocation/groups/${groupId}` },
        )
        const form = sentBack(refused)
        assert.deepEqual(form.errors(), [
          {
            text: `Cannot add ${first.prisonNumber} to Barbering/a: they have a non-association with ${second.prisonNumber}, who is in that group`,
            href: '#prisonNumber',
          },
        ])
        assert.equal(form.valueOf('Prison number'), first.prisonNumber.toLowerCase())
      })

      it('names a cohort the group does not admit as the person’s record does, in English and Welsh', async () => {
        const gardening = await givenActivity(site.db, code, {
          code: 'WRK-GARDEN',
          name: 'Garddio',
          groups: [{ code: 'a', slots: ['MON_AM'], capacity: 4, cohorts: ['mainstream'] }],
        })
        const cell = await site.db
          .selectFrom('person')
          .select('cell_id')
          .where('id', '=', first.id)
          .executeTakeFirstOrThrow()
        const vulnerable = await givenPerson(site.db, code, {
          cellId: cell.cell_id,
          lastName: 'Carter',
          cohort: 'vulnerable',
        })
        await givenWant(site.db, vulnerable.id, gardening.id)
        const groupUrl = `/allocation/groups/${gardening.groups.a}`
        const browser = await site.as(prisonManager)
        const add = () => browser.post(`${groupUrl}/add`, { prisonNumber: vulnerable.prisonNumber }, { from: groupUrl })
        assert.deepEqual(readPage((await add()).body).errorTexts(), [
          `Cannot add ${vulnerable.prisonNumber} to Garddio/a: the group does not admit the vulnerable prisoners cohort`,
        ])
        await browser.get(`/language/cy?returnTo=${encodeURIComponent(groupUrl)}`)
        try {
          // A Welsh activity name after 'at' would ask a mutation ('at arddio'): the sentence says 'y grŵp' first.
          assert.deepEqual(readPage((await add()).body).errorTexts(), [
            `Ni ellir ychwanegu ${vulnerable.prisonNumber} at y grŵp Garddio/a: nid yw’r grŵp yn derbyn y garfan carcharorion agored i niwed`,
          ])
        } finally {
          await browser.get(`/language/en?returnTo=${encodeURIComponent(groupUrl)}`)
        }
      })

      it('removes a person and adds another who keeps every rule', async () => {
        const browser = await site.as(prisonManager)
        const removed = await browser.post(
          `/allocation/groups/${groupId}/remove`,
          { prisonNumber: second.prisonNumber },
          { from: `/allocation/groups/${groupId}` },
        )
        assert.equal(removed.statusCode, 303)
        const added = await browser.post(
          `/allocation/groups/${groupId}/add`,
          { prisonNumber: first.prisonNumber },
          { from: `/allocation/groups/${groupId}` },
        )
        const page = await followed(browser, added)
        assert.match(page.banner(), /Person added to the group/)
        assert.ok(page.table().some(([name]) => name.startsWith('Abbott')))
        assert.equal(page.mentions('Baker'), false)
      })

      it('asks for a prison number when none is given', async () => {
        const browser = await site.as(prisonManager)
        const refused = await browser.post(
          `/allocation/groups/${groupId}/add`,
          { prisonNumber: '' },
          { from: '/allocation/groups' },
        )
        assert.equal(sentBack(refused).fieldError('prisonNumber'), 'Enter a prison number')
      })

      it('lists who leaves a wing for which activity in a session', async () => {
        const browser = await site.as(prisonManager)
        const page = await browser.get('/allocation/movements?wing=A&slot=MON_AM')
        assert.equal(page.statusCode, 200)
        const movements = readPage(page.body)
        assert.ok(movements.headings(2).includes('A wing, Monday morning: 1 person to move'))
        assert.deepEqual(
          movements
            .table('Barbering/a, Salon (1)')
            .slice(1)
            .map(([name]) => name),
          ['Abbott, Test'],
        )
        // Each kind of activity first, with its groups and people; its groups on a page of their own.
        const kinds = await opened(browser, '/allocation/groups')
        assert.deepEqual(kinds.table('Groups by kind of activity'), [
          ['Kind of activity', 'Activities', 'Groups', 'Places taken'],
          ['Education', '2', '2', '1'],
        ])
        assert.equal(kinds.link('Education'), '/allocation/groups?category=education')
        const groups = await opened(browser, kinds.link('Education'))
        assert.ok(groups.table().some(([group, , , people]) => group === 'Barbering/a' && people === '1 of 4'))
        assert.equal((await opened(browser, '/allocation/groups?category=gym')).table()[0][0], 'Kind of activity')
      })
    })

    describe('export and import', () => {
      it('words a broken rule that counts people in the reader’s language, as a refused import shows it', async () => {
        // A prison of its own: one group that needs two to run, and the one person who wants it in it.
        const pots = { code: 'EDU-POT', name: 'Pottery' }
        const {
          prison,
          manager,
          activity: pottery,
        } = await givenOneGroupPrison(site.db, pots, { capacity: 4, minSize: 2 })
        const person = await givenPerson(site.db, prison.code, { cellId: prison.cellId })
        await givenWant(site.db, person.id, pottery.id)
        const timetable = { version: 1, assignments: [{ person: person.prisonNumber, group: 'EDU-POT/a' }] }
        const refused = await (
          await site.as(manager)
        ).post('/allocation/import', { timetable: JSON.stringify(timetable) }, { from: '/allocation/import' })
        // The page said nothing: handed on from the request, its plural lost itself and the page was a 500.
        assert.deepEqual(sentBack(refused).errorTexts(), [
          'Rule 4: Only 1 person is in Pottery/a, which needs at least 2 to run',
        ])
      })

      it('downloads the problem as JSON and refuses a broken timetable with its reasons', async () => {
        const browser = await site.as('activities')
        const download = await browser.get('/allocation/problem.json')
        assert.equal(download.statusCode, 200)
        assert.match(String(download.headers['content-disposition']), /attachment; filename="allocation-problem-/)
        const problem = JSON.parse(download.body) as { version: number; people: { id: string }[] }
        assert.equal(problem.version, 1)
        assert.equal(problem.people.length, 30)
        const refused = await browser.post(
          '/allocation/import',
          { timetable: JSON.stringify({ version: 1, assignments: [{ person: 'Z0000ZZ', group: 'NONE/a' }] }) },
          { from: '/allocation/import' },
        )
        const messages = sentBack(refused).errorTexts()
        assert.ok(messages.includes('Assignment 1 names unknown person Z0000ZZ'), messages.join())
        assert.ok(messages.includes('Assignment 1 names unknown group NONE/a'), messages.join())
        assert.equal(
          sentBack(refused).fieldError('timetable'),
          'The timetable was refused for the reasons listed above (2)',
        )
        // 60 unknown people: the first 50 listed, and how many there are in all.
        const assignments = Array.from({ length: 60 }, (_, n) => ({ person: `Z${n}`, group: 'NONE/a' }))
        const many = await browser.post(
          '/allocation/import',
          { timetable: JSON.stringify({ version: 1, assignments }) },
          { from: '/allocation/import' },
        )
        assert.equal(
          sentBack(many).fieldError('timetable'),
          'The timetable was refused for 120 reasons; the first 50 are listed above',
        )
      })

      it('takes a timetable over 1 MiB, as its field allows 2,000,000 characters', async () => {
        const browser = await site.as('activities')
        const spaced = `{"version": 1,${' '.repeat(1_200_000)}"assignments": []}`
        const imported = await browser.post('/allocation/import', { timetable: spaced }, { from: '/allocation/import' })
        assert.equal(imported.statusCode, 303)
      })

      it('says a timetable over 2,000,000 characters is too long, with the limit, rather than to paste one', async () => {
        const browser = await site.as('activities')
        const refused = await browser.post(
          '/allocation/import',
          { timetable: `{"version": 1, "assignments": []}${' '.repeat(2_000_000)}.` },
          { from: '/allocation/import' },
        )
        const errors = sentBack(refused).errors()
        assert.match(
          errors[0]?.text ?? '',
          /^The timetable must be 2,000,000 characters or fewer\. Check that you pasted the timetable/,
        )
        assert.ok(!errors.some((error) => error.text === 'Paste a timetable'))
      })

      it('answers a body too large to read with the form and the limit, not a bare error page', async () => {
        const browser = await site.as('activities')
        const refused = await browser.post(
          '/allocation/import',
          { timetable: 'x'.repeat(9 * 1024 * 1024) },
          { from: '/allocation/import' },
        )
        assert.equal(refused.statusCode, 413)
        assert.equal(h1(refused.body), 'Import a timetable')
        assert.match(
          readPage(refused.body).errors()[0]?.text ?? '',
          /^The timetable must be 2,000,000 characters or fewer/,
        )
      })

      it('imports an empty timetable as a proposal to review', async () => {
        const browser = await site.as('activities')
        const imported = await browser.post(
          '/allocation/import',
          { timetable: JSON.stringify({ version: 1, assignments: [] }) },
          { from: '/allocation/import' },
        )
        const page = await followed(browser, imported)
        assert.match(page.banner(), /Timetable imported/)
        assert.match(page.text, /Imported timetable/)
      })
    })
  },
)
