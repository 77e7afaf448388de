import type { Db } from '../../db/database.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Events } from '../../platform/events.ts'
import type { Outcome } from '../../platform/forms.ts'
import type { CommandActor } from '../../platform/audit.ts'
import { hasPermission, isRole, type Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import type { JourneyStageName } from '../../db/schema.ts'
import { responsibleNow } from './rules.ts'
import * as store from './store.ts'

type DedicatedOfficer = { staffUserId: string; displayName: string; allocatedAt: Date }

/** What the journey needs from the keywork area: the dedicated officers, and ending one when a person leaves. */
export type KeyworkForJourney = {
  currentDedicatedOfficers: (personIds: string[], trx?: Db) => Promise<Map<string, DedicatedOfficer>>
  /** Those of everyone on an establishment's roll: asked by the prison, not by a list of every id on it. */
  currentDedicatedOfficersAt: (establishmentCode: string) => Promise<Map<string, DedicatedOfficer>>
  /** J1: the ids of the people on an establishment's roll with a dedicated officer now, for a count. */
  peopleWithDedicatedOfficerAt: (establishmentCode: string) => Promise<ReadonlySet<string>>
  /** Ends the person's allocation at the prison they leave (`person.establishmentCode`), if they have one. */
  endAllocationForMove: (
    trx: Db,
    actor: Actor | CommandActor,
    person: { id: string; establishmentCode: string },
    reason: 'transfer' | 'release',
  ) => Promise<unknown>
}

/** What the journey needs from the staff area: who at a prison can be named as responsible today. */
export type StaffForJourney = {
  listStaffOnDuty: (establishmentCode: string, trx?: Db) => Promise<{ id: string; displayName: string; role: string }[]>
}

/** J3: what travels from the concerns area: a person's open concerns, ids and facts only, never their detail. */
export type ConcernsForJourney = {
  openConcernsForHandover: (trx: Db, personId: string) => Promise<{ id: string; summary: string }[]>
}

/** J3: what travels from the care plan area: the plan in progress, which the receiving prison continues. */
export type CarePlansForJourney = {
  openCarePlansForHandover: (trx: Db, personId: string) => Promise<{ id: string; description: string }[]>
  continueAfterTransfer: (
    trx: Db,
    actor: Actor | CommandActor,
    personId: string,
    toEstablishmentCode: string,
  ) => Promise<unknown>
  /** S3: a person on a plan in progress is released only after its pre-release review. */
  preReleaseReviewOutstanding: (trx: Db, personId: string) => Promise<boolean>
}

/** What every journey use case is given: built once, in app.ts. */
export type JourneyDeps = PlatformDeps & {
  people: PeopleService
  staff: StaffForJourney
  keywork: KeyworkForJourney
  concerns?: ConcernsForJourney | undefined
  carePlans?: CarePlansForJourney | undefined
  /** C1, J3: a release and a transfer are told to the areas that act on them (the person's own view). */
  events: Pick<Events, 'publish'>
}

/**
 * S1, J1: those who may be named responsible for someone: on duty here, and able to act on a concern, since every
 * concern about the person goes to whoever is responsible for them (a chaplain, say, could not open it).
 */
export async function responsibleChoices(deps: JourneyDeps, establishmentCode: string, trx?: Db) {
  const onDuty = await deps.staff.listStaffOnDuty(establishmentCode, trx)
  return onDuty.filter((member) => isRole(member.role) && hasPermission(member.role, 'concerns.act'))
}

export async function namedStaffOrRefusal(
  deps: JourneyDeps,
  trx: Db,
  establishmentCode: string,
  staffUserId: string,
  field: string,
): Promise<Outcome<{ id: string; displayName: string; role: string }>> {
  const named = (await responsibleChoices(deps, establishmentCode, trx)).find((member) => member.id === staffUserId)
  return named ?? { field, messageKey: 'journey.error.staffNotHere' }
}

/** Everyone on the establishment's roll with their current stage (none where no journey is recorded). */
export async function peopleWithCurrentStage(deps: JourneyDeps, establishmentCode: string) {
  const { db, people } = deps
  const [roll, stages] = await Promise.all([
    people.listPeopleAt(establishmentCode),
    store.currentStagesAt(db, establishmentCode),
  ])
  return roll.map((person) => {
    const current = stages.get(person.id)
    return {
      id: person.id,
      prisonNumber: person.prisonNumber,
      firstName: person.firstName,
      lastName: person.lastName,
      receptionOn: person.receptionOn,
      stage: current?.stage ?? null,
      startedAt: current?.startedAt ?? null,
      responsibleStaffUserId: current?.responsibleStaffUserId ?? null,
      responsibleName: current?.responsibleName ?? null,
    }
  })
}

/** J1: who is responsible at the person's current stage (none is a gap), from the stage and their officer. */
export function responsibilityFrom(
  current: { stage: JourneyStageName; responsibleStaffUserId: string | null; responsibleName: string | null } | null,
  officer: { staffUserId: string; displayName: string } | null,
) {
  const named = current?.responsibleStaffUserId
    ? { staffUserId: current.responsibleStaffUserId, displayName: current.responsibleName ?? '' }
    : null
  return responsibleNow(current?.stage ?? null, named, officer)
}

/** A handover is seen only by the establishments it is between; to anyone else it does not exist. */
export async function findVisibleHandover({ db }: JourneyDeps, actor: Actor, handoverId: string) {
  if (!isUuid(handoverId)) throw new NotFound()
  const handover = await store.findHandover(db, handoverId)
  if (!handover) throw new NotFound()
  if (![handover.fromEstablishmentCode, handover.toEstablishmentCode].includes(actor.establishmentCode))
    throw new NotFound()
  return handover
}
