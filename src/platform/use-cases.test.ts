import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bindUseCases, useCasesOf } from './use-cases.ts'

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

describe('useCasesOf', () => {
  // Two modules of a wing's use cases, as `import * as rollChecks from './roll-checks.ts'` gives them.
  const rollChecks = { recordRollCheck }
  const wings = { wingName }

  it('gives every export of every module, bound as one service', async () => {
    const wing = bindUseCases({ wing: 'D wing', log: [] }, useCasesOf(rollChecks, wings))
    assert.deepEqual(Object.keys(wing), ['recordRollCheck', 'wingName'])
    assert.deepEqual(await wing.recordRollCheck('Officer Khan', 7), { wing: 'D wing', count: 7 })
    assert.equal(wing.wingName(), 'D wing')
  })

  it('refuses a name two modules export, which a spread would quietly take from the last', () => {
    const renamed = { wingName: (deps: WingDeps) => deps.wing.toUpperCase() }
    assert.throws(() => useCasesOf(rollChecks, wings, renamed), /Two modules of use cases both export wingName/)
  })

  it('takes a name that is also one of every object’s own (toString) as any other', () => {
    const toString = (deps: WingDeps) => `the roll of ${deps.wing}`
    assert.equal(bindUseCases({ wing: 'E wing', log: [] }, useCasesOf({ toString })).toString(), 'the roll of E wing')
  })
})
