import { readFile, stat } from 'node:fs/promises'
import { createServices } from '../app.ts'
import { ROLL_FILE_MAX_BYTES, rollFileText } from '../areas/people/rules.ts'
import { openMigratedDatabase } from './database.ts'
import { parseOptions } from './options.ts'

const usage = 'Usage: waymark import roll.csv --establishment CODE'

const megabytes = (bytes: number) => `${Math.ceil(bytes / (1024 * 1024))} MB`

/**
 * Exit codes: 0 imported, 1 the file's rows have problems (listed by line and column, nothing saved), 2 bad
 * input: the options, or a file that cannot be read as a roll (too large, not UTF-8, a NUL, empty).
 */
export async function importRoll(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { establishment: { type: 'string' } })
  if (!parsed.ok) {
    console.error(`${parsed.message}\n${usage}`)
    return 2
  }
  const [file] = parsed.positionals
  const establishmentCode = parsed.values.establishment?.toUpperCase()
  if (!file || !establishmentCode || parsed.positionals.length > 1) {
    console.error(usage)
    return 2
  }
  let bytes: Uint8Array
  try {
    const { size } = await stat(file)
    if (size > ROLL_FILE_MAX_BYTES) {
      console.error(
        `Nothing was imported. ${file} is ${megabytes(size)}, over the limit of ${megabytes(ROLL_FILE_MAX_BYTES)} for a roll file: split it into smaller files and import each.`,
      )
      return 2
    }
    bytes = await readFile(file)
  } catch {
    console.error(`Cannot read ${file}`)
    return 2
  }
  const decoded = rollFileText(bytes)
  if (!decoded.ok) {
    const { line, column, message } = decoded.problem
    console.error(`Nothing was imported. ${file} cannot be read as a roll file:`)
    console.error(`  line ${line}${column ? `, column ${column}` : ''}: ${message}`)
    return 2
  }
  const text = decoded.text
  const handle = await openMigratedDatabase()
  try {
    const { people } = createServices({ db: handle.db })
    const outcome = await people.importRoll({ id: null, username: 'waymark-import' }, establishmentCode, text)
    if (outcome.problems.length > 0) {
      console.error(`Nothing was imported. ${outcome.problems.length} problem(s) in ${file}:`)
      for (const problem of outcome.problems)
        console.error(`  line ${problem.line}${problem.column ? `, column ${problem.column}` : ''}: ${problem.message}`)
      return 1
    }
    console.log(`Imported ${outcome.imported} people into ${establishmentCode}.`)
    return 0
  } finally {
    await handle.close()
  }
}
