/**
 * Issue 15: events out, as pure rules. What a Waymark event becomes for a subscriber (an HMPPS domain event),
 * how a delivery is signed, when a failed one is tried again, and which subscriptions and addresses are
 * accepted. Ids, codes and dates only: never a name, a note or what a concern says.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Refusal } from '../../platform/forms.ts'

// ---------------------------------------------------------------------------------------------------
// The domain events a subscriber can ask for

/** HMPPS's own alert events, for the ACCT alerts (HA open, HA1 post closure, HA2 closed), and Waymark's own. */
export const domainEventTypes = [
  'person.alert.created',
  'person.alert.inactive',
  'waymark.care-plan.opened',
  'waymark.care-plan.closed',
] as const
export type DomainEventType = (typeof domainEventTypes)[number]

export function isDomainEventType(value: string): value is DomainEventType {
  return (domainEventTypes as readonly string[]).includes(value)
}

export type AcctAlertCode = 'HA' | 'HA1' | 'HA2'

/**
 * An HMPPS domain event as the HMPPS services publish them: its type and version, when it happened, a
 * sentence for people reading a log, the person by their NOMS (prison) number, and the rest in
 * `additionalInformation`.
 */
export type DomainEvent = {
  eventType: DomainEventType
  version: 1
  occurredAt: string
  description: string
  personReference: { identifiers: [{ type: 'NOMS'; value: string }] }
  additionalInformation: Record<string, string>
}

/** The Waymark events a subscriber hears of, as the event outbox holds them (ids and codes only). */
export type WaymarkEventOut =
  | { type: 'care-plan.opened'; payload: { carePlanId: string; personId: string } }
  | { type: 'care-plan.closed'; payload: { carePlanId: string; personId: string; alertCode: 'HA1' | 'HA2' } }
  | { type: 'care-plan.alert-moved'; payload: { carePlanId: string; personId: string; from: 'HA1'; to: 'HA' | 'HA2' } }

/** The source HMPPS consumers filter on: who made the change. */
export const SOURCE = 'WAYMARK'

/**
 * What one Waymark event becomes, in the order a subscriber must receive them. An ACCT opening creates the HA
 * alert; a closing makes HA inactive and creates the next (HA1, or HA2 when the person left custody); each
 * later move (HA1 to HA2, or back to HA on reopening) makes one inactive and creates the other. A consumer
 * that keeps one active ACCT alert a person sees each move.
 */
export function domainEventsOf(
  event: WaymarkEventOut & { id: number; occurredAt: Date },
  prisonNumber: string,
): { key: string; position: number; event: DomainEvent }[] {
  const { carePlanId } = event.payload
  const shaped = (eventType: DomainEventType, description: string, more: Record<string, string>): DomainEvent => ({
    eventType,
    version: 1,
    occurredAt: event.occurredAt.toISOString(),
    description,
    personReference: { identifiers: [{ type: 'NOMS', value: prisonNumber }] },
    additionalInformation: { prisonNumber, carePlanId, ...more, source: SOURCE },
  })
  const alert = (change: 'created' | 'inactive', alertCode: AcctAlertCode) =>
    shaped(
      `person.alert.${change}`,
      `An ACCT alert (${alertCode}) was ${change === 'created' ? 'created' : 'made inactive'}`,
      {
        alertCode,
      },
    )
  const events =
    event.type === 'care-plan.opened'
      ? [alert('created', 'HA'), shaped('waymark.care-plan.opened', 'A care plan (ACCT) was opened', {})]
      : event.type === 'care-plan.closed'
        ? [
            alert('inactive', 'HA'),
            alert('created', event.payload.alertCode),
            shaped('waymark.care-plan.closed', 'A care plan (ACCT) was closed', {}),
          ]
        : [alert('inactive', event.payload.from), alert('created', event.payload.to)]
  // The key names the outbox event and the place in it: the same for every subscriber, every attempt and a replay.
  return events.map((shapedEvent, index) => ({
    key: `waymark-${event.id}-${index + 1}`,
    position: index + 1,
    event: shapedEvent,
  }))
}

// ---------------------------------------------------------------------------------------------------
// Signing

export const SIGNATURE_HEADER = 'waymark-signature'

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed by the subscription's
 * secret. The time is signed with the body, so a receiver that refuses an old time refuses a replayed copy.
 */
export function signatureOf(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  return `t=${t},v1=${hmacOf(secret, `${t}.${body}`)}`
}

function hmacOf(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex')
}

/**
 * What a receiver does (and the tests do): the header's time within `toleranceSeconds` of now and its v1 the
 * HMAC of the time and the body exactly as received, compared in constant time.
 */
export function signatureIsValid(
  secret: string,
  body: string,
  header: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=')
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
    }),
  )
  const t = Number(parts.get('t'))
  const v1 = parts.get('v1') ?? ''
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false
  const expected = Buffer.from(hmacOf(secret, `${t}.${body}`), 'hex')
  const given = Buffer.from(v1, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

// ---------------------------------------------------------------------------------------------------
// Trying again

/** A delivery is tried this many times (about a day and a half with the waits below), then left failed. */
export const MAX_ATTEMPTS = 15
const FIRST_WAIT_SECONDS = 30
const LONGEST_WAIT_SECONDS = 6 * 3600

/** How long to wait after the given failed attempt (1 for the first): doubling from 30 seconds, up to 6 hours. */
export function waitAfterFailure(attempt: number): number {
  return Math.min(FIRST_WAIT_SECONDS * 2 ** Math.max(0, attempt - 1), LONGEST_WAIT_SECONDS) * 1000
}

/** A receiver took a delivery when it answered 2xx; anything else (a redirect included) is a failure. */
export function wasDelivered(status: number): boolean {
  return status >= 200 && status < 300
}

export type AttemptOutcome =
  | { state: 'delivered'; status: number }
  | { state: 'pending'; status: number | null; error: string; nextAttemptAt: Date }
  | { state: 'failed'; status: number | null; error: string }

/** What an attempt leaves a delivery: delivered, waiting for its next try, or failed for good. */
export function afterAttempt(
  attempt: number,
  answer: { status: number } | { error: string },
  now: Date,
): AttemptOutcome {
  if ('status' in answer && wasDelivered(answer.status)) return { state: 'delivered', status: answer.status }
  const status = 'status' in answer ? answer.status : null
  const error = 'error' in answer ? answer.error : `The receiver answered ${answer.status}`
  if (attempt >= MAX_ATTEMPTS) return { state: 'failed', status, error }
  return { state: 'pending', status, error, nextAttemptAt: new Date(now.getTime() + waitAfterFailure(attempt)) }
}

// ---------------------------------------------------------------------------------------------------
// A subscription

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * A subscriber's address: https (the body is signed, not hidden), or http to this machine only (a receiver
 * beside Waymark), with no user name or password in it, and not too long.
 */
export function addressRefusal(url: string): Refusal | null {
  const refused = (messageKey: string): Refusal => ({ field: 'url', messageKey, values: {} })
  if (url.trim() === '') return refused('webhooks.error.url.missing')
  if (url.length > 2000) return refused('webhooks.error.url.tooLong')
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    return refused('webhooks.error.url.invalid')
  }
  if (parsed.username || parsed.password) return refused('webhooks.error.url.credentials')
  if (parsed.protocol === 'https:') return null
  if (parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname)) return null
  return refused('webhooks.error.url.https')
}

/** A subscription asks for at least one event type, each one Waymark sends. */
export function eventTypesRefusal(eventTypes: readonly string[]): Refusal | null {
  if (eventTypes.length === 0 || !eventTypes.every(isDomainEventType))
    return { field: 'eventTypes', messageKey: 'webhooks.error.eventTypes', values: {} }
  return null
}
