import type { PlatformDeps } from '../../platform/use-cases.ts'
import { hasPermission, type Actor, type Permission } from '../../platform/permissions.ts'
import type * as store from './store.ts'

/**
 * A badge in the header of every page of a person's record, from the area that owns what it warns of (an
 * open ACCT care plan), linked to that area's tab of the record. The people area knows nothing more of it.
 */
export type PersonAlert = { messageKey: string; tabPath: string; colour: 'red' | 'orange' }

/** Where a kind of alert comes from, and the permission a role needs to see it (the permission of its tab). */
export type PersonAlertSource = {
  permission: Permission
  /** Not audited: the page the header sits on audits its own view of the person. */
  alertsOf: (personId: string) => Promise<readonly PersonAlert[]>
}

/** What every people use case is given: built once, in app.ts, before every other area. */
export type PeopleDeps = PlatformDeps & {
  alerts?: readonly PersonAlertSource[]
}

/** The header's alerts that this user's role may see, each linked to its tab of the person's record. */
export async function alertsFor(deps: PeopleDeps, actor: Actor, person: { id: string; prisonNumber: string }) {
  const { alerts = [] } = deps
  const shown = alerts.filter((source) => hasPermission(actor.role, source.permission))
  const found = await Promise.all(shown.map((source) => source.alertsOf(person.id)))
  return found.flat().map((alert) => ({
    messageKey: alert.messageKey,
    colour: alert.colour,
    href: `/people/${person.prisonNumber}/${alert.tabPath}`,
  }))
}

export type PersonHeader = ReturnType<typeof toPersonHeader>

export function toPersonHeader(person: store.PersonRecord, age: number) {
  return {
    id: person.id,
    prisonNumber: person.prisonNumber,
    firstName: person.firstName,
    lastName: person.lastName,
    dateOfBirth: person.dateOfBirth,
    age,
    cohort: person.cohort,
    establishmentCode: person.establishmentCode,
    establishmentName: person.establishmentName,
    wingName: person.wingName,
    cellLabel: person.cellLabel,
    landing: person.landing,
    receptionOn: person.receptionOn,
    needsSpecialistAllocation: person.needsSpecialistAllocation,
  }
}
