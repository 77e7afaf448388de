import { it } from 'node:test'
import assert from 'node:assert/strict'
import { checkTimetable, parseProblem, solve } from '../../allocator/index.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import {
  givenActivity,
  givenAllocationPrison,
  givenCohortSeparation,
  givenCurrentAllocation,
  givenNonAssociation,
  givenRegimePolicy,
  givenUnavailable,
  givenUsableDay,
  givenWant,
} from '../../../test/support/allocation-builders.ts'

describeServicesOnEachEngine('allocationProblemFor', '2026-11-25T09:00:00Z', ({ database, services }) => {
  it('builds a problem for a whole prison that the allocator accepts, solves and finds valid', async () => {
    const prison = await givenAllocationPrison(database.db, { people: 60, activities: 10 })
    const problem = await services.allocation.allocationProblemFor(prison.code)
    const parsed = parseProblem(JSON.parse(JSON.stringify(problem)))
    assert.deepEqual(parsed.ok ? [] : parsed.errors, [])
    assert.equal(problem.people.length, 60)
    assert.equal(problem.activities.length, 10)
    assert.equal(problem.slots.length, 10)
    assert.deepEqual(problem.separations.cohorts, [['mainstream', 'vulnerable']])
    assert.ok(problem.separations.people.length >= 4)
    const { timetable } = solve(problem, { timeMs: 300, seed: 1 })
    const result = checkTimetable(problem, timetable)
    assert.equal(result.valid, true)
    assert.ok(result.shareWithNoSession < 0.5, `${result.shareWithNoSession} of people have no session`)
  })

  it('takes each person’s cohort, wants by activity code, unavailable slots, current groups and traits', async () => {
    const prison = await givenEstablishment(database.db)
    await givenUsableDay(database.db, prison.code, ['MON_AM', 'MON_PM', 'TUE_AM'])
    await givenRegimePolicy(database.db, prison.code, {
      maxSessions: 6,
      targetSessions: 4,
      fairnessWeight: 2,
      continuityBonus: 1.5,
    })
    const barbering = await givenActivity(database.db, prison.code, {
      code: 'WRK-BARBER',
      category: 'work',
      groups: [{ code: 'a', slots: ['MON_AM', 'TUE_AM'], capacity: 6, minSize: 2, cohorts: ['vulnerable'] }],
    })
    const person = await givenPerson(database.db, prison.code, {
      cohort: 'vulnerable',
      dateOfBirth: '1990-11-26',
      ethnicity: 'B2',
    })
    await givenWant(database.db, person.id, barbering.id, 7)
    await givenUnavailable(database.db, person.id, 'MON_PM')
    await givenCurrentAllocation(database.db, person.id, barbering.groups.a)

    const problem = await services.allocation.allocationProblemFor(prison.code)
    assert.deepEqual(problem.slots, ['MON_AM', 'MON_PM', 'TUE_AM'])
    assert.deepEqual(problem.fairness, { targetSessions: 4, weight: 2 })
    assert.equal(problem.continuityBonus, 1.5)
    assert.deepEqual(problem.activities, [
      {
        id: 'WRK-BARBER',
        category: 'work',
        groups: [{ id: 'WRK-BARBER/a', slots: ['MON_AM', 'TUE_AM'], capacity: 6, minSize: 2, cohorts: ['vulnerable'] }],
      },
    ])
    assert.deepEqual(problem.people, [
      {
        id: person.prisonNumber,
        cohort: 'vulnerable',
        maxSessions: 6,
        unavailable: ['MON_PM'],
        wants: { 'WRK-BARBER': 7 },
        current: ['WRK-BARBER/a'],
        // 35 until tomorrow
        traits: { ageBand: '30-39', ethnicGroup: 'Black', religion: 'none', disability: 'no', sex: 'M' },
      },
    ])
  })

  it('leaves out inactive activities and groups, and the slots of a group outside the usable day', async () => {
    const prison = await givenEstablishment(database.db)
    await givenUsableDay(database.db, prison.code, ['MON_AM', 'TUE_AM'])
    const gym = await givenActivity(database.db, prison.code, {
      code: 'GYM',
      category: 'gym',
      groups: [
        { code: 'a', slots: ['MON_AM', 'MON_ED'] },
        { code: 'b', slots: ['TUE_AM'], isActive: false },
        { code: 'c', slots: ['SAT_AM'] },
      ],
    })
    const closed = await givenActivity(database.db, prison.code, {
      code: 'OLD',
      isActive: false,
      groups: [{ slots: ['MON_AM'] }],
    })
    const person = await givenPerson(database.db, prison.code)
    await givenWant(database.db, person.id, gym.id)
    await givenWant(database.db, person.id, closed.id)
    await givenCurrentAllocation(database.db, person.id, gym.groups.b)
    await givenUnavailable(database.db, person.id, 'SUN_ED')

    const problem = await services.allocation.allocationProblemFor(prison.code)
    assert.deepEqual(
      problem.activities.map((activity) => [activity.id, activity.groups.map((group) => [group.id, group.slots])]),
      [['GYM', [['GYM/a', ['MON_AM']]]]],
    )
    assert.deepEqual(problem.people[0].wants, { GYM: 5 })
    assert.deepEqual(problem.people[0].current, [])
    assert.deepEqual(problem.people[0].unavailable, [])
    assert.equal(parseProblem(problem).ok, true)
  })

  it('separates people with an open non-association at wing or regime level, not cell or landing, nor a closed one', async () => {
    const prison = await givenEstablishment(database.db)
    await givenUsableDay(database.db, prison.code)
    await givenCohortSeparation(database.db, prison.code, 'vulnerable', 'mainstream')
    const [a, b, c, d, e, f] = await Promise.all(
      ['A', 'B', 'C', 'D', 'E', 'F'].map(() => givenPerson(database.db, prison.code)),
    )
    const elsewhere = await givenPerson(database.db, (await givenEstablishment(database.db)).code)
    await givenNonAssociation(database.db, a.id, b.id, { level: 'regime' })
    await givenNonAssociation(database.db, a.id, c.id, { level: 'wing' })
    await givenNonAssociation(database.db, a.id, d.id, { level: 'landing' })
    await givenNonAssociation(database.db, a.id, e.id, { level: 'cell' })
    await givenNonAssociation(database.db, a.id, f.id, { level: 'regime', closed: true })
    await givenNonAssociation(database.db, a.id, elsewhere.id, { level: 'regime' })

    const problem = await services.allocation.allocationProblemFor(prison.code)
    const pairs = problem.separations.people.map((pair) => [...pair].sort().join(' '))
    assert.deepEqual(
      pairs.sort(),
      [
        [a, b],
        [a, c],
      ]
        .map((pair) =>
          pair
            .map((p) => p.prisonNumber)
            .sort()
            .join(' '),
        )
        .sort(),
    )
    assert.deepEqual(problem.separations.cohorts, [['mainstream', 'vulnerable']])
  })

  it('applies a scenario: smaller groups, an evening added to the usable day, a group with no staff', async () => {
    const prison = await givenEstablishment(database.db)
    await givenUsableDay(database.db, prison.code, ['MON_AM'])
    await givenActivity(database.db, prison.code, {
      code: 'EDU-ENG',
      groups: [
        { code: 'a', slots: ['MON_AM'], capacity: 12, minSize: 6 },
        { code: 'b', slots: ['MON_ED'] },
        { code: 'c', slots: ['MON_AM'] },
      ],
    })
    await givenPerson(database.db, prison.code)
    const problem = await services.allocation.allocationProblemFor(prison.code, {
      capacities: { 'EDU-ENG/a': 4 },
      extraSlots: ['MON_ED'],
      closedGroups: ['EDU-ENG/c'],
      extraGroups: [{ activityCode: 'EDU-ENG', code: 'd', slots: ['MON_ED'], capacity: 5 }],
      maxSessionsPerPerson: 3,
    })
    assert.deepEqual(problem.slots, ['MON_AM', 'MON_ED'])
    assert.deepEqual(
      problem.activities[0].groups.map((group) => [group.id, group.capacity, group.minSize, group.slots]),
      [
        ['EDU-ENG/a', 4, 4, ['MON_AM']],
        ['EDU-ENG/b', 10, 0, ['MON_ED']],
        ['EDU-ENG/d', 5, 0, ['MON_ED']],
      ],
    )
    assert.equal(problem.people[0].maxSessions, 3)
    assert.equal(parseProblem(problem).ok, true)
  })
})
