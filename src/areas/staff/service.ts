import type { Db } from '../../db/database.ts'
import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import type { PeerSupporterDeps, StaffDeps } from './deps.ts'
import * as members from './members.ts'
import * as onDuty from './on-duty.ts'
import * as organisations from './organisations.ts'
import * as peerSupporters from './peer-supporters.ts'
import * as accountsStore from './accounts/store.ts'
import * as supervision from './supervision.ts'
import * as training from './training.ts'

export type {
  OfficerForAllocation,
  PeerSupporterDeps,
  Refused,
  StaffDeps,
  StaffListQuery,
  StaffOnDuty,
} from './deps.ts'

/**
 * The staff area's use cases, one module for each part of the work (issue 12): the staff list and a member's
 * record, training, supervision, organisations, and who is on duty for the other areas. Every export of these
 * modules is a use case of `(deps, …)`, so the service is the modules themselves.
 */
const staffUseCases = useCasesOf(members, training, supervision, organisations, onDuty)

export type StaffService = Bound<StaffDeps, typeof staffUseCases>

export function createStaffService(deps: StaffDeps): StaffService {
  return bindUseCases(deps, staffUseCases)
}

/** P4: people in custody serving as Listeners, Insiders, peer mentors and lived experience workers. */
export type PeerSupporterService = Bound<PeerSupporterDeps, typeof peerSupporters>

export function createPeerSupporterService(deps: PeerSupporterDeps): PeerSupporterService {
  return bindUseCases(deps, peerSupporters)
}

/**
 * Issue 13: stores a member of staff's new password hash, in the caller's transaction: for the platform's
 * sessions, which check the old password and the new one's rules; the account itself is the staff area's.
 */
export function setStaffPasswordHash(db: Db, staffUserId: string, passwordHash: string): Promise<void> {
  // The member of staff chose it: a one-time password from an administrator is spent.
  return accountsStore.setPasswordHash(db, staffUserId, passwordHash, 'chosen')
}
