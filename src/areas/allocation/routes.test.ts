import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { RUN_STOPPED_ERROR } from './service.ts'
import { verdictOf } from './rules.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { Problem, Timetable } from '../../allocator/index.ts'
import type { Db } from '../../db/database.ts'
import type { AllocationRunState } from '../../db/schema.ts'
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

/**
 * A run kept with its problem, timetable and result as given: one kept before a change to what runs keep, or
 * one whose timetable the prison has since moved away from. An imported proposal unless said otherwise.
 */
function givenKeptRun(
  db: Db,
  run: {
    establishmentCode: string
    requestedBy: string
    problem: Problem
    timetable: Timetable
    result: unknown
    source?: 'solver' | 'import'
    state?: AllocationRunState
  },
) {
  return db
    .insertInto('allocation_run')
    .values({
      establishment_code: run.establishmentCode,
      source: run.source ?? 'import',
      state: run.state ?? 'proposed',
      time_budget_ms: 100,
      requested_at: clock.now(),
      requested_by: run.requestedBy,
      finished_at: clock.now(),
      problem: JSON.stringify(run.problem),
      timetable: JSON.stringify(run.timetable),
      result: JSON.stringify(run.result),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

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
        assert.equal(accepted.headers.location, `${runUrl}?done=accepted`)
        const page = await followed(browser, accepted)
        assert.match(page.banner(), /Timetable accepted/)
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
        const groups = await opened(browser, '/allocation/groups')
        assert.ok(groups.table().some(([group, , , people]) => group === 'Barbering/a' && people === '1 of 4'))
      })
    })

    describe('export and import', () => {
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

    describe('a run that no longer keeps the rules, in English and Welsh', () => {
      let runId: string
      let oldRunId: string
      let manager: Actor
      let first: Awaited<ReturnType<typeof givenPerson>>
      let second: Awaited<ReturnType<typeof givenPerson>>
      type Browser = Awaited<ReturnType<typeof site.as>>
      const welshCookie = (browser: Browser) => ({ ...browser.jar.header, waymark_language: 'cy' })
      /** What the browser does in Welsh, chosen as a user chooses it, and English again after. */
      const inWelsh = async <T>(browser: Browser, act: () => Promise<T>) => {
        const runUrl = encodeURIComponent(`/allocation/runs/${runId}`)
        await browser.get(`/language/cy?returnTo=${runUrl}`)
        try {
          return await act()
        } finally {
          await browser.get(`/language/en?returnTo=${runUrl}`)
        }
      }
      /** Accepting the run, refused: the reasons the page lists. */
      const acceptRefusals = async (browser: Browser) => {
        const runUrl = `/allocation/runs/${runId}`
        const refused = await browser.post(`${runUrl}/accept`, {}, { from: runUrl })
        assert.equal(refused.statusCode, 400)
        return readPage(refused.body)
          .errors()
          .map((error) => error.text)
      }

      before(async () => {
        const prison = await givenEstablishment(site.db)
        await givenUsableDay(site.db, prison.code, ['MON_AM'])
        manager = await givenStaffUser(site.db, { role: 'activities', establishmentCodes: [prison.code] })
        const barbering = await givenActivity(site.db, prison.code, {
          code: 'WRK-BARBER',
          name: 'Barbering',
          groups: [{ code: 'a', slots: ['MON_AM'], capacity: 4 }],
        })
        first = await givenPerson(site.db, prison.code, { cellId: prison.cellId, lastName: 'Abbott' })
        second = await givenPerson(site.db, prison.code, { cellId: prison.cellId, lastName: 'Baker' })
        for (const person of [first, second]) await givenWant(site.db, person.id, barbering.id)
        await givenNonAssociation(site.db, first.id, second.id, { level: 'regime' })
        // A proposal made before the non-association was recorded: both in one group, which now breaks rule 6.
        const problem = await createServices({ db: site.db, clock }).allocation.allocationProblemFor(prison.code)
        const timetable = {
          version: 1 as const,
          assignments: [first, second].map((person) => ({ person: person.prisonNumber, group: 'WRK-BARBER/a' })),
        }
        const run = (result: unknown) =>
          givenKeptRun(site.db, { establishmentCode: prison.code, requestedBy: manager.id, problem, timetable, result })
        const proposal = verdictOf(problem, timetable)
        runId = (await run({ proposal, today: proposal, solver: null })).id
        // A run kept before violations had kinds: its verdict holds the checker's English alone.
        const kept = {
          ...proposal,
          violations: [{ rule: 6, message: `WRK-BARBER/a holds ${first.prisonNumber} and ${second.prisonNumber}` }],
        }
        oldRunId = (await run({ proposal: kept, today: kept, solver: null })).id
      })

      it('words each broken rule on the re-check page in the reader’s language, with no English in the Welsh', async () => {
        const browser = await site.as(manager)
        const english = readPage((await browser.get(`/allocation/runs/${runId}/recheck`)).body).text
        const inEnglish = `Rule 6: ${first.prisonNumber} and ${second.prisonNumber} are both in Barbering/a, but have a non-association`
        assert.equal(english.split(inEnglish).length - 1, 2, english)
        const page = await site.app.inject({
          method: 'GET',
          url: `/allocation/runs/${runId}/recheck`,
          cookies: welshCookie(browser),
        })
        assert.equal(page.statusCode, 200)
        const welsh = readPage(page.body).text
        const inWelsh = `Rheol 6: Mae ${first.prisonNumber} a’r person ${second.prisonNumber} yn y grŵp Barbering/a, ond mae gwaharddiad cymysgu rhyngddynt`
        assert.equal(welsh.split(inWelsh).length - 1, 2, welsh)
        for (const english of ['Rule 6', 'non-association', 'who are separated', 'are both in'])
          assert.equal(welsh.includes(english), false, `“${english}” on the Welsh page`)
      })

      it('refuses to accept the run with the broken rule in Welsh on a Welsh page', async () => {
        const browser = await site.as(manager)
        assert.deepEqual(await inWelsh(browser, () => acceptRefusals(browser)), [
          `Mae’r carchar wedi newid ers y rhediad hwn ac nid yw ei amserlen yn cadw’r rheolau mwyach (Mae ${first.prisonNumber} a’r person ${second.prisonNumber} yn y grŵp Barbering/a, ond mae gwaharddiad cymysgu rhyngddynt): dechreuwch rediad newydd`,
        ])
        assert.deepEqual(await acceptRefusals(browser), [
          `The prison has changed since this run and its timetable no longer keeps the rules (${first.prisonNumber} and ${second.prisonNumber} are both in Barbering/a, but have a non-association): start a new run`,
        ])
      })

      it('refuses an imported timetable that breaks a rule with the rule in the reader’s language', async () => {
        const browser = await site.as(manager)
        const timetable = JSON.stringify({
          version: 1,
          assignments: [first, second].map((person) => ({ person: person.prisonNumber, group: 'WRK-BARBER/a' })),
        })
        const refusals = async () => {
          const refused = await browser.post('/allocation/import', { timetable }, { from: '/allocation/import' })
          assert.equal(refused.statusCode, 400)
          return readPage(refused.body)
            .errors()
            .map((error) => error.text)
        }
        const welsh = await inWelsh(browser, refusals)
        assert.deepEqual(welsh, [
          `Rheol 6: Mae ${first.prisonNumber} a’r person ${second.prisonNumber} yn y grŵp Barbering/a, ond mae gwaharddiad cymysgu rhyngddynt`,
        ])
        for (const english of ['Rule 6', 'non-association', 'WRK-BARBER', 'holds'])
          assert.equal(welsh.join().includes(english), false, `“${english}” on the Welsh page`)
        assert.deepEqual(await refusals(), [
          `Rule 6: ${first.prisonNumber} and ${second.prisonNumber} are both in Barbering/a, but have a non-association`,
        ])
      })

      it('still shows a run kept before its broken rules had kinds, and checks it again in Welsh', async () => {
        const browser = await site.as(manager)
        const page = await site.app.inject({
          method: 'GET',
          url: `/allocation/runs/${oldRunId}`,
          cookies: welshCookie(browser),
        })
        assert.equal(page.statusCode, 200)
        assert.match(readPage(page.body).text, /Yn torri’r rheolau unwaith/)
        const english = readPage((await browser.get(`/allocation/runs/${oldRunId}`)).body).text
        assert.match(english, /Breaks the rules once/)
        const recheck = await site.app.inject({
          method: 'GET',
          url: `/allocation/runs/${oldRunId}/recheck`,
          cookies: welshCookie(browser),
        })
        assert.match(readPage(recheck.body).text, /Rheol 6: Mae .* a’r person .* yn y grŵp Barbering\/a/)
      })

      it('says in Welsh who has left the prison since the run, refusing it and on the re-check page', async () => {
        const leave = (code: string) =>
          site.db.updateTable('person').set({ establishment_code: code }).where('id', '=', second.id).execute()
        const [{ establishment_code: prisonCode }] = await site.db
          .selectFrom('person')
          .select('establishment_code')
          .where('id', '=', second.id)
          .execute()
        await leave(site.home.code)
        const browser = await site.as(manager)
        try {
          await inWelsh(browser, async () => {
            assert.deepEqual(await acceptRefusals(browser), [
              `Mae’r carchar wedi newid ers y rhediad hwn ac nid yw ei amserlen yn cadw’r rheolau mwyach (Nid yw ${second.prisonNumber} yn y carchar hwn mwyach): dechreuwch rediad newydd`,
            ])
            const recheck = readPage((await browser.get(`/allocation/runs/${runId}/recheck`)).body).text
            assert.match(recheck, new RegExp(`Nid yw ${second.prisonNumber} yn y carchar hwn mwyach`))
            assert.equal(recheck.includes('unknown person'), false, recheck)
          })
        } finally {
          await leave(prisonCode)
        }
        const recheck = readPage((await browser.get(`/allocation/runs/${runId}/recheck`)).body).text
        assert.equal(recheck.includes('no longer at this prison'), false)
      })
    })

    describe('how close a run comes to the best timetable possible', () => {
      let boundRunId: string
      let bestRunId: string
      let oldRunId: string
      let manager: Actor

      before(async () => {
        const prison = await givenEstablishment(site.db)
        manager = await givenStaffUser(site.db, { role: 'activities', establishmentCodes: [prison.code] })
        const problem = await createServices({ db: site.db, clock }).allocation.allocationProblemFor(prison.code)
        const timetable = { version: 1 as const, assignments: [] }
        const verdict = verdictOf(problem, timetable)
        const scoring = (total: number) => ({ ...verdict, score: { ...verdict.score, total } })
        const run = async (total: number, solver: Record<string, unknown>) => {
          const { id } = await givenKeptRun(site.db, {
            establishmentCode: prison.code,
            requestedBy: manager.id,
            problem,
            timetable,
            result: { proposal: scoring(total), today: scoring(0), solver },
            source: 'solver',
            state: 'superseded',
          })
          return id
        }
        const figures = { elapsedMs: 980, rounds: 4000, stoppedBy: 'time' }
        // 4.5997…% below the bound, said as 4.6%; the bound said as 6,863.8, rounded up as a bound must be.
        boundRunId = await run(6548, { ...figures, upperBound: 6863.71 })
        bestRunId = await run(6864, { ...figures, upperBound: 6864 })
        // A run kept before runs proved a bound (December 2026): its solver's figures have none.
        oldRunId = await run(6548, figures)
      })

      const reviewText = async (runId: string, language: 'en' | 'cy') => {
        const browser = await site.as(manager)
        const page = await site.app.inject({
          method: 'GET',
          url: `/allocation/runs/${runId}`,
          cookies: { ...browser.jar.header, waymark_language: language },
        })
        assert.equal(page.statusCode, 200)
        return readPage(page.body).text
      }

      it('says how close the proposal comes to the proven bound, and what the bound means, in English and Welsh', async () => {
        const english = await reviewText(boundRunId, 'en')
        assert.match(english, /Within 4\.6% of the best timetable possible for this offer/)
        assert.match(
          english,
          /No timetable for this offer and these people could score more than 6,863\.8\. Waymark proves this/,
        )
        const welsh = await reviewText(boundRunId, 'cy')
        assert.match(welsh, /O fewn 4\.6% i’r amserlen orau bosibl ar gyfer y ddarpariaeth hon/)
        assert.match(
          welsh,
          /Ni allai unrhyw amserlen ar gyfer y ddarpariaeth hon a’r bobl hyn sgorio mwy na 6,863\.8\./,
        )
        for (const english of ['Within', 'best timetable', 'No timetable', 'Waymark proves'])
          assert.equal(welsh.includes(english), false, `“${english}” on the Welsh page`)
      })

      it('calls a proposal that reaches its bound the best possible, not within 0%', async () => {
        const english = await reviewText(bestRunId, 'en')
        assert.match(english, /The best timetable possible for this offer/)
        assert.equal(english.includes('Within'), false)
        assert.match(await reviewText(bestRunId, 'cy'), /Yr amserlen orau bosibl ar gyfer y ddarpariaeth hon/)
      })

      it('says nothing of a bound for a run kept before runs proved one', async () => {
        for (const [language, words] of [
          ['en', ['best timetable possible', 'could score more than']],
          ['cy', ['amserlen orau bosibl', 'sgorio mwy na']],
        ] as const) {
          const text = await reviewText(oldRunId, language)
          assert.match(text, language === 'en' ? /Total score/ : /Cyfanswm y sgôr/)
          for (const word of words) assert.equal(text.includes(word), false, `“${word}” on an old run’s page`)
        }
      })
    })

    describe('a run whose worker died', () => {
      it('says the run stopped before it finished and offers to start another, in English and Welsh', async () => {
        const run = await site.db
          .insertInto('allocation_run')
          .values({
            establishment_code: site.home.code,
            source: 'solver',
            state: 'failed',
            time_budget_ms: 300,
            requested_at: clock.now(),
            requested_by: site.staff.activities.id,
            finished_at: clock.now(),
            error: RUN_STOPPED_ERROR,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        const browser = await site.as('activities')
        const page = await browser.get(`/allocation/runs/${run.id}`)
        assert.equal(page.statusCode, 200)
        const stopped = readPage(page.body)
        assert.match(stopped.text, /The run stopped before it finished: start another\. Nothing has changed\./)
        assert.equal(stopped.link('Start another run'), '/allocation/runs')
        const welsh = await site.app.inject({
          method: 'GET',
          url: `/allocation/runs/${run.id}`,
          cookies: { ...browser.jar.header, waymark_language: 'cy' },
        })
        assert.match(readPage(welsh.body).text, /Daeth y rhediad i ben cyn iddo orffen: dechreuwch un arall\./)
      })
    })
  },
)
