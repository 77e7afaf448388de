/**
 * S3: who came to a case review and who did not (the person, healthcare, family with the person's consent),
 * as every kind of review records it.
 */
import type { CaseReviewAttendee } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { consentStands, type Attendance } from './rules.ts'
import * as store from './store.ts'
import type { Db } from '../../db/database.ts'
import type { PlanRow } from './deps.ts'

/** Who attended a review beyond the case manager (added from the choice of case manager), and who did not. */
export type AttendanceInput = {
  /** Partners, family, healthcare, wing staff, chaplaincy and other staff; the person comes from personPresent. */
  attendees: CaseReviewAttendee[]
  /** Null when the form did not say. */
  personPresent: boolean | null
  personAbsentReason?: string | undefined
  healthcareInput?: string | undefined
  healthcareAbsentReason?: string | undefined
}

/** Family attend a review only with the person's consent, which governs what is shared with them. */
export async function familyConsentRefusal(trx: Db, plan: PlanRow, attendees: readonly CaseReviewAttendee[]) {
  if (!attendees.some((attendee) => attendee.kind === 'family')) return null
  const family = await store.familyEventsOf(trx, plan.id)
  if (consentStands(family)) return null
  return { field: 'attendees', messageKey: 'carePlans.review.error.familyConsent', values: {} }
}

export function attendanceOf(input: AttendanceInput): Attendance {
  return {
    personPresent: input.personPresent,
    personAbsentReason: input.personAbsentReason ?? '',
    healthcarePresent: input.attendees.some((attendee) => attendee.kind === 'healthcare'),
    healthcareInput: input.healthcareInput ?? '',
    healthcareAbsentReason: input.healthcareAbsentReason ?? '',
  }
}

/**
 * What a review keeps of who came: the case manager first (by the choice of manager), the person when they
 * came, then the rest as the form gave them; and the reasons for whoever did not.
 */
export function attendanceColumns(
  input: AttendanceInput,
  attendance: Attendance,
  caseManagerId: string | null,
  caseManagerName: string | null,
) {
  return {
    attendees: [
      ...(caseManagerId && caseManagerName ? [{ kind: 'case-manager' as const, name: caseManagerName }] : []),
      ...(attendance.personPresent ? [{ kind: 'person' as const, name: '' }] : []),
      ...input.attendees.filter((attendee) => attendee.kind !== 'person' && attendee.kind !== 'case-manager'),
    ],
    personAbsentReason: attendance.personPresent ? '' : attendance.personAbsentReason,
    healthcareInput: attendance.healthcareInput,
    healthcareAbsentReason:
      attendance.healthcarePresent || attendance.healthcareInput.trim() !== '' ? '' : attendance.healthcareAbsentReason,
  }
}

/**
 * A review that decides nothing about risk or supervision (a post-closure or a pre-release review): who came,
 * what was said, chaired by the one recording it, under the plan's case manager.
 */
export function reviewWithoutDecisions(
  plan: PlanRow,
  actor: Actor,
  input: AttendanceInput & { heldAt: Date; notes: string },
  attendance: Attendance,
  now: Date,
) {
  return {
    ...attendanceColumns(input, attendance, plan.caseManagerId, plan.caseManagerName),
    carePlanId: plan.id,
    establishmentCode: plan.establishmentCode,
    heldAt: input.heldAt,
    chairedBy: actor.id,
    caseManagerId: plan.caseManagerId,
    riskLevel: null,
    supervision: null,
    triggers: '',
    warningSigns: '',
    notes: input.notes,
    immediateReason: null,
    nextReviewDueAt: null,
    closureExpected: false,
    recordedBy: actor.id,
    recordedAt: now,
  }
}
