import type { Db } from '../db/database.ts'
import type { DeallocationReason } from '../db/schema.ts'
import type { CommandActor } from './audit.ts'
import type { Clock } from './clock.ts'
import type { JobHandlers, Jobs } from './jobs.ts'
import type { Actor } from './permissions.ts'

/**
 * What one area tells the others, by name, with ids only: never a name, a note or what was seen. An area
 * that must act on another's change listens for its event instead of being called by it, so no service
 * needs another built after it.
 */
export type WaymarkEvents = {
  /** C1, J1: released, or died in custody: the person has left custody for good. */
  'person.left-custody': { personId: string; reason: 'release' | 'death' }
  /** J3: the receiving prison acknowledged a transfer; the person is now theirs. */
  'person.transferred': { personId: string; fromEstablishmentCode: string; toEstablishmentCode: string }
  /** Issue 14: a worry from family or friends was taken on the public page, to be matched and routed. */
  'family-worry.received': { familyWorryId: string }
  /** S3, issue 15: a care plan (ACCT) was opened; the person's alert is now HA, ACCT open. */
  'care-plan.opened': { carePlanId: string; personId: string }
  /**
   * S3, issue 15: a care plan was closed: by its closure case review (the alert moves from HA to HA1, post
   * closure) or when the person left custody with it open (straight to HA2, closed).
   */
  'care-plan.closed': { carePlanId: string; personId: string; alertCode: 'HA1' | 'HA2' }
  /**
   * S3, issue 15: the ACCT alert moved on after closing: to HA2 (closed) at the post-closure review or on leaving
   * custody in the post-closure period, or back to HA (open) when an immediate review reopened the plan.
   */
  'care-plan.alert-moved': { carePlanId: string; personId: string; from: 'HA1'; to: 'HA' | 'HA2' }
  /**
   * S1, issue 15: a concern was raised: its id, how urgent and whether it points to a risk of self-harm (for
   * Waymark's own listeners: other systems hear the id and urgency only). Never what was seen or heard, who
   * raised it, nor whether it is sensitive.
   */
  'concern.raised': {
    concernId: string
    personId: string
    urgency: 'immediate' | 'today' | 'can-wait'
    indicatesSelfHarmRisk: boolean
  }
  /** K1, issue 15: a dedicated officer was allocated to a person, by hand or from a wing's recommendation. */
  'dedicated-officer.allocated': { allocationId: string; personId: string; staffUserId: string }
  /**
   * K1, issue 15: a person's dedicated officer allocation ended: taken off by hand, replaced by another, ended on
   * a change agreed, or on transfer or release. The prison is the one the allocation was at.
   */
  'dedicated-officer.allocation-ended': {
    allocationId: string
    personId: string
    staffUserId: string
    reason: DeallocationReason
  }
  /**
   * R5, issue 15: a run's timetable was accepted as the prison's: the people whose activity groups changed, each
   * with how many they joined and left. One event for the run, so a prison's new timetable is one row.
   */
  'timetable.accepted': { runId: string; people: { personId: string; joined: number; left: number }[] }
}
export type EventType = keyof WaymarkEvents

/** An event as a listener receives it: who made the change comes with it, for the listener's audit entry. */
export type PublishedEvent<T extends EventType> = {
  id: number
  type: T
  payload: WaymarkEvents[T]
  establishmentCode: string | null
  by: { id: string | null; username: string }
  occurredAt: Date
}

export type EventListener<T extends EventType = EventType> = {
  /** Names the listener's queue: `event:<name>`. One name, one delivery of each event. */
  name: string
  type: T
  handle: (event: PublishedEvent<T>) => Promise<void>
}

/** A listener for any one event type. */
export type AnyEventListener = { [T in EventType]: EventListener<T> }[EventType]

/**
 * What is written with the event itself, in the change's own transaction: only for what must keep the order
 * in which changes were made, where a listener's job tried again after a later one's would lose it (the
 * deliveries to a webhook subscriber). It may only write rows; anything that can fail on its own is a listener.
 */
export type WrittenWithEvent = {
  types: readonly EventType[]
  write: (trx: Db, event: PublishedEvent<EventType>) => Promise<void>
}

export type Events = ReturnType<typeof createEvents>

const queueOf = (listener: { name: string }) => `event:${listener.name}`

/** A listener is tried this many times (with the job queue's growing wait between), then left failed. */
const ATTEMPTS = 5

/**
 * The outbox. `publish` writes the event and one job per listener in the caller's transaction: the event
 * exists only if the change commits, and a listener that fails is retried by the job queue without ever
 * undoing the change that raised it. Listeners are all registered at start-up, before any request.
 */
export function createEvents({ db, clock, jobs }: { db: Db; clock: Clock; jobs: Jobs }) {
  const listeners: AnyEventListener[] = []
  const writtenWith: WrittenWithEvent[] = []

  return {
    /** Registers what is written with each event of these types, in its transaction (`WrittenWithEvent`). */
    writeWith(written: WrittenWithEvent): void {
      writtenWith.push(written)
    },

    listen(listener: AnyEventListener): void {
      if (listeners.some((other) => other.name === listener.name))
        throw new Error(`Two event listeners are named ${listener.name}`)
      listeners.push(listener)
    },

    async publish<T extends EventType>(
      trx: Db,
      // A listener that changes something in turn publishes as whoever made the change it was told of.
      by: Actor | CommandActor | PublishedEvent<EventType>['by'],
      type: T,
      payload: WaymarkEvents[T],
      establishmentCode: string | null = 'establishmentCode' in by ? by.establishmentCode : null,
    ): Promise<number> {
      const occurredAt = clock.now()
      const { id } = await trx
        .insertInto('event_outbox')
        .values({
          type,
          establishment_code: establishmentCode,
          payload: JSON.stringify(payload),
          actor_id: by.id,
          actor_username: by.username,
          occurred_at: occurredAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const event = { id, type, payload, establishmentCode, by: { id: by.id, username: by.username }, occurredAt }
      for (const written of writtenWith.filter((candidate) => candidate.types.includes(type)))
        await written.write(trx, event)
      for (const listener of listeners.filter((candidate) => candidate.type === type))
        await jobs.enqueue(trx, queueOf(listener), { eventId: id }, { maxAttempts: ATTEMPTS })
      return id
    },

    /** The job handlers that deliver each listener its events: hand them to the worker. */
    handlers(): JobHandlers {
      return Object.fromEntries(
        listeners.map((listener) => [
          queueOf(listener),
          async (payload: unknown) => {
            const { eventId } = payload as { eventId: number }
            const row = await db
              .selectFrom('event_outbox')
              .selectAll()
              .where('id', '=', eventId)
              .executeTakeFirstOrThrow()
            // The row was written by `publish` for this listener's type, so its payload is that type's.
            await (listener.handle as (event: PublishedEvent<EventType>) => Promise<void>)({
              id: row.id,
              type: row.type as EventType,
              payload: row.payload as WaymarkEvents[EventType],
              establishmentCode: row.establishment_code,
              by: { id: row.actor_id, username: row.actor_username },
              occurredAt: row.occurred_at,
            })
          },
        ]),
      )
    },
  }
}
