import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { createServices } from '../../src/app.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { startWorker, type Worker } from '../../src/platform/jobs.ts'
import { checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'

async function heading(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim()
}

describe('an activities manager runs an allocation, reviews and accepts it, and a change by hand is refused', () => {
  let journey: Journey
  let page: Page
  let worker: Worker
  let runUrl: string
  const workerErrors: unknown[] = []

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page } = await journey.newPage())
  })
  after(async () => {
    await worker?.stop()
    await journey?.close()
  })

  it('signs in and opens the allocation runs', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('demo.activities')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
    await page.goto('/allocation/runs')
    assert.equal(await heading(page), 'Allocation runs')
    // The demo's accepted timetable is listed as the prison's first run.
    assert.match(await page.getByRole('table').innerText(), /Accepted/)
    await checkPage(page, 'allocation runs')
  })

  it('starts a run and watches it finish on a page that refreshes itself', async () => {
    // The week has moved on since the demo's timetable was accepted: one person has given up their place, so the
    // run has a change to propose. (Run again on an unchanged week, the allocator keeps every place it can.)
    const place = await journey.db
      .selectFrom('activity_allocation as x')
      .innerJoin('person as p', 'p.id', 'x.person_id')
      .innerJoin('staff_user_establishment as e', 'e.establishment_code', 'p.establishment_code')
      .innerJoin('staff_user as u', 'u.id', 'e.staff_user_id')
      .select('x.id')
      .where('u.username', '=', 'demo.activities')
      .where('x.ends_on', 'is', null)
      .orderBy('x.id')
      .executeTakeFirstOrThrow()
    await journey.db
      .updateTable('activity_allocation')
      .set({ ends_on: systemClock.today(), end_reason: 'Gave up their place' })
      .where('id', '=', place.id)
      .execute()
    await page.getByRole('button', { name: 'Start a run' }).click()
    await page.waitForURL(/\/allocation\/runs\/[0-9a-f-]{36}$/)
    runUrl = new URL(page.url()).pathname
    assert.equal(await heading(page), 'Allocation run')
    assert.match(await page.getByRole('status').innerText(), /waiting to start/)
    // The run waits for a worker: meanwhile the page with its updates stopped holds still for the checks.
    await page.getByRole('link', { name: 'Stop updating this page' }).click()
    await page.waitForURL((url) => url.searchParams.get('updates') === 'off')
    await checkPage(page, 'allocation run in progress')
    await page.goto(runUrl)
    // The server's background worker, as `waymark serve` runs it, working this journey's database.
    const services = createServices({ db: journey.db, clock: systemClock })
    worker = startWorker({
      jobs: services.jobs,
      handlers: services.allocation.jobHandlers(),
      sweeps: [],
      clock: systemClock,
      pollMs: 250,
      workerId: 'journey-worker',
      onError: (error) => void workerErrors.push(error),
    })
    // No script: the browser reloads the page (a Refresh header) until the run has finished.
    await page.getByText('Ready to review').first().waitFor({ timeout: 60_000 })
    assert.equal(await page.getByRole('link', { name: 'Stop updating this page' }).count(), 0)
  })

  it('reviews the proposal against today: score, who joins and leaves, people with no session, fairness', async () => {
    assert.match(await page.getByRole('table', { name: /Score/ }).innerText(), /Needs met/)
    await page.getByText(/Changes in \d+ groups?/).click()
    assert.match(await page.getByRole('columnheader', { name: 'Joins' }).innerText(), /Joins/)
    assert.match(await page.getByRole('table', { name: 'Ethnic group' }).innerText(), /White/)
    // Each group in the person record's words, not its code ('mainstream', 'M').
    assert.match(await page.getByRole('table', { name: 'Cohort' }).innerText(), /Mainstream/)
    assert.match(await page.getByRole('table', { name: 'Sex' }).innerText(), /Male/)
    assert.doesNotMatch(await page.getByRole('table', { name: 'Sex' }).innerText(), /^M\t/m)
    await checkPage(page, 'allocation run review')
  })

  it('accepts the proposal, and can check it again by the six rules', async () => {
    await page.getByRole('button', { name: 'Accept this timetable' }).click()
    await noticeShown(page, 'Timetable accepted')
    await checkPage(page, 'allocation run accepted')
    await page.getByRole('link', { name: 'Check this run again by the six rules' }).click()
    assert.equal(await heading(page), 'Check a run again')
    assert.equal(await page.getByText('Keeps all six rules').count(), 2)
    await checkPage(page, 'allocation run re-checked')
  })

  it('shows a person their timetable from the accepted run, and a large-type copy to print', async () => {
    const someone = await journey.db
      .selectFrom('activity_allocation as x')
      .innerJoin('person as p', 'p.id', 'x.person_id')
      .select(['p.prison_number as prisonNumber', 'x.allocation_run_id as runId'])
      .where('x.ends_on', 'is', null)
      .where('x.allocation_run_id', '=', runUrl.split('/').at(-1)!)
      .executeTakeFirstOrThrow()
    await page.goto(`/people/${someone.prisonNumber}/timetable`)
    assert.match(await page.getByRole('table', { name: 'The week' }).innerText(), /Monday/)
    assert.match(await page.getByText(/Sessions a week: \d+/).innerText(), /\d/)
    await checkPage(page, 'person timetable')
    await page.getByRole('link', { name: 'Print a large-type copy for the person' }).click()
    assert.match(await heading(page), /^Your timetable, /)
    await checkPage(page, 'printable timetable')
  })

  it('refuses to add someone to a group that holds a person they have a non-association with, naming both', async () => {
    // Someone in a group, and someone else at the prison who wants that activity but must not meet them.
    const member = await journey.db
      .selectFrom('activity_allocation as x')
      .innerJoin('person as p', 'p.id', 'x.person_id')
      .innerJoin('activity_group as g', 'g.id', 'x.group_id')
      .innerJoin('activity as a', 'a.id', 'g.activity_id')
      .select(['p.id', 'p.prison_number as prisonNumber', 'g.id as groupId', 'a.id as activityId', 'a.name', 'g.code'])
      .where('x.ends_on', 'is', null)
      .where('p.establishment_code', '=', 'NHI')
      .where('p.cohort', '=', 'mainstream')
      .executeTakeFirstOrThrow()
    const other = await journey.db
      .selectFrom('person')
      .select(['id', 'prison_number as prisonNumber'])
      .where('establishment_code', '=', 'NHI')
      .where('cohort', '=', 'mainstream')
      .where('id', '!=', member.id)
      .where(
        'id',
        'not in',
        journey.db.selectFrom('person_activity_want').select('person_id').where('activity_id', '=', member.activityId),
      )
      .executeTakeFirstOrThrow()
    await journey.db
      .insertInto('person_activity_want')
      .values({ person_id: other.id, activity_id: member.activityId, weight: 5 })
      .execute()
    const [a, b] = [member.id, other.id].sort() as [string, string]
    await journey.db
      .insertInto('non_association')
      .values({ person_a_id: a, person_b_id: b, reason: 'threat', level: 'regime', created_at: new Date() })
      .execute()

    await page.goto('/allocation/groups')
    assert.equal(await heading(page), 'Activity groups')
    await checkPage(page, 'activity groups')
    // Each kind of activity first; its groups a click away.
    await page.getByRole('table', { name: 'Groups by kind of activity' }).getByRole('link').first().click()
    await page.waitForURL('**/allocation/groups?category=*')
    assert.ok((await page.getByRole('link', { name: /\/[a-z0-9]+$/i }).count()) > 0, 'the kind’s groups listed')
    await checkPage(page, 'a kind of activity’s groups')
    await page.goto(`/allocation/groups/${member.groupId}`)
    assert.equal(await heading(page), `${member.name}/${member.code}`)
    await checkPage(page, 'group register')
    await page.getByLabel('Prison number').fill(other.prisonNumber)
    await page.getByRole('button', { name: 'Add to this group' }).click()
    const summary = await page.getByRole('alert').innerText()
    // The exact words, not a pattern: an activity's name may hold brackets, as "Reading plan (Shannon Trust)" does.
    const refusal = `Cannot add ${other.prisonNumber} to ${member.name}/${member.code}: they have a non-association with ${member.prisonNumber}, who is in that group`
    assert.ok(summary.includes(refusal), `${refusal}\nnot in\n${summary}`)
    assert.equal(await page.getByLabel('Prison number').inputValue(), other.prisonNumber)
    await checkPage(page, 'group register with a refused change')
  })

  it('gives officers a wing’s movement list for a session', async () => {
    await page.goto('/allocation/movements')
    await checkPage(page, 'movement list form')
    await page.getByLabel('Wing').selectOption({ index: 2 })
    await page.getByLabel('Session').selectOption({ index: 1 })
    await page.getByRole('button', { name: 'Show the movement list' }).click()
    await page.waitForURL((url) => url.searchParams.has('slot'))
    assert.match(await page.getByRole('heading', { level: 2 }).first().innerText(), /people to move/)
    await checkPage(page, 'movement list')
  })

  it('refuses an imported timetable that breaks the rules, with the reasons', async () => {
    await page.goto('/allocation/import')
    await checkPage(page, 'import a timetable')
    await page
      .getByLabel('Timetable (JSON)')
      .fill('{"version": 1, "assignments": [{"person": "Z0000ZZ", "group": "X/a"}]}')
    await page.getByRole('button', { name: 'Check and import' }).click()
    assert.match(await page.getByRole('alert').innerText(), /names unknown person Z0000ZZ/)
    await checkPage(page, 'import refused')
    assert.deepEqual(journey.pageProblems, [])
    assert.deepEqual(workerErrors, [])
  })
})
