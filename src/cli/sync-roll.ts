import { readFile, stat } from 'node:fs/promises'
import { createServices } from '../app.ts'
import { ROLL_FILE_MAX_BYTES } from '../areas/people/rules.ts'
import { rollSyncCommand, type SyncReport } from '../areas/journey/service.ts'
import { rollFeedFromText, rollFeedFromUrl, type RollFeed } from '../areas/journey/roll-sync/feed.ts'
import { syncRefusalReasons } from '../areas/journey/roll-sync/rules.ts'
import { openMigratedDatabase } from './database.ts'
import { parseOptions } from './options.ts'

const usage = 'Usage: waymark sync-roll --establishment CODE --from URL|FILE [--page-size N]'

/**
 * `waymark sync-roll`: a prison's roll as HMPPS Prisoner Search holds it (`--from` its address, e.g.
 * `https://…/prisoner-search/prison/NHI`, read `?page=N&size=M` from 0 until `totalPages`; or a file of one page
 * or an array of records) applied to Waymark: receptions, moves of cell, transfers in and out, releases. A token
 * for the address is read from ROLL_SYNC_TOKEN. Only prison numbers are printed, never names.
 *
 * Exit codes: 0 every record applied (or already as recorded), 1 some record refused or a page that could not be
 * read (what was read before it is applied), 2 bad input: the options, a file that cannot be read, a prison
 * Waymark does not hold.
 */
export async function syncRoll(args: string[]): Promise<number> {
  const parsed = parseOptions(args, {
    establishment: { type: 'string' },
    from: { type: 'string' },
    'page-size': { type: 'string' },
  })
  if (!parsed.ok) {
    console.error(`${parsed.message}\n${usage}`)
    return 2
  }
  const establishmentCode = parsed.values.establishment?.trim().toUpperCase()
  const from = parsed.values.from?.trim()
  const pageSize = Number(parsed.values['page-size'] ?? '200')
  if (!establishmentCode || !from || parsed.positionals.length > 0 || !Number.isInteger(pageSize) || pageSize < 1) {
    console.error(usage)
    return 2
  }
  let feed: RollFeed
  if (/^https?:\/\//i.test(from)) {
    try {
      new URL(from)
    } catch {
      console.error(`${from} is not an address.\n${usage}`)
      return 2
    }
    feed = rollFeedFromUrl(from, { pageSize, token: process.env.ROLL_SYNC_TOKEN })
  } else {
    try {
      if ((await stat(from)).size > ROLL_FILE_MAX_BYTES) {
        console.error(`Nothing was applied. ${from} is too large for a roll.`)
        return 2
      }
      feed = rollFeedFromText(await readFile(from, 'utf8'))
    } catch {
      console.error(`Cannot read ${from}`)
      return 2
    }
  }
  const handle = await openMigratedDatabase()
  try {
    const { journey } = createServices({ db: handle.db })
    const report = await journey.syncRoll(rollSyncCommand, establishmentCode, feed)
    if (!report) {
      console.error(`Nothing was applied: Waymark holds no establishment with the code ${establishmentCode}.`)
      return 2
    }
    for (const line of syncSummary(report)) console.error(line)
    return report.failedPage || report.refused.length > 0 ? 1 : 0
  } finally {
    await handle.close()
  }
}

/** What a sync did, in a few lines: counts, each record refused by its place and prison number, a page not read. */
export function syncSummary(report: SyncReport): string[] {
  const { counts } = report
  const lines = [
    `Roll from NOMIS for ${report.establishmentCode}: ${report.records} record(s) on ${report.pagesRead} page(s).`,
    `  received ${counts.received}, moved cell ${counts['moved-cell']}, transferred in ${counts['transferred-in']}, ` +
      `transferred out ${counts['transferred-out']}, released ${counts.released}, unchanged ${counts.unchanged}, ` +
      `waiting for a handover ${counts['awaiting-handover']}, refused ${counts.refused}`,
  ]
  if (report.refused.length > 0) {
    lines.push(`Refused, and nothing of them applied (pages numbered from 0, as Prisoner Search numbers them):`)
    for (const { page, index, prisonNumber, reason } of report.refused)
      lines.push(
        `  page ${page}, record ${index + 1}${prisonNumber ? ` (${prisonNumber})` : ''}: ${syncRefusalReasons[reason]}`,
      )
  }
  if (report.failedPage)
    lines.push(
      `Stopped: ${report.failedPage.message}. What was read before it was applied; nothing was read after it. ` +
        'Run again to read the rest.',
    )
  return lines
}
