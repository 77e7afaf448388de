import type { Db } from '../../db/database.ts'
import type { IsoDate, StaffStatus } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Role } from '../../platform/permissions.ts'
import * as store from './store.ts'

export type StaffService = ReturnType<typeof createStaffService>

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

export function createStaffService({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  void clock
  void audit
  return {
    /**
     * Officers and key workers at an establishment, whatever their status, with the two trainings key work
     * needs. A disabled account is reported as 'inactive'. Not audited: it holds no one's record.
     */
    async listOfficersForAllocation(establishmentCode: string): Promise<OfficerForAllocation[]> {
      const officers = await store.listOfficers(db, establishmentCode)
      const training = await store.latestTrainingOf(
        db,
        officers.map((officer) => officer.staffUserId),
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
    },
  }
}
