/** J3: a transfer's handover, from the sending prison's form to the receiving prison's answer. */
import { NotFound } from '../../platform/errors.ts'
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { AuditAction, AuditEntry } from '../../platform/audit.ts'
import type { Db } from '../../db/database.ts'
import * as store from './store.ts'
import { handoverKind, isToChase } from './rules.ts'
import { holdCustody } from '../../platform/locks.ts'
import { findVisibleHandover, namedStaffOrRefusal, responsibleChoices, type JourneyDeps } from './deps.ts'
import { recordTransfer } from './custody-moves.ts'

const refusedHandoversShownDays = 14

/** An audit entry about a handover, filed under the person it moves. */
function aboutHandover(
  action: AuditAction,
  handover: { id: string; personId: string },
  filing?: { establishmentCode: string },
): AuditEntry {
  return { action, personId: handover.personId, ...filing, details: { handoverId: handover.id } }
}

/**
 * J3: a handover is acknowledged, refused or chased only while it waits for its answer: in one transaction
 * with it locked, so two people answering at once cannot both do it; one answered meanwhile is refused on the
 * form's `field`.
 */
async function whileWaiting(
  db: Db,
  handoverId: string,
  field: string,
  act: (trx: Db) => Promise<Outcome>,
): Promise<Outcome> {
  return db.transaction().execute(async (trx) => {
    const locked = await store.lockHandover(trx, handoverId)
    if (!locked || locked.acknowledgedAt || locked.refusedAt) return { field, messageKey: 'handover.error.answered' }
    return act(trx)
  })
}

/** J3: the form to start a transfer: where to, and what the prison knows to send with the person. */
export async function handoverForm(deps: JourneyDeps, actor: Actor, prisonNumber: string) {
  const { db, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const establishments = (await store.listEstablishments(db)).filter(
    (establishment) => establishment.code !== person.establishmentCode,
  )
  const pending = await store.findPendingHandoverOf(db, person.id)
  return { person, establishments, pending: pending ?? null }
}

/**
 * J3: starts a handover to another establishment. What travels: the person's wishes, the risks, the
 * open care plan (a line of facts), the open concerns without their detail, and
 * the dedicated officer.
 */
export async function startHandover(
  deps: JourneyDeps,
  actor: Actor,
  prisonNumber: string,
  input: { toEstablishmentCode: string; risks: string; personsWishes: string },
): Promise<Outcome<{ handoverId: string }>> {
  const { db, clock, audit, people, keywork, concerns, carePlans } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  const officers = await keywork.currentDedicatedOfficers([person.id])
  return db.transaction().execute(async (trx) => {
    await holdCustody(trx, person.id)
    const [from, to] = await Promise.all([
      store.findEstablishment(trx, person.establishmentCode),
      store.findEstablishment(trx, input.toEstablishmentCode),
    ])
    if (!from) throw new NotFound()
    if (!to || to.code === from.code) return { field: 'to', messageKey: 'handover.error.to' }
    if (await store.findPendingHandoverOf(trx, person.id)) return { field: 'to', messageKey: 'handover.error.pending' }
    const current = await store.findCurrentStage(trx, person.id)
    // Moved by the roll from NOMIS since the person was read: no longer this prison's to hand over.
    if (current && current.establishmentCode !== from.code) throw new NotFound()
    if (current?.stage === 'release') return { field: 'to', messageKey: 'handover.error.released' }
    const officer = officers.get(person.id)
    const handoverId = await store.insertHandover(trx, {
      personId: person.id,
      fromEstablishmentCode: from.code,
      toEstablishmentCode: to.code,
      kind: handoverKind(from.function, to.function),
      summary: {
        risks: input.risks,
        openCarePlans: carePlans ? await carePlans.openCarePlansForHandover(trx, person.id) : [],
        concerns: concerns
          ? (await concerns.openConcernsForHandover(trx, person.id)).map(({ id, summary }) => ({
              id,
              description: summary,
            }))
          : [],
        dedicatedOfficer: officer ? { staffUserId: officer.staffUserId, displayName: officer.displayName } : null,
      },
      personsWishes: input.personsWishes,
      createdAt: clock.now(),
      createdBy: actor.id,
    })
    await audit.record(trx, actor, {
      action: 'handover.started',
      personId: person.id,
      establishmentCode: from.code,
      details: { handoverId, toEstablishmentCode: to.code },
    })
    return { handoverId }
  })
}

/** J3: handovers waiting into and out of the establishment, those past the chase days marked, and recent refusals. Audited. */
export async function listHandovers(deps: JourneyDeps, actor: Actor) {
  const { db, clock, audit } = deps
  const here = actor.establishmentCode
  const [pending, refused] = await Promise.all([
    store.listPendingHandovers(db, here),
    store.listRecentlyRefusedHandovers(
      db,
      here,
      new Date(clock.now().getTime() - refusedHandoversShownDays * 24 * 60 * 60 * 1000),
    ),
  ])
  const chaseDays = new Map<string, number>()
  for (const handover of pending)
    if (!chaseDays.has(handover.toEstablishmentCode))
      chaseDays.set(handover.toEstablishmentCode, await store.findHandoverChaseDays(db, handover.toEstablishmentCode))
  const marked = pending.map((handover) => ({
    ...handover,
    toChase: isToChase(handover, chaseDays.get(handover.toEstablishmentCode)!, clock.now()),
  }))
  // The list names people on the move: each person's audit trail shows they were listed, and in which handover.
  for (const handover of [...pending, ...refused])
    await audit.record(db, actor, aboutHandover('handover.listed', handover))
  return {
    incoming: marked.filter((handover) => handover.toEstablishmentCode === here),
    outgoing: marked.filter((handover) => handover.fromEstablishmentCode === here),
    refused,
  }
}

/**
 * M2, for the measures area's perverse-incentive watch: the transfer handovers sent from these prisons
 * since a date, when each was answered and how, the receiving prison's chase days, and whether it carried
 * an open care plan when sent. Not audited here: the measures area audits its page.
 */
export async function handoverOutcomesSince(deps: JourneyDeps, fromEstablishmentCodes: readonly string[], since: Date) {
  const { db } = deps
  return store.handoverOutcomesSince(db, fromEstablishmentCodes, since)
}

/** J3: one handover, for the sending or the receiving establishment only. Audited. */
export async function viewHandover(deps: JourneyDeps, actor: Actor, handoverId: string) {
  const { db, clock, audit } = deps
  const handover = await findVisibleHandover(deps, actor, handoverId)
  const isPending = !handover.acknowledgedAt && !handover.refusedAt
  const canAnswer = handover.toEstablishmentCode === actor.establishmentCode && isPending
  const onDuty = canAnswer ? await responsibleChoices(deps, handover.toEstablishmentCode) : []
  const chaseDays = await store.findHandoverChaseDays(db, handover.toEstablishmentCode)
  await audit.record(db, actor, aboutHandover('handover.viewed', handover))
  return {
    handover,
    canAnswer,
    isPending,
    staff: onDuty,
    chaseDays,
    toChase: isToChase(handover, chaseDays, clock.now()),
  }
}

/**
 * J3: the receiving establishment takes the person: they join its roll without a cell, the sending
 * prison's stage ends with a transfer out, and a transfer in begins with the person the receiver names.
 * The sending prison's dedicated officer allocation ends with the reason transfer, in the same transaction.
 */
export async function acknowledgeHandover(
  deps: JourneyDeps,
  actor: Actor,
  handoverId: string,
  input: { responsibleStaffUserId: string; reason: string },
): Promise<Outcome> {
  const { db, clock, audit } = deps
  const handover = await findVisibleHandover(deps, actor, handoverId)
  if (handover.toEstablishmentCode !== actor.establishmentCode) throw new NotFound()
  return whileWaiting(db, handover.id, 'responsible', async (trx) => {
    await holdCustody(trx, handover.personId)
    const named = await namedStaffOrRefusal(
      deps,
      trx,
      handover.toEstablishmentCode,
      input.responsibleStaffUserId,
      'responsible',
    )
    if (isRefusal(named)) return named
    const now = clock.now()
    await recordTransfer(deps, trx, actor, {
      personId: handover.personId,
      from: handover.fromEstablishmentCode,
      to: handover.toEstablishmentCode,
      responsibleStaffUserId: named.id,
      reason: input.reason,
      at: now,
    })
    await store.markAcknowledged(trx, handover.id, now, actor.id)
    await audit.record(trx, actor, {
      action: 'handover.acknowledged',
      personId: handover.personId,
      establishmentCode: handover.toEstablishmentCode,
      details: {
        handoverId: handover.id,
        fromEstablishmentCode: handover.fromEstablishmentCode,
        responsibleStaffUserId: named.id,
      },
    })
    return null
  })
}

/** J3: either establishment records that it chased a handover still waiting; the chase days start again. */
export async function recordChase(deps: JourneyDeps, actor: Actor, handoverId: string): Promise<Outcome> {
  const { db, clock, audit } = deps
  const handover = await findVisibleHandover(deps, actor, handoverId)
  return whileWaiting(db, handover.id, 'chase', async (trx) => {
    await store.markChased(trx, handover.id, clock.now())
    await audit.record(trx, actor, aboutHandover('handover.chased', handover))
    return null
  })
}

/** J3: the receiving establishment refuses a handover and says why; the person stays where they are. */
export async function refuseHandover(
  deps: JourneyDeps,
  actor: Actor,
  handoverId: string,
  reason: string,
): Promise<Outcome> {
  const { db, clock, audit } = deps
  const handover = await findVisibleHandover(deps, actor, handoverId)
  if (handover.toEstablishmentCode !== actor.establishmentCode) throw new NotFound()
  return whileWaiting(db, handover.id, 'refusalReason', async (trx) => {
    await store.markRefused(trx, handover.id, clock.now(), reason)
    await audit.record(
      trx,
      actor,
      aboutHandover('handover.refused', handover, { establishmentCode: handover.toEstablishmentCode }),
    )
    return null
  })
}
