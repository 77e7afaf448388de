import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenSystemAtHome } from '../../../test/support/api-client.ts'
import { givenActivity, givenActivityAllocation, givenRegimeSlots } from '../../../test/support/attendance-builders.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { fixedClock } from '../../platform/clock.ts'

type Timetable = {
  prisonNumber: string
  sessionsPerWeek: number
  sessions: { day: string; slot: string; startsAt: string | null; endsAt: string | null; activityName: string }[]
}

describe('timetables for other systems', () => {
  describePagesOnEachEngine(
    'GET /api/people/{prisonNumber}/timetable',
    { clock: fixedClock('2026-11-25T10:00:00Z'), services: true, staff: ['officer'] },
    (site) => {
      const kiosk = () => givenSystemAtHome(site, ['ROLE_WAYMARK__TIMETABLES__RO'])

      it('gives the person’s week in order, with the prison’s times for each slot and where the group meets', async () => {
        await givenRegimeSlots(site.db, site.home.code, { MON_AM: ['08:30', '11:45'], WED_PM: ['13:45', '16:30'] })
        const person = await givenPerson(site.db, site.home.code)
        const english = await givenActivity(site.db, site.home.code, {
          name: 'English level 1',
          groups: [{ slots: ['WED_PM', 'MON_AM'], location: 'Education block' }],
        })
        const gym = await givenActivity(site.db, site.home.code, {
          name: 'Gym',
          groups: [{ slots: ['TUE_ED'], location: 'Sports hall' }],
        })
        await givenActivityAllocation(site.db, person.id, english.groups[0].id)
        await givenActivityAllocation(site.db, person.id, gym.groups[0].id)
        // A place that has ended is not on the timetable.
        const pottery = await givenActivity(site.db, site.home.code, {
          name: 'Pottery',
          groups: [{ slots: ['THU_AM'] }],
        })
        await givenActivityAllocation(site.db, person.id, pottery.groups[0].id, '2026-10-01', '2026-11-01')

        const answer = await (await kiosk()).get(`/api/people/${person.prisonNumber.toLowerCase()}/timetable`)
        assert.equal(answer.statusCode, 200, answer.body)
        const timetable = answer.json<Timetable>()
        assert.equal(timetable.prisonNumber, person.prisonNumber)
        assert.equal(timetable.sessionsPerWeek, 3)
        assert.deepEqual(
          timetable.sessions.map((session) => [
            session.day,
            session.slot,
            session.startsAt,
            session.endsAt,
            session.activityName,
          ]),
          [
            ['MON', 'MON_AM', '08:30', '11:45', 'English level 1'],
            ['TUE', 'TUE_ED', null, null, 'Gym'],
            ['WED', 'WED_PM', '13:45', '16:30', 'English level 1'],
          ],
        )
      })

      it('answers 404 for someone at another prison, and 400 for what is not a prison number', async () => {
        const elsewhere = await givenPerson(site.db, (await givenEstablishment(site.db)).code)
        const client = await kiosk()
        const away = await client.get(`/api/people/${elsewhere.prisonNumber}/timetable`)
        assert.equal(away.statusCode, 404)
        assert.equal(away.json<{ status: number }>().status, 404)
        assert.equal((await client.get('/api/people/not-a-number/timetable')).statusCode, 400)
      })

      it('is refused for a prison the client may not ask about, and to a client without the timetables role', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const other = await givenEstablishment(site.db)
        const client = await kiosk()
        const url = `/api/people/${person.prisonNumber}/timetable`
        assert.equal((await client.get(url, { 'caseload-id': other.code })).statusCode, 403)
        const roll = await givenSystemAtHome(site, ['ROLE_WAYMARK__PEOPLE__RO'])
        assert.equal((await roll.get(url)).statusCode, 403)
      })

      it('is the systems API’s alone: a signed-in member of staff reads the timetable on its page, not here', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.as('officer')
        const answer = await browser.get(`/api/people/${person.prisonNumber}/timetable`)
        assert.equal(answer.statusCode, 401)
        assert.equal((await browser.get(`/people/${person.prisonNumber}/timetable`)).statusCode, 200)
      })
    },
  )
})
