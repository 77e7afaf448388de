import type { Db } from '../../db/database.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { NotFound } from '../../platform/errors.ts'
import { holdUntilCommit } from '../../platform/locks.ts'
import type { Notifications } from '../../platform/notifications.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import { frameworkOf, type Refusal } from './rules.ts'
import * as store from './store.ts'

/** What the regime needs from the staff area: the organisations that may provide an activity (P3). */
export type StaffForRegime = {
  listOrganisations: () => Promise<readonly { id: string; name: string; kind: string }[]>
  listStaffOnDuty: (establishmentCode: string, trx?: Db) => Promise<readonly { id: string; role: string }[]>
}

/** The platform's in-service notifications, for the daily word about overdue assessments. */
export type NotificationsForRegime = Pick<Notifications, 'notify'>

/** What every regime use case is given: built once, in app.ts. */
export type RegimeDeps = PlatformDeps & {
  people: PeopleService
  staff: StaffForRegime
  notifications: NotificationsForRegime
}

const DEFAULT_DAYS = { firstAssessmentDays: 5, reassessmentDays: 182 }

/**
 * Holds a prison's usable day and the slots its groups meet in until the transaction ends: a slot taken out
 * of the day checks no group meets in it, and a group checks its slots are in the day, so two at once would
 * each pass and leave a group meeting outside the prison's day.
 */
export async function holdWeek(trx: Db, establishmentCode: string) {
  await holdUntilCommit(trx, `regime-week:${establishmentCode}`)
}

export async function establishmentOrThrow(trx: Db, code: string) {
  const establishment = await store.findEstablishment(trx, code)
  if (!establishment) throw new NotFound()
  return establishment
}

/** R3: the prison's framework (its function's default, or its own adjustment) and its due days. */
export async function frameworkAt(trx: Db, establishmentCode: string) {
  const establishment = await establishmentOrThrow(trx, establishmentCode)
  const stored = await store.findFramework(trx, establishmentCode)
  return {
    establishment,
    framework: frameworkOf(establishment.function, stored ?? null),
    isAdjusted: Boolean(stored),
    firstAssessmentDays: stored?.firstAssessmentDays ?? DEFAULT_DAYS.firstAssessmentDays,
    reassessmentDays: stored?.reassessmentDays ?? DEFAULT_DAYS.reassessmentDays,
  }
}

export async function activityOrThrow(trx: Db, actor: Actor, code: string) {
  const activity = await store.findActivity(trx, actor.establishmentCode, code)
  if (!activity) throw new NotFound()
  return activity
}

export async function providerProblems(
  { staff }: RegimeDeps,
  providerOrganisationId: string | null,
): Promise<Refusal[]> {
  if (!providerOrganisationId) return []
  const organisations = await staff.listOrganisations()
  return organisations.some((organisation) => organisation.id === providerOrganisationId)
    ? []
    : [{ field: 'providerOrganisationId', messageKey: 'regime.activity.error.providerOrganisationId', values: {} }]
}
