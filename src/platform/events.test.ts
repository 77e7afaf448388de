import { beforeEach, it } from 'node:test'
import assert from 'node:assert/strict'
import { describeOnEachEngine } from '../../test/support/database.ts'
import { fixedClock } from './clock.ts'
import { createEvents, type PublishedEvent } from './events.ts'
import { createJobs } from './jobs.ts'

const by = { id: null, username: 'waymark-test' }

describeOnEachEngine('events between areas', (database) => {
  const clock = fixedClock('2026-11-25T10:00:00Z')
  // Each test starts from an empty queue and outbox; neither is an audit record.
  beforeEach(async () => {
    await database.db.deleteFrom('job').execute()
    await database.db.deleteFrom('event_outbox').execute()
  })

  const eventsWith = (...names: string[]) => {
    const jobs = createJobs({ db: database.db, clock })
    const events = createEvents({ db: database.db, clock, jobs })
    const heard: { listener: string; event: PublishedEvent<'person.left-custody'> }[] = []
    for (const name of names)
      events.listen({
        name,
        type: 'person.left-custody',
        handle: async (event) => void heard.push({ listener: name, event }),
      })
    return { jobs, events, heard }
  }

  it('keeps an event only if the change that raised it commits', async () => {
    const { events } = eventsWith('my-view.test')
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await events.publish(trx, by, 'person.left-custody', { personId: 'p-1', reason: 'release' })
        throw new Error('the release failed')
      }),
    )
    assert.deepEqual(await database.db.selectFrom('event_outbox').select('id').execute(), [])
    assert.deepEqual(await database.db.selectFrom('job').select('id').execute(), [])
  })

  it('delivers an event once to each listener, with who made the change, and never again', async () => {
    const { jobs, events, heard } = eventsWith('first.listener', 'second.listener')
    await database.db
      .transaction()
      .execute((trx) => events.publish(trx, by, 'person.left-custody', { personId: 'p-2', reason: 'death' }, null))
    assert.equal(await jobs.work('worker', events.handlers()), 2)
    assert.equal(await jobs.work('worker', events.handlers()), 0)
    assert.deepEqual(heard.map(({ listener, event }) => [listener, event.payload, event.by.username]).sort(), [
      ['first.listener', { personId: 'p-2', reason: 'death' }, 'waymark-test'],
      ['second.listener', { personId: 'p-2', reason: 'death' }, 'waymark-test'],
    ])
  })

  it('tries a failing listener again later without calling the others again, and the change stands', async () => {
    const jobs = createJobs({ db: database.db, clock })
    const events = createEvents({ db: database.db, clock, jobs })
    const calls: string[] = []
    let failing = true
    events.listen({ name: 'steady', type: 'person.left-custody', handle: async () => void calls.push('steady') })
    events.listen({
      name: 'flaky',
      type: 'person.left-custody',
      handle: async () => {
        calls.push('flaky')
        if (failing) throw new Error('the listener’s database went away')
      },
    })
    await events.publish(database.db, by, 'person.left-custody', { personId: 'p-3', reason: 'release' })
    await jobs.work('worker', events.handlers())
    assert.deepEqual(calls.sort(), ['flaky', 'steady'])
    failing = false
    clock.advanceMinutes(1)
    try {
      await jobs.work('worker', events.handlers())
    } finally {
      clock.advanceMinutes(-1)
    }
    assert.deepEqual(calls.sort(), ['flaky', 'flaky', 'steady'])
    assert.equal((await database.db.selectFrom('event_outbox').select('id').execute()).length, 1)
  })

  it('delivers each event once when two workers work the queue at the same moment', async () => {
    const { jobs, events, heard } = eventsWith('only.listener')
    for (let n = 0; n < 10; n++)
      await events.publish(database.db, by, 'person.left-custody', { personId: `p-${n}`, reason: 'release' })
    await Promise.all([jobs.work('worker-1', events.handlers()), jobs.work('worker-2', events.handlers())])
    assert.equal(heard.length, 10)
    assert.equal(new Set(heard.map(({ event }) => event.id)).size, 10)
  })

  it('refuses two listeners of the same name, which would share one delivery', () => {
    const { events } = eventsWith('same.name')
    assert.throws(
      () => events.listen({ name: 'same.name', type: 'person.transferred', handle: async () => {} }),
      /Two event listeners are named same.name/,
    )
  })
})
