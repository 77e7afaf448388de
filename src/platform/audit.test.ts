import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenStaffUser, unique } from '../../test/support/builders.ts'
import type { KyselyPlugin } from 'kysely'
import type { Db } from '../db/database.ts'
import { queryCounter } from '../db/query-counter.ts'
import { aboutPerson, createAudit } from './audit.ts'
import { fixedClock } from './clock.ts'
import type { Actor } from './permissions.ts'

for (const engine of testEngines()) {
  describe(`the audit trail on ${engine.name}`, () => {
    let database: TestDatabase
    let officer: Actor
    let personId: string
    const clock = fixedClock('2026-11-25T09:30:00Z')
    const audit = createAudit(clock)

    before(async () => {
      database = await engine.open()
      const home = await givenEstablishment(database.db)
      officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })
      personId = (await givenPerson(database.db, home.code)).id
    })
    after(async () => {
      await database.close()
    })

    const entriesFor = (action: string) =>
      database.db.selectFrom('audit_event').selectAll().where('action', '=', action).execute()

    describe('record', () => {
      it('records who did what, to which person, when, where and why', async () => {
        const action = unique('person.viewed-')
        await audit.record(database.db, officer, {
          action,
          personId,
          reason: 'Checking a concern',
          details: { tab: 'overview', count: 2 },
        })
        const [entry, ...others] = await entriesFor(action)
        assert.equal(others.length, 0)
        assert.equal(entry.actor_id, officer.id)
        assert.equal(entry.actor_username, officer.username)
        assert.equal(entry.person_id, personId)
        assert.equal(entry.establishment_code, officer.establishmentCode)
        assert.equal(entry.reason, 'Checking a concern')
        assert.deepEqual(entry.details, { tab: 'overview', count: 2 })
        assert.equal(new Date(entry.occurred_at).toISOString(), '2026-11-25T09:30:00.000Z')
      })

      it('records an attempt by someone not signed in under the name they gave, with no establishment', async () => {
        const action = unique('sign-in.refused-')
        await audit.record(database.db, { id: null, username: 'nobody.known' }, { action })
        const [entry] = await entriesFor(action)
        assert.equal(entry.actor_id, null)
        assert.equal(entry.actor_username, 'nobody.known')
        assert.equal(entry.establishment_code, null)
        assert.deepEqual(entry.details, {})
      })

      it('files an entry about a person under the prison that holds them, not the user’s own', async () => {
        const elsewhere = await givenEstablishment(database.db)
        const visitor = await givenPerson(database.db, elsewhere.code)
        const action = unique('journey.viewed-')
        await audit.record(
          database.db,
          officer,
          aboutPerson(action, { id: visitor.id, establishmentCode: elsewhere.code }, { count: 1 }),
        )
        const [entry] = await entriesFor(action)
        assert.equal(entry.person_id, visitor.id)
        assert.equal(entry.establishment_code, elsewhere.code)
        assert.notEqual(entry.establishment_code, officer.establishmentCode)
        assert.deepEqual(entry.details, { count: 1 })
      })

      it('records nothing when the change it belongs to is rolled back', async () => {
        const action = unique('roll.imported-')
        await assert.rejects(
          database.db.transaction().execute(async (trx) => {
            await audit.record(trx, officer, { action })
            throw new Error('the import failed after the entry was written')
          }),
          /the import failed/,
        )
        assert.deepEqual(await entriesFor(action), [])
      })
    })

    describe('recordEach', () => {
      it('writes each entry as record would, each under its own prison, in one insert', async () => {
        const elsewhere = await givenEstablishment(database.db)
        const action = unique('care-plans.dashboard-viewed-')
        const entries = [
          { action, details: { open: 3 } },
          { action, establishmentCode: elsewhere.code, details: { open: 0 } },
        ]
        const { counted, plugin } = queryCounter()
        await audit.recordEach(database.db.withPlugin(plugin), officer, entries)
        assert.equal(counted.queries, 1)
        const rows = await entriesFor(action)
        assert.deepEqual(
          rows
            .map((row) => ({ establishmentCode: row.establishment_code, details: row.details }))
            .sort((a, b) => String(a.establishmentCode).localeCompare(String(b.establishmentCode))),
          [
            { establishmentCode: officer.establishmentCode, details: { open: 3 } },
            { establishmentCode: elsewhere.code, details: { open: 0 } },
          ].sort((a, b) => a.establishmentCode.localeCompare(b.establishmentCode)),
        )
        for (const row of rows) {
          assert.equal(row.actor_id, officer.id)
          assert.equal(row.actor_username, officer.username)
          assert.equal(new Date(row.occurred_at).toISOString(), '2026-11-25T09:30:00.000Z')
        }
      })

      it('writes nothing, and asks nothing, for no entries', async () => {
        const { counted, plugin } = queryCounter()
        await audit.recordEach(database.db.withPlugin(plugin), officer, [])
        assert.equal(counted.queries, 0)
      })
    })

    describe('entries recorded outside a transaction', () => {
      const actionsOf = async (db: Db, actions: string[]) =>
        (await db.selectFrom('audit_event').select('action').where('action', 'in', actions).execute())
          .map((row) => row.action)
          .sort()

      it('writes one user’s entry at once, waiting for no one', async () => {
        const { started, plugin } = statementsStarted()
        const action = unique('person.viewed-')
        const recorded = audit.record(database.db.withPlugin(plugin), officer, { action, personId })
        assert.equal(started.statements, 1, 'the insert is under way before record is first awaited')
        await recorded
        assert.equal((await entriesFor(action)).length, 1)
      })

      it('writes the entries of users reading at the same time in two inserts, each at the time of its reading', async () => {
        const readingClock = fixedClock('2026-11-25T10:00:00Z')
        const readingAudit = createAudit(readingClock)
        const { counted, plugin } = queryCounter()
        const counting = database.db.withPlugin(plugin)
        const readings = Array.from({ length: 20 }, (_, index) => {
          const action = unique('person.viewed-')
          const at = readingClock.now().toISOString()
          const written = readingAudit.record(counting, officer, { action, personId }).then(async () => {
            // Answered only once its own entry is committed: it is there to be read by anyone.
            const [entry, ...others] = await entriesFor(action)
            assert.equal(others.length, 0)
            assert.equal(new Date(entry.occurred_at).toISOString(), at, `reading ${index}`)
          })
          readingClock.advanceMinutes(1)
          return written
        })
        await Promise.all(readings)
        // The first at once, alone; the nineteen that came while it was written, together after it.
        assert.equal(counted.queries, 2)
      })

      it('refuses only the entry that cannot be written, and writes the others', async () => {
        const { started, plugin } = statementsStarted()
        const counting = database.db.withPlugin(plugin)
        const alone = unique('person.viewed-')
        const waiting = unique('person.viewed-')
        const broken = unique('person.viewed-')
        const dashboards = [unique('care-plans.dashboard-viewed-'), unique('care-plans.dashboard-viewed-')]
        const results = await Promise.allSettled([
          audit.record(counting, officer, { action: alone, personId }),
          audit.record(counting, officer, { action: waiting, personId }),
          audit.record(counting, officer, { action: broken, personId: 'not-a-person-id' }),
          audit.recordEach(
            counting,
            officer,
            dashboards.map((action) => ({ action })),
          ),
        ])
        assert.deepEqual(
          results.map((result) => result.status),
          ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
        )
        assert.match(String((results[2] as PromiseRejectedResult).reason), /invalid input syntax for type uuid/)
        assert.deepEqual(
          await actionsOf(database.db, [alone, waiting, broken, ...dashboards]),
          [alone, waiting, ...dashboards].sort(),
        )
        // The first alone; then the three that waited, refused together; then each on its own.
        assert.equal(started.statements, 5)
      })

      it('still writes an entry made in a transaction with its change, and drops it when the change rolls back', async () => {
        const outside = [unique('person.viewed-'), unique('person.viewed-'), unique('person.viewed-')]
        const inside = unique('roll.imported-')
        const committed = unique('roll.imported-')
        const [rolledBack] = await Promise.allSettled([
          database.db.transaction().execute(async (trx) => {
            await audit.record(trx, officer, { action: inside })
            throw new Error('the import failed after the entry was written')
          }),
          ...outside.map((action) => audit.record(database.db, officer, { action, personId })),
          database.db.transaction().execute((trx) => audit.record(trx, officer, { action: committed })),
        ])
        assert.equal(rolledBack.status, 'rejected')
        assert.deepEqual(await actionsOf(database.db, [...outside, inside, committed]), [...outside, committed].sort())
      })

      it('never puts one database’s entries in another database’s insert', async () => {
        const other = await engine.open()
        try {
          const here = queryCounter()
          const there = queryCounter()
          const toHere = database.db.withPlugin(here.plugin)
          const toThere = other.db.withPlugin(there.plugin)
          const hereActions = [unique('person.viewed-'), unique('person.viewed-'), unique('person.viewed-')]
          const thereActions = [unique('person.viewed-'), unique('person.viewed-'), unique('person.viewed-')]
          await Promise.all(
            hereActions.flatMap((action, index) => [
              audit.record(toHere, officer, { action }),
              audit.record(toThere, officer, { action: thereActions[index] }),
            ]),
          )
          const everyAction = [...hereActions, ...thereActions]
          assert.deepEqual(await actionsOf(database.db, everyAction), [...hereActions].sort())
          assert.deepEqual(await actionsOf(other.db, everyAction), [...thereActions].sort())
          assert.equal(here.counted.queries, 2)
          assert.equal(there.counted.queries, 2)
        } finally {
          await other.close()
        }
      })
    })

    describe('the audit_event table', () => {
      let action: string
      before(async () => {
        action = unique('person.viewed-')
        await audit.record(database.db, officer, { action, personId })
      })

      it('refuses to change an entry', async () => {
        await assert.rejects(
          database.db
            .updateTable('audit_event')
            .set({ actor_username: 'someone.else' })
            .where('action', '=', action)
            .execute(),
          /audit_event is append-only: UPDATE is not allowed/,
        )
        assert.equal((await entriesFor(action))[0].actor_username, officer.username)
      })

      it('refuses to delete an entry', async () => {
        await assert.rejects(
          database.db.deleteFrom('audit_event').where('action', '=', action).execute(),
          /audit_event is append-only: DELETE is not allowed/,
        )
        assert.equal((await entriesFor(action)).length, 1)
      })

      it('refuses to be emptied with TRUNCATE', async () => {
        await assert.rejects(sql`truncate audit_event`.execute(database.db), /audit_event is append-only: TRUNCATE/)
        assert.equal((await entriesFor(action)).length, 1)
      })
    })
  })
}

/** Counts statements as they are sent, where queryCounter counts them as they are answered. */
function statementsStarted() {
  const started = { statements: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      started.statements += 1
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  return { started, plugin }
}
