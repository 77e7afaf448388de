import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  compareGroups,
  countingWindow,
  daysWaiting,
  equalityCsvRows,
  ethnicGroupOf,
  protectedCount,
  recordedValue,
  relativeRateIndex,
  summarise,
  withheldGroups,
} from './rules.ts'

/** n people of whom `events` had it: values of 1 and 0. */
function ones(events: number, people: number): number[] {
  return [...Array.from({ length: events }, () => 1), ...Array.from({ length: people - events }, () => 0)]
}

function close(actual: number | undefined, expected: number, places = 4) {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 10 ** -places, `${actual} ≈ ${expected}`)
}

describe('relativeRateIndex', () => {
  /** The ratio and its 95% interval, each to four places, against the worked figures. */
  const closeRatio = (
    result: ReturnType<typeof relativeRateIndex>,
    expected: { index: number; lower: number; upper: number },
  ) => {
    close(result?.index, expected.index)
    close(result?.lower, expected.lower)
    close(result?.upper, expected.upper)
  }

  it('gives the textbook risk ratio and log-method interval: 20 of 100 against 30 of 300', () => {
    // RR = 0.2 / 0.1 = 2; SE = √(1/20 − 1/100 + 1/30 − 1/300) = √0.07 = 0.264575; 2 × e^(±1.96 × SE) = 1.1908 to 3.3592.
    const result = relativeRateIndex(summarise(ones(20, 100)), summarise(ones(30, 300)))
    closeRatio(result, { index: 2, lower: 1.19076, upper: 3.35921 })
    assert.equal(result?.excludesOne, true)
  })

  it('does not flag a ratio whose interval takes in 1: 6 of 50 against 20 of 200', () => {
    // RR = 0.12 / 0.1 = 1.2; SE = √(1/6 − 1/50 + 1/20 − 1/200) = √0.191667 = 0.437798; 1.2 × e^(±1.96 × SE) = 0.5088 to 2.8303.
    const result = relativeRateIndex(summarise(ones(6, 50)), summarise(ones(20, 200)))
    closeRatio(result, { index: 1.2, lower: 0.50878, upper: 2.83032 })
    assert.equal(result?.excludesOne, false)
  })

  it('flags a group whose rate is below everyone else’s when the whole interval is under 1', () => {
    const result = relativeRateIndex(summarise(ones(10, 200)), summarise(ones(60, 200)))
    assert.ok(result && result.upper < 1)
    assert.equal(result.excludesOne, true)
  })

  it('works for an amount per person by the delta method: 4 a week against 2 a week', () => {
    // Group: 3, 5, 3, 5 (mean 4, variance 1, n 4); comparator: 1, 3, 1, 3 (mean 2, variance 1, n 4).
    // SE = √(1 / (4 × 16) + 1 / (4 × 4)) = √0.078125 = 0.279508; 2 × e^(±1.96 × SE) = 1.1564 to 3.4590.
    const result = relativeRateIndex(summarise([3, 5, 3, 5]), summarise([1, 3, 1, 3]))
    closeRatio(result, { index: 2, lower: 1.15641, upper: 3.45899 })
  })

  it('has no ratio when either rate is zero or a side has nobody', () => {
    assert.equal(relativeRateIndex(summarise(ones(0, 50)), summarise(ones(10, 50))), null)
    assert.equal(relativeRateIndex(summarise(ones(5, 50)), summarise([])), null)
  })
})

describe('protectedCount', () => {
  it('shows 5 and more as they are', () => assert.deepEqual(protectedCount(5), { value: 5 }))
  it('shows 4 as fewer than 5', () => assert.deepEqual(protectedCount(4), { fewerThanFive: true }))
  it('shows 0 as fewer than 5 too', () => assert.deepEqual(protectedCount(0), { fewerThanFive: true }))
})

describe('compareGroups', () => {
  const people = [
    ...ones(20, 100).map((value) => ({ group: 'B', value })),
    ...ones(30, 300).map((value) => ({ group: 'W', value })),
    ...ones(3, 10).map((value) => ({ group: 'A', value })),
    { group: null, value: 1 },
    { group: 'W', value: null },
  ]

  it('sets each group against everyone in the other groups shown, in the order given', () => {
    const rows = compareGroups('proportion', people, ['W', 'M', 'A', 'B', 'O'])
    assert.deepEqual(
      rows.map((row) => row.group),
      ['W', 'A', 'B'],
    )
    const black = rows.find((row) => row.group === 'B')!
    assert.deepEqual(black.people, { value: 100 })
    assert.deepEqual(black.count, { value: 20 })
    close(black.rate ?? undefined, 0.2)
    // Group W's 30 of 300 alone: the Asian group's three of ten are withheld, so are in no comparator.
    close(black.comparatorRate ?? undefined, 30 / 300)
    assert.equal(black.flagged, true)
  })

  it('gives no comparator from which a withheld group could be worked out by taking away the groups shown', () => {
    // Had group A's three of ten been in group B's comparator (33 of 310), B's comparator less W's 30 of 300,
    // both shown, would say that three of the ten in A had a care plan opened.
    const rows = compareGroups('proportion', people)
    const shown = rows.filter((row) => row.rate !== null)
    assert.deepEqual(
      shown.map((row) => row.group),
      ['B', 'W'],
    )
    close(rows.find((row) => row.group === 'B')!.comparatorRate ?? undefined, 30 / 300)
    close(rows.find((row) => row.group === 'W')!.comparatorRate ?? undefined, 20 / 100)
    // The withheld group's own comparator is the groups shown, whose figures are on the page already.
    close(rows.find((row) => row.group === 'A')!.comparatorRate ?? undefined, 50 / 400)
  })

  it('withholds enough of a larger group’s other parts that its figures less theirs cannot give away a small one', () => {
    // M3's two of six are withheld. The ethnic group M, on the tab before, less M1 and M2 would give them
    // away, so the smaller of the two, M2, is withheld too, its people and count with it; M1 still shows.
    // W1 and W2, in another ethnic group with nothing small, are untouched.
    const partOf = (group: string) => group.charAt(0)
    const rows = compareGroups(
      'proportion',
      [
        ...ones(10, 50).map((value) => ({ group: 'M1', value })),
        ...ones(8, 40).map((value) => ({ group: 'M2', value })),
        ...ones(2, 6).map((value) => ({ group: 'M3', value })),
        ...ones(30, 300).map((value) => ({ group: 'W1', value })),
        ...ones(9, 60).map((value) => ({ group: 'W2', value })),
      ],
      [],
      partOf,
    )
    const row = (group: string) => rows.find((entry) => entry.group === group)!
    assert.deepEqual(row('M3').count, { fewerThanFive: true })
    assert.deepEqual(row('M2').people, { withheld: true })
    assert.deepEqual(row('M2').count, { withheld: true })
    assert.equal(row('M2').rate, null)
    assert.equal(row('M2').relativeRate, null)
    assert.deepEqual(
      rows.filter((entry) => entry.rate !== null).map((entry) => entry.group),
      ['M1', 'W1', 'W2'],
    )
    // M1 against W1 and W2 alone: neither withheld part is in it.
    close(row('M1').comparatorRate ?? undefined, 39 / 360)
    assert.deepEqual(equalityCsvRows([{ ...row('M2'), characteristic: 'c', measure: 'm' }])[1]?.slice(3, 6), [
      'withheld',
      'withheld',
      '',
    ])
    // Without the larger group to take from, nothing more than the small group is withheld.
    assert.equal(
      compareGroups(
        'proportion',
        [...ones(8, 40), ...ones(2, 6)].map((value) => ({ group: 'x', value })),
      ).length,
      1,
    )
  })

  it('withholds no more of a larger group than it must: the withheld parts together are never small', () => {
    const partOf = (group: string) => group.charAt(0)
    const counts = (people: number, events: number) => ({ people, events })
    // Two small parts that together are still small: the smallest shown one joins them, then they are enough.
    assert.deepEqual(
      withheldGroups(
        'proportion',
        new Map([
          ['A1', counts(3, 1)],
          ['A2', counts(4, 2)],
          ['A3', counts(20, 6)],
          ['A4', counts(30, 10)],
          ['A9', counts(500, 100)],
        ]),
        partOf,
      ),
      new Set(['A1', 'A2', 'A3']),
    )
    // Two small parts whose people and events together are not small: nothing more is withheld.
    assert.deepEqual(
      withheldGroups(
        'mean',
        new Map([
          ['B1', counts(3, 3)],
          ['B2', counts(4, 4)],
          ['B3', counts(20, 20)],
        ]),
        partOf,
      ),
      new Set(['B1', 'B2']),
    )
    // Every part of the larger group small: all withheld, and nothing beside them.
    assert.deepEqual(
      withheldGroups(
        'mean',
        new Map([
          ['C1', counts(2, 2)],
          ['D1', counts(9, 9)],
        ]),
        partOf,
      ),
      new Set(['C1']),
    )
  })

  it('withholds the rate and index of a group with fewer than 5 it happened to, and shows the count as fewer than 5', () => {
    const asian = compareGroups('proportion', people).find((row) => row.group === 'A')!
    assert.deepEqual(asian.count, { fewerThanFive: true })
    assert.deepEqual(asian.people, { value: 10 })
    assert.equal(asian.rate, null)
    assert.equal(asian.relativeRate, null)
    assert.equal(asian.flagged, false)
  })

  it('withholds the rate of a group it happened to all but fewer than 5 of, and says only that of the count', () => {
    // 7 of 7 opened a care plan: the count and a rate of 100% would say so of each of the seven.
    const rows = compareGroups('proportion', [
      ...ones(7, 7).map((value) => ({ group: 'G', value })),
      ...ones(20, 100).map((value) => ({ group: 'H', value })),
    ])
    const small = rows.find((row) => row.group === 'G')!
    assert.deepEqual(small.people, { value: 7 })
    assert.deepEqual(small.count, { allButFewerThanFive: true })
    assert.equal(small.rate, null)
    assert.equal(small.relativeRate, null)
    assert.deepEqual(equalityCsvRows([{ ...small, characteristic: 'c', measure: 'm' }])[1]?.slice(3, 6), [
      '7',
      'all but fewer than 5',
      '',
    ])
  })

  it('withholds the index when the comparator’s count is under 5, though the group’s own rate shows', () => {
    const rows = compareGroups('proportion', [
      ...ones(10, 20).map((value) => ({ group: 'F', value })),
      ...ones(4, 40).map((value) => ({ group: 'M', value })),
    ])
    const women = rows.find((row) => row.group === 'F')!
    close(women.rate ?? undefined, 0.5)
    assert.equal(women.comparatorRate, null)
    assert.equal(women.relativeRate, null)
  })

  it('counts the people measured for an amount per person, and withholds a group of fewer than 5 people', () => {
    const rows = compareGroups('mean', [
      { group: 'yes', value: 2 },
      { group: 'yes', value: 3 },
      ...[4, 5, 6, 4, 5, 6].map((value) => ({ group: 'no', value })),
    ])
    const disabled = rows.find((row) => row.group === 'yes')!
    assert.deepEqual(disabled.people, { fewerThanFive: true })
    assert.equal(disabled.rate, null)
    const notDisabled = rows.find((row) => row.group === 'no')!
    assert.deepEqual(notDisabled.count, { value: 6 })
    close(notDisabled.rate ?? undefined, 5)
    assert.equal(notDisabled.relativeRate, null, 'the comparator is fewer than 5 people')
  })

  it('gives each side the figures `summarise` gives of that side’s own list, to the last bit', () => {
    // Amounts that do not add up exactly in floating point (hours of 1 h 50, means of thirds), in groups of every
    // size, interleaved on the roll as people are, with some in no group and some not measured.
    const groups = ['A', 'B', 'M', 'O', 'W']
    const people = Array.from({ length: 400 }, (_, index) => ({
      group: index % 23 === 0 ? null : index % 101 === 1 ? 'X' : groups[(index * 7 + Math.floor(index / 9)) % 5],
      value: index % 17 === 0 ? null : ((index * 37) % 11) * (11 / 6) + (index % 5 === 0 ? 1 / 3 : 0),
    }))
    const measured = people.filter(
      (person): person is { group: string; value: number } => person.group !== null && person.value !== null,
    )
    for (const kind of ['mean', 'proportion'] as const) {
      // A share is withheld too where those it did not happen to are fewer than 5.
      const nearlyAll = (side: ReturnType<typeof summarise>) => kind === 'proportion' && side.people - side.events < 5
      const shown = (side: ReturnType<typeof summarise>) =>
        side.people >= 5 && (kind === 'mean' ? side.people : side.events) >= 5 && !nearlyAll(side)
      const rows = compareGroups(kind, people)
      assert.deepEqual(
        rows.map((row) => row.group),
        [...groups, 'X'],
      )
      const sideOf = (group: string) =>
        summarise(measured.filter((person) => person.group === group).map((person) => person.value))
      // A withheld group is in no comparator.
      const withheld = new Set(rows.map((row) => row.group).filter((group) => !shown(sideOf(group))))
      for (const row of rows) {
        const group = sideOf(row.group)
        const others = summarise(
          measured
            .filter((person) => person.group !== row.group && !withheld.has(person.group))
            .map((person) => person.value),
        )
        assert.deepEqual(row.people, protectedCount(group.people), row.group)
        const count = kind === 'mean' ? group.people : group.events
        assert.deepEqual(
          row.count,
          count >= 5 && nearlyAll(group) ? { allButFewerThanFive: true } : protectedCount(count),
          row.group,
        )
        assert.equal(row.rate, shown(group) ? group.mean : null, row.group)
        assert.equal(row.comparatorRate, shown(others) ? others.mean : null, row.group)
        const both = shown(group) && shown(others)
        assert.deepEqual(row.relativeRate, both ? relativeRateIndex(group, others) : null, row.group)
      }
      assert.equal(rows.find((row) => row.group === 'X')!.rate, null, 'a group of four is withheld')
    }
  })
})

describe('equalityCsvRows', () => {
  it('writes fewer than 5 for small counts and leaves every rate behind them blank', () => {
    const rows = compareGroups('proportion', [
      ...ones(3, 10).map((value) => ({ group: 'A', value })),
      ...ones(30, 300).map((value) => ({ group: 'W', value })),
    ])
    const csv = equalityCsvRows(rows.map((row) => ({ ...row, characteristic: 'ethnic group', measure: 'care plans' })))
    const asian = csv.find((line) => line[1] === 'A')!
    // Its own rate and index are withheld; the comparator's (group W, 30 of 300) is not small and shows.
    assert.deepEqual(asian, ['ethnic group', 'A', 'care plans', '10', 'fewer than 5', '', '0.100', '', '', '', ''])
    const white = csv.find((line) => line[1] === 'W')!
    assert.equal(white[4], '30')
    assert.equal(white[5], '0.100')
    assert.equal(white[6], '', 'the comparator (group A) has fewer than 5')
    assert.ok(!csv.flat().includes('3'), 'the 3 never appears')
  })
})

describe('the groups a characteristic gives', () => {
  for (const [code, group] of [
    ['W1', 'W'],
    ['B2', 'B'],
    ['O9', 'O'],
    ['NS', null],
    [null, null],
  ] as const)
    it(`puts ethnicity ${String(code)} in ONS group ${String(group)}`, () => assert.equal(ethnicGroupOf(code), group))
  it('counts “not stated” as not recorded', () => assert.equal(recordedValue('not-stated'), null))
  it('keeps a recorded value as its group', () => assert.equal(recordedValue('yes'), 'yes'))
})

describe('countingWindow', () => {
  it('counts over 365 days ending today, from midnight in the prison on the first', () => {
    assert.deepEqual(countingWindow('2026-11-25'), {
      from: '2025-11-26',
      startsAt: new Date('2025-11-26T00:00:00Z'),
    })
  })
  it('starts an hour before UTC’s midnight in summer, so a concern at half past midnight is counted', () => {
    assert.deepEqual(countingWindow('2026-07-15'), {
      from: '2025-07-16',
      startsAt: new Date('2025-07-15T23:00:00Z'),
    })
  })
})

describe('daysWaiting', () => {
  it('counts from the latest assessment when it is after reception', () => {
    assert.equal(daysWaiting('2026-11-15', '2026-10-01', '2026-11-25'), 10)
  })
  it('counts from reception when the assessment was made before it, or there is none', () => {
    assert.equal(daysWaiting('2026-09-01', '2026-10-01', '2026-11-25'), 55)
    assert.equal(daysWaiting(null, '2026-10-01', '2026-11-25'), 55)
  })
  it('is 0 on the day of the assessment, and never below 0', () => {
    assert.equal(daysWaiting('2026-11-25', '2026-10-01', '2026-11-25'), 0)
    assert.equal(daysWaiting('2026-11-26', '2026-10-01', '2026-11-25'), 0)
  })
  it('counts whole days across the change of clocks', () => {
    assert.equal(daysWaiting('2026-10-24', '2026-10-01', '2026-10-26'), 2)
  })
})
