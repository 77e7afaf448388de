import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { hasPermission, permissions } from '../../platform/permissions.ts'
import {
  handoverOutcome,
  isInWatchGroup,
  measureKeys,
  measures,
  meetsTarget,
  targetCounts,
  monthsEnding,
  monthStart,
  niceCeiling,
  percent,
  perThousand,
  refusalDisproportion,
  rollingYearFrom,
  rollingYearStart,
  transferWatch,
  trendChart,
} from './rules.ts'

describe('measures rules', () => {
  it('gives a share as a percentage to one place, and no figure where nothing was due', () => {
    assert.equal(percent(2, 3), 66.7)
    assert.equal(percent(0, 0), null)
    assert.equal(percent(5, 5), 100)
  })

  it('lists the 12 months ending this month, oldest first, across a new year', () => {
    assert.deepEqual(monthsEnding('2026-11-25'), [
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ])
    assert.deepEqual(monthsEnding('2026-02-01', 3), ['2025-12', '2026-01', '2026-02'])
  })

  it('lists every measure once, in the order of its codes, each share capped at 100% and its records behind a permission', () => {
    assert.deepEqual(
      measures.map((measure) => measure.code),
      [...measureKeys],
    )
    for (const code of ['training-acct', 'health-and-social-care', 'progress-meetings'] as const) {
      const measure = measures.find((entry) => entry.code === code)!
      assert.deepEqual([measure.unit, measure.better, measure.maximum], ['percent', 'higher', 100])
    }
    for (const measure of measures) assert.ok((permissions as readonly string[]).includes(measure.records.permission))
    assert.equal(
      hasPermission('monitor', measures.find((entry) => entry.code === 'training-acct')!.records.permission),
      false,
    )
  })

  it('reads a target the right way round: more is better, except days waiting', () => {
    assert.equal(meetsTarget(80, 75, 'higher'), true)
    assert.equal(meetsTarget(70, 75, 'higher'), false)
    assert.equal(meetsTarget(3, 5, 'lower'), true)
    assert.equal(meetsTarget(6, 5, 'lower'), false)
    assert.equal(meetsTarget(null, 5, 'lower'), null)
    assert.equal(meetsTarget(5, null, 'higher'), null)
  })

  it('counts the measures that meet their target, those that do not, and those that cannot be judged', () => {
    assert.deepEqual(targetCounts([{ met: true }, { met: false }, { met: null }, { met: true }]), {
      met: 2,
      notMet: 1,
      unjudged: 1,
    })
    assert.deepEqual(targetCounts([]), { met: 0, notMet: 0, unjudged: 0 })
  })

  it('counts per 1,000 people, and gives no rate for an empty prison', () => {
    assert.equal(perThousand(18, 1200), 15)
    assert.equal(perThousand(1, 300), 3.3)
    assert.equal(perThousand(3, 0), null)
  })

  it('starts the rolling 12 months the day after the same date a year ago, leap day included', () => {
    assert.equal(rollingYearFrom('2026-11-25'), '2025-11-26')
    // From 29 February the 12 months start on 1 March: a day was lost when 2027-02-29 rolled over to 1 March.
    assert.equal(rollingYearFrom('2028-02-29'), '2027-03-01')
    assert.equal(rollingYearFrom('2028-02-28'), '2027-03-01')
    assert.equal(rollingYearFrom('2029-03-01'), '2028-03-02')
  })

  it('starts the rolling 12 months and each month at midnight in the prison, an hour before UTC’s in summer', () => {
    assert.equal(rollingYearStart('2026-11-25').toISOString(), '2025-11-26T00:00:00.000Z')
    // 16 July 2025 begins at 23:00 UTC on the 15th: an incident at half past midnight is in the year.
    assert.equal(rollingYearStart('2026-07-15').toISOString(), '2025-07-15T23:00:00.000Z')
    assert.equal(monthStart('2026-07').toISOString(), '2026-06-30T23:00:00.000Z')
    assert.equal(monthStart('2026-12').toISOString(), '2026-12-01T00:00:00.000Z')
    // The clocks go back on 25 October 2026: November starts on GMT again.
    assert.equal(monthStart('2026-11').toISOString(), '2026-11-01T00:00:00.000Z')
  })

  it('rounds the chart scale up to a readable top', () => {
    assert.equal(niceCeiling(0), 1)
    assert.equal(niceCeiling(7), 10)
    assert.equal(niceCeiling(83), 100)
    assert.equal(niceCeiling(120), 200)
    assert.equal(niceCeiling(2.2), 2.5)
  })

  describe('the trend chart', () => {
    const points = [
      { month: '2026-01', value: 40 },
      { month: '2026-02', value: 50 },
      { month: '2026-03', value: null },
      { month: '2026-04', value: 60 },
      { month: '2026-05', value: 80 },
    ]

    it('breaks the line at a month with no figure rather than drawing through it', () => {
      const chart = trendChart(points, 90)
      assert.equal(chart.lines.length, 2)
      assert.equal(chart.dots.length, 4)
      assert.deepEqual(
        chart.dots.map((dot) => dot.month),
        ['2026-01', '2026-02', '2026-04', '2026-05'],
      )
    })

    it('draws higher figures higher, from a scale that starts at nought and reaches the target', () => {
      const chart = trendChart(points, 90)
      const [first, second] = chart.dots
      assert.ok(second.y < first.y)
      assert.equal(chart.ticks[0].value, 0)
      assert.equal(chart.ticks.at(-1)!.value, 100)
      assert.equal(chart.ticks[0].y, chart.top + chart.plotHeight)
      assert.ok(chart.target!.y < chart.dots.at(-1)!.y)
    })

    it('draws no target line where no target is set, and spaces the months evenly', () => {
      const chart = trendChart(points, null)
      assert.equal(chart.target, null)
      const gaps = chart.months.slice(1).map((month, index) => month.x - chart.months[index].x)
      assert.ok(gaps.every((gap) => Math.abs(gap - gaps[0]) < 0.02))
    })
  })

  describe('the perverse-incentive watch', () => {
    it('flags refusals of people with a self-harm history far above everyone else’s', () => {
      const watch = refusalDisproportion({ refused: 8, total: 20 }, { refused: 10, total: 200 })
      assert.equal(watch.ratio, 8)
      assert.ok(watch.lower! > 1)
      assert.equal(watch.flagged, true)
    })

    it('does not flag a difference the numbers cannot bear out', () => {
      const watch = refusalDisproportion({ refused: 2, total: 10 }, { refused: 15, total: 100 })
      assert.ok(watch.lower! < 1)
      assert.equal(watch.flagged, false)
    })

    it('does not flag on fewer than 3 refusals, however large the ratio', () => {
      const watch = refusalDisproportion({ refused: 2, total: 2 }, { refused: 0, total: 500 })
      assert.equal(watch.flagged, false)
    })

    it('gives no ratio where either group had no transfers', () => {
      assert.deepEqual(refusalDisproportion({ refused: 0, total: 0 }, { refused: 3, total: 40 }), {
        ratio: null,
        lower: null,
        upper: null,
        flagged: false,
      })
    })
  })

  describe('handoverOutcome', () => {
    const sent = new Date('2026-11-01T10:00:00Z')
    const at = (hours: number) => new Date(sent.getTime() + hours * 3600_000)
    const handover = (answer: { acknowledgedAt?: Date; refusedAt?: Date }) => ({
      createdAt: sent,
      acknowledgedAt: answer.acknowledgedAt ?? null,
      refusedAt: answer.refusedAt ?? null,
      chaseDays: 2,
    })
    const now = at(24 * 30)
    const cases = [
      ['a refusal is a refusal, however quick', { refusedAt: at(1) }, now, 'refused'],
      ['a refusal after the chase days is still one refusal, not a delay', { refusedAt: at(24 * 5) }, now, 'refused'],
      ['acknowledged a minute inside the chase days is in time', { acknowledgedAt: at(48 - 1 / 60) }, now, 'in-time'],
      ['acknowledged when the chase days are up is delayed', { acknowledgedAt: at(48) }, now, 'delayed'],
      ['not answered inside the chase days is still waiting', {}, at(47), 'waiting'],
      ['not answered when the chase days are up is delayed', {}, at(48), 'delayed'],
    ] as const
    for (const [name, answer, asOf, expected] of cases)
      it(name, () => assert.equal(handoverOutcome(handover(answer), asOf), expected))

    it('reads the chase days of the receiving prison', () => {
      assert.equal(handoverOutcome({ ...handover({ acknowledgedAt: at(72) }), chaseDays: 5 }, now), 'in-time')
    })
  })

  describe('transferWatch', () => {
    const sent = new Date('2026-10-01T10:00:00Z')
    const now = new Date('2026-11-25T10:00:00Z')
    const handover = (personId: string, answer: 'refused' | 'late' | 'in-time' | 'waiting', openPlan = false) => ({
      personId,
      createdAt: answer === 'waiting' ? new Date(now.getTime() - 3600_000) : sent,
      acknowledgedAt:
        answer === 'late'
          ? new Date('2026-10-06T10:00:00Z')
          : answer === 'in-time'
            ? new Date('2026-10-01T15:00:00Z')
            : null,
      refusedAt: answer === 'refused' ? new Date('2026-10-02T10:00:00Z') : null,
      chaseDays: 2,
      openCarePlanWhenSent: openPlan,
    })

    it('puts in the group people on an open care plan when sent, or who harmed themselves before it was sent', () => {
      const before = new Map([['harmed-before', new Date('2026-06-01T10:00:00Z')]])
      const after = new Map([['harmed-after', new Date('2026-10-20T10:00:00Z')]])
      assert.equal(isInWatchGroup(handover('on-plan', 'in-time', true), undefined), true)
      assert.equal(isInWatchGroup(handover('harmed-before', 'in-time'), before.get('harmed-before')), true)
      assert.equal(isInWatchGroup(handover('harmed-after', 'in-time'), after.get('harmed-after')), false)
      assert.equal(isInWatchGroup(handover('anyone', 'in-time'), undefined), false)
    })

    it('counts refusals and delays together against the rest, and leaves out those still waiting', () => {
      const history = new Map([['h1', new Date('2026-01-01T00:00:00Z')]])
      const watch = transferWatch(
        [
          handover('h1', 'refused'),
          handover('p1', 'late', true),
          handover('p2', 'late', true),
          handover('p3', 'in-time', true),
          handover('p4', 'waiting', true),
          ...Array.from({ length: 20 }, (_, index) => handover(`o${index}`, index < 2 ? 'late' : 'in-time')),
          handover('o-waiting', 'waiting'),
        ],
        history,
        now,
      )
      assert.deepEqual(watch.group, { total: 4, refused: 1, delayed: 2, waiting: 1 })
      assert.deepEqual(watch.others, { total: 20, refused: 0, delayed: 2, waiting: 1 })
      assert.equal(watch.ratio, 7.5, '3 in 4 against 2 in 20')
      assert.equal(watch.flagged, true)
    })

    it('finds nothing to compare with no transfers', () => {
      const watch = transferWatch([], new Map(), now)
      assert.equal(watch.ratio, null)
      assert.equal(watch.flagged, false)
    })
  })
})
