import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../db/schema.ts'
import type { INVALID_DATE } from '../../platform/date-input.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Events } from '../../platform/events.ts'
import { isUuid } from '../../platform/ids.ts'
import type { MailSender } from '../../platform/mail.ts'
import type { Notifications } from '../../platform/notifications.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { Refusal } from './rules.ts'
import * as store from './store.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { ConcernsService } from '../concerns/service.ts'
import type { StaffService } from '../staff/service.ts'

/** The form as sent: every field as typed, so that a refusal can show it back. */
export type WorryForm = {
  establishmentCode: string
  personName: string
  dateOfBirth: IsoDate | null | typeof INVALID_DATE
  prisonNumber: string
  whatWorries: string
  howSoon: string
  selfHarm: string
  relationship: string
  raiserName: string
  raiserPhone: string
  raiserEmail: string
  mayTell: string
  /** The field people cannot see: anything in it marks the worry as sent by a machine, and holds it back. */
  honeypot: string
}

export type RaiseOutcome =
  | { kind: 'refused'; refusals: Refusal[] }
  | { kind: 'limited'; prison: { name: string; phone: string | null } }
  | { kind: 'taken'; reference: string; followUpCode: string; prison: { name: string; phone: string | null } }

/** What every families use case is given: built once, in app.ts. */
export type FamiliesDeps = PlatformDeps & {
  /** A matched worry becomes a concern raised by family or friends, routed as every concern is. */
  concerns: Pick<ConcernsService, 'raiseFromFamily' | 'policyFor'>
  /** S4: the person's care plan in progress, and its family contacts. */
  carePlans: Pick<CarePlanService, 'viewPersonCarePlans' | 'recordFamily'>
  staff: Pick<StaffService, 'listStaffOnDuty'>
  notifications: Pick<Notifications, 'notify'>
  events: Pick<Events, 'publish'>
  mail: MailSender
  addressSecret: string
  publicUrl: string
}

export const system = { id: null, username: 'family-worries' }
export const HOUR = 3_600_000

/**
 * A worry safer custody may open: at the prison they are working in; anything else is a 404. With `lock`,
 * held for the rest of the caller's transaction.
 */
export async function findVisible(
  deps: FamiliesDeps,
  actor: Actor,
  id: string,
  trx: Db = deps.db,
  options: { lock?: boolean } = {},
) {
  if (!isUuid(id)) throw new NotFound()
  const worry = await (options.lock ? store.lockWorry : store.findWorry)(trx, id)
  if (!worry || worry.establishmentCode !== actor.establishmentCode) throw new NotFound()
  return worry
}
