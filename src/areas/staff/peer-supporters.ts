/** P4: people in custody serving as Listeners, Insiders, peer mentors and lived experience workers. */
import { aboutPerson } from '../../platform/audit.ts'
import { NotFound } from '../../platform/errors.ts'
import { holdUntilCommit } from '../../platform/locks.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import { peerSupporterRoleOrThrow, type PeerSupporterDeps, type Refused } from './deps.ts'
import {
  checkEndDate,
  checkPeerSupporterForm,
  peerSchemes,
  perHundred,
  type DateParts,
  type PeerSupporterForm,
} from './rules.ts'
import * as store from './store.ts'

/** A current peer supporter's role; one already ended is, to the end form, not there. */
export async function findCurrentOrThrow(deps: PeerSupporterDeps, actor: Actor, id: string) {
  const { clock } = deps
  const role = await peerSupporterRoleOrThrow(deps, actor, id)
  if (role.endedOn !== null && role.endedOn <= clock.today()) throw new NotFound()
  return role
}

/** The current peer supporters of the user's establishment by the wing they serve, per 100 people. */
export async function viewPeerSupporters(deps: PeerSupporterDeps, actor: Actor) {
  const { db, clock } = deps
  const today = clock.today()
  const [supporters, wings, population] = await Promise.all([
    store.listCurrentPeerSupporters(db, actor.establishmentCode, today),
    store.countPeopleByWing(db, actor.establishmentCode),
    store.countPeopleAt(db, actor.establishmentCode),
  ])
  const byWing = wings.map((wing) => {
    const serving = supporters.filter((supporter) => supporter.wingId === wing.id)
    return {
      ...wing,
      supporters: serving,
      perHundred: perHundred(serving.length, wing.people),
      bySchemes: peerSchemes.map((scheme) => ({
        scheme,
        count: serving.filter((supporter) => supporter.scheme === scheme).length,
      })),
    }
  })
  return {
    wings: byWing,
    total: supporters.length,
    population,
    perHundred: perHundred(supporters.length, population),
    bySchemes: peerSchemes.map((scheme) => ({
      scheme,
      count: supporters.filter((supporter) => supporter.scheme === scheme).length,
      perHundred: perHundred(supporters.filter((supporter) => supporter.scheme === scheme).length, population),
    })),
  }
}

/** P4: the peer supporter roles on a person's record, current and past. Audited as a view of the record. */
export async function viewPersonRoles(deps: PeerSupporterDeps, actor: Actor, prisonNumber: string) {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const today = clock.today()
  const roles = await store.listRolesOf(db, person.id)
  await audit.record(db, actor, aboutPerson('peer-support.viewed', person))
  return {
    person,
    roles: roles.map((role) => ({ ...role, isCurrent: role.endedOn === null || role.endedOn > today })),
  }
}

/** The wings a new peer supporter may serve. */
export async function wingsOf(deps: PeerSupporterDeps, actor: Actor) {
  const { db } = deps
  return store.countPeopleByWing(db, actor.establishmentCode)
}

/** Adds a person in this prison as a peer supporter of one of its wings. Audited on their record. */
export async function addPeerSupporter(
  deps: PeerSupporterDeps,
  actor: Actor,
  form: PeerSupporterForm,
): Promise<Refused | null> {
  const { db, clock, audit, people } = deps
  const today = clock.today()
  const checked = checkPeerSupporterForm(form, today)
  if (!checked.values) return { problems: checked.problems }
  const { prisonNumber, scheme, wingId, startedOn } = checked.values
  let person: Awaited<ReturnType<PeopleService['findPersonOrThrow']>>
  try {
    person = await people.findPersonOrThrow(actor, prisonNumber)
  } catch (error) {
    if (error instanceof NotFound) return { problems: [{ field: 'prisonNumber', messageKey: 'peer.error.notHere' }] }
    throw error
  }
  if (person.establishmentCode !== actor.establishmentCode)
    return { problems: [{ field: 'prisonNumber', messageKey: 'peer.error.notHere' }] }
  return db.transaction().execute(async (trx) => {
    // Two adds of one person at once would each find them not serving, and ending the role would end only one.
    await holdUntilCommit(trx, `peer-supporter:${person.id}:${scheme}`)
    const wings = await store.countPeopleByWing(trx, actor.establishmentCode)
    if (!wings.some((wing) => wing.id === wingId))
      return { problems: [{ field: 'wingId', messageKey: 'peer.error.wing' }] }
    if (await store.hasCurrentRole(trx, person.id, scheme, today))
      return { problems: [{ field: 'scheme', messageKey: 'peer.error.alreadyServing' }] }
    const id = await store.insertPeerSupporter(trx, {
      personId: person.id,
      scheme,
      wingId,
      startedOn,
      recordedBy: actor.id,
    })
    await audit.record(trx, actor, {
      action: 'peer-supporter.added',
      personId: person.id,
      details: { peerSupporterId: id, scheme, wingId },
    })
    return null
  })
}

/** Ends a peer supporter's role on a day from its start to today. Audited on their record. */
export async function endPeerSupporter(
  deps: PeerSupporterDeps,
  actor: Actor,
  id: string,
  endedOn: DateParts,
): Promise<Refused | null> {
  const { db, clock, audit } = deps
  return db.transaction().execute(async (trx) => {
    const role = await peerSupporterRoleOrThrow(deps, actor, id, trx)
    if (role.endedOn !== null && role.endedOn <= clock.today()) throw new NotFound()
    const checked = checkEndDate(endedOn, role.startedOn, clock.today())
    if (!checked.date) return { problems: checked.problems }
    await store.endPeerSupporter(trx, role.id, checked.date)
    await audit.record(trx, actor, {
      action: 'peer-supporter.ended',
      personId: role.personId,
      details: { peerSupporterId: role.id, scheme: role.scheme },
    })
    return null
  })
}
