import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenSystemAtHome } from '../../../test/support/api-client.ts'
import { givenActivity, givenActivityAllocation } from '../../../test/support/attendance-builders.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { opened } from '../../../test/support/page-steps.ts'
import { fixedClock } from '../../platform/clock.ts'

// A Wednesday, after the afternoon's sessions.
const today = '2026-11-25'

type Line = { prisonNumber: string; groupId: string; slot: string; outcome: string | null; etag: string | null }

describe('attendance for other systems', () => {
  describePagesOnEachEngine(
    'GET /api/attendance, and GET and PUT /api/sessions/…/attendance/{prisonNumber}',
    { clock: fixedClock(`${today}T16:00:00Z`), services: true, staff: ['officer', 'partner'] },
    (site) => {
      /** A new activity meeting on Wednesday mornings with these people in it: its register's page and API address. */
      const wednesdayMorning = async (people: readonly { id: string; prisonNumber: string }[]) => {
        const { groups } = await givenActivity(site.db, site.home.code, { groups: [{ slots: ['WED_AM', 'FRI_AM'] }] })
        const group = groups[0]
        for (const person of people) await givenActivityAllocation(site.db, person.id, group.id)
        return {
          group,
          page: `/attendance/sessions/${group.id}/${today}/WED_AM`,
          line: (person: { prisonNumber: string }) =>
            `/api/sessions/${group.id}/${today}/WED_AM/attendance/${person.prisonNumber}`,
        }
      }
      const recorder = () => givenSystemAtHome(site, ['ROLE_WAYMARK__ATTENDANCE__RW'])
      const officer = () => ({ username: site.staff.officer.username })

      it('lists each of the day’s sessions with everyone on its register, recorded or not, a page at a time', async () => {
        const [first, second] = [await givenPerson(site.db, site.home.code), await givenPerson(site.db, site.home.code)]
        const { group } = await wednesdayMorning([first, second])
        const recorded = await recorder()
        assert.equal(
          (
            await recorded.put(
              `/api/sessions/${group.id}/${today}/WED_AM/attendance/${first.prisonNumber}`,
              { outcome: 'attended' },
              officer(),
            )
          ).statusCode,
          200,
        )

        const reader = await givenSystemAtHome(site, ['ROLE_WAYMARK__ATTENDANCE__RO'])
        const day = await reader.get(`/api/attendance?date=${today}&size=100`)
        assert.equal(day.statusCode, 200, day.body)
        const ours = day
          .json<{ content: Line[] }>()
          .content.filter((line) => line.groupId === group.id)
          .map((line) => [line.prisonNumber, line.slot, line.outcome, typeof line.etag])
        assert.deepEqual(
          ours,
          [
            [first.prisonNumber, 'WED_AM', 'attended', 'string'],
            [second.prisonNumber, 'WED_AM', null, 'object'],
          ].sort(([a], [b]) => String(a).localeCompare(String(b))),
        )
        // No one's name leaves: the client knows people by prison number.
        assert.doesNotMatch(day.body, /firstName|lastName/)

        const paged = (await reader.get(`/api/attendance?date=${today}&size=1&page=0`)).json<{
          content: Line[]
          totalElements: number
          totalPages: number
        }>()
        assert.equal(paged.content.length, 1)
        assert.ok(paged.totalElements >= 2)
        assert.equal(paged.totalPages, paged.totalElements)
        assert.equal((await reader.get('/api/attendance?date=2026-02-30')).statusCode, 400)
      })

      it('reads back what the register page recorded, with an ETag that changes when the page changes it', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { page, line } = await wednesdayMorning([person])
        const browser = await site.as('officer')
        const saved = await browser.post(
          page,
          { [`outcome-${person.id}`]: 'sick', [`reason-${person.id}`]: '' },
          { from: page },
        )
        assert.equal(saved.statusCode, 303)

        const system = await recorder()
        const read = await system.get(line(person))
        assert.equal(read.statusCode, 200, read.body)
        assert.equal(read.json<Line>().outcome, 'sick')
        assert.equal(read.headers.etag, read.json<Line>().etag)

        await browser.post(page, { [`outcome-${person.id}`]: 'attended', [`reason-${person.id}`]: '' }, { from: page })
        const again = await system.get(line(person))
        assert.equal(again.json<Line>().outcome, 'attended')
        assert.notEqual(again.headers.etag, read.headers.etag)
      })

      it('records an outcome under the named officer, as the register page then shows it', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { group, page, line } = await wednesdayMorning([person])
        const system = await recorder()

        const recorded = await system.put(
          line(person),
          { outcome: 'refused', reason: 'Said he had a visit' },
          officer(),
        )
        assert.equal(recorded.statusCode, 200, recorded.body)
        assert.equal(recorded.json<Line>().outcome, 'refused')
        assert.equal(recorded.headers.etag, recorded.json<Line>().etag)
        const row = await site.db
          .selectFrom('attendance')
          .select(['outcome', 'reason', 'recorded_by as recordedBy'])
          .where('group_id', '=', group.id)
          .executeTakeFirstOrThrow()
        assert.deepEqual(row, { outcome: 'refused', reason: 'Said he had a visit', recordedBy: site.staff.officer.id })
        const audited = await site.db
          .selectFrom('audit_event')
          .select(['actor_id as actorId', 'details'])
          .where('action', '=', 'attendance.recorded')
          .execute()
        assert.deepEqual(
          audited.filter((entry) => entry.details.groupId === group.id).map((entry) => entry.actorId),
          [site.staff.officer.id],
        )

        const register = await opened(await site.as('officer'), page)
        assert.deepEqual(register.chosen(`outcome-${person.id}`), ['refused'])
      })

      it('changes a recorded outcome only with the ETag it was read with: 428 without, 409 when a page changed it', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { page, line } = await wednesdayMorning([person])
        const system = await recorder()
        const first = await system.put(line(person), { outcome: 'attended' }, officer())
        const readWith = String(first.headers.etag)

        const blind = await system.put(line(person), { outcome: 'sick' }, officer())
        assert.equal(blind.statusCode, 428)
        assert.equal(blind.json<{ status: number }>().status, 428)

        const browser = await site.as('officer')
        await browser.post(page, { [`outcome-${person.id}`]: 'rest-day', [`reason-${person.id}`]: '' }, { from: page })
        const stale = await system.put(line(person), { outcome: 'sick' }, { ...officer(), 'if-match': readWith })
        assert.equal(stale.statusCode, 409)
        assert.equal((await system.get(line(person))).json<Line>().outcome, 'rest-day')

        const current = String((await system.get(line(person))).headers.etag)
        const changed = await system.put(line(person), { outcome: 'sick' }, { ...officer(), 'if-match': current })
        assert.equal(changed.statusCode, 200, changed.body)
        assert.equal(changed.json<Line>().outcome, 'sick')
        assert.notEqual(changed.headers.etag, current)
      })

      it('lets one of two changes sent at once with the same ETag through, and refuses the other 409', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { line } = await wednesdayMorning([person])
        const system = await recorder()
        const readWith = String((await system.put(line(person), { outcome: 'attended' }, officer())).headers.etag)
        const change = (outcome: string) =>
          system.put(line(person), { outcome }, { ...officer(), 'if-match': readWith })
        const answers = await Promise.all([change('sick'), change('rest-day')])
        assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [200, 409])
        const kept = answers.find((answer) => answer.statusCode === 200)?.json<Line>().outcome
        assert.equal((await system.get(line(person))).json<Line>().outcome, kept)
      })

      it('answers 409 to If-Match where nothing is recorded yet: the record the client read is not there', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { line } = await wednesdayMorning([person])
        const system = await recorder()
        const response = await system.put(line(person), { outcome: 'attended' }, { ...officer(), 'if-match': '"x"' })
        assert.equal(response.statusCode, 409)
      })

      it('needs a Username naming a member of staff at the prison whose role takes registers', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { line } = await wednesdayMorning([person])
        const system = await recorder()
        const nobody = await system.put(line(person), { outcome: 'attended' })
        assert.equal(nobody.statusCode, 400)
        assert.match(nobody.json<{ developerMessage: string }>().developerMessage, /username/i)
        const elsewhere = await givenStaffUser(site.db, {
          role: 'officer',
          establishmentCodes: [(await givenEstablishment(site.db)).code],
        })
        const away = await system.put(line(person), { outcome: 'attended' }, { username: elsewhere.username })
        assert.equal(away.statusCode, 403)
        const partner = await system.put(
          line(person),
          { outcome: 'attended' },
          { username: site.staff.partner.username },
        )
        assert.equal(partner.statusCode, 403)
        assert.match(partner.json<{ developerMessage: string }>().developerMessage, /may not take a register/)
        const rows = await site.db.selectFrom('attendance').select('id').where('person_id', '=', person.id).execute()
        assert.deepEqual(rows, [])
      })

      it('refuses an outcome it does not know, a refusal without a reason, and a session not yet held, naming the field', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { group, line } = await wednesdayMorning([person])
        const system = await recorder()
        const unknown = await system.put(line(person), { outcome: 'absent' }, officer())
        assert.equal(unknown.statusCode, 400)
        assert.match(unknown.json<{ developerMessage: string }>().developerMessage, /outcome/)
        const noReason = await system.put(line(person), { outcome: 'refused' }, officer())
        assert.equal(noReason.statusCode, 400)
        assert.equal(
          noReason.json<{ developerMessage: string }>().developerMessage,
          `reason: Enter why ${person.prisonNumber} refused`,
        )
        const friday = await system.put(
          `/api/sessions/${group.id}/2026-11-27/FRI_AM/attendance/${person.prisonNumber}`,
          { outcome: 'attended' },
          officer(),
        )
        assert.equal(friday.statusCode, 400)
        assert.match(friday.json<{ developerMessage: string }>().developerMessage, /^sessionOn: /)
        // A day PostgreSQL cannot hold is the client's mistake (400), not the server's (it was a 500).
        assert.equal((await system.get('/api/attendance?date=0000-01-01')).statusCode, 400)
        const yearNought = `/api/sessions/${group.id}/0000-01-01/SAT_AM/attendance/${person.prisonNumber}`
        assert.equal((await system.get(yearNought)).statusCode, 400)
        assert.equal((await system.put(yearNought, { outcome: 'attended' }, officer())).statusCode, 400)
      })

      it('answers 404 for a session of another prison, a group that does not meet then, and someone not on the register', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { group, line } = await wednesdayMorning([person])
        const system = await recorder()
        const other = await givenEstablishment(site.db)
        const { groups } = await givenActivity(site.db, other.code, { groups: [{ slots: ['WED_AM'] }] })
        const theirs = `/api/sessions/${groups[0].id}/${today}/WED_AM/attendance/${person.prisonNumber}`
        assert.equal((await system.put(theirs, { outcome: 'attended' }, officer())).statusCode, 404)
        assert.equal((await system.get(theirs)).statusCode, 404)
        const afternoon = `/api/sessions/${group.id}/${today}/WED_PM/attendance/${person.prisonNumber}`
        assert.equal((await system.get(afternoon)).statusCode, 404)
        const stranger = await givenPerson(site.db, site.home.code)
        assert.equal((await system.put(line(stranger), { outcome: 'attended' }, officer())).statusCode, 404)
      })

      it('is refused for a prison the client may not ask about, without the role, and a change with the read-only role', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const { line } = await wednesdayMorning([person])
        const system = await recorder()
        const other = await givenEstablishment(site.db)
        assert.equal((await system.get(`/api/attendance?date=${today}`, { 'caseload-id': other.code })).statusCode, 403)
        const roll = await givenSystemAtHome(site, ['ROLE_WAYMARK__PEOPLE__RO'])
        assert.equal((await roll.get(`/api/attendance?date=${today}`)).statusCode, 403)
        const reader = await givenSystemAtHome(site, ['ROLE_WAYMARK__ATTENDANCE__RO'])
        assert.equal((await reader.put(line(person), { outcome: 'attended' }, officer())).statusCode, 403)
      })
    },
  )
})
