import { closeSync, existsSync, fsyncSync, openSync, unlinkSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { hasAnyEstablishment, seedDemoEstate } from './seed.ts'

/** Present in the data folder while the first start builds the demo estate. */
export const demoBuildMarker = 'waymark-building-demo'

/**
 * Builds the demo estate on the first start of an empty database. The estate is built in one transaction,
 * so a start killed midway leaves no estate; but it leaves tables full of the dead rows of the build, and
 * the next build among them took fifteen times as long. A build that did not finish is therefore redone on
 * a new schema, and the marker file says whether the last one finished.
 */
export async function buildDemoOnFirstStart(
  db: Db,
  options: { dataDirectory: string | undefined; today: string; environment: string; log?: (line: string) => void },
): Promise<'built' | 'rebuilt' | 'present'> {
  const log = options.log ?? console.log
  const marker = options.dataDirectory ? path.join(options.dataDirectory, demoBuildMarker) : undefined
  const interrupted = marker !== undefined && existsSync(marker)
  if (await hasAnyEstablishment(db)) {
    if (interrupted) {
      // Killed after the estate was committed, before its statistics were gathered.
      await sql`analyze`.execute(db)
      unlinkSync(marker)
    }
    return 'present'
  }
  log(
    interrupted
      ? 'First start: the last start stopped while it built the demo estate, so building it again from the start…'
      : 'First start: building the demo estate…',
  )
  if (marker) createDurably(marker)
  await seedDemoEstate(db, { seed: 1, today: options.today, environment: options.environment, reset: interrupted })
  if (marker) unlinkSync(marker)
  return interrupted ? 'rebuilt' : 'built'
}

function createDurably(file: string): void {
  const descriptor = openSync(file, 'w')
  try {
    fsyncSync(descriptor)
  } finally {
    closeSync(descriptor)
  }
  const folder = openSync(path.dirname(file), 'r')
  try {
    fsyncSync(folder)
  } finally {
    closeSync(folder)
  }
}
