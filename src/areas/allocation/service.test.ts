import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { parseProblem, solve } from '../../allocator/index.ts'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { Actor } from '../../platform/permissions.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { readEveryPage } from '../../../test/support/paging.ts'
import { insertRun } from './store/runs.ts'
import {
  givenActivity,
  givenAllocationPrison,
  givenCurrentAllocation,
  givenNonAssociation,
  givenOneGroupPrison,
  givenUsableDay,
  givenWant,
} from '../../../test/support/allocation-builders.ts'

describeServicesOnEachEngine('the allocation service', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const currentRows = (establishmentCode: string) =>
    database.db
      .selectFrom('activity_allocation as x')
      .innerJoin('person as p', 'p.id', 'x.person_id')
      .select(['x.person_id', 'x.group_id', 'x.allocation_run_id', 'x.starts_on'])
      .where('p.establishment_code', '=', establishmentCode)
      .where('x.ends_on', 'is', null)
      .execute()
  const auditActions = (actor: Actor) => auditTrailOf(database.db, { actorId: actor.id })

  describe('a run, from start to acceptance', () => {
    let prison: Awaited<ReturnType<typeof givenAllocationPrison>>
    let manager: Actor
    let runId: string

    before(async () => {
      prison = await givenAllocationPrison(database.db, { people: 50, activities: 8 })
      manager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [prison.code] })
      // Two people in a group today, so the review has someone to keep and, perhaps, someone to move.
      await givenCurrentAllocation(database.db, prison.people[0].id, prison.activities[0].groups.a)
    })

    it('starts a run as a background job and refuses a second while it is under way', async () => {
      const started = await services.allocation.startRun(manager, { timeBudgetMs: 300 })
      assert.ok('runId' in started)
      runId = started.runId
      const second = await services.allocation.startRun(manager, { timeBudgetMs: 300 })
      assert.deepEqual(second, { field: 'start', messageKey: 'allocation.start.error.underWay', values: {} })
      const view = await services.allocation.viewRun(manager, runId)
      assert.equal(view.run.state, 'waiting')
      assert.equal(view.isUnderWay, true)
      assert.equal(view.review, null)
      const jobs = await database.db.selectFrom('job').select(['queue', 'payload']).execute()
      assert.deepEqual(
        jobs.filter((job) => job.queue === 'allocation:run'),
        [{ queue: 'allocation:run', payload: { runId } }],
      )
    })

    it('solves in a worker thread when the job runs, keeps the problem and proposal, and tells who started it', async () => {
      const done = await services.jobs.work('test-worker', services.allocation.jobHandlers())
      assert.equal(done, 1)
      const view = await services.allocation.viewRun(manager, runId)
      assert.equal(view.run.state, 'proposed')
      assert.equal(view.progress, 100)
      assert.ok(view.review)
      assert.equal(view.review.proposal.valid, true)
      assert.ok(view.review.proposal.score.total > view.review.today.score.total)
      assert.equal(view.review.people, 50)
      assert.ok(view.review.joined > 0)
      assert.ok(view.review.proposal.meanSessionsByTrait.ethnicGroup)
      const stored = await database.db
        .selectFrom('allocation_run')
        .select(['problem'])
        .where('id', '=', runId)
        .executeTakeFirstOrThrow()
      assert.equal(parseProblem(stored.problem).ok, true)
      const notes = await database.db
        .selectFrom('notification')
        .select(['kind', 'href'])
        .where('recipient_id', '=', manager.id)
        .execute()
      assert.deepEqual(notes, [{ kind: 'allocation.run-finished', href: `/allocation/runs/${runId}` }])
      assert.equal((await currentRows(prison.code)).length, 1, 'nothing changes before acceptance')
    })

    it('accepts the proposal: opens and closes allocations in one go, and audits it', async () => {
      const view = await services.allocation.viewRun(manager, runId)
      const refusals = await services.allocation.acceptRun(manager, runId)
      assert.deepEqual(refusals, [])
      const rows = await currentRows(prison.code)
      assert.equal(rows.length, view.review!.proposal.assignments)
      assert.ok(rows.every((row) => row.allocation_run_id === runId || row.starts_on === '2026-10-01'))
      const accepted = await services.allocation.viewRun(manager, runId)
      assert.equal(accepted.run.state, 'accepted')
      assert.equal(accepted.run.acceptedByName, 'Test activities')
      const actions = (await auditActions(manager)).map((entry) => entry.action)
      assert.deepEqual(actions, ['allocation-run.started', 'allocation-run.accepted'])
    })

    it('refuses to accept the same run twice', async () => {
      const refusals = await services.allocation.acceptRun(manager, runId)
      assert.deepEqual(refusals, [
        { field: 'accept', messageKey: 'allocation.accept.error.state', values: { state: 'accepted' } },
      ])
    })

    it('re-checks a run later against its own inputs and against the prison as it is now', async () => {
      const recheck = await services.allocation.recheckRun(manager, runId)
      assert.equal(recheck.own?.valid, true)
      assert.equal(recheck.now?.valid, true)
      assert.deepEqual(recheck.nowErrors, [])
    })

    it('shows a person’s timetable from the accepted run', async () => {
      const rows = await currentRows(prison.code)
      const someone = prison.people.find((person) => rows.some((row) => row.person_id === person.id))!
      const view = await services.allocation.viewPersonTimetable(manager, someone.prisonNumber)
      assert.equal(view.groups.length, rows.filter((row) => row.person_id === someone.id).length)
      assert.equal(
        view.sessions,
        view.groups.reduce((sum, group) => sum + group.slots.length, 0),
      )
    })

    it('hides a run from a manager at another prison', async () => {
      const elsewhere = await givenStaffUser(database.db, {
        role: 'activities',
        establishmentCodes: [(await givenEstablishment(database.db)).code],
      })
      await assert.rejects(services.allocation.viewRun(elsewhere, runId), { statusCode: 404 })
      await assert.rejects(services.allocation.acceptRun(elsewhere, runId), { statusCode: 404 })
    })
  })

  describe('a proposal the prison has outgrown', () => {
    /** A prison of its own with its activities manager and one barbering group on Monday mornings. */
    async function givenBarberingPrison(capacity: number) {
      const barber = { code: 'WRK-BARBER', name: 'Barbering' }
      const { activity: barbering, ...prison } = await givenOneGroupPrison(database.db, barber, { capacity })
      return { ...prison, barbering }
    }

    it('refuses to accept it with each broken rule’s kind and values, its groups named, and re-checks it so', async () => {
      const { prison, manager, barbering } = await givenBarberingPrison(4)
      const first = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
      const second = await givenPerson(database.db, prison.code, { cellId: prison.cellId, lastName: 'Adams' })
      for (const person of [first, second]) await givenWant(database.db, person.id, barbering.id)
      const imported = await services.allocation.importTimetable(
        manager,
        JSON.stringify({
          version: 1,
          assignments: [first, second].map((person) => ({ person: person.prisonNumber, group: 'WRK-BARBER/a' })),
        }),
      )
      assert.ok('runId' in imported, JSON.stringify(imported))
      // Recorded after the proposal was made: the two may no longer share a group.
      await givenNonAssociation(database.db, first.id, second.id, { level: 'regime' })
      const violation = {
        rule: 6,
        kind: 'peopleSeparated',
        values: { group: 'Barbering/a', person: first.prisonNumber, other: second.prisonNumber },
        message: `WRK-BARBER/a holds ${first.prisonNumber} and ${second.prisonNumber}, who are separated`,
      }
      assert.deepEqual(await services.allocation.acceptRun(manager, imported.runId), [
        {
          field: 'accept',
          messageKey: 'allocation.accept.error.changed',
          values: { reason: violation.message },
          violation,
        },
      ])
      assert.equal((await currentRows(prison.code)).length, 0)
      const recheck = await services.allocation.recheckRun(manager, imported.runId)
      assert.equal(recheck.own?.valid, true)
      assert.deepEqual(recheck.now?.violations, [violation])
    })

    it('says how many more reasons there are past the first it lists, when many have left since', async () => {
      const { prison, manager, barbering } = await givenBarberingPrison(30)
      const elsewhere = await givenEstablishment(database.db)
      const people = []
      for (let n = 0; n < 22; n += 1) {
        const person = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
        await givenWant(database.db, person.id, barbering.id)
        people.push(person)
      }
      const imported = await services.allocation.importTimetable(
        manager,
        JSON.stringify({
          version: 1,
          assignments: people.map((person) => ({ person: person.prisonNumber, group: 'WRK-BARBER/a' })),
        }),
      )
      assert.ok('runId' in imported, JSON.stringify(imported))
      // All 22 moved to another prison since the proposal was made.
      await database.db
        .updateTable('person')
        .set({ establishment_code: elsewhere.code, cell_id: null })
        .where(
          'id',
          'in',
          people.map((person) => person.id),
        )
        .execute()
      const refusals = await services.allocation.acceptRun(manager, imported.runId)
      assert.equal(refusals.filter((refusal) => refusal.gone).length, 10)
      assert.deepEqual(refusals.at(-1), {
        field: 'accept',
        messageKey: 'allocation.accept.error.more',
        values: { count: 12 },
      })
      const recheck = await services.allocation.recheckRun(manager, imported.runId)
      assert.deepEqual([recheck.nowGone.length, recheck.nowReasonCount], [20, 22])
    })
  })

  describe('changes by hand after acceptance', () => {
    let code: string
    let manager: Actor
    let barbering: Awaited<ReturnType<typeof givenActivity>>
    let gym: Awaited<ReturnType<typeof givenActivity>>
    let first: Awaited<ReturnType<typeof givenPerson>>
    let second: Awaited<ReturnType<typeof givenPerson>>
    let third: Awaited<ReturnType<typeof givenPerson>>

    /** The manager adds a person to a group, or takes them out of it. */
    const changeMembership = (groupId: string, person: { prisonNumber: string }, change: 'add' | 'remove') =>
      services.allocation.changeGroupMembership(manager, groupId, person.prisonNumber, change)

    before(async () => {
      const prison = await givenEstablishment(database.db)
      code = prison.code
      await givenUsableDay(database.db, code, ['MON_AM', 'MON_PM'])
      manager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [code] })
      barbering = await givenActivity(database.db, code, {
        code: 'WRK-BARBER',
        name: 'Barbering',
        groups: [{ code: 'a', slots: ['MON_AM'], capacity: 3, minSize: 2 }],
      })
      gym = await givenActivity(database.db, code, {
        code: 'GYM',
        name: 'Gym',
        groups: [{ code: 'a', slots: ['MON_AM'], capacity: 3 }],
      })
      first = await givenPerson(database.db, code, { cellId: prison.cellId })
      second = await givenPerson(database.db, code, { cellId: prison.cellId, lastName: 'Adams' })
      third = await givenPerson(database.db, code, { cellId: prison.cellId, lastName: 'Brown' })
      for (const person of [first, second, third]) {
        await givenWant(database.db, person.id, barbering.id)
        await givenWant(database.db, person.id, gym.id)
      }
      await givenCurrentAllocation(database.db, second.id, barbering.groups.a)
      await givenCurrentAllocation(database.db, third.id, barbering.groups.a)
      await givenNonAssociation(database.db, first.id, second.id, { level: 'regime' })
    })

    it('refuses to add someone to a group that holds a person they must not meet, naming both', async () => {
      const refusals = await changeMembership(barbering.groups.a, first, 'add')
      assert.deepEqual(refusals, [
        {
          field: 'prisonNumber',
          messageKey: 'allocation.refusal.nonAssociation',
          values: { person: first.prisonNumber, group: 'Barbering/a', other: second.prisonNumber },
        },
      ])
      assert.equal((await currentRows(code)).length, 2)
    })

    it('refuses a second group in the same slot, naming the clash', async () => {
      await changeMembership(gym.groups.a, first, 'add')
      const refusals = await changeMembership(barbering.groups.a, first, 'add')
      assert.ok(refusals.some((refusal) => refusal.messageKey === 'allocation.refusal.clash'))
    })

    it('refuses to take someone out of a group when it would fall below its minimum size', async () => {
      const refusals = await changeMembership(barbering.groups.a, second, 'remove')
      assert.deepEqual(refusals, [
        {
          field: 'prisonNumber',
          messageKey: 'allocation.refusal.belowMinimum',
          values: { person: second.prisonNumber, group: 'Barbering/a', size: 1, minimum: 2 },
        },
      ])
    })

    it('adds and removes a person who keeps every rule, and audits each change', async () => {
      assert.deepEqual(await changeMembership(gym.groups.a, second, 'remove'), [
        {
          field: 'prisonNumber',
          messageKey: 'allocation.refusal.notIn',
          values: { person: second.prisonNumber, group: 'Gym/a' },
        },
      ])
      assert.deepEqual(await changeMembership(gym.groups.a, first, 'remove'), [])
      const members = await services.allocation.currentGroupMembers(gym.groups.a)
      assert.deepEqual(members, [])
      const actions = (await auditActions(manager)).map((entry) => entry.action)
      assert.deepEqual(actions, ['activity-allocation.added', 'activity-allocation.removed'])
    })

    it('lists who goes where from a wing in a session', async () => {
      const view = await services.allocation.movementList(manager, 'A', 'MON_AM')
      assert.deepEqual(view.slots, ['MON_AM', 'MON_PM'])
      assert.deepEqual(
        view.destinations.map((destination) => [
          destination.activityName,
          destination.people.map((p) => p.prisonNumber),
        ]),
        [['Barbering', [second.prisonNumber, third.prisonNumber]]],
      )
    })
  })

  describe('two changes by hand at once', () => {
    it('fills the last place once: the second manager is told the group is full', async () => {
      const { prison, manager, activity } = await givenOneGroupPrison(
        database.db,
        { code: 'WRK-LAUNDRY', name: 'Laundry' },
        { capacity: 2 },
      )
      const [already, first, second] = await Promise.all(
        ['Ashby', 'Brook', 'Carr'].map((lastName) => givenPerson(database.db, prison.code, { lastName })),
      )
      for (const person of [already, first, second]) await givenWant(database.db, person.id, activity.id)
      await givenCurrentAllocation(database.db, already.id, activity.groups.a)
      const answers = await Promise.all(
        [first, second].map((person) =>
          services.allocation.changeGroupMembership(manager, activity.groups.a, person.prisonNumber, 'add'),
        ),
      )
      assert.deepEqual(answers.map((refusals) => refusals.map((refusal) => refusal.messageKey)).sort(), [
        [],
        ['allocation.refusal.full'],
      ])
      assert.equal((await services.allocation.currentGroupMembers(activity.groups.a)).length, 2)
    })
  })

  describe('export and import', () => {
    it('exports the problem, and imports a timetable solved outside as a proposal to review', async () => {
      const prison = await givenAllocationPrison(database.db, { people: 20, activities: 5 })
      const manager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [prison.code] })
      const exported = await services.allocation.exportProblem(manager)
      const parsed = parseProblem(JSON.parse(exported))
      assert.ok(parsed.ok)
      const { timetable } = solve(parsed.value, { timeMs: 100 })
      const imported = await services.allocation.importTimetable(manager, JSON.stringify(timetable))
      assert.ok('runId' in imported)
      const view = await services.allocation.viewRun(manager, imported.runId)
      assert.equal(view.run.source, 'import')
      assert.equal(view.run.state, 'proposed')
      assert.equal(view.review?.proposal.valid, true)
    })

    it('refuses a timetable that breaks the rules or names someone unknown, with the reasons', async () => {
      const prison = await givenAllocationPrison(database.db, { people: 12, activities: 6 })
      const manager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [prison.code] })
      const problem = await services.allocation.allocationProblemFor(prison.code)
      const person = problem.people.find((p) => Object.keys(p.wants).length < problem.activities.length)!
      const unwanted = problem.activities.find((activity) => !(person.wants[activity.id] > 0))!
      const broken = await services.allocation.importTimetable(
        manager,
        JSON.stringify({ version: 1, assignments: [{ person: person.id, group: unwanted.groups[0].id }] }),
      )
      assert.ok('errors' in broken)
      // The broken rule comes back as the checker found it, for the page to word in the reader's language.
      assert.deepEqual(broken.errors, [])
      const rules = broken.violations.map((violation) => `Rule ${violation.rule}: ${violation.message}`)
      assert.ok(rules.includes(`Rule 1: ${person.id} does not want ${unwanted.id}`), rules.join('; '))
      // Its group and activity named as the prison knows them ('Activity 3/a'), not by their codes.
      const activityName = unwanted.id.replace(/^.*-A/, 'Activity ')
      assert.deepEqual(broken.violations.find((violation) => violation.kind === 'notWanted')?.values, {
        person: person.id,
        group: `${activityName}/${unwanted.groups[0].id.split('/')[1]}`,
        activity: activityName,
      })
      const unknown = await services.allocation.importTimetable(
        manager,
        JSON.stringify({ version: 1, assignments: [{ person: 'Z9999ZZ', group: unwanted.groups[0].id }] }),
      )
      assert.deepEqual(unknown, {
        errors: ['Assignment 1 names unknown person Z9999ZZ'],
        violations: [],
        reasonCount: 1,
      })
      // Past the first 50 mistakes, how many there are in all: the page said '(50)' of 60.
      const many = await services.allocation.importTimetable(
        manager,
        JSON.stringify({
          version: 1,
          assignments: Array.from({ length: 60 }, (_, n) => ({ person: `Z${n}`, group: unwanted.groups[0].id })),
        }),
      )
      assert.ok('errors' in many)
      assert.deepEqual([many.errors.length, many.reasonCount], [50, 60])
      const notJson = await services.allocation.importTimetable(manager, '{')
      assert.ok('errors' in notJson && notJson.errors[0].startsWith('The timetable is not valid JSON'))
    })
  })

  describe('a run whose worker died', () => {
    it('is failed within a minute as stopped before it finished, and the manager can start another', async () => {
      const movable = fixedClock('2026-11-25T09:00:00Z')
      const own = createServices({ db: database.db, clock: movable })
      const prison = await givenAllocationPrison(database.db, { people: 10, activities: 2 })
      const manager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [prison.code] })
      const started = await own.allocation.startRun(manager, { timeBudgetMs: 300 })
      assert.ok('runId' in started)
      // A worker claimed the job and began to solve; then its process was killed, so its heartbeat stopped.
      await database.db
        .updateTable('job')
        .set({ state: 'running', locked_by: 'killed-process', locked_at: movable.now(), attempts: 1 })
        .where('queue', '=', 'allocation:run')
        .where(sql<boolean>`payload->>'runId' = ${started.runId}`)
        .execute()
      await database.db
        .updateTable('allocation_run')
        .set({ state: 'solving', solving_started_at: movable.now() })
        .where('id', '=', started.runId)
        .execute()
      assert.deepEqual(await own.allocation.startRun(manager), {
        field: 'start',
        messageKey: 'allocation.start.error.underWay',
        values: {},
      })

      movable.advanceMinutes(1)
      await own.jobs.work('live-process', own.allocation.jobHandlers())

      const view = await own.allocation.viewRun(manager, started.runId)
      assert.equal(view.run.state, 'failed')
      assert.equal(view.isUnderWay, false)
      assert.equal(view.stoppedBeforeFinishing, true)
      const another = await own.allocation.startRun(manager, { timeBudgetMs: 300 })
      assert.ok('runId' in another, 'another run starts')
    })
  })

  describe('the runs list', () => {
    it('lists every run, the latest first, 20 to a page, and the one under way whatever the page', async () => {
      const prison = await givenEstablishment(database.db)
      const manager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [prison.code] })
      // 21 runs an hour apart, the oldest still waiting: on the second page.
      for (let n = 0; n < 21; n += 1)
        await insertRun(database.db, {
          establishmentCode: prison.code,
          source: 'solver',
          state: n === 0 ? 'waiting' : 'accepted',
          timeBudgetMs: 1000,
          requestedAt: new Date(Date.UTC(2026, 10, 1, n)),
          requestedBy: manager.id,
        })
      const runs = await readEveryPage((page) => services.allocation.listRuns(manager, { page }), 'runs', {
        total: 21,
        size: 20,
        inOrderOf: { value: (run) => run.requestedAt.getTime(), descending: true, id: (run) => run.id },
      })
      const [first, second] = [
        await services.allocation.listRuns(manager),
        await services.allocation.listRuns(manager, { page: 2 }),
      ]
      assert.equal(first.underWay?.id, runs.at(-1)!.id)
      assert.equal(second.underWay?.id, runs.at(-1)!.id)
    })
  })
})
