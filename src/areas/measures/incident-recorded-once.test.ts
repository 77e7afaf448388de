import { it } from 'node:test'
import assert from 'node:assert/strict'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import type { IncidentInput } from './incidents.ts'

/**
 * A self-harm incident is counted once in the prison's figures: the same incident sent twice (a double click,
 * a slow page pressed again, two officers who were both there) was two rows, and the safety figures, the
 * monthly trend and the rate per 1,000 counted it twice.
 */
describeServicesOnEachEngine('a self-harm incident recorded once', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const prison = arrangedBefore(() => givenPrisonWithStaff(database.db, { officer: 'officer', lead: 'safercustody' }))
  const givenSomeone = () => givenPerson(database.db, prison.code, { cellId: prison.cellId })
  const cutting: IncidentInput = { occurredAt: new Date('2026-11-24T22:10:00Z'), method: 'cutting', injury: 'minor' }
  const recorded = () => ({ field: 'occurredOn', messageKey: 'measures.incident.error.recorded' })
  const incidentsOf = async (personId: string) =>
    database.db
      .selectFrom('self_harm_incident')
      .select(['method', 'occurred_at as occurredAt'])
      .where('person_id', '=', personId)
      .orderBy('occurred_at')
      .orderBy('method')
      .execute()

  it('refuses the same incident again, by this officer or another, and records another at the same time or the same way', async () => {
    const { officer, lead } = prison
    const person = await givenSomeone()
    assert.equal(await services.measures.recordIncident(officer, person.prisonNumber, cutting), null)
    assert.deepEqual(await services.measures.recordIncident(officer, person.prisonNumber, cutting), recorded())
    assert.deepEqual(
      await services.measures.recordIncident(lead, person.prisonNumber, { ...cutting, injury: 'none' }),
      recorded(),
      'the same incident, whatever injury the second saw',
    )
    assert.equal(
      await services.measures.recordIncident(officer, person.prisonNumber, { ...cutting, method: 'ligature' }),
      null,
    )
    const later = { ...cutting, occurredAt: new Date('2026-11-24T22:11:00Z') }
    assert.equal(await services.measures.recordIncident(officer, person.prisonNumber, later), null)
    assert.deepEqual(await incidentsOf(person.id), [
      { method: 'cutting', occurredAt: cutting.occurredAt },
      { method: 'ligature', occurredAt: cutting.occurredAt },
      { method: 'cutting', occurredAt: later.occurredAt },
    ])
  })

  it('records one of the same incident sent twice at once, and refuses the other', async () => {
    const { officer } = prison
    const person = await givenSomeone()
    const answers = await Promise.all([
      services.measures.recordIncident(officer, person.prisonNumber, cutting),
      services.measures.recordIncident(officer, person.prisonNumber, cutting),
    ])
    assert.deepEqual(
      answers.filter((answer) => answer !== null),
      [recorded()],
    )
    assert.equal((await incidentsOf(person.id)).length, 1)
  })
})
