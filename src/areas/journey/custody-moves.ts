/**
 * J1, J3: what a transfer and a release change beyond the stage itself, written once for each way they are
 * recorded: a handover acknowledged or a stage recorded by staff, and the roll from NOMIS (issue 15).
 */
import type { Db } from '../../db/database.ts'
import type { CommandActor } from '../../platform/audit.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { JourneyDeps } from './deps.ts'
import * as store from './store.ts'

/** Who records a move: a member of staff, or a Waymark command (the roll from NOMIS). */
export type RecordedBy = Actor | CommandActor

/**
 * J3: the person leaves one prison for another. The stage there ends with a transfer out, a transfer in begins
 * here with whoever is named (none is a gap for the safer custody lead), the person joins this prison's roll
 * without a cell, their care plan continues, their dedicated officer allocation ends, and the areas that act on
 * a transfer are told: all in the caller's transaction. The transfer in's stage id.
 */
export async function recordTransfer(
  deps: JourneyDeps,
  trx: Db,
  by: RecordedBy,
  move: { personId: string; from: string; to: string; responsibleStaffUserId: string | null; reason: string; at: Date },
): Promise<string> {
  const { people, keywork, carePlans, events } = deps
  await store.endCurrentStage(trx, move.personId, move.at)
  await store.insertStage(trx, {
    personId: move.personId,
    establishmentCode: move.from,
    stage: 'transfer-out',
    responsibleStaffUserId: null,
    startedAt: move.at,
    endedAt: move.at,
    reason: '',
    recordedBy: by.id,
  })
  const stageId = await store.insertStage(trx, {
    personId: move.personId,
    establishmentCode: move.to,
    stage: 'transfer-in',
    responsibleStaffUserId: move.responsibleStaffUserId,
    startedAt: move.at,
    reason: move.reason,
    recordedBy: by.id,
  })
  await people.movePersonTo(trx, move.personId, move.to)
  // S3: the same care plan continues here, its next case review due soon after arrival.
  await carePlans?.continueAfterTransfer(trx, by, move.personId, move.to)
  await keywork.endAllocationForMove(trx, by, { id: move.personId, establishmentCode: move.from }, 'transfer')
  await events.publish(
    trx,
    by,
    'person.transferred',
    { personId: move.personId, fromEstablishmentCode: move.from, toEstablishmentCode: move.to },
    move.to,
  )
  return stageId
}

/**
 * J1: the person has been released (their release stage already begun): their dedicated officer allocation
 * ends, and the areas that act on leaving custody are told, in the caller's transaction.
 */
export async function recordLeavingOnRelease(
  deps: JourneyDeps,
  trx: Db,
  by: RecordedBy,
  person: { id: string; establishmentCode: string },
): Promise<void> {
  const { keywork, events } = deps
  await keywork.endAllocationForMove(trx, by, person, 'release')
  await events.publish(trx, by, 'person.left-custody', { personId: person.id, reason: 'release' })
}
