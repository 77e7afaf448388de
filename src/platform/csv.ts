import { stringify } from 'csv-stringify/sync'

export type CsvCell = string | number | boolean | null | undefined

/**
 * Every CSV file Waymark writes (the roll, ACCT alerts, the needs analysis, attendance and equality figures):
 * RFC 4180 with CRLF line ends, and safe to open in a spreadsheet. A text cell that begins with = + - @, a tab
 * or a carriage return would run as a formula there (a name typed as `=HYPERLINK(…)` by anyone who can type a
 * name); it is written with a leading apostrophe instead. Numbers are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header, ...rows] as CsvCell[][], {
    record_delimiter: 'windows',
    cast: { string: neutraliseFormula },
  })
}

/** A cell that a spreadsheet would read as a formula, made text. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
