import type { Notifications } from '../../platform/notifications.ts'
import type { Events } from '../../platform/events.ts'
import type { Db } from '../../db/database.ts'
import type { ConcernSafeNow, ConcernUrgency } from '../../db/schema.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { aboutPerson, type AuditAction, type AuditEntry } from '../../platform/audit.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import { maySeeDetail, statusOf, type RecordedOutcome } from './rules.ts'
import * as store from './store.ts'

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
    trx?: Db,
  ) => Promise<{ kind: string; person?: { staffUserId: string; displayName: string } }>
  /** How many people at the user's prison have nobody named for them, of each kind: counts, no one's record. */
  gapCounts: (actor: Actor) => Promise<{ total: number; counts: Record<string, number> }>
}

/** The platform's in-service notifications (and the unread count in the header). */
export type NotificationsForConcerns = Pick<Notifications, 'notify'>

/**
 * S3: the care plan counts for the dashboard, from the care plan area's service when it has one: each of the
 * user's prisons asked for at once, so the page's queries do not grow with the prisons a director oversees.
 */
export type CarePlansForConcerns = {
  carePlanDashboards: (
    actor: Actor,
    establishmentCodes: readonly string[],
  ) => Promise<ReadonlyMap<string, readonly { key: string; count: number; href: string }[]>>
}

/** Issue 14: the worries from family and friends at a prison still to be matched to a person. */
export type FamilyWorriesForConcerns = { countToMatch: (establishmentCode: string) => Promise<number> }

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

/**
 * What concerns' links to other areas are given (`createConcernLinks`): concerns' own records and the audit
 * alone, so that app.ts builds them before care plans and journey.
 */
export type ConcernLinksDeps = PlatformDeps

/** What every concerns use case is given: built once, in app.ts. */
export type ConcernsDeps = ConcernLinksDeps & {
  people: PeopleService
  staff: StaffForConcerns
  peerSupporters: PeerSupportersForConcerns
  journey: JourneyForConcerns
  notifications: NotificationsForConcerns
  carePlans?: CarePlansForConcerns | undefined
  familyWorries?: FamilyWorriesForConcerns | undefined
  /** Issue 15: a concern raised is told, by its id and codes, to the systems that subscribe to events. */
  events?: Pick<Events, 'publish'> | undefined
}

export const system = { id: null, username: 'system' }

type ConcernRow = store.ConcernRecord

/** A concern the user may not read: to them it does not exist. */
class RefusedView extends NotFound {
  readonly concern: { id: string; personId: string; establishmentCode: string }
  constructor(concern: { id: string; personId: string; establishmentCode: string }) {
    super()
    this.concern = { id: concern.id, personId: concern.personId, establishmentCode: concern.establishmentCode }
  }
}

/** A concern the user may open: at one of their prisons, and its detail theirs to read; anything else is a 404. */
export async function findVisibleConcern(deps: ConcernLinksDeps, actor: Actor, id: string, trx: Db = deps.db) {
  if (!isUuid(id)) throw new NotFound()
  const concern = await store.findConcern(trx, id)
  if (!concern || !actor.establishmentCodes.includes(concern.establishmentCode)) throw new NotFound()
  if (!maySeeDetail(actor, concern)) throw new RefusedView(concern)
  return concern
}

/** An audit entry about a concern: filed under its person and the prison it was raised at, naming the concern. */
export function aboutConcern(
  action: AuditAction,
  concern: { id: string; personId: string; establishmentCode: string },
  details?: AuditEntry['details'],
): AuditEntry {
  const person = { id: concern.personId, establishmentCode: concern.establishmentCode }
  return aboutPerson(action, person, { concernId: concern.id, ...details })
}

/**
 * Runs a use case that opens a concern; a refused attempt is part of the concern's record too (who tried,
 * not what it says), written after the use case's own transaction has rolled back, then answered as a 404.
 */
export async function auditingRefusal<T>(deps: ConcernLinksDeps, actor: Actor, work: () => Promise<T>): Promise<T> {
  const { db, audit } = deps
  try {
    return await work()
  } catch (error) {
    if (error instanceof RefusedView) await audit.record(db, actor, aboutConcern('concern.view-refused', error.concern))
    throw error
  }
}

/** Those on duty at a prison today in a role: an alert goes to someone who is there to read it. */
export async function onDutyWithRole(deps: ConcernsDeps, establishmentCode: string, role: string, trx: Db = deps.db) {
  const { staff } = deps
  return (await staff.listStaffOnDuty(establishmentCode, trx)).filter((member) => member.role === role)
}

/**
 * A concern as a list shows it: the detail only to those who may read it, and only at the prison it was raised at.
 * A person transferred in brings their concerns' facts (when, how urgent, what became of them), never what was
 * seen or heard, as their handover does.
 */
export function listed(viewer: Actor, row: ConcernRow) {
  const elsewhere = !viewer.establishmentCodes.includes(row.establishmentCode)
  const detailShown = !elsewhere && maySeeDetail(viewer, row)
  return {
    elsewhere,
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
