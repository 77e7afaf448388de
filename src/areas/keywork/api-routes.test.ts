import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Actor, StaffRole } from '../../platform/permissions.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenApiClient } from '../../../test/support/api-client.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { fixedClock } from '../../platform/clock.ts'

type Officer = { username: string; displayName: string; caseloadSize: number; capacity: number | null }
type CaseloadPerson = {
  prisonNumber: string
  allocatedAt: string
  lastKeyWorkSessionOn: string | null
  nextKeyWorkSessionDue: string
  lastProgressMeetingOn: string | null
  nextProgressMeetingDue: string
}

describe('dedicated officers for other systems', () => {
  describePagesOnEachEngine(
    '/api/dedicated-officers',
    { clock: fixedClock('2026-12-01T10:00:00Z'), services: true, staff: ['safercustody'] },
    (site) => {
      /** A prison of its own for each test, so that its officers are the test's alone. */
      async function givenPrison() {
        const prison = await givenEstablishment(site.db)
        const system = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__DEDICATED_OFFICERS__RO'],
          establishments: [prison.code],
        })
        return { ...prison, system }
      }

      /** A member of staff at the prison under a name of their own. */
      async function givenStaff(code: string, displayName: string, role: StaffRole = 'keyworker') {
        const member = await givenStaffUser(site.db, { role, establishmentCodes: [code] })
        await site.db.updateTable('staff_user').set({ display_name: displayName }).where('id', '=', member.id).execute()
        return { ...member, displayName }
      }

      const checkIn = (notes: string) => ({ mood: 4, sleep: 4, familyContact: 4, worries: 4, notes })

      /** Someone at the prison allocated to an officer since a day. */
      async function givenAllocated(code: string, officer: Actor, allocatedAt: string) {
        const person = await givenPerson(site.db, code)
        await givenDedicatedOfficer(site.db, person.id, officer.id, allocatedAt)
        return person
      }

      it('lists the prison’s officers and key workers by name, with each caseload’s size and capacity', async () => {
        const prison = await givenPrison()
        const aled = await givenStaff(prison.code, 'Aled Ashworth')
        const bethan = await givenStaff(prison.code, 'Bethan Bowen', 'officer')
        await site.db.updateTable('staff_user').set({ caseload_limit: 3 }).where('id', '=', bethan.id).execute()
        const carys = await givenStaff(prison.code, 'Carys Cole')
        await givenAllocated(prison.code, aled, '2026-11-01T09:00:00Z')
        await givenAllocated(prison.code, aled, '2026-11-02T09:00:00Z')
        await givenAllocated(prison.code, carys, '2026-11-03T09:00:00Z')
        // Carys has since moved to activities: she keeps her person until they are moved, but takes no more.
        await site.db.updateTable('staff_user').set({ role: 'activities' }).where('id', '=', carys.id).execute()
        // Nor does anyone at another prison, or someone there allocated to Aled, count here.
        const elsewhere = await givenEstablishment(site.db)
        await givenStaff(elsewhere.code, 'Dafydd Davies')
        await givenAllocated(elsewhere.code, aled, '2026-11-04T09:00:00Z')

        const first = await prison.system.get('/api/dedicated-officers?page=0&size=2')
        assert.equal(first.statusCode, 200, first.body)
        const page = first.json<{ content: Officer[]; totalElements: number; totalPages: number }>()
        assert.equal(page.totalElements, 3)
        assert.equal(page.totalPages, 2)
        const second = (await prison.system.get('/api/dedicated-officers?page=1&size=2')).json<{ content: Officer[] }>()
        assert.deepEqual(
          [...page.content, ...second.content],
          [
            { username: aled.username, displayName: 'Aled Ashworth', caseloadSize: 2, capacity: 6 },
            { username: bethan.username, displayName: 'Bethan Bowen', caseloadSize: 0, capacity: 3 },
            { username: carys.username, displayName: 'Carys Cole', caseloadSize: 1, capacity: null },
          ],
        )
      })

      it('gives an officer’s caseload with the dates due, and nothing said at a session or meeting', async () => {
        const prison = await givenPrison()
        const officer = await givenStaff(prison.code, 'Elin Evans')
        const met = await givenAllocated(prison.code, officer, '2026-11-02T09:15:00Z')
        const waiting = await givenAllocated(prison.code, officer, '2026-11-28T09:15:00Z')
        const keywork = site.services.keywork
        assert.equal(
          await keywork.recordSession(officer, met.prisonNumber, {
            heldOn: '2026-11-20',
            minutes: 30,
            checkIn: checkIn('Worried about his sister 4412'),
          }),
          null,
        )
        assert.equal(
          await keywork.recordMeeting(officer, met.prisonNumber, {
            heldOn: '2026-10-20',
            attendees: [{ name: 'Dr Gwen Howell', organisation: 'Healthcare', role: 'Psychiatrist' }],
            checkIn: checkIn('Talked about the anniversary 5523'),
          }),
          null,
        )

        // A username as another system may write it, in capitals.
        const answer = await prison.system.get(`/api/dedicated-officers/${officer.username.toUpperCase()}/caseload`)
        assert.equal(answer.statusCode, 200, answer.body)
        const { officer: listed, people } = answer.json<{ officer: Officer; people: CaseloadPerson[] }>()
        assert.deepEqual(listed, {
          username: officer.username,
          displayName: 'Elin Evans',
          caseloadSize: 2,
          capacity: 6,
        })
        const byNumber = new Map(people.map((person) => [person.prisonNumber, person]))
        assert.deepEqual(byNumber.get(met.prisonNumber), {
          prisonNumber: met.prisonNumber,
          allocatedAt: '2026-11-02T09:15:00.000Z',
          lastKeyWorkSessionOn: '2026-11-20',
          nextKeyWorkSessionDue: '2026-11-27',
          lastProgressMeetingOn: '2026-10-20',
          nextProgressMeetingDue: '2027-01-12',
        })
        // No session yet: due a week from allocation; no meeting yet: due a quarter from reception (1 October).
        assert.deepEqual(byNumber.get(waiting.prisonNumber), {
          prisonNumber: waiting.prisonNumber,
          allocatedAt: '2026-11-28T09:15:00.000Z',
          lastKeyWorkSessionOn: null,
          nextKeyWorkSessionDue: '2026-12-05',
          lastProgressMeetingOn: null,
          nextProgressMeetingDue: '2026-12-24',
        })
        assert.doesNotMatch(answer.body, /sister|anniversary|Gwen|Psychiatrist|Healthcare/)
      })

      it('is a 404 in the API’s shape for a username with no caseload at the prison', async () => {
        const prison = await givenPrison()
        const elsewhere = await givenEstablishment(site.db)
        const away = await givenStaff(elsewhere.code, 'Ffion Fox')
        await givenAllocated(elsewhere.code, away, '2026-11-02T09:15:00Z')
        for (const username of [away.username, 'no.such.officer']) {
          const answer = await prison.system.get(`/api/dedicated-officers/${username}/caseload`)
          assert.equal(answer.statusCode, 404, username)
          assert.equal(answer.json<{ status: number }>().status, 404)
        }
      })

      it('gives a person’s dedicated officer now, and never a request to change them', async () => {
        const prison = await givenPrison()
        const officer = await givenStaff(prison.code, 'Gethin Rowlands')
        const person = await givenAllocated(prison.code, officer, '2026-11-02T09:15:00Z')
        const lead = await givenStaffUser(site.db, { role: 'safercustody', establishmentCodes: [prison.code] })
        assert.equal(
          await site.services.keywork.raiseChangeRequest(
            lead,
            person.prisonNumber,
            'Feels Gethin does not listen 7731',
          ),
          null,
        )
        const answer = await prison.system.get(`/api/people/${person.prisonNumber.toLowerCase()}/dedicated-officer`)
        assert.equal(answer.statusCode, 200, answer.body)
        assert.deepEqual(answer.json(), {
          prisonNumber: person.prisonNumber,
          allocatedAt: '2026-11-02T09:15:00.000Z',
          lastKeyWorkSessionOn: null,
          nextKeyWorkSessionDue: '2026-11-09',
          lastProgressMeetingOn: null,
          nextProgressMeetingDue: '2026-12-24',
          officer: { username: officer.username, displayName: 'Gethin Rowlands', caseloadSize: 1, capacity: 6 },
        })
        assert.doesNotMatch(answer.body, /does not listen/)
      })

      it('is a 404 in the API’s shape for someone with no dedicated officer, or at another prison', async () => {
        const prison = await givenPrison()
        const unallocated = await givenPerson(site.db, prison.code)
        const elsewhere = await givenEstablishment(site.db)
        const away = await givenStaff(elsewhere.code, 'Huw Hughes')
        const stranger = await givenAllocated(elsewhere.code, away, '2026-11-02T09:15:00Z')
        for (const person of [unallocated, stranger]) {
          const answer = await prison.system.get(`/api/people/${person.prisonNumber}/dedicated-officer`)
          assert.equal(answer.statusCode, 404, person.prisonNumber)
          assert.equal(answer.json<{ status: number }>().status, 404)
          assert.doesNotMatch(answer.body, /Huw Hughes/)
        }
      })

      it('is for a client holding the role, never a signed-in session', async () => {
        const prison = await givenPrison()
        const officer = await givenStaff(prison.code, 'Iolo Ifans')
        const person = await givenAllocated(prison.code, officer, '2026-11-02T09:15:00Z')
        const concerns = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__CONCERNS__RW'],
          establishments: [prison.code],
        })
        const addresses = [
          '/api/dedicated-officers',
          `/api/dedicated-officers/${officer.username}/caseload`,
          `/api/people/${person.prisonNumber}/dedicated-officer`,
        ]
        for (const url of addresses) assert.equal((await concerns.get(url)).statusCode, 403, url)
        // The dedicated officer tab's JSON for a session was here; the tab itself is the staff's way in.
        const browser = await site.as('safercustody')
        for (const url of addresses) assert.equal((await browser.get(url)).statusCode, 401, url)
      })
    },
  )
})
