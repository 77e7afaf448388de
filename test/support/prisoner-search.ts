/**
 * A stand-in for HMPPS Prisoner Search, for the roll from NOMIS (issue 15): a real HTTP server on a port of its
 * own, answering `GET /prisoner-search/prison/{prisonId}?page=N&size=M` with a Spring page of the records a
 * test gives it, as the real service pages a prison's roll. It is an external system's stand-in, not a mock of
 * Waymark: the code under test reads it over HTTP as it would read NOMIS. A page can be made to fail a number
 * of times (a 5xx, or a connection dropped), to test the retries.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** One prisoner as Prisoner Search answers (a synthetic person, with the fields of a real answer). */
const recorded = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'prisoner-search', 'record.json'), 'utf8'),
) as Record<string, unknown>

/** A prisoner record in HMPPS's shape: the recorded one, with what the test says is different. */
export function prisonerRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return structuredClone({ ...recorded, ...overrides })
}

/** The record of someone released: NOMIS keeps them, with nowhere as their prison. */
export function releasedRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return prisonerRecord({
    status: 'INACTIVE OUT',
    inOutStatus: 'OUT',
    prisonId: 'OUT',
    prisonName: 'Outside',
    cellLocation: null,
    lastMovementTypeCode: 'REL',
    ...overrides,
  })
}

/** A Spring page of records, numbered from 0, as Prisoner Search pages its answers. */
export function springPage(records: unknown[], page: number, size: number) {
  const totalPages = Math.ceil(records.length / size)
  const content = records.slice(page * size, (page + 1) * size)
  return {
    content,
    pageable: { pageNumber: page, pageSize: size, offset: page * size, paged: true, unpaged: false },
    totalElements: records.length,
    totalPages,
    last: page >= totalPages - 1,
    first: page === 0,
    number: page,
    size,
    numberOfElements: content.length,
    empty: content.length === 0,
    sort: { empty: true, sorted: false, unsorted: true },
  }
}

export type PrisonerSearchStandIn = {
  /** The address of a prison's roll, as `waymark sync-roll --from` takes it. */
  rollAddress: (prisonId: string) => string
  /** What each prison's roll holds; a test changes it between syncs. */
  rolls: Map<string, unknown[]>
  /** The pages asked for, in order: `NHI:0`, `NHI:1`… */
  requests: string[]
  /** The Authorization header of each request, in the same order. */
  authorizations: (string | undefined)[]
  /** Answers this instead of the next page asked for (a body that is not a Prisoner Search page). */
  answerNextWith: (body: string) => void
  /**
   * The page fails this many more times before it is answered: with this status, or by dropping the connection.
   * Failures asked for one after another come in that order.
   */
  failPage: (prisonId: string, page: number, times: number, how?: number | 'drop') => void
  close: () => Promise<void>
}

export async function startPrisonerSearch(rolls: Record<string, unknown[]> = {}): Promise<PrisonerSearchStandIn> {
  const roll = new Map(Object.entries(rolls))
  const requests: string[] = []
  const authorizations: (string | undefined)[] = []
  const odd: string[] = []
  const failures = new Map<string, (number | 'drop')[]>()

  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const match = /^\/prisoner-search\/prison\/([A-Z0-9]+)$/.exec(url.pathname)
    if (request.method !== 'GET' || !match) return respond(response, 404, { status: 404, userMessage: 'Not found' })
    const prisonId = match[1]
    const page = Number(url.searchParams.get('page') ?? '0')
    const size = Number(url.searchParams.get('size') ?? '10')
    requests.push(`${prisonId}:${page}`)
    authorizations.push(request.headers.authorization)
    const body = odd.shift()
    if (body !== undefined) return void response.writeHead(200, { 'content-type': 'application/json' }).end(body)
    const failure = failures.get(`${prisonId}:${page}`)?.shift()
    if (failure === 'drop') return request.socket.destroy()
    if (failure !== undefined)
      return respond(response, failure, { status: failure, userMessage: 'Service unavailable' })
    respond(response, 200, springPage(roll.get(prisonId) ?? [], page, size))
  }
  const server = createServer(answer)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    rollAddress: (prisonId) => `http://127.0.0.1:${port}/prisoner-search/prison/${prisonId}`,
    rolls: roll,
    requests,
    authorizations,
    answerNextWith: (body) => void odd.push(body),
    failPage: (prisonId, page, times, how = 503) => {
      const key = `${prisonId}:${page}`
      failures.set(key, [...(failures.get(key) ?? []), ...Array.from({ length: times }, () => how)])
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

function respond(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
