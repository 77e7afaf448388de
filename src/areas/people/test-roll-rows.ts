import { stringify } from 'csv-stringify/sync'
import { uniquePrisonNumber } from '../../../test/support/builders.ts'
import { rollColumns } from './rules.ts'

type RollColumn = (typeof rollColumns)[number]

/** Some of a roll file's columns, for a test to give only those it cares about. */
export type RollRow = Partial<Record<RollColumn, string>>

/**
 * For the roll import's tests: a complete, valid row of a roll file (Aled Pritchard, mainstream, in A-1-001),
 * in the order of the roll's columns, with only what a test cares about changed.
 */
export function aRollRow(changes: RollRow = {}): Record<RollColumn, string> {
  return {
    prison_number: 'A1234BC',
    first_name: 'Aled',
    last_name: 'Pritchard',
    date_of_birth: '1990-04-17',
    cohort: 'mainstream',
    wing: 'A',
    cell: 'A-1-001',
    reception_on: '2026-10-01',
    sex: 'M',
    ethnicity: 'W1',
    religion: 'none',
    disability: 'no',
    sexual_orientation: 'heterosexual',
    ...changes,
  }
}

/** A row as a line of a roll file, for a test that writes the file by hand. */
export const rollLine = (row: Record<RollColumn, string>): string => rollColumns.map((column) => row[column]).join(',')

/** A roll file in the import format; each row starts from a complete, valid person. */
export function rollFile(rows: RollRow[], columns: readonly string[] = rollColumns): string {
  const records = rows.map((row) => {
    const full: Record<string, string> = aRollRow({
      prison_number: uniquePrisonNumber(),
      first_name: 'Test',
      last_name: 'Person',
      ...row,
    })
    return columns.map((column) => full[column] ?? '')
  })
  return stringify(records, { header: true, columns: [...columns] })
}
