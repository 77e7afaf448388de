import type { Db } from '../../db/database.ts'
import type { IsoDate, StaffStatus } from '../../db/schema.ts'
import type { AuditEntry } from '../../platform/audit.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor, Role } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import { isOnDuty, type Checked, type FieldProblem, type Qualification, type TrainingGap } from './rules.ts'
import * as store from './store.ts'

/** What every staff use case is given: built once, in app.ts. */
export type StaffDeps = PlatformDeps

/** What every peer supporter use case is given (P4): the staff area's own, and the people on the roll. */
export type PeerSupporterDeps = PlatformDeps & { people: PeopleService }

/** What the key work area needs to allocate people to officers (K1, K3). */
export type OfficerForAllocation = {
  staffUserId: string
  displayName: string
  role: Role
  staffStatus: StaffStatus
  reactivationOn: IsoDate | null
  caseloadLimitOverride: number | null
  /** The latest safeguarding record's expiry: null when there is none, '9999-12-31' when it never expires. */
  safeguardingExpiresOn: IsoDate | null
  /** The same for mental health first aid. */
  mentalHealthFirstAidExpiresOn: IsoDate | null
}

/** A member of staff who can be named as responsible for a person. */
export type StaffOnDuty = { id: string; displayName: string; role: Role }

export type StaffListQuery = {
  organisationId?: string | undefined
  gap?: TrainingGap | undefined
  /** Only those whose supervision is overdue (P2). */
  supervisionOverdue?: boolean | undefined
  /** M1: only those without a current qualification the measures count (ACCT, health and social care). */
  without?: Qualification | undefined
  /** Issue 19: those whose name holds this (`nameHolds`), and which page of the list. */
  search?: string | undefined
  page?: number | undefined
}

/** A staff form refused: every problem with it at once, each beside its field. */
export type Refused = { problems: FieldProblem[] }

/** Throws NotFound for anyone who does not work at one of the user's establishments. */
export async function staffMemberOrThrow(deps: StaffDeps, actor: Actor, staffUserId: string, trx: Db = deps.db) {
  if (!isUuid(staffUserId)) throw new NotFound()
  const member = await store.findStaffInEstablishments(trx, actor.establishmentCodes, staffUserId)
  if (!member) throw new NotFound()
  return { ...member, staffStatus: member.isActive ? member.staffStatus : ('inactive' as const) }
}

/**
 * P1, P2: something a member of staff has done (a course completed, a supervision session held), recorded
 * against them: they work at one of the user's prisons, the form is checked against today, and the record keeps
 * who entered it and when, with its audit entry, in one transaction.
 */
export async function recordAgainstStaffMember<Values>(
  deps: StaffDeps,
  actor: Actor,
  staffUserId: string,
  record: {
    check: (today: IsoDate) => Checked<Values>
    insert: (db: Db, row: Values & { staffUserId: string; recordedBy: string; recordedAt: Date }) => Promise<string>
    audited: (recorded: { staffUserId: string; id: string; values: Values }) => AuditEntry
  },
): Promise<Refused | null> {
  const { db, clock, audit } = deps
  return db.transaction().execute(async (trx) => {
    const member = await staffMemberOrThrow(deps, actor, staffUserId, trx)
    const checked = record.check(clock.today())
    if (!checked.values) return { problems: checked.problems }
    const id = await record.insert(trx, {
      staffUserId: member.staffUserId,
      ...checked.values,
      recordedBy: actor.id,
      recordedAt: clock.now(),
    })
    await audit.record(trx, actor, record.audited({ staffUserId: member.staffUserId, id, values: checked.values }))
    return null
  })
}

/** Those of `members` who can answer for a person today (see `isOnDuty`), in the order given. */
export function onDuty({ clock }: StaffDeps, members: readonly store.StaffListRow[]): StaffOnDuty[] {
  const today = clock.today()
  return members
    .filter((member) => isOnDuty(member, today))
    .map((member) => ({ id: member.staffUserId, displayName: member.displayName, role: member.role as Role }))
}

/** A peer supporter's role at the user's establishment, ended or not; any other id is, to the pages, not there. */
export async function peerSupporterRoleOrThrow(deps: PeerSupporterDeps, actor: Actor, id: string, trx: Db = deps.db) {
  if (!isUuid(id)) throw new NotFound()
  const role = await store.findPeerSupporter(trx, actor.establishmentCode, id)
  if (!role) throw new NotFound()
  return role
}
