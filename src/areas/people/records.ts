/** A person's record: found only within the user's establishments, its header, its page. */
import type { Db } from '../../db/database.ts'
import { aboutPerson } from '../../platform/audit.ts'
import { NotFound } from '../../platform/errors.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { alertsFor, toPersonHeader, type PeopleDeps } from './deps.ts'
import { ageBandOf, ageOn, isPrisonNumber, normalisePrisonNumber } from './rules.ts'
import * as store from './store.ts'

/** Throws NotFound for a person outside the user's establishments, as if they did not exist. */
export async function findPersonOrThrow(deps: PeopleDeps, actor: Actor, prisonNumber: string) {
  const { db } = deps
  const normalised = normalisePrisonNumber(prisonNumber)
  if (!isPrisonNumber(normalised)) throw new NotFound()
  const person = await store.findPersonInEstablishments(db, actor.establishmentCodes, normalised)
  if (!person) throw new NotFound()
  return person
}

/**
 * The key facts at the top of every page of a person's record, for other areas' pages, with the alerts
 * the user may see. Not audited here: the area showing the page records its own view.
 */
export async function personHeader(deps: PeopleDeps, actor: Actor, prisonNumber: string) {
  const { clock } = deps
  const person = await findPersonOrThrow(deps, actor, prisonNumber)
  return {
    ...toPersonHeader(person, ageOn(person.dateOfBirth, clock.today())),
    alerts: await alertsFor(deps, actor, person),
  }
}

/** The person page: key facts, and protected characteristics for roles that need them. Audited. */
export async function viewPerson(deps: PeopleDeps, actor: Actor, prisonNumber: string) {
  const { db, clock, audit } = deps
  const person = await findPersonOrThrow(deps, actor, prisonNumber)
  await audit.record(db, actor, aboutPerson('person.viewed', person))
  const age = ageOn(person.dateOfBirth, clock.today())
  const showCharacteristics = hasPermission(actor.role, 'person.view-characteristics')
  return {
    person: { ...toPersonHeader(person, age), alerts: await alertsFor(deps, actor, person) },
    characteristics: showCharacteristics
      ? {
          ageBand: ageBandOf(age),
          sex: person.sex,
          ethnicity: person.ethnicity,
          religion: person.religion,
          disability: person.disability,
          sexualOrientation: person.sexualOrientation,
        }
      : null,
  }
}

/**
 * J3: moves a person onto another establishment's roll, cell cleared, inside the caller's transaction
 * (the journey area's acknowledged handover). The caller audits the move.
 */
export async function movePersonTo(
  _deps: PeopleDeps,
  trx: Db,
  personId: string,
  establishmentCode: string,
): Promise<void> {
  await store.movePerson(trx, personId, establishmentCode)
}

/**
 * K1: marks whether a person needs a specialist dedicated officer, inside the caller's transaction (the key
 * work area's decision, which it records and audits). False when they were so already.
 */
export async function setNeedsSpecialistAllocation(
  _deps: PeopleDeps,
  trx: Db,
  personId: string,
  needsSpecialist: boolean,
): Promise<boolean> {
  return store.setNeedsSpecialistAllocation(trx, personId, needsSpecialist)
}
