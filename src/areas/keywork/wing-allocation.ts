import type { Db } from '../../db/database.ts'
import type { Actor } from '../../platform/permissions.ts'
import { holdCaseloads } from '../../platform/locks.ts'
import { allocationRefusal, caseloadLimitOf, isAvailable, recommendForWing } from './rules.ts'
import { officersWithCaseloads, summary, type KeyworkDeps, type PersonOnRoll } from './deps.ts'
import * as store from './store.ts'

/** K1, K3: per wing, the people without an officer and one recommendation for all of them. */
export async function viewWingAllocation(deps: KeyworkDeps, actor: Actor) {
  const { db, clock, people } = deps
  const policy = await store.findPolicy(db, actor.establishmentCode)
  const [officers, everyone, allocations] = await Promise.all([
    officersWithCaseloads(deps, actor.establishmentCode, policy),
    people.listPeopleAt(actor.establishmentCode),
    store.allocationsAt(db, actor.establishmentCode),
  ])
  const unallocated = everyone.filter((person) => !allocations.has(person.id))
  const history = await store.previousOfficers(
    db,
    unallocated.map((person) => person.id),
  )
  const today = clock.today()
  const names = new Map(officers.map((entry) => [entry.officer.staffUserId, entry.officer.displayName]))
  const wings = new Map<string, { code: string; name: string; people: PersonOnRoll[] }>()
  for (const person of unallocated) {
    const code = person.wingCode ?? ''
    const wing = wings.get(code) ?? { code, name: person.wingName ?? '', people: [] }
    wing.people.push(person)
    wings.set(code, wing)
  }
  // One wing at a time, each seeing the caseloads the wings before it would leave.
  const running = officers.map((entry) => ({ ...entry, caseload: { ...entry.caseload } }))
  const result = []
  for (const wing of wings.values()) {
    const recommendations = recommendForWing(
      wing.people.map((person) => ({
        personId: person.id,
        needsSpecialistAllocation: person.needsSpecialistAllocation,
      })),
      running,
      history,
      today,
    )
    for (const recommendation of recommendations)
      if (recommendation.staffUserId) {
        const entry = running.find((candidate) => candidate.officer.staffUserId === recommendation.staffUserId)!
        entry.caseload.count += 1
      }
    const byPerson = new Map(recommendations.map((recommendation) => [recommendation.personId, recommendation]))
    result.push({
      ...wing,
      /** What the page shows, so accepting it can check nothing changed in between. */
      plan: recommendations
        .filter((recommendation) => recommendation.staffUserId !== null)
        .map((recommendation) => `${recommendation.personId}=${recommendation.staffUserId}`)
        .join(','),
      people: wing.people.map((person) => {
        const recommendation = byPerson.get(person.id)!
        return {
          ...person,
          recommendation: {
            ...recommendation,
            displayName: recommendation.staffUserId ? (names.get(recommendation.staffUserId) ?? '') : null,
          },
        }
      }),
    })
  }
  const officerById = new Map(officers.map((entry) => [entry.officer.staffUserId, entry.officer]))
  const needsCover = everyone.flatMap((person) => {
    const officer = officerById.get(allocations.get(person.id)?.staffUserId ?? '')
    return officer && !isAvailable(officer, today)
      ? [{ ...summary(person), wingName: person.wingName, officerName: officer.displayName }]
      : []
  })
  return {
    policy,
    needsCover,
    wings: result,
    officers: officers.map((entry) => ({
      ...entry.officer,
      caseload: entry.caseload,
      available: isAvailable(entry.officer, today),
      refusal: allocationRefusal(entry.officer, today, entry.caseload),
    })),
  }
}

/**
 * K1: accepts the recommendation for one wing exactly as it was shown (`plan`, from the page), in one
 * transaction, audited per person. If anything changed since (someone allocated, an officer went on
 * leave), the recommendation is no longer the one reviewed: nothing is written and it returns null.
 */
export async function acceptWingRecommendation(
  deps: KeyworkDeps,
  actor: Actor,
  wingCode: string,
  plan: string,
): Promise<number | null> {
  const { db, clock, audit, events } = deps
  const view = await viewWingAllocation(deps, actor)
  const wing = view.wings.find((candidate) => candidate.code === wingCode)
  if (!wing) return null
  if (wing.plan !== plan) return null
  const placements = wing.people.filter((person) => person.recommendation.staffUserId !== null)
  return db.transaction().execute(async (trx) => {
    // Read again once no other allocation at the prison can come in between: an officer the page showed with
    // room, or a person it showed without an officer, may have been allocated since.
    await holdCaseloads(trx, actor.establishmentCode)
    if (!(await stillAsShown(deps, trx, actor.establishmentCode, placements, view.officers))) return null
    for (const person of placements) {
      const allocationId = await store.insertAllocation(trx, {
        personId: person.id,
        staffUserId: person.recommendation.staffUserId!,
        allocatedAt: clock.now(),
        allocatedBy: actor.id,
        kind: 'recommended',
      })
      await audit.record(trx, actor, {
        action: 'dedicated-officer.allocated',
        personId: person.id,
        details: {
          allocationId,
          staffUserId: person.recommendation.staffUserId,
          reason: person.recommendation.reason,
        },
      })
      await events?.publish(
        trx,
        actor,
        'dedicated-officer.allocated',
        { allocationId, personId: person.id, staffUserId: person.recommendation.staffUserId! },
        actor.establishmentCode,
      )
    }
    await audit.record(trx, actor, {
      action: 'dedicated-officer.recommendation-accepted',
      details: { wingCode, count: placements.length },
    })
    return placements.length
  })
}

/** Whether each person placed is still without an officer, and each officer still has room for those placed. */
async function stillAsShown(
  deps: KeyworkDeps,
  trx: Db,
  establishmentCode: string,
  placements: readonly { id: string; recommendation: { staffUserId: string | null } }[],
  officers: readonly { staffUserId: string; caseload: { limit: number } }[],
) {
  const allocatedSince = await store.currentAllocations(
    trx,
    placements.map((person) => person.id),
  )
  if (allocatedSince.length > 0) return false
  const counts = await store.caseloadCounts(trx, establishmentCode)
  const placed = new Map<string, number>()
  for (const person of placements) {
    const staffUserId = person.recommendation.staffUserId!
    placed.set(staffUserId, (placed.get(staffUserId) ?? 0) + 1)
  }
  const limits = new Map(officers.map((officer) => [officer.staffUserId, officer.caseload.limit]))
  // An officer made unavailable, or given a lower limit, since the page was drawn is not as shown either.
  const policy = await store.findPolicy(trx, establishmentCode)
  const today = deps.clock.today()
  const now = new Map(
    (await deps.staff.listOfficersForAllocation(establishmentCode, trx)).map((officer) => [
      officer.staffUserId,
      officer,
    ]),
  )
  return [...placed].every(([staffUserId, more]) => {
    const officer = now.get(staffUserId)
    if (!officer || !isAvailable(officer, today)) return false
    const limit = Math.min(limits.get(staffUserId)!, caseloadLimitOf(officer, policy))
    return (counts.get(staffUserId) ?? 0) + more <= limit
  })
}
