/** A roll file for one establishment: every person in it added or updated, or nothing saved at all. */
import { parse } from 'csv-parse/sync'
import type { CommandActor } from '../../platform/audit.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleDeps } from './deps.ts'
import { rollColumns, rollRowProblems, rollTextProblem, type ImportProblem } from './rules.ts'
import * as store from './store.ts'

export type ImportOutcome = { imported: number; problems: [] } | { imported: 0; problems: ImportProblem[] }

/**
 * Adds or updates the people in a roll file for one establishment. Every problem is reported by line
 * and column, and if there is any, nothing of the file is saved. A file of any length is saved in one
 * transaction, in batches that keep each statement within PostgreSQL's 65,535 bind parameters.
 */
export async function importRoll(
  deps: PeopleDeps,
  actor: Actor | CommandActor,
  establishmentCode: string,
  csvText: string,
): Promise<ImportOutcome> {
  const { db, clock, audit } = deps
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
}
