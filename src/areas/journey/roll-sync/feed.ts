/**
 * Issue 15: reading a prison's roll from NOMIS, as HMPPS Prisoner Search pages it (`?page=N&size=M`, numbered from
 * 0, until `totalPages`), or from a file holding one such page or an array of records. Each page is a list of
 * records handed on as soon as it is read; a page that cannot be read after its retries ends the feed.
 */
import { PrisonerPage } from './rules.ts'

/** One page of the feed: its number (from 0) and its records, not yet checked. */
export type RollFeedPage = { page: number; records: unknown[] }
export type RollFeed = AsyncIterable<RollFeedPage>

/** A page that could not be read: the feed stops there, and what came before it stands. */
export class RollFeedError extends Error {
  readonly page: number
  constructor(page: number, message: string) {
    super(message)
    this.name = 'RollFeedError'
    this.page = page
  }
}

export type RollFeedOptions = {
  /** Records asked for on each page. */
  pageSize?: number
  /** Tries of each page before the feed gives up on it (a 5xx, a 429, a network error or a timeout). */
  attempts?: number
  /** The wait before the second try; it doubles before each try after. */
  firstWaitMs?: number
  /** How long one request may take. */
  timeoutMs?: number
  /** Sent as `Authorization: Bearer …`: HMPPS APIs want a client-credentials token. Never logged. */
  token?: string | undefined
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
}

const defaults = { pageSize: 200, attempts: 4, firstWaitMs: 500, timeoutMs: 30_000 }

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The address of one page: the feed's address with its page and size set (any other query kept). */
export function pageAddress(address: string, page: number, size: number): string {
  const url = new URL(address)
  url.searchParams.set('page', String(page))
  url.searchParams.set('size', String(size))
  return url.toString()
}

/** A failure worth trying again: the server's trouble, or too many requests, not a refusal of the request itself. */
const isPassing = (status: number) => status >= 500 || status === 429

/** The feed at an address, page by page until its `totalPages`. */
export async function* rollFeedFromUrl(address: string, options: RollFeedOptions = {}): RollFeed {
  const settings = { ...defaults, ...options }
  const request = options.fetch ?? fetch
  const sleep = options.sleep ?? wait
  let totalPages = 1
  for (let page = 0; page < totalPages; page += 1) {
    const body = await readPage(pageAddress(address, page, settings.pageSize), page, settings, request, sleep)
    const parsed = PrisonerPage.safeParse(body)
    if (!parsed.success) throw new RollFeedError(page, `page ${page} is not a Prisoner Search page`)
    // The roll can change while it is read: the latest count of pages is the one to reach.
    totalPages = parsed.data.totalPages
    yield { page, records: parsed.data.content }
  }
}

async function readPage(
  address: string,
  page: number,
  settings: typeof defaults & RollFeedOptions,
  request: typeof fetch,
  sleep: (ms: number) => Promise<void>,
): Promise<unknown> {
  let lastProblem = ''
  for (let attempt = 1; attempt <= settings.attempts; attempt += 1) {
    if (attempt > 1) await sleep(settings.firstWaitMs * 2 ** (attempt - 2))
    let response: Response
    try {
      response = await request(address, {
        headers: {
          accept: 'application/json',
          ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}),
        },
        signal: AbortSignal.timeout(settings.timeoutMs),
      })
    } catch (error) {
      lastProblem = (error as Error).name === 'TimeoutError' ? 'timed out' : 'could not be reached'
      continue
    }
    if (response.ok) {
      try {
        return await response.json()
      } catch {
        throw new RollFeedError(page, `page ${page} is not JSON`)
      }
    }
    await response.body?.cancel()
    lastProblem = `answered ${response.status}`
    if (!isPassing(response.status)) throw new RollFeedError(page, `page ${page} ${lastProblem}`)
  }
  throw new RollFeedError(page, `page ${page} ${lastProblem}, ${settings.attempts} times`)
}

/** A file of the feed: one Prisoner Search page, or an array of records. */
export async function* rollFeedFromText(text: string): RollFeed {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new RollFeedError(0, 'the file is not JSON')
  }
  if (Array.isArray(body)) {
    yield { page: 0, records: body }
    return
  }
  const parsed = PrisonerPage.safeParse(body)
  if (!parsed.success) throw new RollFeedError(0, 'the file is neither a Prisoner Search page nor an array of records')
  yield { page: 0, records: parsed.data.content }
}
