import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import type { Clock } from '../../src/platform/clock.ts'
import type { Services } from '../../src/app.ts'
import { isRefusal } from '../../src/platform/forms.ts'
import type { Actor } from '../../src/platform/permissions.ts'
import type { DomainEvent, DomainEventType } from '../../src/areas/webhooks/rules.ts'
import { createWebhooksService, type Send, type WebhooksService } from '../../src/areas/webhooks/service.ts'
import type { TestDatabase } from './database.ts'
import { givenAssessedPlan, type CarePlanPrison } from './care-plan-builders.ts'
import { givenActivity, givenUsableDay, givenWant } from './allocation-builders.ts'
import { before } from 'node:test'
import { givenStaffUser, unique } from './builders.ts'
import { givenTrainedOfficer } from './staff-builders.ts'

const supervision = { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 }
const attended = { attendees: [{ kind: 'healthcare' as const, name: 'Amira Khan' }], personPresent: true }

/**
 * Issue 15: a care plan opened for a new person at the prison and taken to its closure case review through
 * the care plans service: its first review, then a review that closes it (alert HA, then HA1). A step refused
 * stops the test there.
 */
export async function givenClosedCarePlan(db: Db, services: Services, prison: CarePlanPrison, clock: Clock) {
  const { person, id } = await givenAssessedPlan(db, services.carePlans, prison, clock.now(), supervision)
  const review = { heldAt: clock.now(), ...attended, caseManagerId: prison.lead.id, supervision }
  const steps = [
    () =>
      services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
        ...review,
        notes: '',
        riskLevel: 'raised',
        triggers: 'Phone calls home',
        warningSigns: 'Stops eating',
        nextReviewDueAt: new Date(clock.now().getTime() + 3 * 86_400_000),
      }),
    () =>
      services.carePlans.holdReview(prison.lead, person.prisonNumber, id, {
        ...review,
        notes: 'Much better',
        riskLevel: 'low',
        close: true,
        personView: 'Feels able to cope now, and knows whom to ask',
        closureReasons: { 'care-map': 'Nothing left on the care map' },
      }),
  ]
  for (const step of steps) {
    const refusal = await step()
    if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  }
  return { person, carePlanId: id }
}

/**
 * Issue 15: a concern raised about the person by the prison's officer, through the concerns service, with
 * words in it that must never leave Waymark.
 */
export async function givenRaisedConcern(services: Services, prison: CarePlanPrison, prisonNumber: string) {
  const raised = await services.concerns.raiseConcern(prison.officer, prisonNumber, {
    whatHappened: 'Gave away their radio and said goodbye to Amira',
    urgency: 'immediate',
    safeNow: 'not-sure',
    isSensitive: true,
    indicatesSelfHarmRisk: true,
    peerSupporterId: null,
  })
  if (isRefusal(raised)) throw new Error(`refused: ${raised.messageKey}`)
  return raised.concernId
}

/**
 * Issue 15: a keyworker trained to take people (safeguarding and mental health first aid current), allocated
 * to the person by the safer custody lead through the key work service.
 */
export async function givenAllocatedOfficer(db: Db, services: Services, prison: CarePlanPrison, prisonNumber: string) {
  const officer = await givenTrainedOfficer(db, prison.code)
  const refusal = await services.keywork.allocate(prison.lead, prisonNumber, officer.id)
  if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  const { id } = await db
    .selectFrom('dedicated_officer_allocation')
    .select('id')
    .where('staff_user_id', '=', officer.id)
    .executeTakeFirstOrThrow()
  return { officer, allocationId: id }
}

/**
 * Issue 15: a timetable placing these people in a new group of a new activity on Monday mornings, imported and
 * accepted by an activities manager through the allocation service. Returns the run's id.
 */
export async function givenAcceptedTimetable(
  db: Db,
  services: Services,
  prison: CarePlanPrison,
  people: readonly { id: string; prisonNumber: string }[],
) {
  const slot = await db
    .selectFrom('regime_slot')
    .select('slot')
    .where('establishment_code', '=', prison.code)
    .where('slot', '=', 'MON_AM')
    .executeTakeFirst()
  if (!slot) await givenUsableDay(db, prison.code, ['MON_AM'])
  const manager = await givenStaffUser(db, { role: 'activities', establishmentCodes: [prison.code] })
  const code = `WRK-${unique()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')}`
  const activity = await givenActivity(db, prison.code, {
    code,
    name: 'Barbering',
    groups: [{ code: 'a', slots: ['MON_AM'], capacity: 10 }],
  })
  for (const person of people) await givenWant(db, person.id, activity.id)
  const imported = await services.allocation.importTimetable(
    manager,
    JSON.stringify({
      version: 1,
      assignments: people.map((person) => ({ person: person.prisonNumber, group: `${code}/a` })),
    }),
  )
  if (!('runId' in imported)) throw new Error(`refused: ${JSON.stringify(imported)}`)
  const refusals = await services.allocation.acceptRun(manager, imported.runId)
  if (refusals.length > 0) throw new Error(`refused: ${JSON.stringify(refusals)}`)
  return imported.runId
}

/**
 * The webhooks service as app.ts builds it, on the block's database, but sending to a stub receiver that keeps
 * what it was sent (`sent`) and answers each body as `answerFor` says (a 204 unless a test says otherwise), with
 * an admin of the prison to manage subscriptions. Filled in before the block's tests, so read it inside them.
 */
export function stubReceiverBefore(
  the: { database: TestDatabase; services: Services; clock: Clock },
  prison: CarePlanPrison,
) {
  const { database, services, clock } = the
  const receiver = {
    admin: {} as Actor,
    /** The same service as app.ts builds, on the same database, but sending to the stub. */
    sender: {} as WebhooksService,
    sent: [] as { url: string; event: DomainEvent; headers: Record<string, string> }[],
    answerFor: (() => ({ status: 204 })) as (event: DomainEvent) => Awaited<ReturnType<Send>>,
    /** A subscriber of its own for a test: every other one is stopped first, so it alone hears what follows. */
    onlySubscriber: async (eventTypes: DomainEventType[], url = 'https://alerts.example.org/events') => {
      // Stopped here rather than through the service: this prison's admin may not run another prison's subscribers.
      await database.db
        .updateTable('webhook_subscription')
        .set({ enabled: false })
        .where('enabled', '=', true)
        .execute()
      const added = await services.webhooks.addSubscription(receiver.admin, {
        url,
        eventTypes,
        establishmentCodes: [prison.code],
      })
      if (!('id' in added)) throw new Error(`refused: ${added.map((refusal) => refusal.messageKey).join(', ')}`)
      receiver.sent = []
      receiver.answerFor = () => ({ status: 204 })
      return added
    },
    /** A subscription's deliveries, oldest first. */
    deliveriesOf: async (subscriptionId: string, admin?: Actor) =>
      (await services.webhooks.viewSubscription(admin ?? receiver.admin, subscriptionId)).deliveries.toReversed(),
    /** The prison's officer opens a care plan for the person; a refusal stops the test. */
    openPlanFor: async (prisonNumber: string) => {
      const opened = await services.carePlans.openCarePlan(prison.officer, prisonNumber, {
        reason: 'Said they could not go on',
        concernId: null,
      })
      if (isRefusal(opened)) throw new Error(`refused: ${opened.messageKey}`)
      return opened.carePlanId
    },
  }
  before(async () => {
    receiver.admin = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code] })
    receiver.sender = createWebhooksService({
      db: database.db,
      clock,
      audit: services.audit,
      jobs: services.jobs,
      send: async (url, body, headers) => {
        const event = JSON.parse(body) as DomainEvent
        receiver.sent.push({ url, event, headers })
        return receiver.answerFor(event)
      },
    })
  })
  return receiver
}

/** A port of this machine that nothing listens on: found free, then let go. */
export async function aClosedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * `count` deliveries made after each failed one (or after the one delivery `of`), of the same subscriber, person
 * and prison: delivered, unless `state` says they failed too.
 */
export async function givenDeliveredAfterFailed(
  db: Db,
  count: number,
  { state = 'delivered', of }: { state?: 'delivered' | 'failed'; of?: number } = {},
) {
  const after = of === undefined ? sql`state = 'failed'` : sql`id = ${of}`
  await sql`insert into webhook_delivery (subscription_id, event_id, position, event_key, event_type, person_id,
              establishment_code, body, state, next_attempt_at, delivered_at, created_at)
            select subscription_id, event_id + g, position, event_key || '-' || g, event_type, person_id,
              establishment_code, body, ${state}, next_attempt_at, created_at, created_at
            from webhook_delivery, generate_series(1, ${count}::int) as g where ${after}`.execute(db)
}
