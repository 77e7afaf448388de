/**
 * Issue 15: the roll from NOMIS on a schedule. The job worker runs it every few minutes for each prison
 * configured; each prison is read and applied as `waymark sync-roll` does, and one prison's failure does not
 * stop the others.
 */
import type { Sweep } from '../../../platform/jobs.ts'
import type { JourneyDeps } from '../deps.ts'
import { rollFeedFromUrl, type RollFeedOptions } from './feed.ts'
import { rollAddressOf, type RollSyncSettings } from './rules.ts'
import { rollSyncCommand, syncRoll, type SyncReport } from './sync.ts'

export function rollSyncSweep(
  deps: JourneyDeps,
  settings: RollSyncSettings,
  options: {
    /** Told each prison's report (counts, refusals by prison number): the server logs it. */
    onReport?: (report: SyncReport) => void
    feed?: Omit<RollFeedOptions, 'token'>
  } = {},
): Sweep {
  return {
    name: 'journey.roll-from-nomis',
    everySeconds: settings.everyMinutes * 60,
    run: async () => {
      const notRead: string[] = []
      for (const establishmentCode of settings.establishmentCodes) {
        const feed = rollFeedFromUrl(rollAddressOf(settings, establishmentCode), {
          ...options.feed,
          token: settings.token,
        })
        const report = await syncRoll(deps, rollSyncCommand, establishmentCode, feed)
        if (!report) notRead.push(`${establishmentCode} (not a prison Waymark holds)`)
        else {
          options.onReport?.(report)
          if (report.failedPage) notRead.push(`${establishmentCode} (${report.failedPage.message})`)
        }
      }
      // The job is marked failed, and the server logs why; the next run reads each prison again.
      if (notRead.length > 0) throw new Error(`The roll from NOMIS was not read whole for ${notRead.join(', ')}`)
    },
  }
}
