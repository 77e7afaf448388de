import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  assumptionsOf,
  defaultUnitCosts,
  packageLines,
  penceOf,
  readAssumptions,
  statedSavings,
  todayLines,
  totalPence,
  unitCostItems,
  unitCostRefusals,
  unitCostsOf,
  wholeGap,
  type MeasureFigure,
  type TodayCounts,
} from './rules.ts'
import { assumptionsFormAtDefaults } from '../../../test/support/costing-builders.ts'

const costs = unitCostsOf(new Map())
const assumptions = assumptionsOf(new Map())
const counts: TodayCounts = {
  period: { from: '2025-11-26', to: '2026-11-25' },
  incidents: 40,
  hospitalEscorts: 3,
  deaths: 1,
  carePlanDays: { unset: 2, low: 100, raised: 30.5, high: 4 },
}

describe('penceOf', () => {
  const cases: [string, number | null][] = [
    ['30', 3000],
    ['£30', 3000],
    ['30.5', 3050],
    ['1,234.56', 123456],
    ['£ 0.07', 7],
    ['0', 0],
    ['-5', null],
    ['30.555', null],
    ['thirty', null],
    ['', null],
    ['1,23', null],
  ]
  for (const [typed, pence] of cases)
    it(`reads “${typed}” as ${pence === null ? 'not money' : `${pence}p`}`, () => assert.equal(penceOf(typed), pence))
})

describe('unitCostRefusals', () => {
  it('accepts a cost in pounds and pence with its source', () => {
    assert.deepEqual(unitCostRefusals('staff-hour', '32.40', 'Our finance team, 2026'), [])
  })
  it('refuses a negative cost beside the amount', () => {
    assert.deepEqual(
      unitCostRefusals('staff-hour', '-1', 'Finance').map((refusal) => refusal.messageKey),
      ['costing.unitCost.error.amount'],
    )
  })
  it('accepts a staff hour at £1,000 and refuses it a penny above (a slip of the keyboard)', () => {
    assert.deepEqual(unitCostRefusals('staff-hour', '1000', 'Finance'), [])
    assert.equal(unitCostRefusals('staff-hour', '1000.01', 'Finance')[0]?.messageKey, 'costing.unitCost.error.tooHigh')
  })
  it('refuses a cost whose source is not named', () => {
    assert.deepEqual(
      unitCostRefusals('inquest', '90000', '  ').map((refusal) => refusal.field),
      ['source'],
    )
  })
})

describe('defaults', () => {
  it('name a source for every unit cost, and say plainly that none is a published figure', () => {
    for (const item of unitCostItems) {
      assert.ok(defaultUnitCosts[item].pence > 0, item)
      assert.match(defaultUnitCosts[item].source, /^Demo figure/, item)
    }
  })
  it('use the prison’s own cost and source where it set one', () => {
    const own = unitCostsOf(new Map([['staff-hour', { pence: 3240, source: 'Finance' }]]))
    assert.deepEqual(own['staff-hour'], { item: 'staff-hour', pence: 3240, source: 'Finance', isDefault: false })
    assert.equal(own.inquest.isDefault, true)
  })
})

describe('todayLines', () => {
  it('costs each count at its unit cost, deaths with their inquests', () => {
    const lines = todayLines(counts, costs)
    const of = (code: string) => lines.find((line) => line.code === code)!
    assert.equal(of('self-harm-incident').yearlyPence, 40 * 800_00)
    assert.equal(of('hospital-escort').yearlyPence, 3 * 1_000_00)
    assert.equal(of('care-plan-day-raised').yearlyPence, 30.5 * 120_00)
    assert.equal(of('death-in-custody').count, 1)
    assert.equal(of('inquest').yearlyPence, 100_000_00)
    assert.equal(
      totalPence(lines),
      40 * 800_00 + 3 * 1_000_00 + 2 * 120_00 + 100 * 60_00 + 30.5 * 120_00 + 4 * 300_00 + 50_000_00 + 100_000_00,
    )
  })
})

describe('wholeGap', () => {
  it('counts a part of a person as a whole one', () => assert.equal(wholeGap(1.2, 2, 1000, 100), 8))
  it('needs nobody when the figure is at or above the target', () => {
    assert.equal(wholeGap(2, 2, 1000, 100), 0)
    assert.equal(wholeGap(3, 2, 1000, 100), 0)
  })
  it('does not ask for one more person because of floating point', () => assert.equal(wholeGap(0.1, 0.3, 1000, 100), 2))
})

describe('packageLines', () => {
  const basis = { population: 1000, staff: 200, keyWorkSessionsDue: 5200 }
  const figures: MeasureFigure[] = [
    { code: 'peer-supporters', value: 1.5, target: 3 },
    { code: 'training-mental-health-first-aid', value: 40, target: 60 },
    { code: 'training-trauma-informed', value: 80, target: 50 },
    { code: 'training-acct', value: null, target: 50 },
    { code: 'key-work', value: 70, target: 90 },
    { code: 'time-out-of-cell', value: 20, target: 21 },
  ]
  const lines = packageLines(figures, costs, assumptions, basis)
  const of = (code: string) => lines.find((line) => line.code === code)!

  it('raises peer supporters per 100 people to the target, in whole supporters a year', () => {
    assert.deepEqual(
      { gap: of('peer-supporters').gap, yearly: of('peer-supporters').yearlyPence },
      { gap: 15, yearly: 15 * 500_00 },
    )
  })
  it('trains the share of staff missing, at the course and the staff hours away from the wing', () => {
    const line = of('training-mental-health-first-aid')
    assert.equal(line.gap, 40)
    assert.equal(line.unitPence, 300_00 + 14 * 30_00)
    assert.equal(line.yearlyPence, 40 * (300_00 + 14 * 30_00))
  })
  it('costs nothing where the target is met', () => {
    assert.deepEqual([of('training-trauma-informed').state, of('training-trauma-informed').yearlyPence], ['met', 0])
  })
  it('costs nothing and says so where no target is set, or no figure is known', () => {
    assert.deepEqual([of('health-and-social-care').state, of('health-and-social-care').yearlyPence], ['no-target', 0])
    assert.deepEqual([of('training-acct').state, of('training-acct').yearlyPence], ['no-figure', 0])
  })
  it('counts key work in sessions: the share of a year’s sessions due not held', () => {
    assert.deepEqual(
      [of('key-work').gap, of('key-work').gapUnit, of('key-work').yearlyPence],
      [1040, 'sessions', 1040 * 25_00],
    )
  })
  it('turns an hour a week more out of cell for everyone into group sessions of the assumed length and size', () => {
    // 1 hour × 1,000 people × 52 weeks, in sessions of 2.5 hours for 10 people.
    assert.equal(of('time-out-of-cell').gap, 2080)
    assert.equal(of('time-out-of-cell').yearlyPence, 2080 * 150_00)
  })
  it('follows a changed assumption: a longer course costs more staff time', () => {
    const longer = assumptionsOf(new Map([['hours-mental-health-first-aid', { value: 21, source: '' }]]))
    const line = packageLines(figures, costs, longer, basis).find(
      (entry) => entry.code === 'training-mental-health-first-aid',
    )!
    assert.equal(line.unitPence, 300_00 + 21 * 30_00)
  })
})

describe('statedSavings', () => {
  const lines = todayLines(counts, costs)
  it('shows no saving when no change is entered', () => {
    assert.deepEqual(statedSavings(lines, assumptions), [])
  })
  it('shows no saving for a change entered without its source', () => {
    const unsourced = assumptionsOf(new Map([['incidents-fall-percent', { value: 20, source: '' }]]))
    assert.deepEqual(statedSavings(lines, unsourced), [])
  })
  it('saves only on the line the change speaks of: incidents, not escorts or deaths', () => {
    const entered = assumptionsOf(new Map([['incidents-fall-percent', { value: 25, source: 'Our pilot, 2025' }]]))
    assert.deepEqual(statedSavings(lines, entered), [
      {
        name: 'incidents-fall-percent',
        percent: 25,
        source: 'Our pilot, 2025',
        ofPence: 40 * 800_00,
        savingPence: 10 * 800_00,
      },
    ])
  })
})

describe('readAssumptions', () => {
  const defaults = assumptionsFormAtDefaults
  it('reads the form as it comes, blanks as “from the records” and “no change”', () => {
    const { values, refusals } = readAssumptions(defaults)
    assert.deepEqual(refusals, [])
    assert.equal(values['staff-counted'].value, null)
    assert.equal(values['group-session-hours'].value, 2.5)
  })
  it('refuses a number out of range, a part of a person, and a blank where a number is needed', () => {
    const { refusals } = readAssumptions({
      ...defaults,
      'acct-case-managers-percent': '101',
      'people-per-group': '2.5',
      'hours-acct': '',
    })
    assert.deepEqual(
      refusals.map((refusal) => refusal.field),
      ['hours-acct', 'acct-case-managers-percent', 'people-per-group'],
    )
  })
  it('refuses a group of nobody, and accepts a group of one', () => {
    assert.deepEqual(readAssumptions({ ...defaults, 'people-per-group': '0' }).refusals, [
      {
        field: 'people-per-group',
        messageKey: 'costing.assumptions.error.whole',
        values: { minimum: 1, maximum: '100' },
      },
    ])
    assert.deepEqual(readAssumptions({ ...defaults, 'people-per-group': '1' }).refusals, [])
  })
  it('refuses an expected change without the source it comes from, beside the source', () => {
    const { refusals } = readAssumptions({ ...defaults, 'incidents-fall-percent': '10' })
    assert.deepEqual(refusals, [
      { field: 'incidents-fall-percent-source', messageKey: 'costing.assumptions.error.effectSource' },
    ])
  })
})
