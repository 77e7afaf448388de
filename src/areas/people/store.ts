import { sql, type Insertable } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { Db } from '../../db/database.ts'
import { fromTheNewRow } from '../../db/upsert.ts'
import { personNameColumns } from '../../db/summaries.ts'
import type { IsoDate, PersonTable } from '../../db/schema.ts'

export type RollEntry = {
  id: string
  prisonNumber: string
  firstName: string
  lastName: string
  dateOfBirth: IsoDate
  cohort: string
  wingCode: string | null
  wingName: string | null
  cellLabel: string | null
  receptionOn: IsoDate
  /** K1: a high complexity of need, allocated by hand to a named specialist. */
  needsSpecialistAllocation: boolean
}

export type RollFilter = { establishmentCode: string; search?: string | undefined; wingCode?: string | undefined }

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`
}

/**
 * The people on a roll, filtered, from `person` alone: a wing filter is a semi-join on the wing's cells, so
 * counting and paging never join a whole prison's cells and wings, only the page that is shown.
 */
function rollQuery(db: Db, filter: RollFilter) {
  let query = db.selectFrom('person as p').where('p.establishment_code', '=', filter.establishmentCode)
  const wingCode = filter.wingCode
  if (wingCode)
    query = query.where('p.cell_id', 'in', (eb) =>
      eb
        .selectFrom('cell as c')
        .innerJoin('wing as w', 'w.id', 'c.wing_id')
        .select('c.id')
        .where('w.establishment_code', '=', filter.establishmentCode)
        .where('w.code', '=', wingCode),
    )
  const search = filter.search?.trim()
  if (search) {
    // Every word must be in the number or a name. One lower-cased text per person, matched with `like`, is
    // the same test as an `ilike` on each of the three (a word has no spaces, so it cannot match across the
    // spaces between them) at about half the cost: a search scans the whole prison, twice (count and page).
    const searchable = sql<string>`lower(p.prison_number || ' ' || p.first_name || ' ' || p.last_name)`
    for (const word of search.split(/\s+/).slice(0, 4))
      query = query.where(searchable, 'like', sql<string>`lower(${likePattern(word)})`)
  }
  return query
}

/**
 * What the roll shows above its list, in one statement: the establishment, its wings (for the wing filter) and
 * how many people the filter finds; undefined where there is no such establishment. Asked of the database as
 * three statements it was three of the roll's five, the page officers open most.
 */
export async function rollHeading(db: Db, filter: RollFilter) {
  return db
    .selectFrom('establishment as e')
    .select((eb) => [
      'e.code',
      'e.name',
      'e.function',
      'e.is_in_wales as isInWales',
      jsonArrayFrom(
        eb
          .selectFrom('wing as w')
          .select(['w.id', 'w.code', 'w.name'])
          .whereRef('w.establishment_code', '=', 'e.code')
          .orderBy('w.code'),
      ).as('wings'),
      rollCount(db, filter).$asScalar().as('total'),
    ])
    .where('e.code', '=', filter.establishmentCode)
    .executeTakeFirst()
}

/** How many people on the roll the filter finds, as a query: asked alone or inside the roll's heading. */
function rollCount(db: Db, filter: RollFilter) {
  return rollQuery(db, filter).select(sql<number>`count(*)::int`.as('count'))
}

export async function countRoll(db: Db, filter: RollFilter): Promise<number> {
  const row = await rollCount(db, filter).executeTakeFirstOrThrow()
  return row.count
}

/** A person with the cell and wing they are in (none while they wait for a cell): what every list shows. */
const personWithPlaceColumns = [
  'p.id',
  ...personNameColumns,
  'p.date_of_birth as dateOfBirth',
  'p.cohort',
  'w.code as wingCode',
  'w.name as wingName',
  'c.label as cellLabel',
  'p.reception_on as receptionOn',
  'p.needs_specialist_allocation as needsSpecialistAllocation',
] as const

/** A person joined to their cell and its wing (none while they wait for a cell), to select from. */
export function personInCell(db: Db) {
  return db
    .selectFrom('person as p')
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .leftJoin('wing as w', 'w.id', 'c.wing_id')
}

function personWithPlace(db: Db) {
  return personInCell(db).select(personWithPlaceColumns)
}

/**
 * One page of the roll in name order. The page is chosen from `person` first (in the order of the
 * `person_roll_order` index) and only its rows are joined to their cells and wings.
 */
export async function listRoll(db: Db, filter: RollFilter, limit: number, offset: number): Promise<RollEntry[]> {
  const page = rollQuery(db, filter)
    .select([
      'p.id',
      'p.prison_number',
      'p.first_name',
      'p.last_name',
      'p.date_of_birth',
      'p.cohort',
      'p.cell_id',
      'p.reception_on',
      'p.needs_specialist_allocation',
    ])
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.prison_number')
    .limit(limit)
    .offset(offset)
  return db
    .selectFrom(page.as('p'))
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .leftJoin('wing as w', 'w.id', 'c.wing_id')
    .select(personWithPlaceColumns)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.prison_number')
    .execute()
}

/** Everyone on an establishment's roll with their wing, by wing then name. */
export async function listPeopleAt(db: Db, establishmentCode: string): Promise<RollEntry[]> {
  return personWithPlace(db)
    .where('p.establishment_code', '=', establishmentCode)
    .orderBy('w.code')
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.prison_number')
    .execute()
}

/** How many people are on each establishment's roll: a count, for figures per 1,000, not the roll itself. */
export async function countOnRolls(db: Db, establishmentCodes: readonly string[]): Promise<Map<string, number>> {
  if (establishmentCodes.length === 0) return new Map()
  const rows = await db
    .selectFrom('person')
    .select(['establishment_code', (eb) => eb.fn.countAll<string>().as('people')])
    .where('establishment_code', 'in', establishmentCodes)
    .groupBy('establishment_code')
    .execute()
  return new Map(
    establishmentCodes.map((code) => [code, Number(rows.find((row) => row.establishment_code === code)?.people ?? 0)]),
  )
}

export async function findEstablishment(db: Db, code: string) {
  return db
    .selectFrom('establishment')
    .select(['code', 'name', 'function', 'is_in_wales as isInWales'])
    .where('code', '=', code)
    .executeTakeFirst()
}

export type PersonRecord = RollEntry & {
  establishmentCode: string
  establishmentName: string
  landing: number | null
  sex: string | null
  ethnicity: string | null
  religion: string | null
  disability: string | null
  sexualOrientation: string | null
}

/** Only within the given establishments: a person elsewhere is, to this caller, not there at all. */
export async function findPersonInEstablishments(
  db: Db,
  establishmentCodes: readonly string[],
  prisonNumber: string,
): Promise<PersonRecord | undefined> {
  if (establishmentCodes.length === 0) return undefined
  return personWithPlace(db)
    .innerJoin('establishment as e', 'e.code', 'p.establishment_code')
    .select([
      'c.landing',
      'p.establishment_code as establishmentCode',
      'e.name as establishmentName',
      'p.sex',
      'p.ethnicity',
      'p.religion',
      'p.disability',
      'p.sexual_orientation as sexualOrientation',
    ])
    .where('p.prison_number', '=', prisonNumber)
    .where('p.establishment_code', 'in', [...establishmentCodes])
    .executeTakeFirst()
}

/** C1: the people at a prison with exactly this name (either case), with their wing, for a worry about someone. */
export async function findByNameAt(db: Db, establishmentCode: string, firstName: string, lastName: string) {
  return personInCell(db)
    .select(['p.id', ...personNameColumns, 'w.code as wingCode', 'w.name as wingName'])
    .where('p.establishment_code', '=', establishmentCode)
    .where(sql<boolean>`lower(p.first_name) = ${firstName.trim().toLowerCase()}`)
    .where(sql<boolean>`lower(p.last_name) = ${lastName.trim().toLowerCase()}`)
    .limit(20)
    .execute()
}

/** M3: everyone at a prison with their date of birth and protected characteristics as recorded. */
export async function characteristicsAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('person')
    .select([
      'id as personId',
      'date_of_birth as dateOfBirth',
      'sex',
      'ethnicity',
      'religion',
      'disability',
      'sexual_orientation as sexualOrientation',
    ])
    .where('establishment_code', '=', establishmentCode)
    .execute()
}

export async function listRollForExport(db: Db, establishmentCode: string) {
  return personInCell(db)
    .select([
      'p.prison_number',
      'p.first_name',
      'p.last_name',
      'p.date_of_birth',
      'p.cohort',
      'w.code as wing',
      'c.label as cell',
      'p.reception_on',
      'p.sex',
      'p.ethnicity',
      'p.religion',
      'p.disability',
      'p.sexual_orientation',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .orderBy('p.prison_number')
    .execute()
}

export async function findCellIds(db: Db, establishmentCode: string) {
  const rows = await db
    .selectFrom('cell as c')
    .innerJoin('wing as w', 'w.id', 'c.wing_id')
    .select(['c.id', 'c.label', 'w.code as wingCode'])
    .where('w.establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [`${row.wingCode}/${row.label}`, row.id]))
}

/** Where each prison number is on the roll now; asked in batches, as one statement takes at most 65,535 values. */
export async function findEstablishmentsOfPrisonNumbers(db: Db, prisonNumbers: string[]) {
  const establishments = new Map<string, string>()
  for (let start = 0; start < prisonNumbers.length; start += 10_000) {
    const rows = await db
      .selectFrom('person')
      .select(['prison_number as prisonNumber', 'establishment_code as establishmentCode'])
      .where('prison_number', 'in', prisonNumbers.slice(start, start + 10_000))
      .execute()
    for (const row of rows) establishments.set(row.prisonNumber, row.establishmentCode)
  }
  return establishments
}

/**
 * A person as the roll import writes them: every column of `person` but those the database or Waymark's own
 * screens set (the id, when the row was made, a specialist's allocation), the cohort always named.
 */
export type PersonValues = Required<Omit<Insertable<PersonTable>, 'id' | 'created_at' | 'needs_specialist_allocation'>>

/** What NOMIS records of a person: an import of the roll or a reception brings it up to date for someone already known. */
const nomisRecordColumns = [
  'first_name',
  'last_name',
  'date_of_birth',
  'cell_id',
  'reception_on',
  'sex',
  'ethnicity',
  'religion',
] as const satisfies readonly (keyof PersonTable)[]

/** Inserts new people and updates those already on this establishment's roll, in batches. */
export async function upsertPeople(db: Db, people: PersonValues[]): Promise<void> {
  for (let start = 0; start < people.length; start += 500) {
    await db
      .insertInto('person')
      .values(people.slice(start, start + 500))
      .onConflict((conflict) =>
        conflict
          .column('prison_number')
          .doUpdateSet(fromTheNewRow<'person'>([...nomisRecordColumns, 'cohort', 'disability', 'sexual_orientation'])),
      )
      .execute()
  }
}

/** Moves a person to another establishment's roll, without a cell until the receiving prison gives one. */
export async function movePerson(db: Db, personId: string, establishmentCode: string): Promise<void> {
  await db
    .updateTable('person')
    .set({ establishment_code: establishmentCode, cell_id: null })
    .where('id', '=', personId)
    .execute()
}

/** K1: whether a person needs a specialist dedicated officer; the key work area records who decided and why. */
/** Whether it changed: false when the person was so already (a decision saved a moment before, say). */
export async function setNeedsSpecialistAllocation(
  db: Db,
  personId: string,
  needsSpecialist: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable('person')
    .set({ needs_specialist_allocation: needsSpecialist })
    .where((eb) => eb.and([eb('id', '=', personId), eb('needs_specialist_allocation', '<>', needsSpecialist)]))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * Issue 15, for the roll from NOMIS: where each of these people is now (their prison, and their cell's label
 * as NOMIS writes a cell location), locked for the caller's transaction when it is about to change them.
 */
export async function placesOfPrisonNumbers(
  db: Db,
  prisonNumbers: readonly string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, { personId: string; establishmentCode: string; cellLabel: string | null }>> {
  if (prisonNumbers.length === 0) return new Map()
  let query = db
    .selectFrom('person as p')
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .select([
      'p.id as personId',
      'p.prison_number as prisonNumber',
      'p.establishment_code as establishmentCode',
      'c.label as cellLabel',
    ])
    .where('p.prison_number', 'in', [...prisonNumbers])
  if (options.lock) query = query.forUpdate('p')
  const rows = await query.execute()
  return new Map(rows.map(({ prisonNumber, ...place }) => [prisonNumber, place]))
}

/** An establishment's cells by label (`A-1-001`, the form of a NOMIS cell location). */
export async function cellIdsByLabel(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('cell as c')
    .innerJoin('wing as w', 'w.id', 'c.wing_id')
    .select(['c.id', 'c.label'])
    .where('w.establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [row.label, row.id]))
}

export async function listEstablishmentCodes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('establishment').select('code').orderBy('code').execute()
  return rows.map((row) => row.code)
}

/**
 * A person received into custody as NOMIS records them: new to the roll, or back (a recall, a new sentence) with
 * what NOMIS holds now. What only Waymark asks (disability, sexual orientation, the cohort, a specialist's
 * allocation) is kept for someone already known.
 */
export type ReceivedPersonValues = Pick<
  PersonValues,
  'prison_number' | 'establishment_code' | (typeof nomisRecordColumns)[number]
>

export async function upsertReceivedPerson(db: Db, values: ReceivedPersonValues): Promise<string> {
  const row = await db
    .insertInto('person')
    .values(values)
    .onConflict((conflict) =>
      conflict
        .column('prison_number')
        .doUpdateSet(fromTheNewRow<'person'>([...nomisRecordColumns, 'establishment_code'])),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A person's cell within their prison (the prison's own move, as NOMIS records it). */
export async function setCell(db: Db, personId: string, cellId: number): Promise<void> {
  await db.updateTable('person').set({ cell_id: cellId }).where('id', '=', personId).execute()
}
