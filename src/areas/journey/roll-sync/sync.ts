/**
 * Issue 15: the roll from NOMIS applied to Waymark. Each record is decided on its own (`rules.ts`) and each
 * change is made in its own transaction, through the journey's own moves and the people area's roll, audited as
 * the command that made it. A record refused is reported and the rest applied; a page that cannot be read stops
 * the feed there, and the pages before it stand: no decision rests on who is missing from the feed, so a shorter
 * feed only tells Waymark less, and the next run reads the rest.
 */
import type { Db } from '../../../db/database.ts'
import { aboutPerson, type AuditEntry, type CommandActor } from '../../../platform/audit.ts'
import { londonDate } from '../../../platform/dates.ts'
import { holdCustody } from '../../../platform/locks.ts'
import type { JourneyDeps } from '../deps.ts'
import { recordLeavingOnRelease, recordTransfer } from '../custody-moves.ts'
import * as store from '../store.ts'
import { RollFeedError, type RollFeed } from './feed.ts'
import {
  countKindOf,
  parseRecord,
  receivedPersonOf,
  syncCountKinds,
  syncDecision,
  type HeldPerson,
  type PrisonerRecord,
  type SyncCountKind,
  type SyncDecision,
  type SyncEstate,
  type SyncRefusalReason,
} from './rules.ts'

/** A record not applied, found by its place in the feed and its prison number (never a name). */
export type SyncRefusal = { page: number; index: number; prisonNumber: string | null; reason: SyncRefusalReason }

export type SyncReport = {
  establishmentCode: string
  pagesRead: number
  records: number
  counts: Record<SyncCountKind, number>
  refused: SyncRefusal[]
  /** The page that could not be read after its retries; nothing after it was applied. */
  failedPage: { page: number; message: string } | null
}

/** The roll from NOMIS is no one's own doing: it is audited under the command's name, by hand or on schedule. */
export const rollSyncCommand: CommandActor = { id: null, username: 'waymark-sync-roll' }

/** What a stage recorded from NOMIS gives as its reason, where staff would type theirs. */
const recordedInNomis = 'Recorded in NOMIS'

/**
 * Applies a prison's roll as NOMIS holds it. Null when Waymark has no such prison. A run that changed something
 * leaves one `roll.synced` entry with its counts beside each person's own; a run that changed nothing leaves
 * the audit trail as it was.
 */
export async function syncRoll(
  deps: JourneyDeps,
  by: CommandActor,
  establishmentCode: string,
  feed: RollFeed,
): Promise<SyncReport | null> {
  const { db, clock, audit, people } = deps
  const { establishmentCodes, cells } = await people.estateFor(establishmentCode)
  if (!establishmentCodes.has(establishmentCode)) return null
  const estate: SyncEstate = {
    establishmentCode,
    establishmentCodes,
    cellLabels: new Set(cells.keys()),
    today: clock.today(),
  }
  const report: SyncReport = {
    establishmentCode,
    pagesRead: 0,
    records: 0,
    counts: Object.fromEntries(syncCountKinds.map((kind) => [kind, 0])) as Record<SyncCountKind, number>,
    refused: [],
    failedPage: null,
  }
  const tell = (kind: SyncCountKind) => (report.counts[kind] += 1)
  try {
    for await (const { page, records } of feed) {
      report.pagesRead += 1
      report.records += records.length
      const parsed = records.map((raw) => parseRecord(raw))
      const readable = parsed.flatMap((entry) => (entry.ok ? [entry.record.prisonerNumber] : []))
      const heldBefore = await heldPeople(deps, db, readable)
      for (const [index, entry] of parsed.entries()) {
        const refuse = (prisonNumber: string | null, reason: SyncRefusalReason) => {
          tell('refused')
          report.refused.push({ page, index, prisonNumber, reason })
        }
        if (!entry.ok) {
          refuse(entry.prisonNumber, entry.reason)
          continue
        }
        const { record } = entry
        const first = syncDecision(record, heldBefore.get(record.prisonerNumber) ?? null, estate)
        // Most of a roll is as Waymark holds it: only a change opens a transaction, and decides again in it.
        let decision = first
        if (first.kind !== 'refused' && first.kind !== 'unchanged')
          try {
            decision = await db.transaction().execute(async (trx) => {
              // Decided again while no handover or stage can be recorded for the person by hand.
              const personId = heldBefore.get(record.prisonerNumber)?.personId
              if (personId) await holdCustody(trx, personId)
              const held = await heldPeople(deps, trx, [record.prisonerNumber], { lock: true })
              const now = syncDecision(record, held.get(record.prisonerNumber) ?? null, estate)
              await applyDecision(deps, trx, by, record, now, { estate, cells })
              return now
            })
          } catch {
            // One person's change refused by the database is undone whole, and the rest of the roll still applied.
            decision = { kind: 'refused', reason: 'not-saved' }
          }
        if (decision.kind === 'refused') refuse(record.prisonerNumber, decision.reason)
        else tell(countKindOf(decision))
      }
    }
  } catch (error) {
    if (!(error instanceof RollFeedError)) throw error
    report.failedPage = { page: error.page, message: error.message }
  }
  const changes = ['received', 'moved-cell', 'transferred-in', 'transferred-out', 'released'] as const
  if (changes.some((kind) => report.counts[kind] > 0))
    await audit.record(db, by, {
      action: 'roll.synced',
      establishmentCode,
      details: Object.fromEntries(syncCountKinds.map((kind) => [kind, report.counts[kind]])),
    })
  return report
}

/** Where Waymark holds each of these people now, with their current stage and any handover waiting. */
async function heldPeople(
  deps: JourneyDeps,
  db: Db,
  prisonNumbers: readonly string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, HeldPerson>> {
  const places = await deps.people.placesOf(db, prisonNumbers, options)
  const personIds = [...places.values()].map((place) => place.personId)
  const [stages, pending] = await Promise.all([
    store.currentStagesOf(db, personIds),
    store.peopleWithPendingHandovers(db, personIds),
  ])
  return new Map(
    [...places].map(([prisonNumber, place]) => {
      const current = stages.get(place.personId)
      return [
        prisonNumber,
        {
          ...place,
          stage: current?.stage ?? null,
          stageStartedOn: current ? londonDate(current.startedAt) : null,
          handoverPending: pending.has(place.personId),
        },
      ]
    }),
  )
}

/** Makes the change a decision names, in the caller's transaction, with its audit entry. */
async function applyDecision(
  deps: JourneyDeps,
  trx: Db,
  by: CommandActor,
  record: PrisonerRecord,
  decision: SyncDecision,
  { estate, cells }: { estate: SyncEstate; cells: ReadonlyMap<string, number> },
): Promise<void> {
  const { clock, audit, people, carePlans } = deps
  const here = estate.establishmentCode
  const at = clock.now()
  const cellIdOf = (label: string | null) => (label === null ? null : (cells.get(label) ?? null))
  const auditAbout = (entry: AuditEntry) => audit.record(trx, by, entry)
  switch (decision.kind) {
    case 'received': {
      const cellId = cellIdOf(decision.cellLabel)
      const personId = await people.receivePerson(trx, receivedPersonOf(record, here, cellId, estate.today))
      const previous = await store.findCurrentStage(trx, personId)
      await store.endCurrentStage(trx, personId, at)
      const stageId = await store.insertStage(trx, {
        personId,
        establishmentCode: here,
        stage: 'reception',
        responsibleStaffUserId: null,
        startedAt: at,
        reason: recordedInNomis,
        recordedBy: by.id,
      })
      await auditAbout(
        aboutPerson(
          'roll.received',
          { id: personId, establishmentCode: here },
          {
            stageId,
            previousStageId: previous?.id ?? null,
            cellId,
          },
        ),
      )
      return
    }
    case 'moved-cell': {
      const cellId = cellIdOf(decision.cellLabel)!
      await people.moveToCell(trx, decision.personId, cellId)
      await auditAbout(aboutPerson('roll.moved-cell', { id: decision.personId, establishmentCode: here }, { cellId }))
      return
    }
    case 'transferred-in':
    case 'transferred-out': {
      const [from, to] = decision.kind === 'transferred-in' ? [decision.from, here] : [here, decision.to]
      const stageId = await recordTransfer(deps, trx, by, {
        personId: decision.personId,
        from,
        to,
        responsibleStaffUserId: null,
        reason: recordedInNomis,
        at,
      })
      const cellId = decision.kind === 'transferred-in' ? cellIdOf(decision.cellLabel) : null
      if (cellId !== null) await people.moveToCell(trx, decision.personId, cellId)
      await auditAbout(
        aboutPerson(
          'roll.transferred',
          { id: decision.personId, establishmentCode: to },
          {
            stageId,
            fromEstablishmentCode: from,
            toEstablishmentCode: to,
            cellId,
          },
        ),
      )
      return
    }
    case 'released': {
      const previous = await store.findCurrentStage(trx, decision.personId)
      // S3: staff cannot record a release before a plan's pre-release review; NOMIS records one that happened.
      const reviewOutstanding = (await carePlans?.preReleaseReviewOutstanding(trx, decision.personId)) ?? false
      await store.endCurrentStage(trx, decision.personId, at)
      const stageId = await store.insertStage(trx, {
        personId: decision.personId,
        establishmentCode: here,
        stage: 'release',
        responsibleStaffUserId: null,
        startedAt: at,
        reason: recordedInNomis,
        recordedBy: by.id,
      })
      await recordLeavingOnRelease(deps, trx, by, { id: decision.personId, establishmentCode: here })
      await auditAbout(
        aboutPerson(
          'roll.released',
          { id: decision.personId, establishmentCode: here },
          {
            stageId,
            previousStageId: previous?.id ?? null,
            preReleaseReviewOutstanding: reviewOutstanding,
          },
        ),
      )
      return
    }
    case 'unchanged':
    case 'refused':
      return
  }
}
