import { sql } from 'kysely'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPrisonWithStaff, uniquePrisonNumber } from '../../../../test/support/builders.ts'
import {
  givenAllocationChangesFailFor,
  givenDedicatedOfficer,
  givenHandover,
} from '../../../../test/support/journey-builders.ts'
import {
  prisonerRecord,
  releasedRecord,
  startPrisonerSearch,
  type PrisonerSearchStandIn,
} from '../../../../test/support/prisoner-search.ts'
import { givenCell, givenHeldPerson, rowCounts, whereHeld } from '../../../../test/support/roll-sync-builders.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../../test/support/services.ts'
import type { SyncReport } from '../service.ts'
import { rollFeedFromText, rollFeedFromUrl } from './feed.ts'
import { syncCountKinds, type SyncCountKind } from './rules.ts'

const command = { id: null, username: 'waymark-sync-roll' }

/** A report's counts: those named, and none of every other kind. */
const counted = (some: Partial<Record<SyncCountKind, number>>) => ({
  ...(Object.fromEntries(syncCountKinds.map((kind) => [kind, 0])) as Record<SyncCountKind, number>),
  ...some,
})
/** Each kind of change once, and two records refused: the feed the first tests read. */
const firstRunCounts = counted({
  received: 1,
  'moved-cell': 1,
  'transferred-in': 1,
  'transferred-out': 1,
  released: 1,
  refused: 2,
})

describeServicesOnEachEngine('the roll from NOMIS', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const home = arrangedBefore(() => givenPrisonWithStaff(database.db, { officer: 'keyworker' }))
  const other = arrangedBefore(() => givenEstablishment(database.db))
  let search: PrisonerSearchStandIn
  before(async () => {
    search = await startPrisonerSearch()
  })
  after(() => search.close())

  /** The prison's roll read from the stand-in, three records a page, without waiting between tries. */
  const sync = (pageSize = 3) =>
    services.journey.syncRoll(
      command,
      home.code,
      rollFeedFromUrl(search.rollAddress(home.code), { pageSize, sleep: async () => {} }),
    )
  /** The prison's roll read from a file: the records given (or a page of them), as the feed's JSON text. */
  const syncFromFile = (feed: unknown) =>
    services.journey.syncRoll(command, home.code, rollFeedFromText(JSON.stringify(feed)))
  const at = (prisonId: string, overrides: Record<string, unknown> = {}) => prisonerRecord({ prisonId, ...overrides })

  describe('a feed of receptions, moves, transfers and releases, with two records it cannot apply', () => {
    const people = {} as Record<
      'received' | 'moved' | 'transferredIn' | 'transferredOut' | 'released' | 'notInFeed' | 'intoNoCell',
      string
    >
    const ids = {} as Record<'released', string>
    before(async () => {
      const db = database.db
      await givenCell(db, home.wingId, 'A-1-002')
      people.received = uniquePrisonNumber()
      people.intoNoCell = uniquePrisonNumber()
      const moved = await givenHeldPerson(db, home.code, { cellId: home.cellId })
      const transferredIn = await givenHeldPerson(db, other.code, { cellId: other.cellId })
      const transferredOut = await givenHeldPerson(db, home.code, { cellId: home.cellId })
      const released = await givenHeldPerson(db, home.code, { cellId: home.cellId })
      const notInFeed = await givenHeldPerson(db, home.code, { cellId: home.cellId })
      await givenDedicatedOfficer(db, released.id, home.officer.id, '2026-11-02T10:00:00Z')
      Object.assign(people, {
        moved: moved.prisonNumber,
        transferredIn: transferredIn.prisonNumber,
        transferredOut: transferredOut.prisonNumber,
        released: released.prisonNumber,
        notInFeed: notInFeed.prisonNumber,
      })
      Object.assign(ids, { released: released.id })
      search.rolls.set(home.code, [
        at(home.code, { prisonerNumber: people.received, cellLocation: 'A-1-001', receptionDate: '2026-11-24' }),
        at(home.code, { prisonerNumber: people.moved, cellLocation: 'A-1-002' }),
        at(home.code, { prisonerNumber: people.transferredIn, cellLocation: 'A-1-002' }),
        at(other.code, { prisonerNumber: people.transferredOut, cellLocation: 'A-1-001' }),
        releasedRecord({ prisonerNumber: people.released }),
        at(home.code, { prisonerNumber: 'Pritchard Aled', cellLocation: 'A-1-001' }),
        at(home.code, { prisonerNumber: people.intoNoCell, cellLocation: 'Z-9-999' }),
      ])
    })

    it('applies each change, reports each record it refused by prison number and why, and reads every page', async () => {
      const report = await sync()
      assert.ok(report)
      assert.deepEqual(report.counts, firstRunCounts)
      assert.deepEqual(report.refused, [
        { page: 1, index: 2, prisonNumber: null, reason: 'bad-prison-number' },
        { page: 2, index: 0, prisonNumber: people.intoNoCell, reason: 'unknown-cell' },
      ])
      assert.equal(report.failedPage, null)
      assert.deepEqual([report.pagesRead, report.records], [3, 7])
      assert.deepEqual(
        search.requests.filter((request) => request.startsWith(home.code)),
        [0, 1, 2].map((page) => `${home.code}:${page}`),
      )
    })

    it('receives the new person into their cell at reception, with nobody yet named for them', async () => {
      assert.deepEqual(await whereHeld(database.db, people.received), {
        establishmentCode: home.code,
        cellLabel: 'A-1-001',
        receptionOn: '2026-11-24',
        stage: `reception@${home.code}`,
        stages: 1,
      })
      const { gaps } = await services.journey.listGaps(home.officer, { gap: 'no-named-person' })
      assert.ok(gaps.some((gap) => gap.prisonNumber === people.received))
    })

    it('moves one person’s cell, and transfers one in (into their cell) and one out, through the journey', async () => {
      assert.equal((await whereHeld(database.db, people.moved))?.cellLabel, 'A-1-002')
      assert.deepEqual(await whereHeld(database.db, people.transferredIn), {
        establishmentCode: home.code,
        cellLabel: 'A-1-002',
        receptionOn: '2026-10-01',
        stage: `transfer-in@${home.code}`,
        stages: 3,
      })
      assert.deepEqual(await whereHeld(database.db, people.transferredOut), {
        establishmentCode: other.code,
        cellLabel: null,
        receptionOn: '2026-10-01',
        stage: `transfer-in@${other.code}`,
        stages: 3,
      })
      const transferred = await database.db
        .selectFrom('event_outbox')
        .select(['payload', 'actor_id', 'actor_username'])
        .where('type', '=', 'person.transferred')
        .execute()
      assert.equal(transferred.filter((event) => event.actor_username === command.username).length, 2)
      assert.ok(transferred.every((event) => event.actor_id === null))
    })

    it('releases the person NOMIS released, ending their dedicated officer as the command, and tells the areas', async () => {
      assert.equal((await whereHeld(database.db, people.released))?.stage, `release@${home.code}`)
      const allocation = await database.db
        .selectFrom('dedicated_officer_allocation')
        .select(['ended_at', 'ended_by', 'end_reason'])
        .where('person_id', '=', ids.released)
        .executeTakeFirstOrThrow()
      assert.deepEqual(
        [allocation.ended_by, allocation.end_reason, allocation.ended_at !== null],
        [null, 'release', true],
      )
      const left = await database.db
        .selectFrom('event_outbox')
        .select('payload')
        .where('type', '=', 'person.left-custody')
        .where('actor_username', '=', command.username)
        .execute()
      assert.deepEqual(
        left.map((event) => event.payload),
        [{ personId: ids.released, reason: 'release' }],
      )
      const ended = await database.db
        .selectFrom('event_outbox')
        .select(['payload', 'establishment_code as establishmentCode'])
        .where('type', '=', 'dedicated-officer.allocation-ended')
        .where(sql<string>`payload->>'personId'`, '=', ids.released)
        .execute()
      assert.deepEqual(
        ended.map((event) => [event.establishmentCode, (event.payload as { reason: string }).reason]),
        [[home.code, 'release']],
      )
    })

    it('never releases or moves someone because the feed does not mention them', async () => {
      assert.deepEqual(await whereHeld(database.db, people.notInFeed), {
        establishmentCode: home.code,
        cellLabel: 'A-1-001',
        receptionOn: '2026-10-01',
        stage: `residential@${home.code}`,
        stages: 1,
      })
    })

    it('audits each change as the command, by id and never by name, and the run once with its counts', async () => {
      const entries = await database.db
        .selectFrom('audit_event')
        .select(['action', 'actor_id', 'establishment_code', 'details'])
        .where('actor_username', '=', command.username)
        .orderBy('id')
        .execute()
      assert.deepEqual(entries.map((entry) => entry.action).sort(), [
        'dedicated-officer.deallocated',
        'roll.moved-cell',
        'roll.received',
        'roll.released',
        'roll.synced',
        'roll.transferred',
        'roll.transferred',
      ])
      assert.ok(entries.every((entry) => entry.actor_id === null))
      assert.doesNotMatch(JSON.stringify(entries), /PRITCHARD|ALED/i)
      assert.deepEqual(entries.at(-1), {
        action: 'roll.synced',
        actor_id: null,
        establishment_code: home.code,
        details: firstRunCounts,
      })
    })

    it('changes nothing when the same feed comes again, the audit trail included', async () => {
      const before = await rowCounts(database.db)
      const places = await Promise.all(Object.values(people).map((number) => whereHeld(database.db, number)))
      const report = await sync()
      assert.deepEqual(report?.counts, counted({ unchanged: 5, refused: 2 }))
      assert.deepEqual(await rowCounts(database.db), before)
      assert.deepEqual(await Promise.all(Object.values(people).map((number) => whereHeld(database.db, number))), places)
    })
  })

  describe('a page that fails', () => {
    it('is tried again, and the feed read whole once it answers', async () => {
      const arriving = uniquePrisonNumber()
      const roll = [arriving, ...Array.from({ length: 3 }, () => uniquePrisonNumber())].map((number) =>
        at(home.code, { prisonerNumber: number, cellLocation: 'RECP' }),
      )
      search.rolls.set(home.code, roll)
      search.requests.length = 0
      search.failPage(home.code, 1, 1, 503)
      search.failPage(home.code, 1, 1, 'drop')
      const report = await sync()
      assert.equal(report?.failedPage, null)
      assert.equal(report?.counts.received, 4)
      assert.deepEqual(search.requests, [`${home.code}:0`, `${home.code}:1`, `${home.code}:1`, `${home.code}:1`])
    })

    it('stops the feed when it fails every time: the pages before stand, none after is read or applied', async () => {
      const [first, last] = [uniquePrisonNumber(), uniquePrisonNumber()]
      search.rolls.set(home.code, [
        at(home.code, { prisonerNumber: first, cellLocation: 'RECP' }),
        at(home.code, { prisonerNumber: uniquePrisonNumber(), cellLocation: 'RECP' }),
        at(home.code, { prisonerNumber: last, cellLocation: 'RECP' }),
      ])
      search.requests.length = 0
      search.failPage(home.code, 1, 4, 502)
      const report = await sync(1)
      assert.deepEqual(report?.failedPage, { page: 1, message: 'page 1 answered 502, 4 times' })
      assert.deepEqual([report?.pagesRead, report?.counts.received], [1, 1])
      assert.equal((await whereHeld(database.db, first))?.stage, `reception@${home.code}`)
      assert.equal(await whereHeld(database.db, last), null)
      assert.ok(!search.requests.includes(`${home.code}:2`))
    })

    it('gives up at once on an answer that retrying cannot change (a 4xx)', async () => {
      search.requests.length = 0
      search.failPage(home.code, 0, 1, 403)
      const report = await sync()
      assert.deepEqual(report?.failedPage, { page: 0, message: 'page 0 answered 403' })
      assert.deepEqual(search.requests, [`${home.code}:0`])
    })
  })

  it('reports a change the database refuses, saving nothing of it, and applies the rest', async () => {
    const failing = await givenHeldPerson(database.db, home.code, { cellId: home.cellId })
    await givenDedicatedOfficer(database.db, failing.id, home.officer.id, '2026-11-02T10:00:00Z')
    await givenAllocationChangesFailFor(database.db, failing.id)
    const arriving = uniquePrisonNumber()
    const report = await syncFromFile([
      releasedRecord({ prisonerNumber: failing.prisonNumber }),
      at(home.code, { prisonerNumber: arriving, cellLocation: 'RECP' }),
    ])
    assert.deepEqual(report?.counts, counted({ received: 1, refused: 1 }))
    assert.deepEqual(report?.refused, [{ page: 0, index: 0, prisonNumber: failing.prisonNumber, reason: 'not-saved' }])
    assert.equal((await whereHeld(database.db, failing.prisonNumber))?.stage, `residential@${home.code}`)
    assert.equal((await whereHeld(database.db, arriving))?.stage, `reception@${home.code}`)
  })

  it('leaves a transfer whose handover waits for the receiving prison to that prison', async () => {
    const leaving = await givenHeldPerson(database.db, home.code, { cellId: home.cellId })
    await givenHandover(database.db, {
      personId: leaving.id,
      fromEstablishmentCode: home.code,
      toEstablishmentCode: other.code,
      createdBy: home.officer.id,
    })
    const report = await syncFromFile([at(other.code, { prisonerNumber: leaving.prisonNumber })])
    assert.equal(report?.counts['awaiting-handover'], 1)
    assert.equal((await whereHeld(database.db, leaving.prisonNumber))?.stage, `residential@${home.code}`)
  })

  it('does not both transfer someone out from the roll and start a handover of them, at the same moment', async () => {
    const leaving = await givenHeldPerson(database.db, home.code, { cellId: home.cellId })
    const third = await givenEstablishment(database.db)
    const [synced, started] = await Promise.allSettled([
      syncFromFile([at(other.code, { prisonerNumber: leaving.prisonNumber })]),
      services.journey.startHandover(home.officer, leaving.prisonNumber, {
        toEstablishmentCode: third.code,
        risks: 'None known',
        personsWishes: '',
      }),
    ])
    const waiting = await database.db
      .selectFrom('handover')
      .select('id')
      .where('person_id', '=', leaving.id)
      .where('acknowledged_at', 'is', null)
      .where('refused_at', 'is', null)
      .execute()
    const heldAt = (await whereHeld(database.db, leaving.prisonNumber))?.establishmentCode
    assert.ok(
      waiting.length === 0 ? heldAt === other.code : heldAt === home.code,
      `handovers waiting: ${waiting.length}, held at ${heldAt} (${JSON.stringify([synced, started])})`,
    )
  })

  it('records no stage by hand at the prison the roll has just moved someone from', async () => {
    const leaving = await givenHeldPerson(database.db, home.code, { cellId: home.cellId })
    const [synced, recorded] = await Promise.allSettled([
      syncFromFile([at(other.code, { prisonerNumber: leaving.prisonNumber })]),
      services.journey.recordStage(home.officer, leaving.prisonNumber, {
        stage: 'release',
        responsibleStaffUserId: null,
        reason: 'Released from the wing',
      }),
    ])
    const held = await whereHeld(database.db, leaving.prisonNumber)
    assert.equal(held?.stage?.split('@')[1], held?.establishmentCode, JSON.stringify([synced, recorded, held]))
  })

  it('brings back someone released, received again on a later day', async () => {
    const back = await givenHeldPerson(database.db, home.code, { stage: 'release' })
    const report = await syncFromFile({
      content: [at(home.code, { prisonerNumber: back.prisonNumber, receptionDate: '2026-11-24' })],
      totalPages: 1,
    })
    assert.equal(report?.counts.received, 1)
    assert.deepEqual(await whereHeld(database.db, back.prisonNumber), {
      establishmentCode: home.code,
      cellLabel: 'A-1-001',
      receptionOn: '2026-11-24',
      stage: `reception@${home.code}`,
      stages: 2,
    })
  })

  it('runs on a schedule for each prison configured, one prison’s failure not stopping the others', async () => {
    const arriving = uniquePrisonNumber()
    search.rolls.set(home.code, [at(home.code, { prisonerNumber: arriving, cellLocation: 'RECP' })])
    const reports: SyncReport[] = []
    const sweep = services.journey.rollSyncSweep(
      { address: search.rollAddress('{establishment}'), establishmentCodes: ['QQQ', home.code], everyMinutes: 30 },
      { onReport: (report) => void reports.push(report), feed: { sleep: async () => {} } },
    )
    assert.equal(sweep.everySeconds, 1800)
    await assert.rejects(sweep.run(new Date()), /not read whole for QQQ \(not a prison Waymark holds\)$/)
    assert.deepEqual(
      reports.map((report) => [report.establishmentCode, report.counts.received]),
      [[home.code, 1]],
    )
    assert.equal((await whereHeld(database.db, arriving))?.stage, `reception@${home.code}`)
  })

  it('answers null for a prison Waymark does not hold, reading nothing', async () => {
    search.requests.length = 0
    const report = await services.journey.syncRoll(command, 'QQQ', rollFeedFromUrl(search.rollAddress('QQQ')))
    assert.equal(report, null)
    assert.deepEqual(search.requests, [])
  })
})
