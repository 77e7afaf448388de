import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { solve } from '../../src/allocator/index.ts'
import type { Problem, Timetable } from '../../src/allocator/index.ts'
import { generatePrison } from './generate.ts'

/** The same prison with everyone's current groups those of `timetable`: the run after an unchanged week. */
function weekAfter(problem: Problem, timetable: Timetable): Problem {
  const groupsOf = new Map<string, string[]>()
  for (const { person, group } of timetable.assignments) groupsOf.set(person, [...(groupsOf.get(person) ?? []), group])
  return { ...problem, people: problem.people.map((person) => ({ ...person, current: groupsOf.get(person.id) ?? [] })) }
}

function droppedAllocations(previous: Timetable, next: Timetable): string[] {
  const kept = new Set(next.assignments.map(({ person, group }) => `${person} ${group}`))
  return previous.assignments.map(({ person, group }) => `${person} ${group}`).filter((pair) => !kept.has(pair))
}

// Generated prisons rather than the unit tests' tiny ones: on those, every search ends where nothing is left
// to find. A clock that never moves and a round limit keep the answers the same on any machine.
describe('solve on a generated prison of 300 people', () => {
  const untimed = { clock: () => 0, maxRounds: 2000 }

  it('keeps every allocation when re-run on a week in which nothing changed', () => {
    const problem = generatePrison({ people: 300, seed: 1 })
    const { timetable } = solve(problem, { seed: 1, ...untimed })
    // Cut short after its first local search: the moves it finds there are the ones last week's run left.
    const rerun = solve(weekAfter(problem, timetable), { seed: 2, ...untimed, maxRounds: 0 })
    assert.deepEqual(droppedAllocations(timetable, rerun.timetable), [])
  })
})
