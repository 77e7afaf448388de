import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Problem } from '../../allocator/index.ts'
import { givenPerson, givenProblem } from '../../allocator/test-problems.ts'
import {
  applyGroupChanges,
  changesProblems,
  chartLayout,
  currentTimetableOf,
  newGroupProblems,
  noChanges,
  readChanges,
  scenarioFigures,
  spreadOf,
} from './rules.ts'
import { niceCeiling, wrapText } from '../../platform/charts.ts'

/** Two people, one English class and one gym group. */
function problem(): Problem {
  return givenProblem({
    slots: ['MON_AM', 'MON_PM', 'TUE_AM'],
    people: [
      givenPerson('A', { wants: { ENG: 4, GYM: 1 }, current: ['ENG/a'], traits: { sex: 'M' } }),
      givenPerson('B', { cohort: 'vulnerable', wants: { ENG: 2 }, traits: { sex: 'F' } }),
    ],
    activities: [
      {
        id: 'ENG',
        category: 'education',
        groups: [{ id: 'ENG/a', slots: ['MON_AM', 'TUE_AM'], capacity: 10, minSize: 4 }],
      },
      { id: 'GYM', category: 'gym', groups: [{ id: 'GYM/a', slots: ['MON_PM'], capacity: 20, minSize: 0 }] },
    ],
  })
}

describe('applyGroupChanges', () => {
  it('makes a category’s groups smaller by the percentage, and keeps the minimum within the capacity', () => {
    const changed = applyGroupChanges(problem(), { ...noChanges(), capacityPercent: { education: -75 } })
    assert.deepEqual(changed.activities[0].groups[0], {
      id: 'ENG/a',
      slots: ['MON_AM', 'TUE_AM'],
      capacity: 3,
      minSize: 3,
    })
    assert.equal(changed.activities[1].groups[0].capacity, 20)
  })
  it('never leaves a group with no places', () => {
    const changed = applyGroupChanges(problem(), { ...noChanges(), capacityPercent: { gym: -99 } })
    assert.equal(changed.activities[1].groups[0].capacity, 1)
  })
  it('drops the groups that cannot run and sets a new minimum size', () => {
    const changed = applyGroupChanges(problem(), { ...noChanges(), closedGroups: ['GYM/a'], minSize: { education: 2 } })
    assert.deepEqual(changed.activities[1].groups, [])
    assert.equal(changed.activities[0].groups[0].minSize, 2)
  })
  it('leaves a group the scenario added at the size it was given', () => {
    const base = problem()
    base.activities[0].groups.push({ id: 'ENG/eve', slots: ['MON_AM'], capacity: 8, minSize: 0 })
    const changed = applyGroupChanges(base, {
      ...noChanges(),
      capacityPercent: { education: -50 },
      extraGroups: [{ activityCode: 'ENG', code: 'eve', slots: ['MON_AM'], capacity: 8, minSize: 0 }],
    })
    assert.deepEqual(
      changed.activities[0].groups.map((group) => group.capacity),
      [5, 8],
    )
  })
})

describe('scenarioFigures', () => {
  const hours = (slot: string) => (slot.endsWith('_ED') ? 2 : 3)
  it('gives hours out of cell, needs met and people with no session, overall and by cohort and trait', () => {
    const figures = scenarioFigures(problem(), currentTimetableOf(problem()), hours)
    assert.equal(figures.people, 2)
    assert.equal(figures.hours.mean, 3)
    assert.equal(figures.meanSessions, 1)
    assert.equal(figures.needsMet, 4 / 7)
    assert.equal(figures.noSession, 1)
    assert.equal(figures.noSessionShare, 0.5)
    assert.deepEqual(figures.byCohort, [
      { value: 'mainstream', people: 1, meanHours: 6, needsMet: 4 / 5, noSession: 0 },
      { value: 'vulnerable', people: 1, meanHours: 0, needsMet: 0, noSession: 1 },
    ])
    assert.deepEqual(
      figures.byTrait.sex?.map((row) => [row.value, row.meanHours]),
      [
        ['F', 0],
        ['M', 6],
      ],
    )
  })
  it('ignores a placement in a group the problem no longer has', () => {
    const figures = scenarioFigures(problem(), { version: 1, assignments: [{ person: 'B', group: 'ART/a' }] }, hours)
    assert.equal(figures.noSession, 2)
  })
})

describe('spreadOf', () => {
  it('gives the mean, standard deviation and percentiles', () => {
    const spread = spreadOf([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    assert.equal(spread.mean, 50)
    assert.equal(spread.median, 50)
    assert.equal(spread.p10, 10)
    assert.equal(spread.p90, 90)
    assert.equal(Math.round(spread.sd * 100) / 100, 31.62)
  })
})

describe('readChanges', () => {
  it('keeps what is well formed and drops the rest', () => {
    assert.deepEqual(
      readChanges({
        capacityPercent: { education: -20, gym: 'lots', unknown: 5 },
        extraSlots: ['SAT_AM', 'XYZ'],
        extraGroups: [{ activityCode: 'ENG', code: 'x', slots: ['SAT_AM'], capacity: 4, minSize: 0 }, { code: 1 }],
      }),
      {
        capacityPercent: { education: -20 },
        minSize: {},
        closedGroups: [],
        extraSlots: ['SAT_AM'],
        extraGroups: [{ activityCode: 'ENG', code: 'x', slots: ['SAT_AM'], capacity: 4, minSize: 0 }],
      },
    )
  })
})

describe('changesProblems', () => {
  it('accepts groups a tenth the size and three times the size', () => {
    assert.deepEqual(changesProblems({ ...noChanges(), capacityPercent: { education: -90, gym: 200 } }), [])
  })
  it('refuses groups cut by more than 90 per cent', () => {
    assert.deepEqual(
      changesProblems({ ...noChanges(), capacityPercent: { education: -91 } }).map((problem) => problem.field),
      ['capacity-education'],
    )
  })
})

describe('newGroupProblems', () => {
  const known = {
    activityCodes: new Set(['ENG']),
    groupIds: new Set(['ENG/a']),
    usableSlots: new Set(['MON_AM', 'MON_ED']),
  }
  it('accepts an evening group of a known activity', () => {
    assert.deepEqual(
      newGroupProblems({ activityCode: 'ENG', code: 'eve', slots: ['MON_ED'], capacity: 8, minSize: 2 }, known),
      [],
    )
  })
  it('refuses a code the activity already has, a slot outside the usable day and a minimum above the places', () => {
    assert.deepEqual(
      newGroupProblems({ activityCode: 'ENG', code: 'a', slots: ['SUN_AM'], capacity: 8, minSize: 9 }, known).map(
        (problem) => problem.messageKey,
      ),
      ['scenarios.group.error.codeTaken', 'scenarios.group.error.unusableSlot', 'scenarios.group.error.minSize'],
    )
  })
})

describe('niceCeiling for an axis', () => {
  for (const [value, nice] of [
    [7.3, 10],
    [23, 25],
    [41, 50],
    [10, 10],
    [0.4, 0.5],
  ] as const)
    it(`rounds ${value} up to ${nice}`, () => {
      assert.equal(niceCeiling(value), nice)
    })
})

describe('chartLayout', () => {
  it('draws a panel per measure with today first, bars in proportion and the hours spread as a line', () => {
    const today = scenarioFigures(problem(), currentTimetableOf(problem()), () => 3)
    const layout = chartLayout(
      [
        { label: 'Today', figures: today },
        { label: 'More', figures: { ...today, hours: { ...today.hours, mean: 5, p10: 0, p90: 10 }, needsMet: 1 } },
      ],
      { hours: 'Hours', needsMet: 'Needs met', noSession: 'No session' },
      { hours: (value) => value.toFixed(1), percent: (value) => `${Math.round(value * 100)}%` },
    )
    assert.deepEqual(
      layout.panels.map((panel) => panel.title.map((line) => line.text)),
      [['Hours'], ['Needs met'], ['No session']],
    )
    const [hours, needs] = layout.panels
    assert.deepEqual(
      hours.bars.map((bar) => [bar.label, bar.isToday, bar.value]),
      [
        ['Today', true, '3.0'],
        ['More', false, '5.0'],
      ],
    )
    // The hours axis runs to 10; a mean of 5 fills half the plot, and the spread runs across all of it.
    assert.equal(hours.bars[1].width, layout.plotWidth / 2)
    assert.deepEqual(hours.bars[1].whisker, { x1: layout.plotLeft, x2: layout.plotLeft + layout.plotWidth })
    assert.equal(needs.bars[1].width, layout.plotWidth)
    assert.ok(needs.y > hours.y)
  })

  it('shows a long scenario name whole, over lines above its bar that fit the chart, and makes room for them', () => {
    const today = scenarioFigures(problem(), currentTimetableOf(problem()), () => 3)
    const name =
      'Smaller education groups, an evening class on Mondays and Wednesdays, and weekend gym for the vulnerable wing'
    const layout = chartLayout(
      [
        { label: 'Today', figures: today },
        { label: name, figures: today },
      ],
      { hours: 'Hours out of cell a week, mean (line: 10th to 90th percentile)', needsMet: 'N', noSession: 'S' },
      { hours: (value) => value.toFixed(1), percent: (value) => `${Math.round(value * 100)}%` },
    )
    const [hours] = layout.panels
    const [todayBar, scenarioBar] = hours.bars
    assert.deepEqual(
      todayBar.labelLines.map((line) => line.text),
      ['Today'],
    )
    assert.ok(scenarioBar.labelLines.length >= 2)
    assert.equal(scenarioBar.labelLines.map((line) => line.text).join(' '), name)
    assert.ok(hours.title.length >= 2)
    // Each line below the last, the bar below its name, the next panel below the axis.
    assert.ok(scenarioBar.labelLines[0].y > todayBar.y + layout.barHeight)
    assert.ok(scenarioBar.y > scenarioBar.labelLines.at(-1)!.y)
    assert.ok(layout.panels[1].y >= hours.axisY)
  })
})

describe('wrapText', () => {
  it('keeps a name that fits on one line', () => {
    assert.deepEqual(wrapText('Evening English', 460, 14), ['Evening English'])
  })

  it('breaks between words, each line within the width', () => {
    const lines = wrapText('Smaller education groups and an evening class for every wing', 200, 14)
    assert.ok(lines.length >= 2)
    assert.equal(lines.join(' '), 'Smaller education groups and an evening class for every wing')
  })

  it('breaks inside a word too long for any line, losing nothing', () => {
    const word = 'W'.repeat(60)
    const lines = wrapText(word, 200, 14)
    assert.ok(lines.length >= 4)
    assert.equal(lines.join(''), word)
    // 14 px capitals W are 13.2 px wide at most in Arial: fifteen of them fit in 200 px.
    for (const line of lines) assert.ok(line.length * 13.2 <= 200, line)
  })
})
