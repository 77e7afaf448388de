import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bindUseCases } from './use-cases.ts'

type WingDeps = { wing: string; log: string[] }

async function recordRollCheck(deps: WingDeps, officer: string, count: number) {
  deps.log.push(`${officer} counted ${count} on ${deps.wing}`)
  return { wing: deps.wing, count }
}

function wingName(deps: WingDeps) {
  return deps.wing
}

describe('bindUseCases', () => {
  it('gives each use case its dependencies first and the caller’s arguments after, in order', async () => {
    const log: string[] = []
    const wing = bindUseCases({ wing: 'A wing', log }, { recordRollCheck, wingName })
    assert.deepEqual(await wing.recordRollCheck('Officer Jones', 42), { wing: 'A wing', count: 42 })
    assert.equal(wing.wingName(), 'A wing')
    assert.deepEqual(log, ['Officer Jones counted 42 on A wing'])
  })

  it('works when a use case is taken off the service and called alone, as a route handler might', () => {
    const { wingName: nameOf } = bindUseCases({ wing: 'B wing', log: [] }, { wingName })
    assert.equal(nameOf(), 'B wing')
  })

  it('binds only the use cases it is given, so the service is exactly its list', () => {
    const wing = bindUseCases({ wing: 'C wing', log: [] }, { wingName })
    assert.deepEqual(Object.keys(wing), ['wingName'])
  })
})
