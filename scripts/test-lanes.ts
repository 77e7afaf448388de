/**
 * Which test files each lane of `npm run test:unit` runs: `node scripts/test-lanes.ts LANES PATTERN…` prints each
 * file matched with its lane's number before it (`2 src/areas/people/routes.test.ts`), one a line. The files are
 * dealt longest first, each to the lane with the least time so far, by the times `npm run test:times` last measured
 * in the lanes (test/times.json, which `--record` writes from each lane's report); a file not measured yet counts
 * as the median file. Dealing every other file (--test-shard) left one lane 60 to 90 s behind the other, since a
 * browser journey takes fifty times a rules file. Times out of date cost balance, never a test: every file
 * matched runs in exactly one lane.
 */
import { existsSync, globSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const timesFile = path.join(root, 'test/times.json')

export function dealIntoLanes(files: string[], seconds: Record<string, number>, lanes: number): string[][] {
  const known = files
    .map((file) => seconds[file])
    .filter((time) => time !== undefined)
    .sort((a, b) => a - b)
  const median = known.length > 0 ? known[Math.floor(known.length / 2)] : 1
  const timeOf = (file: string) => seconds[file] ?? median
  const longestFirst = [...files].sort((a, b) => timeOf(b) - timeOf(a) || a.localeCompare(b))
  const dealt = Array.from({ length: lanes }, () => ({ files: [] as string[], seconds: 0 }))
  for (const file of longestFirst) {
    const lightest = dealt.reduce((best, lane) => (lane.seconds < best.seconds ? lane : best))
    lightest.files.push(file)
    lightest.seconds += timeOf(file)
  }
  // Each lane in the order of the files' names, as node --test runs them (and as a lane's report lists them).
  return dealt.map((lane) => lane.files.sort())
}

function readTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(timesFile, 'utf8')) as Record<string, number>
  } catch {
    return {}
  }
}

/** The times just measured, over those measured before, less any file that is gone. */
function recordTimes(measured: string[]): void {
  const times = readTimes()
  for (const file of measured) Object.assign(times, JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>)
  const kept = Object.entries(times)
    .filter(([name]) => existsSync(path.join(root, name)))
    .sort(([a], [b]) => a.localeCompare(b))
  writeFileSync(timesFile, `${JSON.stringify(Object.fromEntries(kept), null, 2)}\n`)
}

if (import.meta.main) {
  const [first, ...rest] = process.argv.slice(2)
  if (first === '--record') recordTimes(rest)
  else {
    const files = [
      ...new Set(
        rest.flatMap((pattern) => globSync(pattern, { cwd: root, exclude: (name) => name === 'node_modules' })),
      ),
    ].sort()
    if (files.length === 0) {
      console.error(`No test file matches ${rest.join(' ')}`)
      process.exit(2)
    }
    dealIntoLanes(files, readTimes(), Number(first)).forEach((lane, index) => {
      for (const file of lane) console.log(`${index + 1} ${file}`)
    })
  }
}
