import { afterEach, beforeEach, describe, it, mock } from 'node:test'
import assert from 'node:assert/strict'
import { serve } from './serve.ts'

/** `waymark serve` stops before it opens anything when the scheduled roll from NOMIS is set wrongly. */
describe('waymark serve with the roll from NOMIS on a schedule', () => {
  const saved = { ...process.env }
  let errors: string[]
  beforeEach(() => {
    errors = []
    mock.method(console, 'error', (line: string) => void errors.push(line))
  })
  afterEach(() => {
    mock.restoreAll()
    for (const name of ['ROLL_SYNC_URL', 'ROLL_SYNC_ESTABLISHMENTS', 'ROLL_SYNC_EVERY_MINUTES'])
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
  })

  it('exits 2 saying what to change for an address without the prison’s place in it', async () => {
    process.env.ROLL_SYNC_URL = 'https://prisoner-search.example/prisoners'
    process.env.ROLL_SYNC_ESTABLISHMENTS = 'NHI'
    assert.equal(await serve([]), 2)
    assert.deepEqual(errors, [
      'ROLL_SYNC_URL must be an http(s) address with {establishment} where the prison’s code goes',
    ])
  })

  it('exits 2 for a schedule more often than every five minutes', async () => {
    process.env.ROLL_SYNC_URL = 'https://prisoner-search.example/prison/{establishment}/prisoners'
    process.env.ROLL_SYNC_ESTABLISHMENTS = 'NHI'
    process.env.ROLL_SYNC_EVERY_MINUTES = '1'
    assert.equal(await serve([]), 2)
    assert.match(errors.join('\n'), /ROLL_SYNC_EVERY_MINUTES must be a whole number of minutes from 5 to 1440/)
  })
})
