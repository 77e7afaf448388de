import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import type { JourneyStageName, StageReasonKey } from '../../src/db/schema.ts'
import type { JourneyService } from '../../src/areas/journey/service.ts'
import type { Actor } from '../../src/platform/permissions.ts'
import { before } from 'node:test'
import { givenEstablishment, givenPerson, givenPrisonWithStaff } from './builders.ts'
import { auditTrailOf } from './audit-trail.ts'

/**
 * The prison a person's journey service tests start in: a young offender institution, so a handover from it is
 * youth to adult, with an officer, a key worker and a safer custody lead.
 */
export const givenSendingPrison = (db: Db) =>
  givenPrisonWithStaff(
    db,
    { officer: 'officer', keyworker: 'keyworker', lead: 'safercustody' },
    { function: 'young-offender' },
  )

/** The adult training prison a person is handed over to, with a safer custody lead and an officer. */
export const givenReceivingPrison = (db: Db) =>
  givenPrisonWithStaff(db, { lead: 'safercustody', officer: 'officer' }, { function: 'training' })

/** A person's journey stages as stored, in the order they began. */
export const journeyStagesOf = (db: Db, personId: string) =>
  db
    .selectFrom('journey_stage')
    .select(['stage', 'establishment_code', 'responsible_staff_user_id', 'started_at', 'ended_at', 'reason'])
    .where('person_id', '=', personId)
    .orderBy('started_at')
    .orderBy('ended_at')
    .execute()

/**
 * What the journey service's tests share: the sending prison, the receiving prison and one that neither hands
 * over to (`elsewhere`), arranged before the block's tests (so read them inside hooks and tests); and a person's
 * stages and audit trail as stored.
 */
export function journeyPrisonsBefore(database: { db: Db }) {
  const sending = {} as Awaited<ReturnType<typeof givenSendingPrison>>
  const receiving = {} as Awaited<ReturnType<typeof givenReceivingPrison>>
  const elsewhere = {} as Awaited<ReturnType<typeof givenEstablishment>>
  before(async () => {
    Object.assign(sending, await givenSendingPrison(database.db))
    Object.assign(receiving, await givenReceivingPrison(database.db))
    Object.assign(elsewhere, await givenEstablishment(database.db))
  })
  return {
    sending,
    receiving,
    elsewhere,
    stagesOf: (personId: string) => journeyStagesOf(database.db, personId),
    auditOf: (personId: string) => auditTrailOf(database.db, { personId }),
  }
}

/** A journey stage as if recorded earlier; current unless `endedAt` is given. */
export async function givenStage(
  db: Db,
  values: {
    personId: string
    establishmentCode: string
    stage: JourneyStageName
    responsibleStaffUserId?: string | null
    startedAt: Date | string
    endedAt?: Date | string | null
    reason?: string
    reasonKey?: StageReasonKey
  },
): Promise<string> {
  const row = await db
    .insertInto('journey_stage')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      stage: values.stage,
      responsible_staff_user_id: values.responsibleStaffUserId ?? null,
      started_at: new Date(values.startedAt),
      ended_at: values.endedAt ? new Date(values.endedAt) : null,
      reason: values.reason ?? '',
      reason_key: values.reasonKey ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * A new person on the prison's roll, at a journey stage since `startedAt` with whoever the test names for it:
 * a stage at this prison, or at `prison`, the one they were received from, where it is still their current one.
 */
export async function givenPersonAtStage(
  db: Db,
  establishmentCode: string,
  stage: {
    stage: JourneyStageName
    prison?: string
    responsibleStaffUserId?: string | null
    startedAt: Date | string
    endedAt?: Date | string | null
  },
) {
  const { prison = establishmentCode, ...values } = stage
  const person = await givenPerson(db, establishmentCode)
  await givenStage(db, { personId: person.id, establishmentCode: prison, ...values })
  return person
}

/**
 * Someone on the wing: a new person in the prison's cell, at their residential stage since 1 November 2026, with
 * `dedicatedOfficer` allocated to them since then (so responsible for them now).
 */
export async function givenPersonOnWing(
  db: Db,
  prison: { code: string; cellId: number },
  dedicatedOfficer: { id: string },
  person: Omit<NonNullable<Parameters<typeof givenPerson>[2]>, 'cellId'> = {},
) {
  const onWing = await givenPerson(db, prison.code, { ...person, cellId: prison.cellId })
  await givenStage(db, {
    personId: onWing.id,
    establishmentCode: prison.code,
    stage: 'residential',
    startedAt: '2026-11-01T10:00:00Z',
  })
  await givenDedicatedOfficer(db, onWing.id, dedicatedOfficer.id, '2026-11-01T10:00:00Z')
  return onWing
}

/** A current dedicated officer allocation. */
export async function givenDedicatedOfficer(
  db: Db,
  personId: string,
  staffUserId: string,
  allocatedAt: Date | string,
  /** When the allocation ended, on a change of officer asked for; open when not given. */
  endedAt: Date | string | null = null,
) {
  await db
    .insertInto('dedicated_officer_allocation')
    .values({
      person_id: personId,
      staff_user_id: staffUserId,
      allocated_at: new Date(allocatedAt),
      allocation_kind: 'manual',
      ended_at: endedAt === null ? null : new Date(endedAt),
      end_reason: endedAt === null ? null : 'change-requested',
    })
    .execute()
}

/** A handover waiting for the receiving prison's answer, as if the sending prison had started it. */
export async function givenHandover(
  db: Db,
  values: {
    personId: string
    fromEstablishmentCode: string
    toEstablishmentCode: string
    createdBy: string
    createdAt?: Date | string
    kind?: 'transfer' | 'youth-to-adult'
    risks?: string
  },
): Promise<string> {
  const row = await db
    .insertInto('handover')
    .values({
      person_id: values.personId,
      from_establishment_code: values.fromEstablishmentCode,
      to_establishment_code: values.toEstablishmentCode,
      kind: values.kind ?? 'transfer',
      summary: JSON.stringify({
        risks: values.risks ?? 'None known',
        openCarePlans: [],
        concerns: [],
        dedicatedOfficer: null,
      }),
      persons_wishes: '',
      created_at: new Date(values.createdAt ?? '2026-11-25T08:00:00Z'),
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Makes every change to one person's dedicated officer allocation fail in the database, as a lost
 * connection or a full disk would, to prove what is saved with it is saved with it or not at all.
 */
export async function givenAllocationChangesFailFor(db: Db, personId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(personId)) throw new Error('a person id')
  await sql`
    create or replace function test_refuse_allocation_change() returns trigger language plpgsql as $$
    begin raise exception 'allocation changes are failing'; end $$
  `.execute(db)
  await sql
    .raw(
      `create trigger test_refuse_allocation_change_${personId.replaceAll('-', '_')}
       before update on dedicated_officer_allocation for each row
       when (old.person_id = '${personId}') execute function test_refuse_allocation_change()`,
    )
    .execute(db)
}

/**
 * A transfer's handover started by the sending prison through the journey service (a refusal stops the test
 * there), and the summary it stored: what travels with the person to the receiving prison.
 */
export async function startedHandover(
  db: Db,
  journey: JourneyService,
  sender: Actor,
  prisonNumber: string,
  input: { toEstablishmentCode: string; risks: string },
) {
  const started = await journey.startHandover(sender, prisonNumber, { ...input, personsWishes: '' })
  if (!('handoverId' in started)) throw new Error(`refused: ${started.messageKey}`)
  const { summary } = await db
    .selectFrom('handover')
    .select('summary')
    .where('id', '=', started.handoverId)
    .executeTakeFirstOrThrow()
  return { handoverId: started.handoverId, summary }
}

/** The receiving prison's user acknowledges a handover and takes responsibility for the person themselves. */
export async function acknowledgedHandover(journey: JourneyService, receiver: Actor, handoverId: string) {
  const refusal = await journey.acknowledgeHandover(receiver, handoverId, {
    responsibleStaffUserId: receiver.id,
    reason: '',
  })
  if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
}
