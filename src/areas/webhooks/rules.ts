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
  'waymark.concern.raised',
  'waymark.dedicated-officer.allocated',
  'waymark.dedicated-officer.allocation-ended',
  'waymark.timetable.accepted',
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
  additionalInformation: Record<string, string | number | boolean>
}

/** The Waymark events a subscriber hears of, as the event outbox holds them (ids and codes only). */
export type WaymarkEventOut =
  | { type: 'care-plan.opened'; payload: { carePlanId: string; personId: string } }
  | { type: 'care-plan.closed'; payload: { carePlanId: string; personId: string; alertCode: 'HA1' | 'HA2' } }
  | { type: 'care-plan.alert-moved'; payload: { carePlanId: string; personId: string; from: 'HA1'; to: 'HA' | 'HA2' } }
  | {
      type: 'concern.raised'
      payload: { concernId: string; personId: string; urgency: string; indicatesSelfHarmRisk: boolean }
    }
  | { type: 'dedicated-officer.allocated'; payload: { allocationId: string; personId: string; staffUserId: string } }
  | {
      type: 'dedicated-officer.allocation-ended'
      payload: { allocationId: string; personId: string; staffUserId: string; reason: string }
    }
  | {
      type: 'timetable.accepted'
      payload: { runId: string; people: { personId: string; joined: number; left: number }[] }
    }

/** The source HMPPS consumers filter on: who made the change. */
export const SOURCE = 'WAYMARK'

/** The people a Waymark event is about, whose prison numbers its domain events name. */
export function peopleOf(event: WaymarkEventOut): string[] {
  return event.type === 'timetable.accepted'
    ? event.payload.people.map((person) => person.personId)
    : [event.payload.personId]
}

/**
 * What one Waymark event becomes, in the order a subscriber must receive them, each with the person it is
 * about. An ACCT opening creates the HA alert; a closing makes HA inactive and creates the next (HA1, or HA2
 * when the person left custody); each later move (HA1 to HA2, or back to HA on reopening) makes one inactive
 * and creates the other. A consumer that keeps one active ACCT alert a person sees each move. A concern and an
 * allocation are one event each; an accepted timetable is one for each person whose groups changed (so each
 * person's events stay in their own order), and none for a person not found by their id.
 */
export function domainEventsOf(
  event: WaymarkEventOut & { id: number; occurredAt: Date },
  prisonNumbers: ReadonlyMap<string, string>,
): { key: string; position: number; personId: string; event: DomainEvent }[] {
  const about = (
    personId: string,
    eventType: DomainEventType,
    description: string,
    more: Record<string, string | number | boolean>,
  ) => {
    const prisonNumber = prisonNumbers.get(personId)
    if (prisonNumber === undefined) return []
    const shaped: DomainEvent = {
      eventType,
      version: 1,
      occurredAt: event.occurredAt.toISOString(),
      description,
      personReference: { identifiers: [{ type: 'NOMS', value: prisonNumber }] },
      additionalInformation: { prisonNumber, ...more, source: SOURCE },
    }
    return [{ personId, event: shaped }]
  }
  const events = shapedEvents(event, about)
  // The key names the outbox event and the place in it: the same for every subscriber, every attempt and a replay.
  return events.map((shapedEvent, index) => ({
    key: `waymark-${event.id}-${index + 1}`,
    position: index + 1,
    ...shapedEvent,
  }))
}

type About = (
  personId: string,
  eventType: DomainEventType,
  description: string,
  more: Record<string, string | number | boolean>,
) => { personId: string; event: DomainEvent }[]

function shapedEvents(event: WaymarkEventOut, about: About) {
  switch (event.type) {
    case 'concern.raised': {
      // Whether the raiser saw a risk of self-harm is a fact about the person's health: it stays in Waymark,
      // for a system with the role to read the concern itself. The ACCT alert says what care plans decided.
      const { concernId, personId, urgency } = event.payload
      return about(personId, 'waymark.concern.raised', 'A concern was raised', { concernId, urgency })
    }
    case 'dedicated-officer.allocated': {
      const { allocationId, personId, staffUserId } = event.payload
      return about(personId, 'waymark.dedicated-officer.allocated', 'A dedicated officer was allocated', {
        allocationId,
        staffUserId,
      })
    }
    case 'dedicated-officer.allocation-ended': {
      const { allocationId, personId, staffUserId, reason } = event.payload
      return about(personId, 'waymark.dedicated-officer.allocation-ended', 'A dedicated officer’s allocation ended', {
        allocationId,
        staffUserId,
        reason,
      })
    }
    case 'timetable.accepted': {
      const { runId, people } = event.payload
      return people.flatMap(({ personId, joined, left }) =>
        about(personId, 'waymark.timetable.accepted', 'A new timetable changed the activity groups', {
          runId,
          groupsJoined: joined,
          groupsLeft: left,
        }),
      )
    }
    default:
      return carePlanEvents(event, about)
  }
}

function carePlanEvents(
  event: Extract<WaymarkEventOut, { type: `care-plan.${string}` }>,
  about: About,
): { personId: string; event: DomainEvent }[] {
  const { carePlanId, personId } = event.payload
  const plan = (eventType: DomainEventType, description: string, more: Record<string, string> = {}) =>
    about(personId, eventType, description, { carePlanId, ...more })
  const alert = (change: 'created' | 'inactive', alertCode: AcctAlertCode) =>
    plan(
      `person.alert.${change}`,
      `An ACCT alert (${alertCode}) was ${change === 'created' ? 'created' : 'made inactive'}`,
      { alertCode },
    )
  if (event.type === 'care-plan.opened')
    return [...alert('created', 'HA'), ...plan('waymark.care-plan.opened', 'A care plan (ACCT) was opened')]
  if (event.type === 'care-plan.closed')
    return [
      ...alert('inactive', 'HA'),
      ...alert('created', event.payload.alertCode),
      ...plan('waymark.care-plan.closed', 'A care plan (ACCT) was closed'),
    ]
  return [...alert('inactive', event.payload.from), ...alert('created', event.payload.to)]
}

// ---------------------------------------------------------------------------------------------------
// Signing

export const SIGNATURE_HEADER = 'waymark-signature'

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed by the subscription's
 * secret. The time is signed with the body, so a receiver that refuses an old time refuses a replayed copy.
 * While a rotated secret's grace lasts, a second `v1=` follows, keyed by the old one: a receiver still holding
 * it, or already holding the new, accepts the delivery (`secrets` newest first).
 */
export function signatureOf(secrets: string | readonly string[], body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  const keys = typeof secrets === 'string' ? [secrets] : secrets
  return [`t=${t}`, ...keys.map((secret) => `v1=${hmacOf(secret, `${t}.${body}`)}`)].join(',')
}

function hmacOf(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex')
}

/**
 * What a receiver does (and the tests do): the header's time within `toleranceSeconds` of now and one of its
 * v1s the HMAC of the time and the body exactly as received, compared in constant time.
 */
export function signatureIsValid(
  secret: string,
  body: string,
  header: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const parts = header.split(',').map((part) => {
    const at = part.indexOf('=')
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
  })
  const times = parts.filter(([name]) => name === 't')
  const t = times.length === 1 ? Number(times[0][1]) : Number.NaN
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false
  const expected = Buffer.from(hmacOf(secret, `${t}.${body}`), 'hex')
  return parts
    .filter(([name]) => name === 'v1')
    .some(([, v1]) => {
      const given = Buffer.from(v1, 'hex')
      return given.length === expected.length && timingSafeEqual(given, expected)
    })
}

/** After a secret is rotated, deliveries carry the old one's signature too for this long (a day). */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000

/** The secrets a delivery is signed with now, newest first: the old one only while its grace lasts. */
export function signingSecretsAt(
  secrets: { current: string; previous: string | null; previousUntil: Date | null },
  now: Date,
): string[] {
  const { current, previous, previousUntil } = secrets
  return previous !== null && previousUntil !== null && now < previousUntil ? [current, previous] : [current]
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

/**
 * A subscriber hears of the prisons it was registered for, one at least, each one the administrator works
 * in: an administrator shares no prison's events they could not see themselves.
 */
export function prisonsRefusal(chosen: readonly string[], administratorsPrisons: readonly string[]): Refusal | null {
  if (chosen.length === 0 || !chosen.every((code) => administratorsPrisons.includes(code)))
    return { field: 'establishmentCodes', messageKey: 'webhooks.error.prisons', values: {} }
  return null
}

/** A subscription asks for at least one event type, each one Waymark sends. */
export function eventTypesRefusal(eventTypes: readonly string[]): Refusal | null {
  if (eventTypes.length === 0 || !eventTypes.every(isDomainEventType))
    return { field: 'eventTypes', messageKey: 'webhooks.error.eventTypes', values: {} }
  return null
}

/**
 * The prisons a subscriber hears of once an administrator changes them: those chosen, each one they work in,
 * and beside them, as they were, those it hears of that the administrator does not work in. They cannot see
 * those prisons' events, so they neither add one nor take one away. Refused when a prison chosen is not one of
 * theirs (a form changed on its way, or a code that names no prison), or when none would be left.
 */
export function prisonsAfterChange(
  current: readonly string[],
  chosen: readonly string[],
  administratorsPrisons: readonly string[],
): { establishmentCodes: string[] } | Refusal {
  if (!chosen.every((code) => administratorsPrisons.includes(code)))
    return { field: 'establishmentCodes', messageKey: 'webhooks.error.prisonsNotYours', values: {} }
  const kept = current.filter((code) => !administratorsPrisons.includes(code))
  const establishmentCodes = [...new Set([...kept, ...chosen])].sort()
  if (establishmentCodes.length === 0)
    return { field: 'establishmentCodes', messageKey: 'webhooks.error.prisons', values: {} }
  return { establishmentCodes }
}

/**
 * An administrator knows of a subscriber only when it hears of a prison they work in: where another prison's
 * events go is that prison's business.
 */
export function maySeeSubscriber(prisons: readonly string[], administratorsPrisons: readonly string[]): boolean {
  return prisons.some((code) => administratorsPrisons.includes(code))
}

/**
 * What acts for every prison a subscriber hears of is for an administrator who works in all of them: its events
 * (one more type would share more of another prison's events, one fewer would stop what that prison relies on),
 * stopping and starting it, and its secret. The page offers the others none of these, so any sent are refused.
 * Its deliveries are each of one prison's event, and each prison's administrators see and send again their own.
 */
export function mayRunSubscriber(prisons: readonly string[], administratorsPrisons: readonly string[]): boolean {
  return prisons.every((code) => administratorsPrisons.includes(code))
}

/** The events a subscriber asks for once changed: refused as when it is added, or sent where none were offered. */
export function eventTypesChangeRefusal(
  eventTypes: readonly string[],
  currentPrisons: readonly string[],
  administratorsPrisons: readonly string[],
): Refusal | null {
  if (mayRunSubscriber(currentPrisons, administratorsPrisons)) return eventTypesRefusal(eventTypes)
  return eventTypes.length === 0 ? null : { field: '', messageKey: 'webhooks.error.eventTypesNotYours', values: {} }
}
