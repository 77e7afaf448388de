import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon, { type Client, type Request } from 'autocannon'
import { seededRandom, type Random } from '../../src/demo/random.ts'

/** What one load run does; plain data, so it can be handed to a worker thread or a child process. */
export type LoadSpec = {
  /** The server's origin, e.g. http://127.0.0.1:43127. */
  url: string
  connections: number
  /** Seconds of load that are thrown away first (JIT, plan and buffer caches), then `seconds` measured. */
  warmupSeconds: number
  seconds: number
  /**
   * Requests per second on each connection (a user's pace), each user starting at a random moment in the
   * first interval; unset: each asks again as soon as answered (autocannon).
   */
  rate?: number | undefined
  /** One Cookie header per connection: connection i sends cookies[i]. Empty: no cookies. */
  cookies: string[]
  /** Other headers per connection (an API client's bearer token and Caseload-Id): connection i sends headers[i]. */
  headers?: Record<string, string>[] | undefined
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
  /** Seconds from opening the connections until every one had its first answer (null: some never did). */
  allAnsweredAfter: number | null
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

/** p50, p95, p99 and the longest of some latencies, by nearest rank (bench:pages uses it too). */
export function summarise(durations: number[]): LatencySummary {
  const sorted = Float64Array.from(durations).sort()
  return {
    responses: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
  }
}

/** What a run records while measuring, however the load is generated. */
function createRecorder(spec: LoadSpec) {
  const all: number[] = []
  const byKind = new Map<string, { durations: number[]; non2xx: number }>()
  const statuses: Record<string, number> = {}
  for (const step of spec.steps) byKind.set(step.kind, { durations: [], non2xx: 0 })
  let errors = 0
  let start: { at: number; thread: NodeJS.CpuUsage; process: NodeJS.CpuUsage } | null = null
  return {
    get measuring() {
      return start !== null
    },
    begin() {
      start = { at: performance.now(), thread: process.threadCpuUsage(), process: process.cpuUsage() }
    },
    response(kind: string, status: number, milliseconds: number) {
      all.push(milliseconds)
      statuses[status] = (statuses[status] ?? 0) + 1
      const entry = byKind.get(kind)!
      entry.durations.push(milliseconds)
      if (status < 200 || status >= 300) entry.non2xx += 1
    },
    error() {
      errors += 1
    },
    /** Closes the measured window (call it when the window ends, before waiting for stragglers). */
    finish(allAnsweredAfter: number | null) {
      if (!start) throw new Error('The load run stopped before measuring')
      const seconds = (performance.now() - start.at) / 1000
      const thread = process.threadCpuUsage(start.thread)
      const whole = process.cpuUsage(start.process)
      return () => {
        const summary = summarise(all)
        return {
          ...summary,
          seconds,
          requestsPerSecond: summary.responses / seconds,
          errors,
          non2xx: Object.entries(statuses)
            .filter(([status]) => !status.startsWith('2'))
            .reduce((sum, [, n]) => sum + n, 0),
          statuses,
          byKind: Object.fromEntries(
            [...byKind].map(([kind, { durations, non2xx }]) => [kind, { ...summarise(durations), non2xx }]),
          ),
          allAnsweredAfter,
          threadCpuSeconds: (thread.user + thread.system) / 1e6,
          processCpuSeconds: (whole.user + whole.system) / 1e6,
        } satisfies LoadResult
      }
    },
  }
}

/** Connection i's walk through the steps: the cycle rotated to start at step i, each step a random path. */
function connectionCycle(spec: LoadSpec, index: number) {
  const random: Random = seededRandom(spec.seed * 7919 + index)
  const cycle = spec.steps.map((_, i) => spec.steps[(i + index) % spec.steps.length])
  const headers: Record<string, string> = {
    ...(spec.cookies.length ? { cookie: spec.cookies[index] ?? '' } : {}),
    ...spec.headers?.[index],
  }
  return { random, cycle, headers }
}

export async function runLoad(spec: LoadSpec, onPhase: (phase: LoadPhase) => void = () => {}): Promise<LoadResult> {
  if (spec.cookies.length > 0 && spec.cookies.length < spec.connections)
    throw new Error(`Need a cookie for each of the ${spec.connections} connections, got ${spec.cookies.length}`)
  return spec.rate ? runPaced(spec, spec.rate, onPhase) : runSaturating(spec, onPhase)
}

/**
 * As fast as the server answers: one autocannon run. Nothing is recorded until every connection has had
 * its first answer and the warm-up has passed: a saturated Node server accepts new connections only
 * between bursts of work, so connections opened into a busy server can wait seconds for their first
 * answer, which is a cost of opening connections, not of the pages. From then on it records every
 * response's latency itself (autocannon's histogram has no 95th percentile and counts only 2xx), and every
 * timeout and connection error, for `seconds`.
 */
async function runSaturating(spec: LoadSpec, onPhase: (phase: LoadPhase) => void): Promise<LoadResult> {
  const recorder = createRecorder(spec)
  const answered = new Set<number>()
  const opened = performance.now()
  let allAnsweredAfter: number | null = null
  let stopped: () => void = () => {}
  const done = new Promise<void>((resolve) => (stopped = resolve))

  const startMeasuring = () => {
    if (recorder.measuring) return
    recorder.begin()
    onPhase('measure')
    setTimeout(stopped, spec.seconds * 1000)
  }
  const maybeStartMeasuring = () => {
    if (answered.size === spec.connections && performance.now() - opened >= spec.warmupSeconds * 1000) startMeasuring()
  }
  // However busy the server, measure in the end: connections still unanswered then show up as timeouts.
  const giveUp = setTimeout(startMeasuring, (spec.warmupSeconds + 60) * 1000)
  const warmedUp = setTimeout(maybeStartMeasuring, spec.warmupSeconds * 1000)

  let connection = 0
  const setupClient = (client: Client) => {
    const index = connection++
    const { random, cycle, headers } = connectionCycle(spec, index)
    // With pipelining 1 a connection has one request in flight: the last one set up is the one answered.
    let inFlight = cycle[0].kind
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
    client.on('response', (status: number, _bytes: number, milliseconds: number) => {
      if (recorder.measuring) return recorder.response(inFlight, status, milliseconds)
      if (answered.has(index)) return
      answered.add(index)
      if (answered.size === spec.connections) allAnsweredAfter = (performance.now() - opened) / 1000
      maybeStartMeasuring()
    })
    const onError = () => recorder.measuring && recorder.error()
    client.on('timeout', onError)
    client.on('connError', onError)
  }

  if (spec.warmupSeconds > 0) onPhase('warmup')
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    // Ended by stop() once measured; the duration is only a backstop.
    duration: spec.warmupSeconds + 60 + spec.seconds + 10,
    timeout: 10,
    pipelining: 1,
    setupClient,
  })
  await done
  const result = recorder.finish(allAnsweredAfter)
  instance.stop()
  clearTimeout(giveUp)
  clearTimeout(warmedUp)
  await instance
  return result()
}

/**
 * At a user's pace: each connection (one keep-alive socket, like a browser tab) asks for a page every
 * 1/rate s, starting at a random moment in the first interval so that the users are not in step (autocannon's
 * connectionRate sends every connection's request at the same instant, a burst of 50 each second). A page
 * slower than the interval delays that user's next one; latency is measured from sending to the last byte.
 * Requests sent in the measured window are recorded.
 */
async function runPaced(spec: LoadSpec, rate: number, onPhase: (phase: LoadPhase) => void): Promise<LoadResult> {
  const recorder = createRecorder(spec)
  const target = new URL(spec.url)
  const interval = 1000 / rate
  const opened = performance.now()
  const measureFrom = opened + spec.warmupSeconds * 1000
  const measureUntil = measureFrom + spec.seconds * 1000
  let windowClosed: (() => LoadResult) | null = null
  const answered = new Set<number>()
  let allAnsweredAfter: number | null = null
  if (spec.warmupSeconds > 0) onPhase('warmup')
  const beginAt = setTimeout(() => {
    recorder.begin()
    onPhase('measure')
  }, measureFrom - opened)
  const endAt = setTimeout(() => (windowClosed = recorder.finish(allAnsweredAfter)), measureUntil - opened)

  const user = async (index: number) => {
    const { random, cycle, headers } = connectionCycle(spec, index)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    let next = opened + random.next() * interval
    for (let request = 0; ; request++) {
      const wait = next - performance.now()
      if (wait > 0) await sleep(wait)
      const sentAt = performance.now()
      if (sentAt >= measureUntil) break
      const step = cycle[request % cycle.length]
      const recording = sentAt >= measureFrom
      try {
        const status = await get(target, random.pick(step.paths), headers, agent)
        if (recording) recorder.response(step.kind, status, performance.now() - sentAt)
        if (!answered.has(index)) {
          answered.add(index)
          if (answered.size === spec.connections) allAnsweredAfter = (performance.now() - opened) / 1000
        }
      } catch {
        if (recording) recorder.error()
      }
      next += interval
    }
    agent.destroy()
  }
  await Promise.all(Array.from({ length: spec.connections }, (_, index) => user(index)))
  clearTimeout(beginAt)
  clearTimeout(endAt)
  const result = windowClosed as (() => LoadResult) | null
  return (result ?? recorder.finish(allAnsweredAfter))()
}

function get(target: URL, path: string, headers: Record<string, string>, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: target.hostname, port: target.port, path, headers, agent }, (response) => {
      response.resume()
      response.once('end', () => resolve(response.statusCode ?? 0))
      response.once('error', reject)
    })
    request.setTimeout(10_000, () => request.destroy(new Error('Timed out after 10 s')))
    request.once('error', reject)
  })
}
