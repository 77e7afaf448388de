import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { signInDelayMs } from './sign-in-delay.ts'

describe('signInDelayMs', () => {
  const cases: [number, number][] = [
    [0, 0],
    [4, 0],
    [5, 1_000],
    [6, 2_000],
    [9, 16_000],
    [10, 30_000],
    [500, 30_000],
  ]
  for (const [earlierFailures, delay] of cases)
    it(`waits ${delay} ms after ${earlierFailures} failed attempts`, () => {
      assert.equal(signInDelayMs(earlierFailures), delay)
    })
})
