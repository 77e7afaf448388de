import type { Db } from '../../db/database.ts'
import type { ConcernSafeNow, ConcernUrgency } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  actRefusal,
  countsAsReceipt,
  effectiveUrgency,
  escalateAt,
  mayAct,
  maySeeDetail,
  namesIn,
  policyProblems,
  recipientsOf,
  statusOf,
  WHAT_HAPPENED_MAX,
  type ConcernPolicy,
  type RecordedOutcome,
  type Refusal,
} from './rules.ts'
import * as store from './store.ts'
import { isUuid } from '../../platform/ids.ts'

/** What concerns need from the staff area: who is on duty at a prison today (safer custody leads, governors). */
export type StaffForConcerns = {
  listStaffOnDuty: (
    establishmentCode: string,
    trx?: Db,
  ) => Promise<readonly { id: string; displayName: string; role: string }[]>
}

/** P4: the current peer supporters at the user's prison, for a concern raised on behalf of one. */
export type PeerSupportersForConcerns = {
  viewPeerSupporters: (actor: Actor) => Promise<{
    wings: readonly {
      name: string
      supporters: readonly { id: string; firstName: string; lastName: string; scheme: string }[]
    }[]
  }>
  findCurrentOrThrow: (actor: Actor, id: string) => Promise<{ id: string }>
}

/** J1: who is responsible for the person now, and the gaps, from the journey area. */
export type JourneyForConcerns = {
  responsibilityOf: (
    personId: string,
  ) => Promise<{ kind: string; person?: { staffUserId: string; displayName: string } }>
  listGaps: (actor: Actor) => Promise<{ total: number; counts: Record<string, number> }>
}

/** The platform's in-service notifications (and the unread count in the header). */
export type NotificationsForConcerns = {
  notify: (
    trx: Db,
    notification: {
      recipientIds: readonly string[]
      establishmentCode: string
      kind: string
      messageKey: string
      params: Record<string, string | number>
      href: string
    },
  ) => Promise<unknown>
}

/** S3: the care plan counts for the dashboard, from the care plan area's service when it has one. */
export type CarePlansForConcerns = {
  carePlanDashboard: (actor: Actor) => Promise<readonly { key: string; count: number; href: string }[]>
}

/** Issue 14: the worries from family and friends at a prison still to be matched to a person. */
export type FamilyWorriesForConcerns = { countToMatch: (establishmentCode: string) => Promise<number> }

export type ConcernsService = ReturnType<typeof createConcernsService>

/** S1: someone a concern may be about, as the find form lists them: enough to tell two of one name apart. */
export type PersonToRaiseAbout = { prisonNumber: string; firstName: string; lastName: string; wingName?: string | null }

export type RaiseInput = {
  whatHappened: string
  urgency: ConcernUrgency
  safeNow: ConcernSafeNow
  isSensitive: boolean
  /** Absent where the raiser is not asked (a person's own worry): no. */
  indicatesSelfHarmRisk?: boolean
  peerSupporterId: string | null
}

export type ActInput = { outcome: RecordedOutcome; note: string }

/** Another area's part of raising a concern, in its transaction: a claim that may refuse it, and a record after. */
export type ConcernAlongside = {
  claim: (trx: Db) => Promise<boolean>
  record: (trx: Db, concernId: string) => Promise<void>
}

/** Who a concern is about, as routing it needs them. */
export type ConcernPerson = {
  id: string
  prisonNumber: string
  firstName: string
  lastName: string
  establishmentCode: string
}

export type ConcernListState = store.ConcernListFilter['state']

const system = { id: null, username: 'system' }
/** The handover summary is stored as text and read at the receiving prison, so it is written out in words. */
const urgencyWords: Record<ConcernUrgency, string> = {
  immediate: 'immediate',
  today: 'to act on today',
  'can-wait': 'can wait a day',
}

type ConcernRow = store.ConcernRecord

/** A concern the user may not read: to them it does not exist. */
class RefusedView extends NotFound {
  readonly concern: { id: string; personId: string; establishmentCode: string }
  constructor(concern: { id: string; personId: string; establishmentCode: string }) {
    super()
    this.concern = { id: concern.id, personId: concern.personId, establishmentCode: concern.establishmentCode }
  }
}

/** A concern as a list shows it: the detail only to those who may read it. */
function listed(viewer: Actor, row: ConcernRow) {
  const detailShown = maySeeDetail(viewer, row)
  return {
    id: row.id,
    prisonNumber: row.prisonNumber,
    firstName: row.firstName,
    lastName: row.lastName,
    raisedAt: row.raisedAt,
    raisedByName: detailShown ? row.raisedByName : null,
    urgency: row.urgency,
    safeNow: detailShown ? row.safeNow : null,
    isSensitive: row.isSensitive,
    indicatesSelfHarmRisk: row.indicatesSelfHarmRisk,
    fromFamily: row.familyWorryId !== null,
    whatHappened: detailShown ? row.whatHappened : null,
    responsibleName: row.responsibleName,
    escalateAt: row.escalateAt,
    escalatedAt: row.escalatedAt,
    status: statusOf(row),
    receivedByName: row.receivedByName,
    actedAt: row.actedAt,
    actedByName: row.actedByName,
    outcome: detailShown ? row.outcome : null,
    detailShown,
  }
}

/**
 * S3, J3: what other areas ask of concerns inside their own work: the concern a care plan is opened from, and
 * the open concerns a transfer's handover carries. It needs only concerns' own records and the audit, so
 * app.ts builds it before care plans and journey, which the concerns service itself draws on (the dashboard's
 * care plan counts, who is responsible for the person): neither side needs the other built later.
 */
export function createConcernLinks({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  /** A concern the user may open: at one of their prisons, and its detail theirs to read; anything else is a 404. */
  async function findVisibleConcern(actor: Actor, id: string, trx: Db = db) {
    if (!isUuid(id)) throw new NotFound()
    const concern = await store.findConcern(trx, id)
    if (!concern || !actor.establishmentCodes.includes(concern.establishmentCode)) throw new NotFound()
    if (!maySeeDetail(actor, concern)) throw new RefusedView(concern)
    return concern
  }

  /**
   * Runs a use case that opens a concern; a refused attempt is part of the concern's record too (who tried,
   * not what it says), written after the use case's own transaction has rolled back, then answered as a 404.
   */
  async function auditingRefusal<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (error instanceof RefusedView)
        await audit.record(db, actor, {
          action: 'concern.view-refused',
          personId: error.concern.personId,
          establishmentCode: error.concern.establishmentCode,
          details: { concernId: error.concern.id },
        })
      throw error
    }
  }

  /**
   * S3, for the care plan area: the concern a care plan is being opened from, to a user who may read it
   * (404 otherwise). Audited as a view of the concern.
   */
  async function findConcernForCarePlan(actor: Actor, concernId: string) {
    const concern = await auditingRefusal(actor, () => findVisibleConcern(actor, concernId))
    await audit.record(db, actor, {
      action: 'concern.viewed',
      personId: concern.personId,
      establishmentCode: concern.establishmentCode,
      details: { concernId: concern.id, for: 'care-plan' },
    })
    return {
      id: concern.id,
      personId: concern.personId,
      prisonNumber: concern.prisonNumber,
      raisedAt: concern.raisedAt,
      urgency: concern.urgency,
      safeNow: concern.safeNow,
      isSensitive: concern.isSensitive,
      whatHappened: concern.whatHappened,
      isOpen: concern.actedAt === null,
      indicatesSelfHarmRisk: concern.indicatesSelfHarmRisk,
    }
  }

  /**
   * S3, for the care plan area, inside its transaction: the concern is acted on, its outcome the care plan
   * opened. False, and nothing written, when someone had already acted on it.
   */
  async function recordCarePlanOpened(trx: Db, actor: Actor, concernId: string, carePlanId: string): Promise<boolean> {
    const concern = await findVisibleConcern(actor, concernId, trx)
    const acted = await store.markActed(trx, concern.id, {
      at: clock.now(),
      by: actor.id,
      outcome: 'care-plan-opened',
      note: '',
      carePlanId,
    })
    if (acted)
      await audit.record(trx, actor, {
        action: 'concern.acted-on',
        personId: concern.personId,
        establishmentCode: concern.establishmentCode,
        details: { concernId: concern.id, outcome: 'care-plan-opened', carePlanId },
      })
    return acted
  }

  /**
   * J3, for the journey area's handover, inside its transaction: the person's open concerns as ids and a
   * line of facts (when, how urgent, escalated or not), never what was seen or heard nor whether it is sensitive.
   */
  async function openConcernsForHandover(trx: Db, personId: string): Promise<{ id: string; summary: string }[]> {
    const rows = await store.openOfPerson(trx, personId)
    return rows.map((row) => ({
      id: row.id,
      summary: `Concern raised ${row.raisedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (${urgencyWords[row.urgency]}), ${row.escalatedAt ? 'escalated and ' : ''}not yet acted on`,
    }))
  }

  return {
    findVisibleConcern,
    auditingRefusal,
    findConcernForCarePlan,
    recordCarePlanOpened,
    openConcernsForHandover,
  }
}

export function createConcernsService({
  db,
  clock,
  audit,
  people,
  staff,
  peerSupporters,
  journey,
  notifications,
  carePlans,
  familyWorries,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
  staff: StaffForConcerns
  peerSupporters: PeerSupportersForConcerns
  journey: JourneyForConcerns
  notifications: NotificationsForConcerns
  carePlans?: CarePlansForConcerns | undefined
  familyWorries?: FamilyWorriesForConcerns | undefined
}) {
  const links = createConcernLinks({ db, clock, audit })
  const { findVisibleConcern, auditingRefusal } = links

  /** Those on duty at a prison today in a role: an alert goes to someone who is there to read it. */
  async function onDutyWithRole(establishmentCode: string, role: string, trx: Db = db) {
    return (await staff.listStaffOnDuty(establishmentCode, trx)).filter((member) => member.role === role)
  }

  /** The current peer supporters at the user's prison, by name, for the "on behalf of" choice. */
  async function peerSupporterChoices(actor: Actor) {
    const { wings } = await peerSupporters.viewPeerSupporters(actor)
    return wings
      .flatMap((wing) =>
        wing.supporters.map((supporter) => ({
          id: supporter.id,
          name: `${supporter.lastName}, ${supporter.firstName}`,
          scheme: supporter.scheme,
          wingName: wing.name,
        })),
      )
      .sort((a, b) => a.name.localeCompare(b.name))
  }

  /**
   * S1: every unacted concern past its prison's time is marked escalated and its prison's governors on duty
   * told (the safer custody leads on duty when no governor is), in one transaction: a second worker running
   * at the same moment finds nothing left to send. Returns how many escalated.
   */
  async function escalateDue(now: Date): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const due = await store.claimDueEscalations(trx, now)
      const escalationTo = new Map<string, string[]>()
      for (const concern of due) {
        if (!escalationTo.has(concern.establishmentCode)) {
          const governors = await onDutyWithRole(concern.establishmentCode, 'governor', trx)
          const to =
            governors.length > 0 ? governors : await onDutyWithRole(concern.establishmentCode, 'safercustody', trx)
          escalationTo.set(
            concern.establishmentCode,
            to.map((member) => member.id),
          )
        }
        const recipients = escalationTo.get(concern.establishmentCode)!
        if (recipients.length > 0)
          await notifications.notify(trx, {
            recipientIds: recipients,
            establishmentCode: concern.establishmentCode,
            kind: 'concern-escalated',
            messageKey: `concerns.notification.escalated.${concern.urgency}`,
            params: {},
            href: '/concerns?state=escalated',
          })
        await audit.record(trx, system, {
          action: 'concern.escalated',
          personId: concern.personId,
          establishmentCode: concern.establishmentCode,
          details: { concernId: concern.id, notified: recipients.length },
        })
      }
      return due.length
    })
  }

  /**
   * S1: records a concern and, in the same transaction, tells the person's responsible officer and the safer
   * custody leads on duty at their prison: the detail to those who may read it, the list to the others.
   */
  async function recordAndRoute(
    person: ConcernPerson,
    fields: Omit<
      store.NewConcern,
      'personId' | 'establishmentCode' | 'raisedAt' | 'responsibleStaffUserId' | 'escalateAt'
    >,
    by: { id: string | null; username: string },
    alongside?: ConcernAlongside,
  ): Promise<{ concernId: string; responsibleName: string | null; leads: number; notified: number } | null> {
    // Who the concern goes to; asking writes no journey view to the audit, as the raiser never saw the journey.
    // Read before the transaction: the embedded database has one connection, which the transaction holds.
    const responsibility = await journey.responsibilityOf(person.id)
    const responsible = responsibility.kind === 'responsible' && responsibility.person ? responsibility.person : null
    const leads = await onDutyWithRole(person.establishmentCode, 'safercustody')
    const urgency = effectiveUrgency(fields.urgency, fields.safeNow)
    return db.transaction().execute(async (trx) => {
      if (alongside && !(await alongside.claim(trx))) return null
      const policy = await store.findPolicy(trx, person.establishmentCode)
      const raisedAt = clock.now()
      const concernId = await store.insertConcern(trx, {
        ...fields,
        personId: person.id,
        establishmentCode: person.establishmentCode,
        raisedAt,
        urgency,
        responsibleStaffUserId: responsible?.staffUserId ?? null,
        escalateAt: escalateAt(raisedAt, urgency, policy),
      })
      const recipients = recipientsOf(
        responsible?.staffUserId ?? null,
        leads.map((lead) => lead.id),
      ).filter((id) => id !== by.id)
      const params = { prisonNumber: person.prisonNumber, name: `${person.lastName}, ${person.firstName}` }
      const messageKey = `concerns.notification.raised.${urgency}`
      // Those who may not read a sensitive concern are sent to their list, which says it exists.
      const leadIds = new Set(leads.map((lead) => lead.id))
      const toDetail = recipients.filter((id) => !fields.isSensitive || leadIds.has(id))
      const toList = recipients.filter((id) => !toDetail.includes(id))
      const sends: [readonly string[], string][] = [
        [toDetail, `/concerns/${concernId}`],
        [toList, '/concerns'],
      ]
      for (const [recipientIds, href] of sends)
        if (recipientIds.length > 0)
          await notifications.notify(trx, {
            recipientIds,
            establishmentCode: person.establishmentCode,
            kind: 'concern-raised',
            messageKey,
            params,
            href,
          })
      await audit.record(trx, by, {
        action: 'concern.raised',
        personId: person.id,
        establishmentCode: person.establishmentCode,
        details: {
          concernId,
          urgency,
          isSensitive: fields.isSensitive,
          onBehalfOfPeerSupporter: fields.peerSupporterId !== null,
          fromFamily: Boolean(fields.familyWorryId),
          notified: recipients.length,
        },
      })
      await alongside?.record(trx, concernId)
      return {
        concernId,
        responsibleName: responsible?.displayName ?? null,
        leads: leads.length,
        notified: recipients.length,
      }
    })
  }

  /**
   * The dashboard's counts for each prison the reader oversees (a group director has several), in the order of
   * their names, as the safety figures set them side by side: counts only, each prison's care plan counts
   * audited as that prison's.
   */
  async function countsSideBySide(actor: Actor) {
    const now = clock.now()
    const names = new Map((actor.establishments ?? []).map((prison) => [prison.code, prison.name]))
    const prisons = await Promise.all(
      actor.establishmentCodes.map(async (code) => ({
        code,
        name: names.get(code) ?? code,
        concerns: await store.countOpen(db, code, now),
        carePlans: carePlans ? await carePlans.carePlanDashboard({ ...actor, establishmentCode: code }) : null,
      })),
    )
    return prisons.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
  }
  return {
    async policyFor(establishmentCode: string): Promise<ConcernPolicy> {
      return store.findPolicy(db, establishmentCode)
    },

    /** S1: saves the prison's escalation times, or returns the problems with them and saves nothing. */
    async savePolicy(actor: Actor, policy: ConcernPolicy): Promise<Refusal[]> {
      const problems = policyProblems(policy)
      if (problems.length > 0) return problems
      await db.transaction().execute(async (trx) => {
        await store.savePolicy(trx, actor.establishmentCode, policy)
        await audit.record(trx, actor, {
          action: 'concerns.settings-saved',
          details: { ...policy },
        })
      })
      return []
    },

    /** S1: the person a prison number typed on the raise-a-concern page belongs to, if they are at the user's prisons. */
    /**
     * S1, need-to-know: who a concern is about, from their prison number, or their first and last names in full
     * at the prison the user is working in. Never part of a name: partner workers and monitors hold no roll,
     * and this form must not become one.
     */
    async findPeopleToRaiseAbout(actor: Actor, typed: string): Promise<PersonToRaiseAbout[]> {
      try {
        const person = await people.findPersonOrThrow(actor, typed)
        return [{ prisonNumber: person.prisonNumber, firstName: person.firstName, lastName: person.lastName }]
      } catch (error) {
        if (!(error instanceof NotFound)) throw error
      }
      const found = new Map<string, PersonToRaiseAbout>()
      for (const { firstName, lastName } of namesIn(typed))
        for (const person of await people.findByNameAt(actor.establishmentCode, firstName, lastName))
          found.set(person.prisonNumber, person)
      return [...found.values()].sort((a, b) => a.prisonNumber.localeCompare(b.prisonNumber))
    },

    /** S1: what the raise-a-concern page needs: the person, and the peer supporters a concern may come from. */
    async raiseForm(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      return { person, peerSupporters: await peerSupporterChoices(actor) }
    },

    /**
     * S1: records a concern and, in the same transaction, tells the person's responsible officer and the
     * safer custody leads at their prison. Returns who was told, or a refusal that wrote nothing.
     */
    async raiseConcern(
      actor: Actor,
      prisonNumber: string,
      input: RaiseInput,
    ): Promise<Refusal | { concernId: string; responsibleName: string | null; leads: number }> {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      if (input.whatHappened.trim() === '')
        return { field: 'whatHappened', messageKey: 'concerns.raise.error.whatHappened' }
      if (input.whatHappened.length > WHAT_HAPPENED_MAX)
        return {
          field: 'whatHappened',
          messageKey: 'concerns.raise.error.whatHappenedLength',
          values: { max: WHAT_HAPPENED_MAX },
        }
      if (input.peerSupporterId !== null) {
        try {
          await peerSupporters.findCurrentOrThrow(actor, input.peerSupporterId)
        } catch (error) {
          if (error instanceof NotFound)
            return { field: 'peerSupporterId', messageKey: 'concerns.raise.error.peerSupporter' }
          throw error
        }
      }
      const routed = await recordAndRoute(
        person,
        {
          // C1: a person in custody raising a worry through their own view is its raiser, not a member of staff.
          raisedBy: actor.person ? null : actor.id,
          raisedByPersonAccountId: actor.person ? actor.id : null,
          peerSupporterId: input.peerSupporterId,
          whatHappened: input.whatHappened.trim(),
          urgency: input.urgency,
          safeNow: input.safeNow,
          isSensitive: input.isSensitive,
          indicatesSelfHarmRisk: input.indicatesSelfHarmRisk ?? false,
        },
        actor,
      )
      // With nothing alongside to refuse it, a concern is always written.
      const { concernId, responsibleName, leads } = routed!
      return { concernId, responsibleName, leads }
    },

    /**
     * Issue 14: a worry from family or friends, matched to the person it is about, becomes a concern raised by
     * them and routed as every concern is. Who they are stays with the family worry; the concern points to it.
     * The family worry claims itself and records the match in the concern's own transaction: null when the
     * claim fails (matched already), and nothing is written.
     */
    async raiseFromFamily(
      person: ConcernPerson,
      input: {
        familyWorryId: string
        whatHappened: string
        urgency: ConcernUrgency
        indicatesSelfHarmRisk: boolean
      },
      by: { id: string | null; username: string },
      alongside: ConcernAlongside,
    ) {
      return recordAndRoute(
        person,
        {
          raisedBy: null,
          raisedByPersonAccountId: null,
          familyWorryId: input.familyWorryId,
          peerSupporterId: null,
          whatHappened: input.whatHappened,
          urgency: input.urgency,
          // Family and friends are not there to see: whether the person is safe now is for staff to find out.
          safeNow: 'not-sure',
          isSensitive: false,
          indicatesSelfHarmRisk: input.indicatesSelfHarmRisk,
        },
        by,
        alongside,
      )
    },

    /**
     * S1, S2: one concern, for those who may read it (404 for anyone else, audited either way). The first
     * time someone who acts on concerns opens it, it is received: the raiser is told so.
     */
    async viewConcern(actor: Actor, id: string) {
      return auditingRefusal(actor, () =>
        db.transaction().execute(async (trx) => {
          const concern = await findVisibleConcern(actor, id, trx)
          if (countsAsReceipt(actor, concern) && !concern.receivedAt) {
            await store.markReceived(trx, concern.id, clock.now(), actor.id)
            concern.receivedAt = clock.now()
            concern.receivedByName = actor.displayName
          }
          await audit.record(trx, actor, {
            action: 'concern.viewed',
            personId: concern.personId,
            establishmentCode: concern.establishmentCode,
            details: { concernId: concern.id },
          })
          return {
            concern: { ...concern, status: statusOf(concern) },
            canAct: mayAct(actor, concern),
            canOpenCarePlan: mayAct(actor, concern) && hasPermission(actor.role, 'concerns.view-sensitive'),
            // Issue 14: who in a family raised it, and how to reach them, is for safer custody alone.
            canSeeFamily: hasPermission(actor.role, 'family-worries.view'),
          }
        }),
      )
    },

    /** S1: records what was done about a concern and by whom; a second attempt, or a missing reason, writes nothing. */
    async actOnConcern(actor: Actor, id: string, input: ActInput): Promise<Refusal | null> {
      return auditingRefusal(actor, () =>
        db.transaction().execute(async (trx) => {
          const concern = await findVisibleConcern(actor, id, trx)
          const locked = await store.lockConcern(trx, concern.id)
          if (!locked) throw new NotFound()
          if (!hasPermission(actor.role, 'concerns.act')) throw new NotFound()
          const refusal = actRefusal(locked, input, actor)
          if (refusal) return refusal
          await store.markActed(trx, concern.id, {
            at: clock.now(),
            by: actor.id,
            outcome: input.outcome,
            note: input.note.trim(),
          })
          await audit.record(trx, actor, {
            action: 'concern.acted-on',
            personId: concern.personId,
            establishmentCode: concern.establishmentCode,
            details: { concernId: concern.id, outcome: input.outcome },
          })
          return null
        }),
      )
    },

    /**
     * S1: the open-concerns list. Safer custody, healthcare, governors and administrators see the prison's;
     * an officer sees those sent to them as the person's responsible officer. Audited.
     */
    async listConcerns(actor: Actor, state: ConcernListState) {
      const wholePrison = ['safercustody', 'healthcare', 'governor', 'admin'].includes(actor.role)
      const rows = await store.listConcerns(db, {
        establishmentCode: actor.establishmentCode,
        responsibleStaffUserId: wholePrison ? undefined : actor.id,
        state,
        now: clock.now(),
      })
      await audit.record(db, actor, { action: 'concerns.listed', details: { state, count: rows.length, wholePrison } })
      return { concerns: rows.map((row) => listed(actor, row)), state, wholePrison, now: clock.now() }
    },

    /**
     * S2: feedback to the raiser. What happened to each concern they raised: received by whom, acted on
     * when; what was done only where the concern is not sensitive, and never a sensitive concern's detail.
     */
    async listRaised(actor: Actor) {
      const rows = await store.listRaisedBy(db, actor.id, actor.establishmentCode)
      await audit.record(db, actor, { action: 'concerns.raised-listed', details: { count: rows.length } })
      return {
        concerns: rows.map((row) => ({
          id: row.id,
          prisonNumber: row.prisonNumber,
          firstName: row.firstName,
          lastName: row.lastName,
          raisedAt: row.raisedAt,
          urgency: row.urgency,
          isSensitive: row.isSensitive,
          status: statusOf(row),
          receivedAt: row.receivedAt,
          receivedByName: row.receivedByName,
          actedAt: row.actedAt,
          outcome: row.isSensitive ? null : row.outcome,
          responsibleName: row.responsibleName,
          detailShown: maySeeDetail(actor, row),
        })),
      }
    },

    /**
     * C1, S2: what happened to the worries a person in custody raised through their own view: received, and
     * acted on when. What was done only for a worry about themselves that staff have not marked sensitive;
     * nothing of what was done about someone else. Audited.
     */
    async listRaisedByPerson(actor: Actor) {
      if (!actor.person) throw new NotFound()
      const rows = await store.listRaisedByPersonAccount(db, actor.id)
      await audit.record(db, actor, {
        action: 'concerns.raised-listed',
        personId: actor.person.id,
        details: { count: rows.length },
      })
      return rows.map((row) => {
        const aboutThemselves = row.personId === actor.person?.id
        return {
          id: row.id,
          raisedAt: row.raisedAt,
          aboutThemselves,
          status: statusOf(row),
          receivedAt: row.receivedAt,
          actedAt: row.actedAt,
          outcome: aboutThemselves && !row.isSensitive ? row.outcome : null,
        }
      })
    },

    /**
     * The concerns tab of a person's record: a way to raise one for everyone; the person's concerns for those
     * who act on them (a sensitive one as a line saying it exists, unless theirs to read), and for anyone else
     * only those they raised. Audited.
     */
    async viewPersonConcerns(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const rows = await store.listOfPerson(db, person.id)
      const shown = hasPermission(actor.role, 'concerns.view') ? rows : rows.filter((row) => row.raisedBy === actor.id)
      await audit.record(db, actor, {
        action: 'concerns.person-viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
        details: { count: shown.length },
      })
      return { person, concerns: shown.map((row) => listed(actor, row)) }
    },

    /**
     * The safer custody dashboard: open and escalated concerns, responsibility gaps and the care plan counts.
     * Each count links to its list where the user may open it. Audited.
     */
    async dashboard(actor: Actor) {
      const [counts, gaps, carePlanCounts, familyWorriesToMatch] = await Promise.all([
        store.countOpen(db, actor.establishmentCode, clock.now()),
        hasPermission(actor.role, 'journey.view-gaps') ? journey.listGaps(actor) : Promise.resolve(null),
        carePlans ? carePlans.carePlanDashboard(actor) : Promise.resolve(null),
        familyWorries && hasPermission(actor.role, 'family-worries.view')
          ? familyWorries.countToMatch(actor.establishmentCode)
          : Promise.resolve(null),
      ])
      await audit.record(db, actor, { action: 'safer-custody.dashboard-viewed', details: { ...counts } })
      return {
        concerns: counts,
        gaps,
        carePlans: carePlanCounts,
        familyWorriesToMatch,
        canOpenLists: hasPermission(actor.role, 'concerns.view'),
        prisons: actor.establishmentCodes.length > 1 ? await countsSideBySide(actor) : null,
      }
    },

    escalateDue,

    /** M3: concerns raised about each person at a prison since a date; counts only, for the equality figures. */
    async concernCountsSince(establishmentCode: string, since: Date): Promise<Map<string, number>> {
      const rows = await store.concernCountsSince(db, establishmentCode, since)
      return new Map(rows.map((row) => [row.personId, Number(row.count)]))
    },

    /** S1: the escalation sweep the background worker runs every minute. */
    escalationSweep: {
      name: 'concerns.escalate',
      everySeconds: 60,
      run: async (now: Date): Promise<void> => {
        await escalateDue(now)
      },
    },

    // S3, J3: what care plans and a transfer's handover ask of concerns, built before them (createConcernLinks).
    findConcernForCarePlan: links.findConcernForCarePlan,
    recordCarePlanOpened: links.recordCarePlanOpened,
    openConcernsForHandover: links.openConcernsForHandover,
  }
}
