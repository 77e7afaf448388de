/** R4: who must be kept apart. Two people's non-associations, and the cohorts of a prison that must not mix. */
import type { Db } from '../../db/database.ts'
import type { NonAssociationLevel, NonAssociationReason } from '../../db/schema.ts'
import { aboutPerson } from '../../platform/audit.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { cohorts } from '../people/rules.ts'
import { orderedPair, type Refusal } from './rules.ts'
import * as store from './store.ts'
import type { RegimeDeps } from './deps.ts'

export type NonAssociationInput = {
  otherPrisonNumber: string
  reason: NonAssociationReason
  level: NonAssociationLevel
  comment: string
}

/** The person's non-associations, open first. Audited as a view of the person's record. */
export async function viewPersonNonAssociations(deps: RegimeDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const rows = await store.nonAssociationsOf(db, person.id)
  await audit.record(db, actor, aboutPerson('non-associations.viewed', person))
  return {
    person,
    nonAssociations: rows.map((row) => ({
      ...row,
      other: row.personAId === person.id ? row.b : row.a,
      // Someone at a prison the user does not work in is named by prison number only.
      otherIsVisible: actor.establishmentCodes.includes(
        row.personAId === person.id ? row.b.establishmentCode : row.a.establishmentCode,
      ),
    })),
  }
}

/** R4: two people who must be kept apart, why, and where. Both must be people the user can see. */
export async function recordNonAssociation(
  deps: RegimeDeps,
  actor: Actor,
  prisonNumber: string,
  input: NonAssociationInput,
): Promise<Refusal[]> {
  const { db, clock, audit, people } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  return db.transaction().execute(async (trx) => {
    const other = await store.findPersonByPrisonNumber(trx, input.otherPrisonNumber)
    if (!other || !actor.establishmentCodes.includes(other.establishmentCode))
      return [{ field: 'otherPrisonNumber', messageKey: 'regime.nonAssociation.error.notFound', values: {} }]
    if (other.id === person.id)
      return [{ field: 'otherPrisonNumber', messageKey: 'regime.nonAssociation.error.self', values: {} }]
    const [a, b] = orderedPair(person.id, other.id)
    if (await store.hasOpenNonAssociation(trx, a, b))
      return [{ field: 'otherPrisonNumber', messageKey: 'regime.nonAssociation.error.exists', values: {} }]
    const id = await store.insertNonAssociation(trx, {
      personAId: a,
      personBId: b,
      reason: input.reason,
      level: input.level,
      comment: input.comment,
      createdAt: clock.now(),
      createdBy: actor.id,
    })
    for (const personId of [a, b])
      await audit.record(trx, actor, {
        action: 'non-association.recorded',
        personId,
        details: { nonAssociationId: id, level: input.level },
      })
    return []
  })
}

/** A non-association is seen only by someone who works where one of the two is; to anyone else it does not exist. */
async function nonAssociationSeenBy(trx: Db, actor: Actor, id: string) {
  const row = await store.findNonAssociation(trx, id)
  if (
    !row ||
    !(
      actor.establishmentCodes.includes(row.a.establishmentCode) ||
      actor.establishmentCodes.includes(row.b.establishmentCode)
    )
  )
    throw new NotFound()
  return row
}

/** Closes one with the reason; the person's page the user came from is returned for the redirect. */
export async function closeNonAssociation(
  deps: RegimeDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<{ stale: boolean }> {
  const { db, clock, audit } = deps
  return db.transaction().execute(async (trx) => {
    const row = await nonAssociationSeenBy(trx, actor, id)
    const closed = await store.closeNonAssociation(trx, id, reason, clock.now(), actor.id)
    if (closed === 0) return { stale: true }
    for (const personId of [row.personAId, row.personBId])
      await audit.record(trx, actor, {
        action: 'non-association.closed',
        personId,
        details: { nonAssociationId: id },
      })
    return { stale: false }
  })
}

export async function findNonAssociationForClosing(deps: RegimeDeps, actor: Actor, id: string) {
  return nonAssociationSeenBy(deps.db, actor, id)
}

/** The prison's open non-associations and the cohorts that must not mix. Audited as a list view. */
export async function viewPrisonNonAssociations(deps: RegimeDeps, actor: Actor) {
  const { db, audit } = deps
  const [rows, separations] = await Promise.all([
    store.openNonAssociationsAt(db, actor.establishmentCode),
    store.cohortSeparations(db, actor.establishmentCode),
  ])
  await audit.record(db, actor, { action: 'non-associations.listed', details: { count: rows.length } })
  return { nonAssociations: rows, separations, cohorts }
}

export async function addCohortSeparation(
  deps: RegimeDeps,
  actor: Actor,
  cohortA: string,
  cohortB: string,
): Promise<Refusal[]> {
  const { db, audit } = deps
  if (!(cohorts as readonly string[]).includes(cohortA) || !(cohorts as readonly string[]).includes(cohortB))
    return [{ field: 'cohortA', messageKey: 'regime.separation.error.cohorts', values: {} }]
  if (cohortA === cohortB) return [{ field: 'cohortB', messageKey: 'regime.separation.error.same', values: {} }]
  const [a, b] = [cohortA, cohortB].sort() as [string, string]
  await db.transaction().execute(async (trx) => {
    await store.insertCohortSeparation(trx, actor.establishmentCode, a, b)
    await audit.record(trx, actor, {
      action: 'regime.cohort-separation-added',
      details: { cohortA: a, cohortB: b },
    })
  })
  return []
}

export async function removeCohortSeparation(
  deps: RegimeDeps,
  actor: Actor,
  cohortA: string,
  cohortB: string,
): Promise<void> {
  const { db, audit } = deps
  await db.transaction().execute(async (trx) => {
    const removed = await store.deleteCohortSeparation(trx, actor.establishmentCode, cohortA, cohortB)
    if (removed === 0) throw new NotFound()
    await audit.record(trx, actor, { action: 'regime.cohort-separation-removed', details: { cohortA, cohortB } })
  })
}
