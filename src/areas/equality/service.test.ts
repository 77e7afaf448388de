import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { parse } from 'csv-parse/sync'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import { buildTestApp, signedInAs } from '../../../test/support/app.ts'
import { readPage } from '../../../test/support/page.ts'
import { createServices } from '../../app.ts'
import { queryCounter } from '../../db/query-counter.ts'
import {
  givenActivity,
  givenActivityAllocation,
  givenAttendance,
  givenRegimeSlots,
  givenWant,
} from '../../../test/support/attendance-builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'

describeServicesOnEachEngine('equality of access and outcomes', '2026-11-25T09:00:00Z', (the) => {
  const { database, services, clock } = the
  let app: FastifyInstance
  const prison = arrangedBefore(() =>
    givenPrisonWithStaff(database.db, { governor: 'governor', monitor: 'monitor', officer: 'officer' }),
  )

  before(async () => {
    const db = database.db
    app = await buildTestApp(db, { clock, services, config: { signInAttemptsPerMinute: 1000 } })
    const fourSessions = await givenActivity(db, prison.code, {
      groups: [{ slots: ['MON_AM', 'TUE_AM', 'WED_AM', 'THU_AM'], capacity: 20 }],
    })
    const twoSessions = await givenActivity(db, prison.code, {
      groups: [{ slots: ['MON_PM', 'TUE_PM'], capacity: 20 }],
    })
    await givenRegimeSlots(db, prison.code, { MON_AM: ['09:00', '11:30'] })
    // Eight Black people with four sessions a week, eight White people with two, and one White person with none.
    for (let index = 0; index < 8; index += 1) {
      const black = await givenPerson(db, prison.code, { ethnicity: 'B1', lastName: `Black${index}` })
      await givenActivityAllocation(db, black.id, fourSessions.groups[0].id)
      // Each attended Monday morning's session in the last four weeks: 2.5 hours a week out of their cell.
      await givenAttendance(
        db,
        ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'].map((sessionOn) => ({
          personId: black.id,
          groupId: fourSessions.groups[0].id,
          sessionOn,
          slot: 'MON_AM',
          outcome: 'attended' as const,
        })),
      )
      // Six of them have had a concern raised about them, and a care plan opened.
      if (index < 6) {
        await givenConcern(db, {
          personId: black.id,
          establishmentCode: prison.code,
          raisedBy: prison.officer.id,
          raisedAt: '2026-10-01T10:00:00Z',
        })
        await db
          .insertInto('care_plan')
          .values({
            person_id: black.id,
            establishment_code: prison.code,
            reason: 'Concern raised',
            opened_at: new Date('2026-10-01T11:00:00Z'),
            opened_by: prison.officer.id,
            immediate_action_due_at: new Date('2026-10-01T12:00:00Z'),
            assessment_due_at: new Date('2026-10-02T11:00:00Z'),
            first_review_due_at: new Date('2026-10-02T11:00:00Z'),
          })
          .execute()
      }
      const white = await givenPerson(db, prison.code, { ethnicity: 'W1', lastName: `White${index}` })
      await givenActivityAllocation(db, white.id, twoSessions.groups[0].id)
    }
    await givenPerson(db, prison.code, { ethnicity: 'W1', lastName: 'Waiting' })
    // Recorded as not stated: in no group and no comparator.
    await givenPerson(db, prison.code, { ethnicity: 'NS', lastName: 'NotStated' })
  })
  after(async () => {
    await app.close()
  })

  const rowsFor = async (characteristic: string, measure: string) => {
    const figures = await services.equality.figures(prison.governor)
    return figures.characteristics
      .find((entry) => entry.code === characteristic)!
      .measures.find((entry) => entry.code === measure)!.rows
  }

  it('sets the sessions a week of each ethnic group against everyone else’s and flags a difference', async () => {
    const rows = await rowsFor('ethnicGroup', 'sessionsPerWeek')
    assert.deepEqual(
      rows.map((row) => row.group),
      ['W', 'B'],
    )
    const black = rows.find((row) => row.group === 'B')!
    assert.deepEqual(black.people, { value: 8 })
    assert.equal(black.rate, 4)
    assert.equal(black.comparatorRate, 16 / 9)
    assert.ok(black.relativeRate && black.relativeRate.index > 2 && black.relativeRate.lower > 1)
    assert.equal(black.flagged, true)
  })

  it('takes hours out of cell over the same four weeks as the measures page, so the two pages agree', async () => {
    const black = (await rowsFor('ethnicGroup', 'hoursOutOfCell')).find((row) => row.group === 'B')!
    assert.equal(black.rate, 2.5)
    const measures = await services.measures.dashboard(prison.governor)
    // Across the prison: eight of the 18 on the roll at 2.5 hours a week, to one decimal place.
    assert.equal(measures.measures.find((measure) => measure.code === 'time-out-of-cell')!.value, 1.1)
  })

  // Six of eight Black people: the two without one are fewer than 5, so the count says only "all but fewer than 5"
  // and no rate is shown (75% of eight would say it of all but two of them).
  it('counts concerns from the concerns area: six of eight Black people, shown as all but fewer than 5', async () => {
    const black = (await rowsFor('ethnicGroup', 'concernsRaised')).find((row) => row.group === 'B')!
    assert.deepEqual(black.count, { allButFewerThanFive: true })
    assert.equal(black.rate, null)
    assert.equal(black.comparatorRate, null, 'nobody else had one: fewer than 5')
    assert.equal(black.relativeRate, null)
  })

  it('counts care plans from the care plan area: six of eight Black people, shown as all but fewer than 5', async () => {
    const rows = await rowsFor('ethnicGroup', 'carePlansOpened')
    assert.deepEqual(rows.find((row) => row.group === 'B')!.count, { allButFewerThanFive: true })
    assert.deepEqual(rows.find((row) => row.group === 'W')!.count, { fewerThanFive: true })
    assert.equal(rows.find((row) => row.group === 'B')!.rate, null)
  })

  it('shows the one person waiting for an activity as fewer than 5 and withholds the rate', async () => {
    const white = (await rowsFor('ethnicGroup', 'withoutActivity')).find((row) => row.group === 'W')!
    assert.deepEqual(white.people, { value: 9 })
    assert.deepEqual(white.count, { fewerThanFive: true })
    assert.equal(white.rate, null)
    assert.equal(white.relativeRate, null)
  })

  it('withholds another category of an ethnic group beside a small one, so the group less the rest cannot give it away', async () => {
    const db = database.db
    const here = await givenEstablishment(db)
    const head = await givenStaffUser(db, { role: 'governor', establishmentCodes: [here.code] })
    // Black: eight Caribbean (B2), six African (B1), two of any other Black background (B9), all measured for
    // sessions a week; twelve White British (W1).
    for (const [ethnicity, people] of [
      ['B2', 8],
      ['B1', 6],
      ['B9', 2],
      ['W1', 12],
    ] as const)
      for (let index = 0; index < people; index += 1) await givenPerson(db, here.code, { ethnicity })
    const figures = await services.equality.figures(head)
    const rowsOf = (characteristic: string) =>
      figures.characteristics
        .find((entry) => entry.code === characteristic)!
        .measures.find((entry) => entry.code === 'sessionsPerWeek')!.rows
    // The ethnic group tab shows all sixteen Black people.
    assert.deepEqual(rowsOf('ethnicGroup').find((row) => row.group === 'B')!.people, { value: 16 })
    const row = (group: string) => rowsOf('ethnicity').find((entry) => entry.group === group)!
    assert.deepEqual(row('B9').people, { fewerThanFive: true })
    // 16 less B2's 8 would be B1 and B9 together; with B1 shown, B9's two people and their sessions.
    assert.deepEqual(row('B1').people, { withheld: true })
    assert.equal(row('B1').rate, null)
    assert.deepEqual(row('B2').people, { value: 8 })
    assert.deepEqual(row('W1').people, { value: 12 })
    assert.equal(row('W1').comparatorRate, 0, 'B2 alone: the withheld categories are in no comparator')
  })

  it('measures days waiting for a wanted activity from the latest assessment or reception, and compares the means', async () => {
    const db = database.db
    const here = await givenEstablishment(db)
    const there = await givenEstablishment(db)
    const head = await givenStaffUser(db, { role: 'governor', establishmentCodes: [here.code] })
    const gym = await givenActivity(db, here.code)
    const elsewhere = await givenActivity(db, there.code)
    const assessed = (personId: string, on: string, version = 1) =>
      db
        .insertInto('needs_assessment')
        .values({
          person_id: personId,
          establishment_code: here.code,
          version,
          kind: 'reception',
          answers: JSON.stringify({}),
          needs: JSON.stringify([]),
          assessed_on: on,
          assessed_at: new Date(`${on}T10:00:00Z`),
        })
        .execute()
    const waitingPerson = async (ethnicity: string) => {
      const person = await givenPerson(db, here.code, { ethnicity })
      await givenWant(db, person.id, gym.id, 5)
      return person
    }
    // Six Black people assessed 10 days ago; five White people 30 days ago, one (assessed elsewhere before
    // arriving here on 1 October) counted from reception: 55 days.
    for (let index = 0; index < 6; index += 1) await assessed((await waitingPerson('B1')).id, '2026-11-15')
    for (let index = 0; index < 5; index += 1) {
      const white = await waitingPerson('W1')
      await assessed(white.id, '2026-09-01')
      await assessed(white.id, '2026-10-26', 2)
    }
    await assessed((await waitingPerson('W1')).id, '2026-09-01')
    // Not waiting: a place in the activity they want, a want only for another prison's activity, or only for
    // an activity no longer offered.
    const placed = await waitingPerson('B1')
    await givenActivityAllocation(db, placed.id, gym.groups[0].id)
    const transferred = await givenPerson(db, here.code, { ethnicity: 'B1' })
    await givenWant(db, transferred.id, elsewhere.id, 5)
    const retired = await givenActivity(db, here.code)
    await db.updateTable('activity').set({ is_active: false }).where('id', '=', retired.id).execute()
    await givenWant(db, (await givenPerson(db, here.code, { ethnicity: 'B1' })).id, retired.id, 5)
    const figures = await services.equality.figures(head)
    const rows = figures.characteristics
      .find((entry) => entry.code === 'ethnicGroup')!
      .measures.find((entry) => entry.code === 'daysWaiting')!.rows
    const black = rows.find((row) => row.group === 'B')!
    const white = rows.find((row) => row.group === 'W')!
    assert.deepEqual(black.count, { value: 6 }, 'only those waiting are measured')
    assert.equal(black.rate, 10)
    assert.equal(white.rate, (5 * 30 + 55) / 6)
    assert.ok(black.relativeRate && black.relativeRate.upper < 1)
    assert.equal(black.flagged, true)
  })

  it('shows days waiting as fewer than 5 and withholds the mean where fewer than 5 are waiting', async () => {
    const waiting = await database.db
      .selectFrom('person')
      .select(['id', 'establishment_code as establishmentCode'])
      .where('last_name', '=', 'Waiting')
      .executeTakeFirstOrThrow()
    const wanted = await givenActivity(database.db, waiting.establishmentCode)
    await givenWant(database.db, waiting.id, wanted.id, 5)
    const rows = await rowsFor('ethnicGroup', 'daysWaiting')
    assert.deepEqual(
      rows.map((row) => [row.group, row.people, row.rate, row.relativeRate]),
      [['W', { fewerThanFive: true }, null, null]],
    )
  })

  it('audits the view as one entry, naming no one', async () => {
    await services.equality.figures(prison.governor)
    const entry = await database.db
      .selectFrom('audit_event')
      .select(['action', 'person_id', 'details'])
      .where('actor_id', '=', prison.governor.id)
      .where('action', '=', 'equality.viewed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(entry.person_id, null)
    assert.deepEqual(entry.details, { people: 18 })
  })

  it('asks the same number of queries of a prison of one as of the roll above, with its sessions and concerns', async () => {
    const small = await givenEstablishment(database.db)
    const reader = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [small.code] })
    await givenPerson(database.db, small.code)
    const { counted, plugin } = queryCounter()
    const equality = createServices({ db: database.db.withPlugin(plugin), clock }).equality
    await equality.figures(reader)
    const forOne = counted.queries
    counted.queries = 0
    const figures = await equality.figures(prison.governor)
    assert.ok(figures.people >= 18)
    assert.equal(counted.queries, forOne)
  })

  describe('GET /equality and its CSV', () => {
    it('shows a monitor the figures by ethnic group, with fewer than 5 in place of a small count and no names', async () => {
      const browser = await signedInAs(app, prison.monitor.username)
      const response = await browser.get('/equality?characteristic=ethnicGroup')
      assert.equal(response.statusCode, 200)
      const page = readPage(response.body)
      assert.equal(page.heading(), 'Equality of access and outcomes')
      assert.ok(page.text.includes('Black, African, Caribbean or Black British'))
      assert.ok(page.text.includes('fewer than 5'))
      assert.ok(page.text.includes('Higher than everyone else'))
      // The codes behind the groups and the measures are the data's, not the reader's words.
      assert.equal(page.mentions(/White\d|Black\d|Waiting/), false)
    })

    it('refuses an officer with 403', async () => {
      const browser = await signedInAs(app, prison.officer.username)
      assert.equal((await browser.get('/equality')).statusCode, 403)
      assert.equal((await browser.get('/equality.csv')).statusCode, 403)
    })

    it('exports every characteristic with small counts as fewer than 5 and the rates behind them blank', async () => {
      const browser = await signedInAs(app, prison.governor.username)
      const response = await browser.get('/equality.csv')
      assert.equal(response.statusCode, 200)
      assert.match(response.headers['content-type'] ?? '', /text\/csv/)
      assert.equal(response.headers['content-disposition'], `attachment; filename="equality-${prison.code}.csv"`)
      const lines: string[][] = parse(response.body)
      const waiting = lines.find(
        (line) => line[0] === 'ethnicGroup' && line[1] === 'W' && line[2] === 'withoutActivity',
      )!
      assert.deepEqual(waiting.slice(3), ['9', 'fewer than 5', '', '', '', '', '', ''])
      const sexes = lines.filter((line) => line[0] === 'sex')
      assert.ok(sexes.length > 0)
      for (const line of lines.slice(1)) {
        if (line[4] === 'fewer than 5') assert.equal(line[5], '', `rate withheld in ${line.join(',')}`)
        if (line[3] === 'fewer than 5') assert.equal(line[5], '', `rate withheld in ${line.join(',')}`)
      }
    })
  })
})
