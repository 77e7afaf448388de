import { writeFile } from 'node:fs/promises'
import { createServices } from '../app.ts'
import { openMigratedDatabase } from './database.ts'
import { parseOptions } from './options.ts'

const usage = 'Usage: waymark export --establishment CODE [--out roll.csv]'

export async function exportRoll(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { establishment: { type: 'string' }, out: { type: 'string' } })
  if (!parsed.ok || !parsed.values.establishment) {
    console.error(`${parsed.ok ? '' : parsed.message + '\n'}${usage}`)
    return 2
  }
  const establishmentCode = parsed.values.establishment.toUpperCase()
  const handle = await openMigratedDatabase()
  try {
    // Through the people service, as the roll page's download is: one audited read of the roll.
    const { people } = createServices({ db: handle.db })
    const roll = await people.exportRollOf({ id: null, username: 'waymark-export' }, establishmentCode)
    if (!roll) {
      console.error(`No establishment with the code ${establishmentCode}`)
      return 2
    }
    if (parsed.values.out) {
      await writeFile(parsed.values.out, roll.csv)
      console.error(`Wrote ${roll.count} people to ${parsed.values.out}`)
    } else process.stdout.write(roll.csv)
    return 0
  } finally {
    await handle.close()
  }
}
