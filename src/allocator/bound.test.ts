import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { evaluateBound, tightenBound } from './bound.ts'
import { checkTimetable } from './checker.ts'
import { buildModel } from './model.ts'
import type { Problem } from './problem.ts'
import { solve } from './solver.ts'
import { SLOTS, exhaustiveOptimum, givenActivity, givenPerson, givenProblem, smallProblem } from './test-problems.ts'

// A clock that never moves and a round limit keep the wall clock out of every answer (see solver.test.ts).
const untimed = { clock: () => 0, maxRounds: 20_000 }
/** Sums taken in another order may differ in the last digits; the bound is not allowed to fall further. */
const ROUNDING = 1e-9

function assertAtLeast(bound: number, value: number, what: string): void {
  assert.ok(bound >= value - ROUNDING, `the bound ${bound} is below ${what} ${value}`)
}

/** One price per group of the problem, each ≥ 0 (or 0 for every group when the draw is shorter). */
function pricesFor(problem: Problem, drawn: number[]): Float64Array {
  const groups = problem.activities.reduce((sum, activity) => sum + activity.groups.length, 0)
  return Float64Array.from({ length: groups }, (_, g) => drawn[g] ?? 0)
}

const anyPrices = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 12, noNaN: true })), { maxLength: 8 })

describe('the upper bound', () => {
  it("is never below the exact optimum, at any prices, even when a person's search is cut short", () => {
    fc.assert(
      fc.property(
        smallProblem({ people: 3, activities: 3, groups: 2 }),
        anyPrices,
        fc.constantFrom(1, 3, 20_000),
        (problem, drawn, nodeLimit) => {
          const optimum = exhaustiveOptimum(problem)
          const { bound } = evaluateBound(buildModel(problem), pricesFor(problem, drawn), nodeLimit)
          assertAtLeast(bound, optimum, 'the exact optimum')
          // A week of more than 32 slots is searched without bit masks: the same bound either way.
          const longWeek = { ...problem, slots: [...problem.slots, ...Array.from({ length: 30 }, (_, i) => `X${i}`)] }
          assert.equal(evaluateBound(buildModel(longWeek), pricesFor(problem, drawn), nodeLimit).bound, bound)
        },
      ),
      { numRuns: 200, seed: 1 },
    )
  })

  it("the solver's bound is never below the exact optimum nor below the solver's own timetable", () => {
    fc.assert(
      fc.property(smallProblem({ people: 3, activities: 3, groups: 2 }), (problem) => {
        const { timetable, stats } = solve(problem, { seed: 1, patience: 300, ...untimed })
        assertAtLeast(stats.upperBound, exhaustiveOptimum(problem), 'the exact optimum')
        assertAtLeast(stats.upperBound, checkTimetable(problem, timetable).score.total, "the solver's timetable")
      }),
      { numRuns: 120, seed: 1 },
    )
  })

  it('holds on larger problems against the timetable the solver finds', () => {
    fc.assert(
      fc.property(smallProblem({ people: 8, activities: 4, groups: 3 }), fc.nat(1000), (problem, seed) => {
        const { timetable, stats } = solve(problem, { seed, patience: 200, ...untimed })
        assertAtLeast(stats.upperBound, checkTimetable(problem, timetable).score.total, "the solver's timetable")
      }),
      { numRuns: 100, seed: 1 },
    )
  })

  it('subgradient steps only ever lower the bound they start from, and never below the optimum', () => {
    fc.assert(
      fc.property(smallProblem({ people: 3, activities: 3, groups: 2 }), anyPrices, (problem, drawn) => {
        const model = buildModel(problem)
        const prices = pricesFor(problem, drawn)
        const optimum = exhaustiveOptimum(problem)
        const tightened = tightenBound(model, prices, { floor: 0, rounds: 10 })
        assert.ok(tightened.bound <= evaluateBound(model, prices).bound)
        assertAtLeast(tightened.bound, optimum, 'the exact optimum')
      }),
      { numRuns: 150, seed: 1 },
    )
  })

  it('equals the optimum when no capacity binds: everyone can have their own best timetable', () => {
    const problem = givenProblem({
      slots: SLOTS,
      fairness: { targetSessions: 2, weight: 1.5 },
      people: [
        givenPerson('A1111AA', { maxSessions: 2, wants: { ART: 4, GYM: 2, ENG: 3 }, current: ['GYM/a'] }),
        givenPerson('B2222BB', { wants: { ART: 5, ENG: 1 }, unavailable: ['MON_AM'] }),
        givenPerson('C3333CC', { cohort: 'vulnerable', wants: { GYM: 6 } }),
      ],
      activities: [
        givenActivity('ART', [{ slots: ['MON_AM'] }, { slots: ['TUE_AM'] }]),
        givenActivity('GYM', [{ slots: ['MON_AM', 'MON_PM'] }]),
        givenActivity('ENG', [{ slots: ['TUE_AM'] }, { slots: ['TUE_PM'] }]),
      ],
    })
    const { timetable, stats } = solve(problem, untimed)
    const optimum = exhaustiveOptimum(problem)
    assert.equal(checkTimetable(problem, timetable).score.total, optimum)
    assert.ok(Math.abs(stats.upperBound - optimum) <= ROUNDING, `bound ${stats.upperBound}, optimum ${optimum}`)
  })

  it('prices a contested place: one place, two people who want it, the bound is the better of them', () => {
    const problem = givenProblem({
      fairness: { targetSessions: 1, weight: 0 },
      continuityBonus: 0,
      people: [givenPerson('A1111AA', { wants: { ART: 4 } }), givenPerson('B2222BB', { wants: { ART: 5 } })],
      activities: [givenActivity('ART', [{ slots: ['MON_AM'], capacity: 1 }])],
    })
    const model = buildModel(problem)
    // With no price both take the place (9); at any price from 4 to 5 only B gains from it: 5 in all.
    assert.equal(evaluateBound(model, Float64Array.of(0)).bound, 9)
    assert.equal(evaluateBound(model, Float64Array.of(4.5)).bound, 5)
    assert.equal(tightenBound(model, Float64Array.of(0), { floor: 5, rounds: 20 }).bound <= 9, true)
  })

  it('leaves out a group that could never reach its minimum size', () => {
    const problem = givenProblem({
      fairness: { targetSessions: 1, weight: 0 },
      continuityBonus: 0,
      people: [givenPerson('A1111AA', { wants: { ART: 4 } })],
      activities: [givenActivity('ART', [{ slots: ['MON_AM'], minSize: 2 }])],
    })
    assert.equal(evaluateBound(buildModel(problem), Float64Array.of(0)).bound, 0)
  })
})
