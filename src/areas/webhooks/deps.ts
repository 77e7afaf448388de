/** Issue 15: what the webhooks use cases are given, built once in app.ts. */
import type { Jobs } from '../../platform/jobs.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'

/** What a receiver answered, or why no answer came (refused, timed out): never the body it sent back. */
export type Answer = { status: number } | { error: string }

/** Sends one signed body to a subscriber. Over HTTP in Waymark; a test may hand its own. */
export type Send = (url: string, body: string, headers: Record<string, string>) => Promise<Answer>

export type WebhooksDeps = PlatformDeps & {
  jobs: Pick<Jobs, 'enqueue'>
  send: Send
}

/** The queue whose jobs deliver what is due; one is queued with each new delivery and for each retry. */
export const DELIVER_QUEUE = 'webhooks:deliver'

/** A receiver that has not answered in this long has failed the attempt. */
const TIMEOUT_MS = 10_000

/**
 * Waymark's own sender: a POST that follows no redirect (a redirect is a failure, so a signed body never goes
 * somewhere the administrator did not name) and gives up after ten seconds.
 */
export const sendOverHttp: Send = async (url, body, headers) => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    await response.body?.cancel()
    return { status: response.status }
  } catch (error) {
    return { error: whyNoAnswer(error) }
  }
}

/** Why no answer came, in a few words for the delivery log: the network's code, never the address. */
function whyNoAnswer(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `No answer within ${TIMEOUT_MS / 1000} seconds`
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined
  if (typeof cause?.code === 'string') return `Could not connect (${cause.code})`
  // Refused before any connection (a port browsers never use, say): the reason, which names no person.
  if (typeof cause?.message === 'string') return `Could not send (${cause.message.slice(0, 100)})`
  return error instanceof Error ? `Could not send (${error.name})` : 'Could not send'
}
