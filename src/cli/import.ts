import { readFile } from 'node:fs/promises'
import { createServices } from '../app.ts'
import { openMigratedDatabase } from './database.ts'
import { parseOptions } from './options.ts'

const usage = 'Usage: waymark import roll.csv --establishment CODE'

/** Exit codes: 0 imported, 1 the file has problems (listed by line and column, nothing saved), 2 bad input. */
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
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    console.error(`Cannot read ${file}`)
    return 2
  }
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
