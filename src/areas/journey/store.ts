import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { idList, idsIn } from '../../db/id-lists.ts'
import { personNameColumns, staffNameOf } from '../../db/summaries.ts'
import type { JourneyStageName, StageReasonKey } from '../../db/schema.ts'

export type StageRow = {
  id: string
  establishmentCode: string
  establishmentName: string
  stage: JourneyStageName
  responsibleStaffUserId: string | null
  responsibleName: string | null
  startedAt: Date
  endedAt: Date | null
  reason: string
  /** A standard reason, shown in the reader's language; `reason` is what staff typed. */
  reasonKey: StageReasonKey | null
  recordedByName: string | null
}

/** A person's journey, newest first; at one instant the stage that is still current comes first. */
export async function listStages(db: Db, personId: string): Promise<StageRow[]> {
  return db
    .selectFrom('journey_stage as j')
    .innerJoin('establishment as e', 'e.code', 'j.establishment_code')
    .select([
      'j.id',
      'j.establishment_code as establishmentCode',
      'e.name as establishmentName',
      'j.stage',
      'j.responsible_staff_user_id as responsibleStaffUserId',
      (eb) => staffNameOf(eb, 'j.responsible_staff_user_id').as('responsibleName'),
      'j.started_at as startedAt',
      'j.ended_at as endedAt',
      'j.reason',
      'j.reason_key as reasonKey',
      (eb) => staffNameOf(eb, 'j.recorded_by').as('recordedByName'),
    ])
    .where('j.person_id', '=', personId)
    .orderBy('j.started_at', 'desc')
    .orderBy((eb) => eb.case().when('j.ended_at', 'is', null).then(0).else(1).end())
    .orderBy('j.ended_at', 'desc')
    .execute()
}

export async function findCurrentStage(db: Db, personId: string) {
  return db
    .selectFrom('journey_stage')
    .select(['id', 'stage', 'establishment_code as establishmentCode'])
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

export async function endCurrentStage(db: Db, personId: string, at: Date): Promise<void> {
  await db
    .updateTable('journey_stage')
    .set({ ended_at: at })
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .execute()
}

export async function insertStage(
  db: Db,
  values: {
    personId: string
    establishmentCode: string
    stage: JourneyStageName
    responsibleStaffUserId: string | null
    startedAt: Date
    endedAt?: Date | null
    reason: string
    recordedBy: string | null
  },
): Promise<string> {
  const row = await db
    .insertInto('journey_stage')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      stage: values.stage,
      responsible_staff_user_id: values.responsibleStaffUserId,
      started_at: values.startedAt,
      ended_at: values.endedAt ?? null,
      reason: values.reason,
      recorded_by: values.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The stages not yet ended (`j`), with the name of the person responsible. */
function currentStages(db: Db) {
  return db
    .selectFrom('journey_stage as j')
    .select([
      'j.person_id as personId',
      'j.stage',
      'j.started_at as startedAt',
      'j.responsible_staff_user_id as responsibleStaffUserId',
      (eb) => staffNameOf(eb, 'j.responsible_staff_user_id').as('responsibleName'),
    ])
    .where('j.ended_at', 'is', null)
}

/** The current stage of each of these people who has one, with the name of the person responsible. */
export async function currentStagesOf(db: Db, personIds: readonly string[]) {
  if (personIds.length === 0) return new Map<string, CurrentStage>()
  const rows = await currentStages(db)
    .where('j.person_id', 'in', [...personIds])
    .execute()
  return new Map<string, CurrentStage>(rows.map((row) => [row.personId, row]))
}

/**
 * The current stage of each person on an establishment's roll who has one. Joined to the roll rather than
 * asked for a list of its ids: a prison of 1,500 would send 1,500 ids in one query.
 */
export async function currentStagesAt(db: Db, establishmentCode: string) {
  const rows = await currentStages(db)
    .innerJoin('person_summary as p', 'p.id', 'j.person_id')
    .where('p.establishment_code', '=', establishmentCode)
    .execute()
  return new Map<string, CurrentStage>(rows.map((row) => [row.personId, row]))
}

/**
 * J1: the people on an establishment's roll by their current stage (none where no journey is recorded) and
 * whether someone is named at it, counted; with the ids of those at the stages given (where the dedicated
 * officer answers), as one list for each group, to be matched against key work's allocations. A few rows
 * whatever the roll, and no names.
 */
export async function stageGroupsAt(
  db: Db,
  establishmentCode: string,
  idsAt: readonly JourneyStageName[],
): Promise<{ stage: JourneyStageName | null; named: boolean; people: number; personIds: string[] }[]> {
  const named = sql<boolean>`j.responsible_staff_user_id is not null`
  const groups = await db
    .selectFrom('person_summary as p')
    .leftJoin('journey_stage as j', (join) => join.onRef('j.person_id', '=', 'p.id').on('j.ended_at', 'is', null))
    .select([
      'j.stage',
      named.as('named'),
      sql<number>`count(*)::int`.as('people'),
      idList(sql`p.id`, sql<boolean>`j.stage in (${sql.join(idsAt)})`).as('personIds'),
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .groupBy(['j.stage', named])
    .execute()
  return groups.map((group) => ({ ...group, personIds: idsIn(group.personIds) }))
}

export type CurrentStage = {
  stage: JourneyStageName
  startedAt: Date
  responsibleStaffUserId: string | null
  responsibleName: string | null
}

export async function listEstablishments(db: Db) {
  return db.selectFrom('establishment').select(['code', 'name', 'function']).orderBy('name').execute()
}

export async function findEstablishment(db: Db, code: string) {
  return db.selectFrom('establishment').select(['code', 'name', 'function']).where('code', '=', code).executeTakeFirst()
}

/** J3: how many days a handover may wait before it is chased; the schema's default where a prison set none. */
export async function findHandoverChaseDays(db: Db, establishmentCode: string): Promise<number> {
  const row = await db
    .selectFrom('keywork_policy')
    .select('handover_chase_days')
    .where('establishment_code', '=', establishmentCode)
    .executeTakeFirst()
  return row?.handover_chase_days ?? 2
}

/** The prison's own name for a dedicated officer ("key worker", "personal officer"), in English and Welsh. */
export async function findOfficerLabel(db: Db, establishmentCode: string): Promise<{ en: string; cy: string } | null> {
  const row = await db
    .selectFrom('keywork_policy')
    .select(['officer_label', 'officer_label_cy'])
    .where('establishment_code', '=', establishmentCode)
    .executeTakeFirst()
  return row ? { en: row.officer_label, cy: row.officer_label_cy } : null
}

export type HandoverSummary = {
  risks: string
  /** Ids and a line of facts each; a concern's detail never travels (S2). */
  openCarePlans: { id: string; description: string }[]
  concerns: { id: string; description: string }[]
  dedicatedOfficer: { staffUserId: string; displayName: string } | null
}

export async function insertHandover(
  db: Db,
  values: {
    personId: string
    fromEstablishmentCode: string
    toEstablishmentCode: string
    kind: 'transfer' | 'youth-to-adult'
    summary: HandoverSummary
    personsWishes: string
    createdAt: Date
    createdBy: string
  },
): Promise<string> {
  const row = await db
    .insertInto('handover')
    .values({
      person_id: values.personId,
      from_establishment_code: values.fromEstablishmentCode,
      to_establishment_code: values.toEstablishmentCode,
      kind: values.kind,
      summary: JSON.stringify(values.summary),
      persons_wishes: values.personsWishes,
      created_at: values.createdAt,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A handover with its person and prisons; its summary read back as insertHandover wrote it. */
function handoverQuery(db: Db) {
  return db
    .selectFrom('handover as h')
    .innerJoin('person_summary as p', 'p.id', 'h.person_id')
    .innerJoin('establishment as f', 'f.code', 'h.from_establishment_code')
    .innerJoin('establishment as t', 't.code', 'h.to_establishment_code')
    .select([
      'h.id',
      'h.person_id as personId',
      ...personNameColumns,
      'p.establishment_code as personEstablishmentCode',
      'h.from_establishment_code as fromEstablishmentCode',
      'f.name as fromEstablishmentName',
      'h.to_establishment_code as toEstablishmentCode',
      't.name as toEstablishmentName',
      'h.kind',
      'h.summary',
      'h.persons_wishes as personsWishes',
      'h.created_at as createdAt',
      (eb) => staffNameOf(eb, 'h.created_by').as('createdByName'),
      'h.acknowledged_at as acknowledgedAt',
      (eb) => staffNameOf(eb, 'h.acknowledged_by').as('acknowledgedByName'),
      'h.refused_at as refusedAt',
      'h.refusal_reason as refusalReason',
      'h.last_chased_at as lastChasedAt',
    ])
    .$narrowType<{ summary: HandoverSummary }>()
}

export type HandoverRow = Awaited<ReturnType<typeof findHandover>> & {}

export async function findHandover(db: Db, id: string) {
  return handoverQuery(db).where('h.id', '=', id).executeTakeFirst()
}

/** Handovers still waiting for an answer, into or out of these establishments, oldest first. */
export async function listPendingHandovers(db: Db, establishmentCode: string) {
  return handoverQuery(db)
    .where((eb) =>
      eb.or([
        eb('h.from_establishment_code', '=', establishmentCode),
        eb('h.to_establishment_code', '=', establishmentCode),
      ]),
    )
    .where('h.acknowledged_at', 'is', null)
    .where('h.refused_at', 'is', null)
    .orderBy('h.created_at')
    .execute()
}

/** Answered handovers out of this establishment in the last days, so the sender sees refusals. */
export async function listRecentlyRefusedHandovers(db: Db, establishmentCode: string, since: Date) {
  return handoverQuery(db)
    .where('h.from_establishment_code', '=', establishmentCode)
    .where('h.refused_at', '>=', since)
    .orderBy('h.refused_at', 'desc')
    .execute()
}

export async function findPendingHandoverOf(db: Db, personId: string) {
  return db
    .selectFrom('handover as h')
    .innerJoin('establishment as t', 't.code', 'h.to_establishment_code')
    .select(['h.id', 'h.to_establishment_code as toEstablishmentCode', 't.name as toEstablishmentName'])
    .where('h.person_id', '=', personId)
    .where('h.acknowledged_at', 'is', null)
    .where('h.refused_at', 'is', null)
    .executeTakeFirst()
}

/** Locks the handover row so two people answering at once cannot both move the person. */
export async function lockHandover(db: Db, id: string) {
  return db
    .selectFrom('handover')
    .select(['id', 'acknowledged_at as acknowledgedAt', 'refused_at as refusedAt'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function markAcknowledged(db: Db, id: string, at: Date, by: string): Promise<void> {
  await db.updateTable('handover').set({ acknowledged_at: at, acknowledged_by: by }).where('id', '=', id).execute()
}

export async function markChased(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('handover').set({ last_chased_at: at }).where('id', '=', id).execute()
}

export async function markRefused(db: Db, id: string, at: Date, reason: string): Promise<void> {
  await db.updateTable('handover').set({ refused_at: at, refusal_reason: reason }).where('id', '=', id).execute()
}

/**
 * M2, for the measures area: each transfer handover sent from these prisons since a date, with when the
 * receiving prison answered it, the chase days that prison sets, and whether it carried an open care plan
 * (the care plans area listed them when it was sent). Ids, times and outcomes only.
 */
export async function handoverOutcomesSince(db: Db, fromEstablishmentCodes: readonly string[], since: Date) {
  if (fromEstablishmentCodes.length === 0) return []
  const rows = await db
    .selectFrom('handover as h')
    .leftJoin('keywork_policy as k', 'k.establishment_code', 'h.to_establishment_code')
    .select([
      'h.person_id as personId',
      'h.from_establishment_code as fromEstablishmentCode',
      'h.created_at as createdAt',
      'h.acknowledged_at as acknowledgedAt',
      'h.refused_at as refusedAt',
      'k.handover_chase_days as chaseDays',
      sql<number>`coalesce(jsonb_array_length(h.summary -> 'openCarePlans'), 0)`.as('openCarePlans'),
    ])
    .where('h.from_establishment_code', 'in', fromEstablishmentCodes)
    .where('h.kind', '=', 'transfer')
    .where('h.created_at', '>=', since)
    .execute()
  return rows.map((row) => ({
    personId: row.personId,
    fromEstablishmentCode: row.fromEstablishmentCode,
    createdAt: new Date(row.createdAt),
    acknowledgedAt: row.acknowledgedAt ? new Date(row.acknowledgedAt) : null,
    refusedAt: row.refusedAt ? new Date(row.refusedAt) : null,
    refused: row.refusedAt !== null,
    // The schema's default where the receiving prison set none, as findHandoverChaseDays reads it.
    chaseDays: row.chaseDays ?? 2,
    openCarePlanWhenSent: Number(row.openCarePlans) > 0,
  }))
}

/** Issue 15: which of these people have a transfer's handover waiting for the receiving prison's answer. */
export async function peopleWithPendingHandovers(db: Db, personIds: readonly string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('handover')
    .select('person_id as personId')
    .where('person_id', 'in', [...personIds])
    .where('acknowledged_at', 'is', null)
    .where('refused_at', 'is', null)
    .execute()
  return new Set(rows.map((row) => row.personId))
}
