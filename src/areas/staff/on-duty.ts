/** J1, K1, M2: who at a prison can answer for a person today, for the areas that name them. Not audited. */
import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../db/schema.ts'
import type { Role } from '../../platform/permissions.ts'
import { onDuty, type OfficerForAllocation, type StaffDeps, type StaffOnDuty } from './deps.ts'
import * as store from './store.ts'

/**
 * J1, J3, J4: staff at an establishment who can answer for a person today (see `isOnDuty`), in name order,
 * for the journey's named person and the accountability map. Inside the caller's transaction when given
 * one, so a check of who may be named holds for the write that names them. Not audited: no one's record.
 */
export async function listStaffOnDuty(
  deps: StaffDeps,
  establishmentCode: string,
  trx: Db = deps.db,
): Promise<StaffOnDuty[]> {
  return onDuty(deps, await store.listStaffAt(trx, establishmentCode))
}

/** M2: the group directors overseeing an establishment who are at work today, to be told of its figures. */
export async function listDirectorsOnDuty(
  deps: StaffDeps,
  establishmentCode: string,
  trx: Db = deps.db,
): Promise<StaffOnDuty[]> {
  return onDuty(deps, await store.listStaffAt(trx, establishmentCode, ['director']))
}

/**
 * Officers and key workers at an establishment, whatever their status, with the two trainings key work
 * needs. A disabled account is reported as 'inactive'. Not audited: it holds no one's record. Inside the
 * caller's transaction when given one.
 */
export async function listOfficersForAllocation(
  deps: StaffDeps,
  establishmentCode: string,
  db: Db = deps.db,
): Promise<OfficerForAllocation[]> {
  const { clock } = deps
  const officers = await store.listStaffAt(db, establishmentCode, ['officer', 'keyworker'])
  const training = await store.latestTrainingOf(
    db,
    officers.map((officer) => officer.staffUserId),
    clock.today(),
  )
  const expiry = new Map<string, IsoDate>()
  for (const record of training)
    expiry.set(`${record.staffUserId}/${record.course}`, record.expiresOn ?? store.NEVER_EXPIRES)
  return officers.map((officer) => ({
    staffUserId: officer.staffUserId,
    displayName: officer.displayName,
    role: officer.role as Role,
    staffStatus: officer.isActive ? officer.staffStatus : 'inactive',
    reactivationOn: officer.reactivationOn,
    caseloadLimitOverride: officer.caseloadLimit,
    safeguardingExpiresOn: expiry.get(`${officer.staffUserId}/safeguarding`) ?? null,
    mentalHealthFirstAidExpiresOn: expiry.get(`${officer.staffUserId}/mental-health-first-aid`) ?? null,
  }))
}
