/** Arranging and reading the roll from NOMIS's tests (issue 15): cells, people held in them, where they are now. */
import type { Db } from '../../src/db/database.ts'
import type { JourneyStageName } from '../../src/db/schema.ts'
import { givenPerson } from './builders.ts'
import { givenStage } from './journey-builders.ts'

/** Another cell on a wing, labelled as NOMIS names a cell location (`A-1-002`). */
export async function givenCell(db: Db, wingId: number, label: string): Promise<number> {
  const row = await db
    .insertInto('cell')
    .values({ wing_id: wingId, landing: Number(label.split('-')[1] ?? 1), label, capacity: 2 })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A person on a prison's roll, in a cell or none, at a journey stage since the start of the month. */
export async function givenHeldPerson(
  db: Db,
  establishmentCode: string,
  { cellId = null, stage = 'residential' }: { cellId?: number | null; stage?: JourneyStageName } = {},
) {
  const person = await givenPerson(db, establishmentCode, { cellId })
  await givenStage(db, { personId: person.id, establishmentCode, stage, startedAt: '2026-11-01T10:00:00Z' })
  return person
}

/** Where Waymark holds a person now: their prison, their cell's label and their current stage (none if not held). */
export async function whereHeld(db: Db, prisonNumber: string) {
  const person = await db
    .selectFrom('person as p')
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .select([
      'p.id',
      'p.establishment_code as establishmentCode',
      'c.label as cellLabel',
      'p.reception_on as receptionOn',
    ])
    .where('p.prison_number', '=', prisonNumber)
    .executeTakeFirst()
  if (!person) return null
  const stages = await db
    .selectFrom('journey_stage')
    .select(['stage', 'establishment_code as establishmentCode', 'ended_at as endedAt', 'responsible_staff_user_id'])
    .where('person_id', '=', person.id)
    .orderBy('started_at')
    .orderBy('id')
    .execute()
  const current = stages.find((stage) => stage.endedAt === null)
  return {
    establishmentCode: person.establishmentCode,
    cellLabel: person.cellLabel,
    receptionOn: person.receptionOn,
    stage: current ? `${current.stage}@${current.establishmentCode}` : null,
    stages: stages.length,
  }
}

/** How many rows each table that a sync writes holds: the same feed twice must leave every count as it was. */
export async function rowCounts(db: Db) {
  const count = async (table: 'person' | 'journey_stage' | 'audit_event' | 'event_outbox') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    person: await count('person'),
    journeyStage: await count('journey_stage'),
    auditEvent: await count('audit_event'),
    eventOutbox: await count('event_outbox'),
  }
}
