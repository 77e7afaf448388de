import { sql, type ExpressionBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { prisonSettingsOf, writePrisonSettings } from '../../db/prison-settings.ts'
import { personNameColumns, onRollAt, staffNameOf } from '../../db/summaries.ts'
import type { Database, FamilyWorryHowSoon, FamilyWorryStatus, IsoDate } from '../../db/schema.ts'
import { listTotal, type Page } from '../../platform/pagination.ts'
import type { Candidate } from './rules.ts'

/** Every prison on this Waymark, with the line its families ring, for the public page's list. */
export async function listPrisons(db: Db) {
  return db
    .selectFrom('establishment as e')
    .leftJoin('family_worry_setting as s', 's.establishment_code', 'e.code')
    .select(['e.code', 'e.name', 'e.is_in_wales as isInWales', 's.safer_custody_phone as saferCustodyPhone'])
    .orderBy('e.name')
    .execute()
}

export async function findPhoneLine(db: Db, establishmentCode: string): Promise<string | null> {
  const row = await prisonSettingsOf(db, 'family_worry_setting', establishmentCode)
    .select('safer_custody_phone as phone')
    .executeTakeFirst()
  return row?.phone ?? null
}

export async function savePhoneLine(db: Db, establishmentCode: string, phone: string) {
  await writePrisonSettings(db, 'family_worry_setting', establishmentCode, { safer_custody_phone: phone })
}

/** Worries taken in the last hour from one address and at one prison, for the limits. */
export async function countRecent(db: Db, addressKey: string, establishmentCode: string, since: Date) {
  const row = await db
    .selectFrom('family_worry')
    .select([
      sql<number>`count(*) filter (where address_key = ${addressKey})`.as('fromAddress'),
      sql<number>`count(*) filter (where establishment_code = ${establishmentCode})`.as('atPrison'),
    ])
    .where('received_at', '>=', since)
    .where((eb) => eb.or([eb('address_key', '=', addressKey), eb('establishment_code', '=', establishmentCode)]))
    .executeTakeFirstOrThrow()
  return { fromAddress: Number(row.fromAddress), atPrison: Number(row.atPrison) }
}

export type NewFamilyWorry = {
  establishmentCode: string
  reference: string
  followUpCodeHash: string
  receivedAt: Date
  language: 'en' | 'cy'
  personName: string
  dateOfBirth: IsoDate | null
  prisonNumber: string | null
  whatWorries: string
  howSoon: FamilyWorryHowSoon
  selfHarmRisk: boolean
  relationship: string
  raiserName: string
  raiserPhone: string | null
  raiserEmail: string | null
  mayTellPerson: boolean
  addressKey: string
  heldBack: boolean
}

/** Null when the reference is already taken (the caller draws another). */
export async function insertWorry(db: Db, worry: NewFamilyWorry): Promise<string | null> {
  const row = await db
    .insertInto('family_worry')
    .values({
      establishment_code: worry.establishmentCode,
      reference: worry.reference,
      follow_up_code_hash: worry.followUpCodeHash,
      received_at: worry.receivedAt,
      language: worry.language,
      person_name: worry.personName,
      date_of_birth: worry.dateOfBirth,
      prison_number: worry.prisonNumber,
      what_worries: worry.whatWorries,
      how_soon: worry.howSoon,
      self_harm_risk: worry.selfHarmRisk,
      relationship: worry.relationship,
      raiser_name: worry.raiserName,
      raiser_phone: worry.raiserPhone,
      raiser_email: worry.raiserEmail,
      may_tell_person: worry.mayTellPerson,
      address_key: worry.addressKey,
      held_back: worry.heldBack,
      family_status_at: worry.receivedAt,
    })
    .onConflict((conflict) => conflict.column('reference').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

function worryQuery(db: Db) {
  return db
    .selectFrom('family_worry as w')
    .innerJoin('establishment as e', 'e.code', 'w.establishment_code')
    .leftJoin('person_summary as p', 'p.id', 'w.person_id')
    .select([
      'w.id',
      'w.establishment_code as establishmentCode',
      'e.name as establishmentName',
      'w.reference',
      'w.received_at as receivedAt',
      'w.language',
      'w.person_name as personName',
      'w.date_of_birth as dateOfBirth',
      'w.prison_number as prisonNumber',
      'w.what_worries as whatWorries',
      'w.how_soon as howSoon',
      'w.self_harm_risk as selfHarmRisk',
      'w.relationship',
      'w.raiser_name as raiserName',
      'w.raiser_phone as raiserPhone',
      'w.raiser_email as raiserEmail',
      'w.may_tell_person as mayTellPerson',
      'w.held_back as heldBack',
      'w.routed_at as routedAt',
      'w.person_id as personId',
      'p.prison_number as matchedPrisonNumber',
      'p.first_name as matchedFirstName',
      'p.last_name as matchedLastName',
      'w.concern_id as concernId',
      'w.matched_at as matchedAt',
      (eb) => staffNameOf(eb, 'w.matched_by').as('matchedByName'),
      'w.family_status as familyStatus',
      'w.family_status_at as familyStatusAt',
      'w.malicious_at as maliciousAt',
      (eb) => staffNameOf(eb, 'w.malicious_by').as('maliciousByName'),
      'w.malicious_reason as maliciousReason',
      'w.care_plan_linked_at as carePlanLinkedAt',
      'w.escalated_at as escalatedAt',
      'w.not_held_here_at as notHeldHereAt',
      (eb) => staffNameOf(eb, 'w.not_held_here_by').as('notHeldHereByName'),
      'w.not_held_here_note as notHeldHereNote',
    ])
}

export type FamilyWorryRecord = NonNullable<Awaited<ReturnType<typeof findWorry>>>

export async function findWorry(db: Db, id: string) {
  return worryQuery(db).where('w.id', '=', id).executeTakeFirst()
}

/** Locks the worry for the rest of the transaction: two leads matching it at once cannot both make a concern. */
export async function lockWorry(db: Db, id: string) {
  return worryQuery(db).where('w.id', '=', id).forUpdate('w').executeTakeFirst()
}

export async function findByReference(db: Db, reference: string) {
  return db
    .selectFrom('family_worry')
    .select([
      'id',
      'reference',
      'follow_up_code_hash as followUpCodeHash',
      'family_status as familyStatus',
      'family_status_at as familyStatusAt',
      'not_held_here_at as notHeldHereAt',
    ])
    .where('reference', '=', reference)
    .executeTakeFirst()
}

/** Not matched, marked malicious or closed as not held here: a worry safer custody still have to match. */
const stillToMatch = sql<boolean>`w.person_id is null and w.malicious_at is null and w.not_held_here_at is null`

/**
 * A page of a prison's worries: those still to match first, then the rest of those received since `since`, each
 * part newest first; each saying whether it is still to match, with how many the whole list holds and how many of
 * them are still to match.
 */
export async function listAt(db: Db, establishmentCode: string, since: Date, page: Page) {
  return worryQuery(db)
    .select([
      stillToMatch.as('stillToMatch'),
      listTotal,
      sql<string>`count(*) filter (where ${stillToMatch}) over ()`.as('toMatchTotal'),
    ])
    .where('w.establishment_code', '=', establishmentCode)
    .where((eb) => eb.or([eb('w.received_at', '>=', since), stillToMatch]))
    .orderBy(sql`case when ${stillToMatch} then 0 else 1 end`)
    .orderBy('w.received_at', 'desc')
    .orderBy('w.id', 'desc')
    .limit(page.size)
    .offset(page.offset)
    .execute()
}

/** Not matched, marked malicious, closed as not held here or escalated yet: a worry the sweep may still escalate. */
const stillToEscalate = (eb: ExpressionBuilder<Database, 'family_worry'>) =>
  eb.and([
    eb('person_id', 'is', null),
    eb('malicious_at', 'is', null),
    eb('not_held_here_at', 'is', null),
    eb('escalated_at', 'is', null),
  ])

/**
 * The worries received since `since` (held back ones aside) that no one has matched, marked malicious, closed as not
 * held here or escalated yet: those the escalation sweep weighs against their prison's times.
 */
export async function unmatchedSince(db: Db, since: Date) {
  return db
    .selectFrom('family_worry')
    .select([
      'id',
      'establishment_code as establishmentCode',
      'reference',
      'received_at as receivedAt',
      'how_soon as howSoon',
    ])
    .where(stillToEscalate)
    .where('held_back', '=', false)
    .where('received_at', '>=', since)
    .orderBy('received_at')
    .execute()
}

/** Marks a worry escalated, unless it was matched, marked, closed or escalated since it was read: false then. */
export async function claimEscalation(db: Db, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .updateTable('family_worry')
    .set({ escalated_at: at })
    .where('id', '=', id)
    .where(stillToEscalate)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** Issue 14: worries at a prison nobody has matched to a person yet, for the safer custody dashboard. */
export async function countToMatch(db: Db, establishmentCode: string): Promise<number> {
  const row = await db
    .selectFrom('family_worry as w')
    .select(sql<number>`count(*)`.as('count'))
    .where('w.establishment_code', '=', establishmentCode)
    .where(stillToMatch)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/**
 * The people at a prison a worry could be about: the one with the prison number typed, or everyone born on the
 * date typed. A handful at most; the names are compared in rules.ts, where case and accents are understood.
 */
export async function candidatesAt(
  db: Db,
  establishmentCode: string,
  typed: { prisonNumber: string | null; dateOfBirth: IsoDate | null },
): Promise<Candidate[]> {
  if (!typed.prisonNumber && !typed.dateOfBirth) return []
  return db
    .selectFrom('person_summary as p')
    .select(['p.id', ...personNameColumns, 'p.date_of_birth as dateOfBirth'])
    .where('establishment_code', '=', establishmentCode)
    .where((eb) =>
      typed.prisonNumber ? eb('prison_number', '=', typed.prisonNumber) : eb('date_of_birth', '=', typed.dateOfBirth!),
    )
    .limit(50)
    .execute()
}

export async function findPersonAt(db: Db, establishmentCode: string, prisonNumber: string) {
  return onRollAt(db, establishmentCode, prisonNumber)
    .select(['p.id', ...personNameColumns])
    .executeTakeFirst()
}

/** The person a prison number finds on the prison's roll, as the roll shows them, for safer custody to check. */
export async function findPersonToConfirm(db: Db, establishmentCode: string, prisonNumber: string) {
  return onRollAt(db, establishmentCode, prisonNumber)
    .select([
      'p.id',
      ...personNameColumns,
      'p.date_of_birth as dateOfBirth',
      'p.wing_name as wingName',
      'p.cell_label as cellLabel',
    ])
    .executeTakeFirst()
}

export async function markRouted(db: Db, id: string, at: Date) {
  await db.updateTable('family_worry').set({ routed_at: at }).where('id', '=', id).execute()
}

export async function markMatched(
  db: Db,
  id: string,
  match: { personId: string; concernId: string; at: Date; by: string | null },
) {
  await db
    .updateTable('family_worry')
    .set({ person_id: match.personId, concern_id: match.concernId, matched_at: match.at, matched_by: match.by })
    .where('id', '=', id)
    .execute()
}

export async function setFamilyStatus(db: Db, id: string, status: FamilyWorryStatus, at: Date) {
  await db
    .updateTable('family_worry')
    .set({ family_status: status, family_status_at: at })
    .where('id', '=', id)
    .execute()
}

export async function markMalicious(db: Db, id: string, mark: { at: Date; by: string; reason: string }) {
  await db
    .updateTable('family_worry')
    .set({ malicious_at: mark.at, malicious_by: mark.by, malicious_reason: mark.reason })
    .where('id', '=', id)
    .where('malicious_at', 'is', null)
    .execute()
}

/** Closes a worry as about someone not held here, unless it was matched or closed since it was read. */
export async function markNotHeldHere(db: Db, id: string, mark: { at: Date; by: string; note: string }) {
  await db
    .updateTable('family_worry')
    .set({ not_held_here_at: mark.at, not_held_here_by: mark.by, not_held_here_note: mark.note })
    .where('id', '=', id)
    .where('person_id', 'is', null)
    .where('not_held_here_at', 'is', null)
    .execute()
}

/** False when it was added already (by a second click saved first). */
export async function markLinkedToCarePlan(db: Db, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('family_worry')
    .set({ care_plan_linked_at: at })
    .where((eb) => eb.and({ id, care_plan_linked_at: null }))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
