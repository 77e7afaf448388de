import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { NotFound } from '../../platform/errors.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import {
  givenActivity,
  givenActivityAllocation,
  givenRegimeSlots,
  givenWant,
} from '../../../test/support/attendance-builders.ts'
import { createScenariosService, type ScenariosService } from './service.ts'

const weekdays = ['MON', 'TUE', 'WED', 'THU', 'FRI']

describeServicesOnEachEngine('the scenarios service', '2026-11-25T10:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenPrisonWithStaff(database.db, { manager: 'activities' }))
  const elsewhere = arrangedBefore(() => givenPrisonWithStaff(database.db, { manager: 'activities' }))
  let scenarios: ScenariosService
  let education: Awaited<ReturnType<typeof givenActivity>>

  before(async () => {
    scenarios = createScenariosService({
      db: database.db,
      clock,
      audit: services.audit,
      allocation: services.allocation,
      attendance: services.attendance,
      timeMs: 200,
    })
    // A usable day of weekday mornings and afternoons, three hours each.
    await givenRegimeSlots(
      database.db,
      prison.code,
      Object.fromEntries(
        weekdays.flatMap((day) => [
          [`${day}_AM`, ['09:00', '12:00']],
          [`${day}_PM`, ['13:30', '16:30']],
        ]),
      ),
    )
    // One English class of six places on Monday and Wednesday mornings; eight people want it.
    education = await givenActivity(database.db, prison.code, {
      code: 'EDU-ENG',
      name: 'English',
      category: 'education',
      groups: [{ code: 'a', slots: ['MON_AM', 'WED_AM'], capacity: 6 }],
    })
    for (let n = 0; n < 8; n++) {
      const person = await givenPerson(database.db, prison.code, { cohort: 'mainstream' })
      await givenWant(database.db, person.id, education.id, 5)
      if (n < 6) await givenActivityAllocation(database.db, person.id, education.groups[0].id)
    }
  })

  it('measures today, and a scenario with smaller groups and an evening class that places everyone', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Smaller groups, evening English')
    assert.ok('id' in created)
    assert.deepEqual(
      await scenarios.saveChanges(prison.manager, created.id, {
        capacityPercent: { education: -50 },
        minSize: {},
        closedGroups: [],
        extraSlots: ['TUE_ED'],
      }),
      [],
    )
    assert.deepEqual(
      await scenarios.addGroup(prison.manager, created.id, {
        activityCode: 'EDU-ENG',
        code: 'eve',
        slots: ['TUE_ED'],
        capacity: 6,
        minSize: 0,
      }),
      [],
    )

    assert.deepEqual(await scenarios.runScenario(prison.manager, created.id), [])
    const comparison = await scenarios.compare(prison.manager, [created.id])

    // Today: six of eight people in the class, two sessions of three hours each.
    assert.equal(comparison.today.people, 8)
    assert.equal(comparison.today.noSession, 2)
    assert.equal(comparison.today.hours.mean, (6 * 6) / 8)
    assert.equal(comparison.today.needsMet, 6 / 8)
    // The scenario: three places in the day class and six in the evening (two hours, the usual length).
    const [scenario] = comparison.scenarios
    assert.ok(scenario)
    assert.equal(scenario.figures.noSession, 0)
    assert.equal(scenario.figures.needsMet, 1)
    assert.equal(scenario.figures.hours.mean, (3 * 6 + 5 * 2) / 8)
    assert.deepEqual(
      scenario.figures.byCohort.map((row) => [row.value, row.people]),
      [['mainstream', 8]],
    )
    assert.ok(scenario.figures.byTrait.sex)
  })

  it('keeps both of two groups added at once, or says the second was not saved', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Two new English groups')
    assert.ok('id' in created)
    const group = (code: string) => ({ activityCode: 'EDU-ENG', code, slots: ['TUE_AM'], capacity: 6, minSize: 0 })
    const answers = await Promise.allSettled(
      ['b', 'c'].map((code) => scenarios.addGroup(prison.manager, created.id, group(code))),
    )
    const kept = (await scenarios.viewScenario(prison.manager, created.id)).scenario.changes.extraGroups
    const saved = answers.filter((answer) => answer.status === 'fulfilled').length
    assert.equal(kept.length, saved, JSON.stringify(answers))
  })

  it('saves an edit over changes stored in a shape it reads otherwise (a slot the week has not)', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Old changes')
    assert.ok('id' in created)
    const stored = { capacityPercent: {}, minSize: {}, closedGroups: [], extraSlots: ['XXX_AM'], extraGroups: [] }
    await sql`update scenario set changes = ${JSON.stringify(stored)}::jsonb where id = ${created.id}`.execute(
      database.db,
    )
    const halved = { capacityPercent: { education: -50 }, minSize: {}, closedGroups: [], extraSlots: [] }
    assert.deepEqual(await scenarios.saveChanges(prison.manager, created.id, halved), [])
    assert.deepEqual(await scenarios.runScenario(prison.manager, created.id), [])
    assert.equal((await scenarios.viewScenario(prison.manager, created.id)).scenario.runState, 'done')
  })

  it('keeps no figures from a run for changes saved while it ran', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Halved classes')
    assert.ok('id' in created)
    const halved = { capacityPercent: { education: -50 }, minSize: {}, closedGroups: [], extraSlots: [] }
    await Promise.all([
      scenarios.runScenario(prison.manager, created.id),
      scenarios.saveChanges(prison.manager, created.id, halved),
    ])
    const { scenario } = await scenarios.viewScenario(prison.manager, created.id)
    // Of the eight who want English, two go without at six places, five at three (the class halved).
    if (scenario.figures === null) assert.equal(scenario.runState, 'not-run')
    else assert.equal(scenario.figures.noSession, scenario.changes.capacityPercent.education === -50 ? 5 : 2)
  })

  it('refuses a new group in a slot the usable day does not have, and saves nothing', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Saturday art')
    assert.ok('id' in created)
    const refusals = await scenarios.addGroup(prison.manager, created.id, {
      activityCode: 'EDU-ENG',
      code: 'sat',
      slots: ['SAT_AM'],
      capacity: 6,
      minSize: 0,
    })
    assert.deepEqual(
      refusals.map((refusal) => refusal.messageKey),
      ['scenarios.group.error.unusableSlot'],
    )
    const view = await scenarios.viewScenario(prison.manager, created.id)
    assert.deepEqual(view.scenario.changes.extraGroups, [])
  })

  it('forgets the figures of a run when the scenario changes after it', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Closed class')
    assert.ok('id' in created)
    await scenarios.runScenario(prison.manager, created.id)
    await scenarios.saveChanges(prison.manager, created.id, {
      capacityPercent: {},
      minSize: {},
      closedGroups: ['EDU-ENG/a'],
      extraSlots: [],
    })
    const comparison = await scenarios.compare(prison.manager, [created.id])
    assert.deepEqual(comparison.scenarios, [])
    assert.deepEqual(
      comparison.notRun.map((scenario) => scenario.name),
      ['Closed class'],
    )
  })

  it('refuses a second run while one is under way, but not one left running by a process that died', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Busy')
    assert.ok('id' in created)
    const markRunning = (at: string) =>
      database.db
        .updateTable('scenario')
        .set({ run_state: 'running', ran_at: new Date(at) })
        .where('id', '=', created.id)
        .execute()

    await markRunning('2026-11-25T09:55:00Z')
    assert.deepEqual(
      (await scenarios.runScenario(prison.manager, created.id)).map((refusal) => refusal.messageKey),
      ['scenarios.error.running'],
    )

    await markRunning('2026-11-25T09:45:00Z')
    assert.deepEqual(await scenarios.runScenario(prison.manager, created.id), [])
    const view = await scenarios.viewScenario(prison.manager, created.id)
    assert.equal(view.scenario.runState, 'done')
  })

  it('saves changes typed but not saved before it runs them, and audits both', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Typed, not saved')
    assert.ok('id' in created)
    const typed = { capacityPercent: { education: -50 }, minSize: {}, closedGroups: [], extraSlots: [] }
    assert.deepEqual(await scenarios.runScenario(prison.manager, created.id, typed), [])
    const view = await scenarios.viewScenario(prison.manager, created.id)
    assert.deepEqual(view.scenario.changes.capacityPercent, { education: -50 })
    assert.equal(view.scenario.runState, 'done')
    // Three places in the class of six: five of the eight have no session.
    assert.equal(view.scenario.figures?.noSession, 5)
    const actions = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where(sql<string>`details->>'scenarioId'`, '=', created.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      actions.map((row) => row.action),
      ['scenario.created', 'scenario.changed', 'scenario.run'],
    )
  })

  it('refuses to run changes typed out of range, and saves nothing', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Too big')
    assert.ok('id' in created)
    const typed = { capacityPercent: { education: 500 }, minSize: {}, closedGroups: [], extraSlots: [] }
    assert.deepEqual(
      (await scenarios.runScenario(prison.manager, created.id, typed)).map((refusal) => refusal.field),
      ['capacity-education'],
    )
    const view = await scenarios.viewScenario(prison.manager, created.id)
    assert.deepEqual(view.scenario.changes.capacityPercent, {})
    assert.equal(view.scenario.runState, 'not-run')
  })

  it('keeps a prison’s scenarios from another prison', async () => {
    const created = await scenarios.createScenario(prison.manager, 'Ours')
    assert.ok('id' in created)
    await assert.rejects(scenarios.viewScenario(elsewhere.manager, created.id), NotFound)
    assert.deepEqual(await scenarios.listScenarios(elsewhere.manager), [])
  })
})
