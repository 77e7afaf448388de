import assert from 'node:assert/strict'
import { fixedClock } from '../../src/platform/clock.ts'
import type { PagesUnderTest } from './app.ts'
import { givenPerson } from './builders.ts'
import { givenTrainedOfficer } from './staff-builders.ts'

/**
 * How key work's page tests build their site: on 25 November 2026, with safer custody and a governor at home,
 * and sign-in allowed often enough for a file that signs in key worker after key worker.
 */
export const keyWorkPagesOptions = {
  clock: fixedClock('2026-11-25T10:00:00Z'),
  config: { signInAttemptsPerMinute: 100 },
  staff: ['safercustody', 'governor'] as const,
}

/** What key work's page tests work on: the database, the home prison and its safer custody lead's browser. */
type KeyWorkPages = Pick<PagesUnderTest<'safercustody'>, 'db' | 'home' | 'as'>

/** A key worker at home called `name`, with both trainings current unless `safeguarding` says otherwise. */
export async function givenKeyWorker(
  site: KeyWorkPages,
  name: string,
  training: { safeguarding?: string | null } = {},
) {
  const officer = await givenTrainedOfficer(site.db, site.home.code, training)
  await site.db.updateTable('staff_user').set({ display_name: name }).where('id', '=', officer.id).execute()
  return { ...officer, displayName: name }
}

/** The dedicated officer tab of a person's record, where safer custody allocates their officer. */
export const dedicatedOfficerTab = (person: { prisonNumber: string }) =>
  `/people/${person.prisonNumber}/dedicated-officer`

/** A person's key work tab, where their sessions and progress meetings are recorded. */
export const keyWorkTab = (person: { prisonNumber: string }) => `/people/${person.prisonNumber}/key-work`

/** Safer custody allocates this officer to the person from their dedicated officer tab: the form's answer. */
export async function allocateFromTab(site: KeyWorkPages, person: { prisonNumber: string }, officer: { id: string }) {
  const from = dedicatedOfficerTab(person)
  return (await site.as('safercustody')).post(from, { staffUserId: officer.id }, { from })
}

/** A new person with a key worker called `name` as their dedicated officer, allocated by safer custody from the tab. */
export async function givenPersonAllocatedTo(site: KeyWorkPages, name: string) {
  const officer = await givenKeyWorker(site, name)
  const person = await givenPerson(site.db, site.home.code)
  const allocated = await allocateFromTab(site, person, officer)
  assert.equal(allocated.statusCode, 303, `${name} was not allocated to ${person.prisonNumber}`)
  return { officer, person }
}

/** How many rows of a key work table are about the person: what a form wrote, or that it wrote nothing. */
export async function rowsAbout(
  db: KeyWorkPages['db'],
  table: 'dedicated_officer_allocation' | 'officer_change_request' | 'key_work_session' | 'progress_meeting',
  person: { id: string },
) {
  return (await db.selectFrom(table).select('person_id').where('person_id', '=', person.id).execute()).length
}

/**
 * When the officers of the key work statistics' rolls were allocated: long ago; around London's midnight in
 * summer time, out of it and as the clocks went back on 25 October 2026; in the period; today; and after today.
 */
export const allocationInstants = [
  '2025-03-01T10:00:00Z',
  '2026-07-14T23:30:00Z',
  '2026-08-31T22:59:00Z',
  '2026-10-24T22:59:00Z',
  '2026-10-24T23:30:00Z',
  '2026-10-25T00:30:00Z',
  '2026-10-25T01:30:00Z',
  '2026-10-28T23:59:00Z',
  '2026-10-29T00:00:00Z',
  '2026-11-18T12:00:00Z',
  '2026-11-24T23:59:00Z',
  '2026-11-25T08:00:00Z',
  '2026-11-26T10:00:00Z',
]
