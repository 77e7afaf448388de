/** The roll: who is at an establishment, a page at a time, for other areas' lists, and as CSV. */
import type { Db } from '../../db/database.ts'
import type { CommandActor } from '../../platform/audit.ts'
import { toCsv, type CsvCell } from '../../platform/csv.ts'
import { NotFound } from '../../platform/errors.ts'
import { pageOf } from '../../platform/pagination.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleDeps } from './deps.ts'
import { ageBandOf, ageOn, rollColumns } from './rules.ts'
import * as store from './store.ts'

export const ROLL_PAGE_SIZE = 50

export type RollQuery = { search?: string | undefined; wingCode?: string | undefined; page?: number | undefined }

/** The roll of the establishment the user is working in, one page at a time. */
export async function viewRoll(deps: PeopleDeps, actor: Actor, query: RollQuery) {
  const { db } = deps
  const filter = { establishmentCode: actor.establishmentCode, search: query.search, wingCode: query.wingCode }
  const heading = await store.rollHeading(db, filter)
  if (!heading) throw new NotFound()
  const { wings, total, ...establishment } = heading
  const { page, pageCount, offset } = pageOf(total, query.page, ROLL_PAGE_SIZE)
  const people = await store.listRoll(db, filter, ROLL_PAGE_SIZE, offset)
  return { establishment, wings, people, total, page, pageCount, pageSize: ROLL_PAGE_SIZE }
}

/**
 * C1: the people at a prison with exactly this first and last name (either case), with their wing, for a
 * worry a person in custody raises about someone else. Not audited here: the caller audits what it does.
 */
export async function findByNameAt(deps: PeopleDeps, establishmentCode: string, firstName: string, lastName: string) {
  const { db } = deps
  if (firstName.trim() === '' || lastName.trim() === '') return []
  return store.findByNameAt(db, establishmentCode, firstName, lastName)
}

/**
 * M3: everyone at a prison with their age band and protected characteristics, for the equality figures,
 * which show groups and never a person. Not audited here: the equality area audits its view.
 */
export async function characteristicsAt(deps: PeopleDeps, establishmentCode: string) {
  const { db, clock } = deps
  const today = clock.today()
  const rows = await store.characteristicsAt(db, establishmentCode)
  return rows.map(({ dateOfBirth, ...row }) => ({ ...row, ageBand: ageBandOf(ageOn(dateOfBirth, today)) }))
}

/**
 * Everyone on an establishment's roll with their wing, by wing then name, for other areas' lists (key
 * work's allocation and caseloads, the journey's gaps). Not audited here: the area showing them audits.
 */
export async function listPeopleAt(deps: PeopleDeps, establishmentCode: string, trx: Db = deps.db) {
  return store.listPeopleAt(trx, establishmentCode)
}

/** How many are on each prison's roll, for rates per 1,000 (a group director's figures read twelve rolls). */
export async function countOnRolls(deps: PeopleDeps, establishmentCodes: readonly string[]) {
  const { db } = deps
  return store.countOnRolls(db, establishmentCodes)
}

/**
 * `waymark export`: an establishment's roll by its code; null when there is no such establishment. The roll as
 * CSV, and its audit entry in the same transaction: a roll is never read out unrecorded.
 */
export async function exportRollOf(
  deps: PeopleDeps,
  by: Actor | CommandActor,
  establishmentCode: string,
): Promise<{ csv: string; count: number } | null> {
  const { db, audit } = deps
  return db.transaction().execute(async (trx) => {
    if (!(await store.findEstablishment(trx, establishmentCode))) return null
    const rows = await store.listRollForExport(trx, establishmentCode)
    await audit.record(trx, by, { action: 'roll.exported', establishmentCode, details: { count: rows.length } })
    return { csv: rollCsv(rows), count: rows.length }
  })
}

/** The whole roll as CSV in the import format, so a file exported can be imported again. Audited. */
export async function exportRoll(deps: PeopleDeps, actor: Actor): Promise<{ csv: string; count: number }> {
  const roll = await exportRollOf(deps, actor, actor.establishmentCode)
  if (!roll) throw new NotFound()
  return roll
}

/** A roll in the import format, safe to open in a spreadsheet; the roll page and `waymark export` both write it. */
export function rollCsv(rows: Record<string, unknown>[]): string {
  return toCsv(
    rollColumns,
    rows.map((row) => rollColumns.map((column) => row[column] as CsvCell)),
  )
}
