import autocannon, { type Client, type Request } from 'autocannon'
import { seededRandom } from '../../src/demo/random.ts'

/** What one load run does; plain data, so it can be handed to a worker thread or a child process. */
export type LoadSpec = {
  /** The server's origin, e.g. http://127.0.0.1:43127. */
  url: string
  connections: number
  /** Seconds of load that are thrown away first (JIT, plan and buffer caches), then `seconds` measured. */
  warmupSeconds: number
  seconds: number
  /** Requests per second on each connection (a user's pace); unset: each asks again as soon as answered. */
  rate?: number | undefined
  /** One Cookie header per connection: connection i sends cookies[i]. Empty: no cookies. */
  cookies: string[]
  /**
   * The cycle of requests every connection walks, one after the other; each step draws a random path from
   * its list. Connection i starts the cycle at step i, so the connections do not all ask for the same kind
   * of page at the same moment.
   */
  steps: { kind: string; paths: string[] }[]
  seed: number
}

export type LatencySummary = { responses: number; p50: number; p95: number; p99: number; max: number }

export type LoadResult = LatencySummary & {
  seconds: number
  requestsPerSecond: number
  /** Connection errors and timeouts. */
  errors: number
  non2xx: number
  statuses: Record<string, number>
  byKind: Record<string, LatencySummary & { non2xx: number }>
  /** CPU seconds used while measuring by the generator's thread, and by the whole process it ran in. */
  threadCpuSeconds: number
  processCpuSeconds: number
}

export type LoadPhase = 'warmup' | 'measure'

/** Nearest-rank percentile of sorted milliseconds. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

function summarise(durations: number[]): LatencySummary {
  const sorted = Float64Array.from(durations).sort()
  return {
    responses: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
  }
}

/**
 * Runs autocannon with a Cookie header of its own on each connection, and records every response's
 * latency itself: autocannon's histogram has no 95th percentile, and counts only 2xx latencies.
 */
async function runOnce(spec: LoadSpec, seconds: number, record: boolean) {
  const all: number[] = []
  const byKind = new Map<string, { durations: number[]; non2xx: number }>()
  const statuses: Record<string, number> = {}
  for (const step of spec.steps) byKind.set(step.kind, { durations: [], non2xx: 0 })
  let connection = 0

  const setupClient = (client: Client) => {
    const index = connection++
    const random = seededRandom(spec.seed * 7919 + index)
    const headers: Record<string, string> = spec.cookies.length ? { cookie: spec.cookies[index] ?? '' } : {}
    // With pipelining 1 a connection has one request in flight: the last one set up is the one answered.
    let inFlight = spec.steps[0].kind
    const cycle = spec.steps.map((_, i) => spec.steps[(i + index) % spec.steps.length])
    const requests: Request[] = cycle.map((step) => ({
      method: 'GET',
      path: step.paths[0],
      headers,
      setupRequest: (request: Request) => {
        inFlight = step.kind
        return { ...request, path: random.pick(step.paths) }
      },
    }))
    client.setRequests(requests)
    if (record)
      client.on('response', (status: number, _bytes: number, milliseconds: number) => {
        all.push(milliseconds)
        statuses[status] = (statuses[status] ?? 0) + 1
        const kind = byKind.get(inFlight)!
        kind.durations.push(milliseconds)
        if (status < 200 || status >= 300) kind.non2xx += 1
      })
  }

  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: seconds,
    timeout: 10,
    pipelining: 1,
    ...(spec.rate ? { connectionRate: spec.rate } : {}),
    setupClient,
  })
  return { result, all, byKind, statuses }
}

export async function runLoad(spec: LoadSpec, onPhase: (phase: LoadPhase) => void = () => {}): Promise<LoadResult> {
  if (spec.cookies.length > 0 && spec.cookies.length < spec.connections)
    throw new Error(`Need a cookie for each of the ${spec.connections} connections, got ${spec.cookies.length}`)
  if (spec.warmupSeconds > 0) {
    onPhase('warmup')
    await runOnce(spec, spec.warmupSeconds, false)
  }
  onPhase('measure')
  const threadBefore = process.threadCpuUsage()
  const processBefore = process.cpuUsage()
  const { result, all, byKind, statuses } = await runOnce(spec, spec.seconds, true)
  const thread = process.threadCpuUsage(threadBefore)
  const whole = process.cpuUsage(processBefore)
  const summary = summarise(all)
  return {
    ...summary,
    seconds: result.duration,
    requestsPerSecond: summary.responses / result.duration,
    errors: result.errors, // autocannon counts timeouts among its errors
    non2xx: result.non2xx,
    statuses,
    byKind: Object.fromEntries(
      [...byKind].map(([kind, { durations, non2xx }]) => [kind, { ...summarise(durations), non2xx }]),
    ),
    threadCpuSeconds: (thread.user + thread.system) / 1e6,
    processCpuSeconds: (whole.user + whole.system) / 1e6,
  }
}
