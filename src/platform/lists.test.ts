import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { lowestFirst } from './lists.ts'

describe('lowestFirst', () => {
  const rate = (item: { rate: number | null }) => item.rate

  it('gives the lowest first, as many as asked for, equal values in the order given and no value last', () => {
    const items = [
      { name: 'a', rate: 0.9 },
      { name: 'b', rate: null },
      { name: 'c', rate: 0.2 },
      { name: 'd', rate: 0.9 },
      { name: 'e', rate: null },
      { name: 'f', rate: 0.5 },
    ]
    assert.deepEqual(
      lowestFirst(items, rate, 6).map((item) => item.name),
      ['c', 'f', 'a', 'd', 'b', 'e'],
    )
    assert.deepEqual(
      lowestFirst(items, rate, 2).map((item) => item.name),
      ['c', 'f'],
    )
  })

  it('leaves the list it was given as it was', () => {
    const items = [{ rate: 2 }, { rate: 1 }]
    lowestFirst(items, rate, 1)
    assert.deepEqual(items, [{ rate: 2 }, { rate: 1 }])
  })
})
