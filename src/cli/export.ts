import { writeFile } from 'node:fs/promises'
import { rollCsv } from '../areas/people/service.ts'
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
    const { listRollForExport, findEstablishment } = await import('../areas/people/store.ts')
    if (!(await findEstablishment(handle.db, establishmentCode))) {
      console.error(`No establishment with the code ${establishmentCode}`)
      return 2
    }
    const rows = await listRollForExport(handle.db, establishmentCode)
    const { createAudit } = await import('../platform/audit.ts')
    const { systemClock } = await import('../platform/clock.ts')
    await createAudit(systemClock).record(
      handle.db,
      { id: null, username: 'waymark-export' },
      {
        action: 'roll.exported',
        establishmentCode,
        details: { count: rows.length },
      },
    )
    const csv = rollCsv(rows)
    if (parsed.values.out) {
      await writeFile(parsed.values.out, csv)
      console.error(`Wrote ${rows.length} people to ${parsed.values.out}`)
    } else process.stdout.write(csv)
    return 0
  } finally {
    await handle.close()
  }
}
