import type { Db } from '../../db/database.ts'
import type { JourneyStageName } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Events } from '../../platform/events.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  accountabilityMap,
  allowedNextStages,
  handoverKind,
  isAllowedTransition,
  isToChase,
  needsNamedPerson,
  responsibilityGaps,
  responsibleNow,
  type ResponsibilityGap,
} from './rules.ts'
import * as store from './store.ts'
import type { Refusal } from '../../platform/forms.ts'

/** What the journey needs from the keywork area: the dedicated officers, and ending one when a person leaves. */
export type KeyworkForJourney = {
  currentDedicatedOfficers: (
    personIds: string[],
  ) => Promise<Map<string, { staffUserId: string; displayName: string; allocatedAt: Date }>>
  endAllocationForMove: (trx: Db, actor: Actor, personId: string, reason: 'transfer' | 'release') => Promise<unknown>
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
  continueAfterTransfer: (trx: Db, actor: Actor, personId: string, toEstablishmentCode: string) => Promise<unknown>
  /** S3: a person on a plan in progress is released only after its pre-release review. */
  preReleaseReviewOutstanding: (trx: Db, personId: string) => Promise<boolean>
}

export type { Refusal }

export type JourneyService = ReturnType<typeof createJourneyService>

const refusedHandoversShownDays = 14
export const GAPS_PAGE_SIZE = 50

export function createJourneyService({
  db,
  clock,
  audit,
  people,
  staff,
  keywork,
  concerns,
  carePlans,
  events,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
  staff: StaffForJourney
  keywork: KeyworkForJourney
  concerns?: ConcernsForJourney | undefined
  carePlans?: CarePlansForJourney | undefined
  /** C1, J3: a release and a transfer are told to the areas that act on them (the person's own view). */
  events: Pick<Events, 'publish'>
}) {
  async function namedStaffOrRefusal(trx: Db, establishmentCode: string, staffUserId: string, field: string) {
    const onDuty = await staff.listStaffOnDuty(establishmentCode, trx)
    const named = onDuty.find((member) => member.id === staffUserId)
    return named ?? ({ field, messageKey: 'journey.error.staffNotHere' } satisfies Refusal)
  }

  /** Everyone on the establishment's roll with their current stage (none where no journey is recorded). */
  async function peopleWithCurrentStage(establishmentCode: string) {
    const roll = await people.listPeopleAt(establishmentCode)
    const stages = await store.currentStagesOf(
      db,
      roll.map((person) => person.id),
    )
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
  function responsibilityFrom(
    current: { stage: JourneyStageName; responsibleStaffUserId: string | null; responsibleName: string | null } | null,
    officer: { staffUserId: string; displayName: string } | null,
  ) {
    const named = current?.responsibleStaffUserId
      ? { staffUserId: current.responsibleStaffUserId, displayName: current.responsibleName ?? '' }
      : null
    return responsibleNow(current?.stage ?? null, named, officer)
  }

  return {
    /**
     * J1: who is responsible for a person now, for other areas' services (a concern goes to them). Not
     * audited: it reads no more of the journey than the caller is about to act on, and the caller audits that.
     */
    async responsibilityOf(personId: string) {
      const [stages, officers] = await Promise.all([
        store.currentStagesOf(db, [personId]),
        keywork.currentDedicatedOfficers([personId]),
      ])
      return responsibilityFrom(stages.get(personId) ?? null, officers.get(personId) ?? null)
    },

    /** J1: the journey page. Who is responsible now and before, the timeline, and what can come next. Audited. */
    async viewJourney(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const [stages, officers, onDuty, pendingHandover, officerLabel] = await Promise.all([
        store.listStages(db, person.id),
        keywork.currentDedicatedOfficers([person.id]),
        staff.listStaffOnDuty(person.establishmentCode),
        store.findPendingHandoverOf(db, person.id),
        store.findOfficerLabel(db, person.establishmentCode),
      ])
      const current = stages.find((stage) => stage.endedAt === null) ?? null
      const officer = officers.get(person.id) ?? null
      const now = responsibilityFrom(current, officer)
      const before = stages.find((stage) => stage !== current && stage.responsibleStaffUserId !== null) ?? null
      await audit.record(db, actor, {
        action: 'journey.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return {
        person,
        stages,
        current,
        responsibility: now,
        dedicatedOfficer: officer,
        before,
        nextStages: allowedNextStages(current?.stage ?? null),
        staff: onDuty,
        pendingHandover: pendingHandover ?? null,
        officerLabel,
      }
    },

    /**
     * J1: moves a person to their next stage with a named person and a reason. The stage before ends at the
     * same instant, in one transaction; a release ends the dedicated officer allocation too.
     */
    async recordStage(
      actor: Actor,
      prisonNumber: string,
      input: { stage: JourneyStageName; responsibleStaffUserId: string | null; reason: string },
    ): Promise<Refusal | null> {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      return db.transaction().execute(async (trx) => {
        const current = await store.findCurrentStage(trx, person.id)
        if (await store.findPendingHandoverOf(trx, person.id))
          return { field: 'stage', messageKey: 'journey.error.handoverPending' }
        if (!isAllowedTransition(current?.stage ?? null, input.stage))
          return { field: 'stage', messageKey: 'journey.error.stageNotAllowed' }
        if (input.stage === 'release' && (await carePlans?.preReleaseReviewOutstanding(trx, person.id)))
          return { field: 'stage', messageKey: 'journey.error.preReleaseReview' }
        let responsible: string | null = null
        if (needsNamedPerson(input.stage)) {
          if (!input.responsibleStaffUserId) return { field: 'responsible', messageKey: 'journey.error.responsible' }
          const named = await namedStaffOrRefusal(
            trx,
            person.establishmentCode,
            input.responsibleStaffUserId,
            'responsible',
          )
          if ('messageKey' in named) return named
          responsible = named.id
        }
        const now = clock.now()
        await store.endCurrentStage(trx, person.id, now)
        const stageId = await store.insertStage(trx, {
          personId: person.id,
          establishmentCode: person.establishmentCode,
          stage: input.stage,
          responsibleStaffUserId: responsible,
          startedAt: now,
          reason: input.reason,
          recordedBy: actor.id,
        })
        if (input.stage === 'release') {
          await keywork.endAllocationForMove(trx, actor, person.id, 'release')
          await events.publish(trx, actor, 'person.left-custody', { personId: person.id, reason: 'release' })
        }
        await audit.record(trx, actor, {
          action: 'journey.stage-recorded',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: {
            stageId,
            stage: input.stage,
            previousStageId: current?.id ?? null,
            responsibleStaffUserId: responsible,
          },
        })
        return null
      })
    },

    /**
     * J1: everyone at the establishment with nobody named for them now, the longest-waiting first, with a
     * count of each kind of gap; one kind and one page at a time.
     */
    async listGaps(actor: Actor, query: { gap?: ResponsibilityGap | undefined; page?: number | undefined } = {}) {
      const rows = await peopleWithCurrentStage(actor.establishmentCode)
      const officers = await keywork.currentDedicatedOfficers(rows.map((row) => row.id))
      const all = responsibilityGaps(
        rows.map((row) => ({
          ...row,
          namedPerson: row.responsibleStaffUserId
            ? { staffUserId: row.responsibleStaffUserId, displayName: row.responsibleName ?? '' }
            : null,
          dedicatedOfficer: officers.get(row.id) ?? null,
          since: row.startedAt ?? new Date(`${row.receptionOn}T00:00:00Z`),
        })),
      )
      const counts = { 'no-journey': 0, 'no-named-person': 0, 'no-dedicated-officer': 0 }
      for (const gap of all) counts[gap.gap] += 1
      const chosen = query.gap ? all.filter((gap) => gap.gap === query.gap) : all
      const pageCount = Math.max(1, Math.ceil(chosen.length / GAPS_PAGE_SIZE))
      const page = Math.min(Math.max(1, query.page ?? 1), pageCount)
      await audit.record(db, actor, { action: 'journey.gaps-viewed', details: { count: all.length } })
      return {
        gaps: chosen.slice((page - 1) * GAPS_PAGE_SIZE, page * GAPS_PAGE_SIZE),
        total: all.length,
        counts,
        shown: chosen.length,
        page,
        pageCount,
      }
    },

    /** J3: the form to start a transfer: where to, and what the prison knows to send with the person. */
    async handoverForm(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const establishments = (await store.listEstablishments(db)).filter(
        (establishment) => establishment.code !== person.establishmentCode,
      )
      const pending = await store.findPendingHandoverOf(db, person.id)
      return { person, establishments, pending: pending ?? null }
    },

    /**
     * J3: starts a handover to another establishment. What travels: the person's wishes, the risks, the
     * open care plan (a line of facts), the open concerns without their detail, and
     * the dedicated officer.
     */
    async startHandover(
      actor: Actor,
      prisonNumber: string,
      input: { toEstablishmentCode: string; risks: string; personsWishes: string },
    ): Promise<Refusal | { handoverId: string }> {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      const officers = await keywork.currentDedicatedOfficers([person.id])
      return db.transaction().execute(async (trx) => {
        const [from, to] = await Promise.all([
          store.findEstablishment(trx, person.establishmentCode),
          store.findEstablishment(trx, input.toEstablishmentCode),
        ])
        if (!from) throw new NotFound()
        if (!to || to.code === from.code) return { field: 'to', messageKey: 'handover.error.to' }
        if (await store.findPendingHandoverOf(trx, person.id))
          return { field: 'to', messageKey: 'handover.error.pending' }
        const current = await store.findCurrentStage(trx, person.id)
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
    },

    /** J3: handovers waiting into and out of the establishment, those past the chase days marked, and recent refusals. Audited. */
    async listHandovers(actor: Actor) {
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
          chaseDays.set(
            handover.toEstablishmentCode,
            await store.findHandoverChaseDays(db, handover.toEstablishmentCode),
          )
      const marked = pending.map((handover) => ({
        ...handover,
        toChase: isToChase(handover, chaseDays.get(handover.toEstablishmentCode)!, clock.now()),
      }))
      // The list names people on the move: each person's audit trail shows they were listed, and in which handover.
      for (const handover of [...pending, ...refused])
        await audit.record(db, actor, {
          action: 'handover.listed',
          personId: handover.personId,
          details: { handoverId: handover.id },
        })
      return {
        incoming: marked.filter((handover) => handover.toEstablishmentCode === here),
        outgoing: marked.filter((handover) => handover.fromEstablishmentCode === here),
        refused,
      }
    },

    /**
     * M2, for the measures area's perverse-incentive watch: the transfer handovers sent from these prisons
     * since a date, when each was answered and how, the receiving prison's chase days, and whether it carried
     * an open care plan when sent. Not audited here: the measures area audits its page.
     */
    async handoverOutcomesSince(fromEstablishmentCodes: readonly string[], since: Date) {
      return store.handoverOutcomesSince(db, fromEstablishmentCodes, since)
    },

    /** J3: one handover, for the sending or the receiving establishment only. Audited. */
    async viewHandover(actor: Actor, handoverId: string) {
      const handover = await findVisibleHandover(db, actor, handoverId)
      const isPending = !handover.acknowledgedAt && !handover.refusedAt
      const canAnswer = handover.toEstablishmentCode === actor.establishmentCode && isPending
      const onDuty = canAnswer ? await staff.listStaffOnDuty(handover.toEstablishmentCode) : []
      const chaseDays = await store.findHandoverChaseDays(db, handover.toEstablishmentCode)
      await audit.record(db, actor, {
        action: 'handover.viewed',
        personId: handover.personId,
        details: { handoverId: handover.id },
      })
      return {
        handover,
        canAnswer,
        isPending,
        staff: onDuty,
        chaseDays,
        toChase: isToChase(handover, chaseDays, clock.now()),
      }
    },

    /**
     * J3: the receiving establishment takes the person: they join its roll without a cell, the sending
     * prison's stage ends with a transfer out, and a transfer in begins with the person the receiver names.
     * The sending prison's dedicated officer allocation ends with the reason transfer, in the same transaction.
     */
    async acknowledgeHandover(
      actor: Actor,
      handoverId: string,
      input: { responsibleStaffUserId: string; reason: string },
    ): Promise<Refusal | null> {
      const handover = await findVisibleHandover(db, actor, handoverId)
      if (handover.toEstablishmentCode !== actor.establishmentCode) throw new NotFound()
      return db.transaction().execute(async (trx) => {
        const locked = await store.lockHandover(trx, handover.id)
        if (!locked || locked.acknowledgedAt || locked.refusedAt)
          return { field: 'responsible', messageKey: 'handover.error.answered' }
        const named = await namedStaffOrRefusal(
          trx,
          handover.toEstablishmentCode,
          input.responsibleStaffUserId,
          'responsible',
        )
        if ('messageKey' in named) return named
        const now = clock.now()
        await store.endCurrentStage(trx, handover.personId, now)
        await store.insertStage(trx, {
          personId: handover.personId,
          establishmentCode: handover.fromEstablishmentCode,
          stage: 'transfer-out',
          responsibleStaffUserId: null,
          startedAt: now,
          endedAt: now,
          reason: '',
          recordedBy: actor.id,
        })
        await store.insertStage(trx, {
          personId: handover.personId,
          establishmentCode: handover.toEstablishmentCode,
          stage: 'transfer-in',
          responsibleStaffUserId: named.id,
          startedAt: now,
          reason: input.reason,
          recordedBy: actor.id,
        })
        await people.movePersonTo(trx, handover.personId, handover.toEstablishmentCode)
        // S3: the same care plan continues here, its next case review due soon after arrival.
        await carePlans?.continueAfterTransfer(trx, actor, handover.personId, handover.toEstablishmentCode)
        await keywork.endAllocationForMove(trx, actor, handover.personId, 'transfer')
        await events.publish(
          trx,
          actor,
          'person.transferred',
          {
            personId: handover.personId,
            fromEstablishmentCode: handover.fromEstablishmentCode,
            toEstablishmentCode: handover.toEstablishmentCode,
          },
          handover.toEstablishmentCode,
        )
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
    },

    /** J3: either establishment records that it chased a handover still waiting; the chase days start again. */
    async recordChase(actor: Actor, handoverId: string): Promise<Refusal | null> {
      const handover = await findVisibleHandover(db, actor, handoverId)
      return db.transaction().execute(async (trx) => {
        const locked = await store.lockHandover(trx, handover.id)
        if (!locked || locked.acknowledgedAt || locked.refusedAt)
          return { field: 'chase', messageKey: 'handover.error.answered' }
        await store.markChased(trx, handover.id, clock.now())
        await audit.record(trx, actor, {
          action: 'handover.chased',
          personId: handover.personId,
          details: { handoverId: handover.id },
        })
        return null
      })
    },

    /** J3: the receiving establishment refuses a handover and says why; the person stays where they are. */
    async refuseHandover(actor: Actor, handoverId: string, reason: string): Promise<Refusal | null> {
      const handover = await findVisibleHandover(db, actor, handoverId)
      if (handover.toEstablishmentCode !== actor.establishmentCode) throw new NotFound()
      return db.transaction().execute(async (trx) => {
        const locked = await store.lockHandover(trx, handover.id)
        if (!locked || locked.acknowledgedAt || locked.refusedAt)
          return { field: 'refusalReason', messageKey: 'handover.error.answered' }
        await store.markRefused(trx, handover.id, clock.now(), reason)
        await audit.record(trx, actor, {
          action: 'handover.refused',
          personId: handover.personId,
          establishmentCode: handover.toEstablishmentCode,
          details: { handoverId: handover.id },
        })
        return null
      })
    },

    /** J4: each safety responsibility at the establishment, the role that holds it, and who holds that role today. Audited. */
    async accountability(actor: Actor) {
      const [onDuty, establishment, officerLabel, roll] = await Promise.all([
        staff.listStaffOnDuty(actor.establishmentCode),
        store.findEstablishment(db, actor.establishmentCode),
        store.findOfficerLabel(db, actor.establishmentCode),
        people.listPeopleAt(actor.establishmentCode),
      ])
      if (!establishment) throw new NotFound()
      // A dedicated officer is whoever holds a caseload today, whether their role is key worker or officer.
      const officers = await keywork.currentDedicatedOfficers(roll.map((person) => person.id))
      const here = new Map(onDuty.map((member) => [member.id, member.displayName]))
      const withCaseload = [...new Set([...officers.values()].map((officer) => officer.staffUserId))]
        .filter((id) => here.has(id))
        .map((id) => here.get(id)!)
        .sort((a, b) => a.localeCompare(b))
      await audit.record(db, actor, { action: 'accountability.viewed' })
      return {
        establishment,
        officerLabel,
        rows: accountabilityMap.map(({ responsibility, role }) => ({
          responsibility,
          role,
          holders:
            responsibility === 'dedicated-officer'
              ? withCaseload
              : onDuty.filter((member) => member.role === role).map((member) => member.displayName),
        })),
      }
    },
  }
}

/** A handover is seen only by the establishments it is between; to anyone else it does not exist. */
async function findVisibleHandover(db: Db, actor: Actor, handoverId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(handoverId)) throw new NotFound()
  const handover = await store.findHandover(db, handoverId)
  if (!handover) throw new NotFound()
  if (![handover.fromEstablishmentCode, handover.toEstablishmentCode].includes(actor.establishmentCode))
    throw new NotFound()
  return handover
}
