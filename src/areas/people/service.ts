import { parse } from 'csv-parse/sync'
import type { Db } from '../../db/database.ts'
import type { Audit, CommandActor } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import { hasPermission, type Actor, type Permission } from '../../platform/permissions.ts'
import {
  ageBandOf,
  ageOn,
  isPrisonNumber,
  normalisePrisonNumber,
  rollColumns,
  rollRowProblems,
  rollTextProblem,
  type ImportProblem,
} from './rules.ts'
import * as store from './store.ts'
import { toCsv, type CsvCell } from '../../platform/csv.ts'

export const ROLL_PAGE_SIZE = 50

export type RollQuery = { search?: string | undefined; wingCode?: string | undefined; page?: number | undefined }

export type PeopleService = ReturnType<typeof createPeopleService>

export type ImportOutcome = { imported: number; problems: [] } | { imported: 0; problems: ImportProblem[] }

/**
 * A badge in the header of every page of a person's record, from the area that owns what it warns of (an
 * open ACCT care plan), linked to that area's tab of the record. The people area knows nothing more of it.
 */
export type PersonAlert = { messageKey: string; tabPath: string; colour: 'red' | 'orange' }

/** Where a kind of alert comes from, and the permission a role needs to see it (the permission of its tab). */
export type PersonAlertSource = {
  permission: Permission
  /** Not audited: the page the header sits on audits its own view of the person. */
  alertsOf: (personId: string) => Promise<readonly PersonAlert[]>
}

export function createPeopleService({
  db,
  clock,
  audit,
  alerts = [],
}: {
  db: Db
  clock: Clock
  audit: Audit
  alerts?: readonly PersonAlertSource[]
}) {
  /** The roll as CSV, and its audit entry in the same transaction: a roll is never read out unrecorded. */
  async function exportRollOf(
    by: Actor | CommandActor,
    establishmentCode: string,
  ): Promise<{ csv: string; count: number } | null> {
    return db.transaction().execute(async (trx) => {
      if (!(await store.findEstablishment(trx, establishmentCode))) return null
      const rows = await store.listRollForExport(trx, establishmentCode)
      await audit.record(trx, by, { action: 'roll.exported', establishmentCode, details: { count: rows.length } })
      return { csv: rollCsv(rows), count: rows.length }
    })
  }

  /** The header's alerts that this user's role may see, each linked to its tab of the person's record. */
  async function alertsFor(actor: Actor, person: { id: string; prisonNumber: string }) {
    const shown = alerts.filter((source) => hasPermission(actor.role, source.permission))
    const found = await Promise.all(shown.map((source) => source.alertsOf(person.id)))
    return found.flat().map((alert) => ({
      messageKey: alert.messageKey,
      colour: alert.colour,
      href: `/people/${person.prisonNumber}/${alert.tabPath}`,
    }))
  }

  return {
    /** The roll of the establishment the user is working in, one page at a time. */
    async viewRoll(actor: Actor, query: RollQuery) {
      const filter = { establishmentCode: actor.establishmentCode, search: query.search, wingCode: query.wingCode }
      const [establishment, wings, total] = await Promise.all([
        store.findEstablishment(db, actor.establishmentCode),
        store.listWings(db, actor.establishmentCode),
        store.countRoll(db, filter),
      ])
      if (!establishment) throw new NotFound()
      const pageCount = Math.max(1, Math.ceil(total / ROLL_PAGE_SIZE))
      const page = Math.min(Math.max(1, query.page ?? 1), pageCount)
      const people = await store.listRoll(db, filter, ROLL_PAGE_SIZE, (page - 1) * ROLL_PAGE_SIZE)
      return { establishment, wings, people, total, page, pageCount, pageSize: ROLL_PAGE_SIZE }
    },

    /** Throws NotFound for a person outside the user's establishments, as if they did not exist. */
    async findPersonOrThrow(actor: Actor, prisonNumber: string) {
      const normalised = normalisePrisonNumber(prisonNumber)
      if (!isPrisonNumber(normalised)) throw new NotFound()
      const person = await store.findPersonInEstablishments(db, actor.establishmentCodes, normalised)
      if (!person) throw new NotFound()
      return person
    },

    /**
     * C1: the people at a prison with exactly this first and last name (either case), with their wing, for a
     * worry a person in custody raises about someone else. Not audited here: the caller audits what it does.
     */
    async findByNameAt(establishmentCode: string, firstName: string, lastName: string) {
      if (firstName.trim() === '' || lastName.trim() === '') return []
      return store.findByNameAt(db, establishmentCode, firstName, lastName)
    },

    /**
     * The key facts at the top of every page of a person's record, for other areas' pages, with the alerts
     * the user may see. Not audited here: the area showing the page records its own view.
     */
    async personHeader(actor: Actor, prisonNumber: string) {
      const person = await this.findPersonOrThrow(actor, prisonNumber)
      return {
        ...toPersonHeader(person, ageOn(person.dateOfBirth, clock.today())),
        alerts: await alertsFor(actor, person),
      }
    },

    /**
     * Everyone on an establishment's roll with their wing, by wing then name, for other areas' lists (key
     * work's allocation and caseloads, the journey's gaps). Not audited here: the area showing them audits.
     */
    /**
     * M3: everyone at a prison with their age band and protected characteristics, for the equality figures,
     * which show groups and never a person. Not audited here: the equality area audits its view.
     */
    async characteristicsAt(establishmentCode: string) {
      const today = clock.today()
      const rows = await store.characteristicsAt(db, establishmentCode)
      return rows.map(({ dateOfBirth, ...row }) => ({ ...row, ageBand: ageBandOf(ageOn(dateOfBirth, today)) }))
    },

    async listPeopleAt(establishmentCode: string, trx: Db = db) {
      return store.listPeopleAt(trx, establishmentCode)
    },

    /** How many are on each prison's roll, for rates per 1,000 (a group director's figures read twelve rolls). */
    async countOnRolls(establishmentCodes: readonly string[]) {
      return store.countOnRolls(db, establishmentCodes)
    },

    /**
     * J3: moves a person onto another establishment's roll, cell cleared, inside the caller's transaction
     * (the journey area's acknowledged handover). The caller audits the move.
     */
    async movePersonTo(trx: Db, personId: string, establishmentCode: string): Promise<void> {
      await store.movePerson(trx, personId, establishmentCode)
    },

    /**
     * K1: marks whether a person needs a specialist dedicated officer, inside the caller's transaction (the key
     * work area's decision, which it records and audits).
     */
    async setNeedsSpecialistAllocation(trx: Db, personId: string, needsSpecialist: boolean): Promise<void> {
      await store.setNeedsSpecialistAllocation(trx, personId, needsSpecialist)
    },

    /** The person page: key facts, and protected characteristics for roles that need them. Audited. */
    async viewPerson(actor: Actor, prisonNumber: string) {
      const person = await this.findPersonOrThrow(actor, prisonNumber)
      await audit.record(db, actor, {
        action: 'person.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      const age = ageOn(person.dateOfBirth, clock.today())
      const showCharacteristics = hasPermission(actor.role, 'person.view-characteristics')
      return {
        person: { ...toPersonHeader(person, age), alerts: await alertsFor(actor, person) },
        characteristics: showCharacteristics
          ? {
              ageBand: ageBandOf(age),
              sex: person.sex,
              ethnicity: person.ethnicity,
              religion: person.religion,
              disability: person.disability,
              sexualOrientation: person.sexualOrientation,
            }
          : null,
      }
    },

    /** The whole roll as CSV in the import format, so a file exported can be imported again. Audited. */
    async exportRoll(actor: Actor): Promise<{ csv: string; count: number }> {
      const roll = await exportRollOf(actor, actor.establishmentCode)
      if (!roll) throw new NotFound()
      return roll
    },

    /** `waymark export`: an establishment's roll by its code; null when there is no such establishment. */
    exportRollOf,

    /**
     * Adds or updates the people in a roll file for one establishment. Every problem is reported by line
     * and column, and if there is any, nothing of the file is saved. A file of any length is saved in one
     * transaction, in batches that keep each statement within PostgreSQL's 65,535 bind parameters.
     */
    async importRoll(actor: Actor | CommandActor, establishmentCode: string, csvText: string): Promise<ImportOutcome> {
      const textProblem = rollTextProblem(csvText)
      if (textProblem) return { imported: 0, problems: [textProblem] }
      let records: Record<string, string>[]
      try {
        records = parse<Record<string, string>>(csvText, {
          columns: true,
          skip_empty_lines: true,
          trim: true,
          bom: true,
          relax_column_count: false,
        })
      } catch (error) {
        const line = (error as { lines?: number }).lines ?? 1
        return {
          imported: 0,
          problems: [{ line, column: '', message: `is not valid CSV (${(error as Error).message.split(':')[0]})` }],
        }
      }
      const header =
        csvText
          .replace(/^\uFEFF/, '')
          .split(/\r?\n/, 1)[0]
          ?.split(',')
          .map((name) => name.trim()) ?? []
      const missing = rollColumns.filter((column) => !header.includes(column))
      if (missing.length > 0)
        return {
          imported: 0,
          problems: missing.map((column) => ({ line: 1, column, message: 'this column is missing from the header' })),
        }

      return db.transaction().execute(async (trx) => {
        const establishment = await store.findEstablishment(trx, establishmentCode)
        if (!establishment)
          return {
            imported: 0 as const,
            problems: [{ line: 0, column: '', message: `no establishment with the code ${establishmentCode}` }],
          }
        const { valid, problems } = rollRowProblems(records, clock.today())
        const cells = await store.findCellIds(trx, establishmentCode)
        const elsewhere = await store.findEstablishmentsOfPrisonNumbers(
          trx,
          valid.map(({ row }) => row.prison_number),
        )
        const people: store.PersonValues[] = []
        for (const { line, row } of valid) {
          const currentEstablishment = elsewhere.get(row.prison_number)
          if (currentEstablishment && currentEstablishment !== establishmentCode)
            problems.push({
              line,
              column: 'prison_number',
              message: 'belongs to a person in another establishment: transfer them first',
            })
          let cellId: number | null = null
          if (row.wing && row.cell) {
            cellId = cells.get(`${row.wing}/${row.cell}`) ?? null
            if (cellId === null)
              problems.push({ line, column: 'cell', message: `there is no cell ${row.cell} on wing ${row.wing}` })
          }
          people.push({
            prison_number: row.prison_number,
            first_name: row.first_name,
            last_name: row.last_name,
            date_of_birth: row.date_of_birth,
            establishment_code: establishmentCode,
            cell_id: cellId,
            cohort: row.cohort,
            reception_on: row.reception_on,
            sex: row.sex,
            ethnicity: row.ethnicity,
            religion: row.religion,
            disability: row.disability,
            sexual_orientation: row.sexual_orientation,
          })
        }
        if (problems.length > 0) {
          problems.sort((a, b) => a.line - b.line || a.column.localeCompare(b.column))
          return { imported: 0 as const, problems }
        }
        await store.upsertPeople(trx, people)
        await audit.record(trx, actor, {
          action: 'roll.imported',
          establishmentCode,
          details: { count: people.length },
        })
        return { imported: people.length, problems: [] as [] }
      })
    },
  }
}

/** A roll in the import format, safe to open in a spreadsheet; the roll page and `waymark export` both write it. */
export function rollCsv(rows: Record<string, unknown>[]): string {
  return toCsv(
    rollColumns,
    rows.map((row) => rollColumns.map((column) => row[column] as CsvCell)),
  )
}

export type PersonHeader = ReturnType<typeof toPersonHeader>

function toPersonHeader(person: store.PersonRecord, age: number) {
  return {
    id: person.id,
    prisonNumber: person.prisonNumber,
    firstName: person.firstName,
    lastName: person.lastName,
    dateOfBirth: person.dateOfBirth,
    age,
    cohort: person.cohort,
    establishmentCode: person.establishmentCode,
    establishmentName: person.establishmentName,
    wingName: person.wingName,
    cellLabel: person.cellLabel,
    landing: person.landing,
    receptionOn: person.receptionOn,
    needsSpecialistAllocation: person.needsSpecialistAllocation,
  }
}
