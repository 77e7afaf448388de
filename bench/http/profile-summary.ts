import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseOptions } from '../../src/cli/options.ts'

/**
 * node bench/http/profile-summary.ts FILE.cpuprofile [--top 15]
 *
 * Issue 19: where a server's CPU went, from a V8 CPU profile (`npm run bench:http -- --cpu-profile FILE`, or
 * `node --cpu-prof`): the functions with the most self time (the time spent in their own code), the most total
 * time (in them or anything they called; a function counted once per sample however deep it recurses), and
 * self time by package (or by our own folder), each as a share of the samples.
 */

type ProfileNode = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
type Profile = { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number }

const USAGE = 'Usage: node bench/http/profile-summary.ts FILE.cpuprofile [--top 15]'

/** Where a function's code lives, short: a package's name, or a path inside this repository. */
function placeOf(url: string): string {
  if (!url) return ''
  const file = url.startsWith('file://') ? new URL(url).pathname : url
  const modules = file.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const [first, second] = file.slice(modules + '/node_modules/'.length).split('/')
    return first.startsWith('@') ? `${first}/${second}` : first
  }
  return file.startsWith('/') ? path.relative(process.cwd(), file) : file
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const place = placeOf(url)
  return `${functionName || '(anonymous)'}${place ? ` ${place}:${lineNumber + 1}` : ''}`
}

/** Self and total sample counts per function, and self counts per package or folder. */
export function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const hits = new Map<number, number>()
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1)
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  const byPlace = new Map<string, number>()
  for (const [id, count] of hits) {
    const node = byId.get(id)!
    const name = label(node)
    self.set(name, (self.get(name) ?? 0) + count)
    const where = placeOf(node.callFrame.url)
    // A file of ours counts to its folder; a package, the WebAssembly module or a native call as it is.
    const place = where.startsWith('src/') || where.startsWith('bench/') ? path.dirname(where) : where || name
    byPlace.set(place, (byPlace.get(place) ?? 0) + count)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = label(byId.get(at)!)
      if (seen.has(frame)) continue
      seen.add(frame)
      total.set(frame, (total.get(frame) ?? 0) + count)
    }
  }
  return { samples: profile.samples.length, seconds: (profile.endTime - profile.startTime) / 1e6, self, total, byPlace }
}

function top(counts: Map<string, number>, samples: number, n: number, heading: string): string {
  const rows = [...counts].sort((a, b) => b[1] - a[1]).slice(0, n)
  return [
    `| ${heading} | share |`,
    '|:--|--:|',
    ...rows.map(([name, count]) => `| ${name.replaceAll('|', '\\|')} | ${((100 * count) / samples).toFixed(1)}% |`),
  ].join('\n')
}

async function main(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { top: { type: 'string', default: '15' } })
  if (!parsed.ok || parsed.positionals.length !== 1) {
    console.error(USAGE)
    return 2
  }
  const n = Number(parsed.values.top)
  const summary = summarise(JSON.parse(await readFile(parsed.positionals[0], 'utf8')) as Profile)
  const withoutIdle = [...summary.self].filter(([name]) => name !== '(idle)').reduce((sum, [, c]) => sum + c, 0)
  console.log(
    [
      `${summary.samples} samples over ${summary.seconds.toFixed(1)} s; not idle: ${((100 * withoutIdle) / summary.samples).toFixed(1)}%`,
      '',
      top(summary.self, summary.samples, n, 'self time'),
      '',
      top(summary.total, summary.samples, n, 'total time'),
      '',
      top(summary.byPlace, summary.samples, n, 'self time by package or folder'),
    ].join('\n'),
  )
  return 0
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2))
