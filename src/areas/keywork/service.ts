import type { Db } from '../../db/database.ts'
import type { DeallocationReason, IsoDate } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  allocationRefusal,
  caseloadLimitOf,
  daysFromReception,
  datesByPerson,
  deliveryOver,
  isAvailable,
  isPastFirstContact,
  nextSessionDue,
  policyProblems,
  PROGRESS_MEETING_INTERVAL_DAYS,
  recommendForWing,
  wellbeingFlags,
  type KeyworkPolicy,
  type OfficerForAllocation,
  type OfficerWithCaseload,
  type Refusal,
  type WellbeingFlag,
} from './rules.ts'
import { addDays, daysBetween, londonDate } from '../../platform/dates.ts'
import * as store from './store.ts'

/** What key work needs from the staff area: the officers who could take people at a prison. */
export type StaffForKeywork = {
  listOfficersForAllocation: (establishmentCode: string) => Promise<readonly OfficerForAllocation[]>
}

export type KeyworkService = ReturnType<typeof createKeyworkService>

export type CheckInInput = store.CheckInValues

type PersonSummary = { id: string; prisonNumber: string; firstName: string; lastName: string }
type PersonOnRoll = Awaited<ReturnType<PeopleService['listPeopleAt']>>[number]

export function createKeyworkService({
  db,
  clock,
  audit,
  people,
  staff,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
  staff: StaffForKeywork
}) {
  /** Officers at a prison with their caseloads and limits. */
  async function officersWithCaseloads(establishmentCode: string, policy: KeyworkPolicy) {
    const [officers, counts] = await Promise.all([
      staff.listOfficersForAllocation(establishmentCode),
      store.caseloadCounts(db, establishmentCode),
    ])
    return officers.map((officer): OfficerWithCaseload => ({
      officer,
      caseload: { count: counts.get(officer.staffUserId) ?? 0, limit: caseloadLimitOf(officer, policy) },
    }))
  }

  /** Flags and session dates for a set of people (K4). */
  async function keyWorkState(personIds: readonly string[], policy: KeyworkPolicy, allocatedOn: Map<string, IsoDate>) {
    const [sessions, checkIns] = await Promise.all([store.sessionsOf(db, personIds), store.checkInsOf(db, personIds)])
    const today = clock.today()
    const state = new Map<
      string,
      { lastSessionOn: IsoDate | null; firstSessionOn: IsoDate | null; sessionDates: IsoDate[]; flags: WellbeingFlag[] }
    >()
    for (const id of personIds) {
      const dates = sessions.filter((session) => session.personId === id).map((session) => session.heldOn)
      const readings = checkIns.filter((checkIn) => checkIn.personId === id)
      const lastSessionOn = dates.at(-1) ?? null
      state.set(id, {
        lastSessionOn,
        firstSessionOn: dates[0] ?? null,
        sessionDates: dates,
        flags: wellbeingFlags(readings, lastSessionOn, allocatedOn.get(id) ?? null, today, policy.sessionIntervalDays),
      })
    }
    return state
  }

  return {
    async policyFor(establishmentCode: string): Promise<KeyworkPolicy> {
      return store.findPolicy(db, establishmentCode)
    },

    /** K1: saves the prison's settings, or returns the problems with them and saves nothing. */
    async savePolicy(actor: Actor, policy: KeyworkPolicy): Promise<Refusal[]> {
      const problems = policyProblems(policy)
      if (problems.length > 0) return problems
      await db.transaction().execute(async (trx) => {
        await store.savePolicy(trx, actor.establishmentCode, policy)
        await audit.record(trx, actor, { action: 'keywork.settings-saved' })
      })
      return []
    },

    /** For the journey area: each person's current dedicated officer, for those who have one. */
    async currentDedicatedOfficers(personIds: string[]) {
      const rows = await store.currentAllocations(db, personIds)
      const names = new Map<string, string>()
      for (const code of new Set(rows.map((row) => row.establishmentCode)))
        for (const officer of await staff.listOfficersForAllocation(code))
          names.set(officer.staffUserId, officer.displayName)
      return new Map(
        rows.map((row) => [
          row.personId,
          { staffUserId: row.staffUserId, displayName: names.get(row.staffUserId) ?? '', allocatedAt: row.allocatedAt },
        ]),
      )
    },

    /**
     * For the journey area: a transfer or release ends the person's allocation, if they have one, inside the
     * caller's transaction, so the move and the end of the allocation are saved together or not at all. Audited.
     */
    async endAllocationForMove(trx: Db, actor: Actor, personId: string, reason: 'transfer' | 'release') {
      const ended = await store.endAllocation(trx, personId, { endedAt: clock.now(), endedBy: actor.id, reason })
      if (ended)
        await audit.record(trx, actor, {
          action: 'dedicated-officer.deallocated',
          personId,
          details: { allocationId: ended.id, reason },
        })
    },

    /** The dedicated officer tab of a person's record. Audited. */
    async viewDedicatedOfficer(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const policy = await store.findPolicy(db, person.establishmentCode)
      const officers = await officersWithCaseloads(person.establishmentCode, policy)
      const history = await store.allocationHistory(db, person.id)
      const today = clock.today()
      const byId = new Map(officers.map((entry) => [entry.officer.staffUserId, entry.officer]))
      const current = history.find((row) => row.endedAt === null)
      const currentOfficer = current ? byId.get(current.staffUserId) : undefined
      const allocatedOn = new Map(current ? [[person.id, londonDate(current.allocatedAt)]] : [])
      const state = (await keyWorkState([person.id], policy, allocatedOn)).get(person.id)!
      await audit.record(db, actor, {
        action: 'dedicated-officer.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return {
        person,
        policy,
        needsSpecialistAllocation: person.needsSpecialistAllocation,
        current: current
          ? {
              staffUserId: current.staffUserId,
              displayName: currentOfficer?.displayName ?? null,
              allocatedAt: current.allocatedAt,
              needsCover: currentOfficer ? !isAvailable(currentOfficer, today) : false,
              nextSessionDue: nextSessionDue(
                state.lastSessionOn,
                londonDate(current.allocatedAt),
                policy.sessionIntervalDays,
              ),
            }
          : null,
        lastSessionOn: state.lastSessionOn,
        flags: state.flags,
        history: history
          .filter((row) => row.endedAt !== null)
          .map((row) => ({ ...row, displayName: byId.get(row.staffUserId)?.displayName ?? null })),
        // Those the person could move to: everyone but their current officer. Only for those who allocate:
        // the reasons name staff whose training has lapsed.
        officers: officers
          .filter(() => hasPermission(actor.role, 'keywork.allocate'))
          .filter((entry) => entry.officer.staffUserId !== current?.staffUserId)
          .map((entry) => ({
            staffUserId: entry.officer.staffUserId,
            displayName: entry.officer.displayName,
            caseload: entry.caseload,
            refusal: allocationRefusal(entry.officer, today, entry.caseload),
          })),
      }
    },

    /** K1: whether a person needs a specialist dedicated officer, and every decision about it. Audited. */
    async viewSpecialistNeed(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const [policy, decisions] = await Promise.all([
        store.findPolicy(db, person.establishmentCode),
        store.specialistNeedDecisions(db, person.id),
      ])
      await audit.record(db, actor, {
        action: 'specialist-need.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return { person, policy, needsSpecialistAllocation: person.needsSpecialistAllocation, decisions }
    },

    /**
     * K1: records that a person needs a specialist dedicated officer (left out of wing recommendations and
     * allocated by hand), or no longer does, with why. Deciding what is already so is a refusal. Audited.
     */
    async decideSpecialistNeed(
      actor: Actor,
      prisonNumber: string,
      decision: { needsSpecialist: boolean; reason: string },
    ): Promise<Refusal | null> {
      const person = await people.personHeader(actor, prisonNumber)
      if (person.needsSpecialistAllocation === decision.needsSpecialist)
        return {
          field: 'needsSpecialist',
          messageKey: decision.needsSpecialist
            ? 'keywork.specialist.error.already'
            : 'keywork.specialist.error.notMarked',
          values: {},
        }
      await db.transaction().execute(async (trx) => {
        await people.setNeedsSpecialistAllocation(trx, person.id, decision.needsSpecialist)
        const decisionId = await store.insertSpecialistNeedDecision(trx, {
          personId: person.id,
          needsSpecialist: decision.needsSpecialist,
          reason: decision.reason,
          decidedBy: actor.id,
          decidedAt: clock.now(),
        })
        await audit.record(trx, actor, {
          action: decision.needsSpecialist ? 'specialist-need.marked' : 'specialist-need.cleared',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { specialistNeedDecisionId: decisionId },
        })
      })
      return null
    },

    /** K1, K3: allocates a person by hand, ending any current allocation; a refusal writes nothing. */
    async allocate(actor: Actor, prisonNumber: string, staffUserId: string): Promise<Refusal | null> {
      const person = await people.personHeader(actor, prisonNumber)
      const policy = await store.findPolicy(db, person.establishmentCode)
      const entry = (await officersWithCaseloads(person.establishmentCode, policy)).find(
        (candidate) => candidate.officer.staffUserId === staffUserId,
      )
      if (!entry) return { field: 'staffUserId', messageKey: 'keywork.allocate.error.choose', values: {} }
      const current = (await store.currentAllocations(db, [person.id]))[0]
      if (current?.staffUserId === staffUserId)
        return {
          field: 'staffUserId',
          messageKey: 'keywork.allocate.error.already',
          values: { name: entry.officer.displayName },
        }
      const refusal = allocationRefusal(entry.officer, clock.today(), entry.caseload)
      if (refusal) return refusal
      await db.transaction().execute(async (trx) => {
        await store.endAllocation(trx, person.id, { endedAt: clock.now(), endedBy: actor.id, reason: 'other' })
        const allocationId = await store.insertAllocation(trx, {
          personId: person.id,
          staffUserId,
          allocatedAt: clock.now(),
          allocatedBy: actor.id,
          kind: person.needsSpecialistAllocation ? 'specialist' : 'manual',
        })
        await audit.record(trx, actor, {
          action: 'dedicated-officer.allocated',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { allocationId, staffUserId },
        })
      })
      return null
    },

    /** Ends a person's allocation with a reason; a person with no officer is a refusal. */
    async deallocate(actor: Actor, prisonNumber: string, reason: DeallocationReason): Promise<Refusal | null> {
      const person = await people.personHeader(actor, prisonNumber)
      return db.transaction().execute(async (trx) => {
        const ended = await store.endAllocation(trx, person.id, { endedAt: clock.now(), endedBy: actor.id, reason })
        if (!ended) return { field: 'reason', messageKey: 'keywork.deallocate.error.none', values: {} }
        await audit.record(trx, actor, {
          action: 'dedicated-officer.deallocated',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { allocationId: ended.id, reason },
        })
        return null
      })
    },

    /** K1, K3: per wing, the people without an officer and one recommendation for all of them. */
    async viewWingAllocation(actor: Actor) {
      const policy = await store.findPolicy(db, actor.establishmentCode)
      const [officers, everyone, allocations] = await Promise.all([
        officersWithCaseloads(actor.establishmentCode, policy),
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
    },

    /**
     * K1: accepts the recommendation for one wing exactly as it was shown (`plan`, from the page), in one
     * transaction, audited per person. If anything changed since (someone allocated, an officer went on
     * leave), the recommendation is no longer the one reviewed: nothing is written and it returns null.
     */
    async acceptWingRecommendation(actor: Actor, wingCode: string, plan: string): Promise<number | null> {
      const view = await this.viewWingAllocation(actor)
      const wing = view.wings.find((candidate) => candidate.code === wingCode)
      if (!wing) return null
      if (wing.plan !== plan) return null
      const placements = wing.people.filter((person) => person.recommendation.staffUserId !== null)
      await db.transaction().execute(async (trx) => {
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
        }
        await audit.record(trx, actor, {
          action: 'dedicated-officer.recommendation-accepted',
          details: { wingCode, count: placements.length },
        })
      })
      return placements.length
    },

    /** K2: the page where anyone who hears a person ask for a different officer records it. Audited. */
    async viewChangeOfficer(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const [policy, current] = await Promise.all([
        store.findPolicy(db, person.establishmentCode),
        store.currentAllocations(db, [person.id]),
      ])
      await audit.record(db, actor, {
        action: 'change-officer.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return { person, policy, hasOfficer: current.length > 0 }
    },

    /** K2: records a person’s request to change their officer, for safer custody to decide. */
    async raiseChangeRequest(actor: Actor, prisonNumber: string, reason: string): Promise<Refusal | null> {
      const person = await people.personHeader(actor, prisonNumber)
      // C1: a person in custody asks for themselves only.
      if (actor.person && actor.person.id !== person.id) throw new NotFound()
      return db.transaction().execute(async (trx) => {
        const current = (await store.currentAllocations(trx, [person.id]))[0]
        if (!current) return { field: 'reason', messageKey: 'keywork.changeRequest.error.noOfficer', values: {} }
        // One request waits at a time: a second would list the person twice for one decision.
        if (await store.hasPendingChangeRequest(trx, person.id))
          return { field: 'reason', messageKey: 'keywork.changeRequest.error.pending', values: {} }
        const id = await store.insertChangeRequest(trx, {
          personId: person.id,
          aboutStaffUserId: current.staffUserId,
          reason,
          raisedAt: clock.now(),
          raisedBy: actor.person ? null : actor.id,
          raisedByPersonAccountId: actor.person ? actor.id : null,
        })
        await audit.record(trx, actor, {
          action: 'change-request.raised',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { changeRequestId: id },
        })
        return null
      })
    },

    /** M3: requests to change officer per person at a prison since a date; counts only, for the equality figures. */
    async changeRequestCountsSince(establishmentCode: string, since: Date): Promise<Map<string, number>> {
      const rows = await store.changeRequestCountsSince(db, establishmentCode, since)
      return new Map(rows.map((row) => [row.personId, Number(row.count)]))
    },

    /** K2: the change requests for safer custody, never showing a reader a request about themselves. */
    async listChangeRequests(actor: Actor) {
      const policy = await store.findPolicy(db, actor.establishmentCode)
      const [requests, officers] = await Promise.all([
        store.changeRequestsAt(db, actor.establishmentCode, actor.id),
        staff.listOfficersForAllocation(actor.establishmentCode),
      ])
      const names = new Map(officers.map((officer) => [officer.staffUserId, officer.displayName]))
      await audit.record(db, actor, { action: 'change-request.list-viewed', details: { count: requests.length } })
      return {
        policy,
        pending: requests
          .filter((request) => request.status === 'pending')
          .map((request) => ({ ...request, aboutName: names.get(request.aboutStaffUserId) ?? null })),
        decided: requests
          .filter((request) => request.status !== 'pending')
          .map((request) => ({ ...request, aboutName: names.get(request.aboutStaffUserId) ?? null })),
      }
    },

    /** K2: safer custody agrees (ending the allocation, reason change-requested) or declines, with a reason. */
    async decideChangeRequest(
      actor: Actor,
      id: string,
      outcome: 'agreed' | 'declined',
      outcomeReason: string,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const request = await store.findChangeRequest(trx, id)
        if (
          !request ||
          request.establishmentCode !== actor.establishmentCode ||
          request.aboutStaffUserId === actor.id ||
          request.status !== 'pending'
        )
          throw new NotFound()
        await store.decideChangeRequest(trx, id, {
          status: outcome,
          outcomeReason,
          decidedAt: clock.now(),
          decidedBy: actor.id,
        })
        if (outcome === 'agreed') {
          const current = (await store.currentAllocations(trx, [request.personId]))[0]
          if (current?.staffUserId === request.aboutStaffUserId) {
            const ended = await store.endAllocation(trx, request.personId, {
              endedAt: clock.now(),
              endedBy: actor.id,
              reason: 'change-requested',
            })
            await audit.record(trx, actor, {
              action: 'dedicated-officer.deallocated',
              personId: request.personId,
              details: { allocationId: ended!.id, reason: 'change-requested' },
            })
          }
        }
        await audit.record(trx, actor, {
          action: 'change-request.decided',
          personId: request.personId,
          details: { changeRequestId: id, outcome },
        })
      })
    },

    /** K4: the key work tab: sessions and progress meetings with their check-ins, and the flags. Audited. */
    async viewKeyWork(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const policy = await store.findPolicy(db, person.establishmentCode)
      const current = (await store.currentAllocations(db, [person.id]))[0]
      const allocatedOn = new Map(current ? [[person.id, londonDate(current.allocatedAt)]] : [])
      const [state, sessions, checkIns, meetings, officers] = await Promise.all([
        keyWorkState([person.id], policy, allocatedOn),
        store.sessionsOf(db, [person.id]),
        store.checkInsOf(db, [person.id]),
        store.meetingsOf(db, person.id),
        staff.listOfficersForAllocation(person.establishmentCode),
      ])
      const names = new Map(officers.map((officer) => [officer.staffUserId, officer.displayName]))
      await audit.record(db, actor, {
        action: 'key-work.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return {
        person,
        policy,
        flags: state.get(person.id)!.flags,
        sessions: sessions
          .map((session) => ({
            ...session,
            officerName: names.get(session.staffUserId) ?? null,
            checkIn: checkIns.find((checkIn) => checkIn.keyWorkSessionId === session.id) ?? null,
          }))
          .reverse(),
        meetings: meetings.map((meeting) => ({
          ...meeting,
          checkIn: checkIns.find((checkIn) => checkIn.progressMeetingId === meeting.id) ?? null,
        })),
        /** The forms' date, as the wing's calendar has it: most sessions are recorded the day they are held. */
        today: londonDate(clock.now()),
      }
    },

    /** K4: a key work session with its check-in, held by the user. Audited. */
    async recordSession(
      actor: Actor,
      prisonNumber: string,
      values: { heldOn: IsoDate; minutes: number; checkIn: CheckInInput },
    ): Promise<Refusal | null> {
      if (values.heldOn > londonDate(clock.now()))
        return { field: 'heldOn', messageKey: 'keywork.session.error.future', values: {} }
      const person = await people.personHeader(actor, prisonNumber)
      await db.transaction().execute(async (trx) => {
        const sessionId = await store.insertSession(trx, {
          personId: person.id,
          staffUserId: actor.id,
          heldOn: values.heldOn,
          minutes: values.minutes,
          recordedAt: clock.now(),
        })
        await store.insertCheckIn(trx, {
          ...values.checkIn,
          personId: person.id,
          keyWorkSessionId: sessionId,
          recordedOn: values.heldOn,
          recordedBy: actor.id,
          recordedAt: clock.now(),
        })
        await audit.record(trx, actor, {
          action: 'key-work-session.recorded',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { keyWorkSessionId: sessionId },
        })
      })
      return null
    },

    /** K4: a progress meeting with its attendees and check-in. Audited. */
    async recordMeeting(
      actor: Actor,
      prisonNumber: string,
      values: {
        heldOn: IsoDate
        attendees: { name: string; organisation: string; role: string }[]
        checkIn: CheckInInput
      },
    ): Promise<Refusal | null> {
      if (values.heldOn > londonDate(clock.now()))
        return { field: 'meetingHeldOn', messageKey: 'keywork.session.error.future', values: {} }
      const person = await people.personHeader(actor, prisonNumber)
      await db.transaction().execute(async (trx) => {
        const meetingId = await store.insertMeeting(trx, {
          personId: person.id,
          heldOn: values.heldOn,
          attendees: values.attendees,
          recordedBy: actor.id,
          recordedAt: clock.now(),
        })
        await store.insertCheckIn(trx, {
          ...values.checkIn,
          personId: person.id,
          progressMeetingId: meetingId,
          recordedOn: values.heldOn,
          recordedBy: actor.id,
          recordedAt: clock.now(),
        })
        await audit.record(trx, actor, {
          action: 'progress-meeting.recorded',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { progressMeetingId: meetingId },
        })
      })
      return null
    },

    /** The signed-in officer’s people: last session, next due, flags. Audited as one view. */
    async myCaseload(actor: Actor) {
      const policy = await store.findPolicy(db, actor.establishmentCode)
      const [everyone, allocations] = await Promise.all([
        people.listPeopleAt(actor.establishmentCode),
        store.allocationsAt(db, actor.establishmentCode),
      ])
      const mine = everyone.filter((person) => allocations.get(person.id)?.staffUserId === actor.id)
      const allocatedOn = new Map(
        mine.map((person) => [person.id, londonDate(allocations.get(person.id)!.allocatedAt)]),
      )
      const state = await keyWorkState(
        mine.map((person) => person.id),
        policy,
        allocatedOn,
      )
      await audit.record(db, actor, { action: 'caseload.viewed', details: { count: mine.length } })
      return {
        policy,
        people: mine.map((person) => {
          const personState = state.get(person.id)!
          return {
            ...summary(person),
            wingName: person.wingName,
            allocatedOn: allocatedOn.get(person.id)!,
            lastSessionOn: personState.lastSessionOn,
            nextSessionDue: nextSessionDue(
              personState.lastSessionOn,
              allocatedOn.get(person.id)!,
              policy.sessionIntervalDays,
            ),
            flags: personState.flags,
          }
        }),
      }
    },

    /** K4: everyone at the prison with a flag, for safer custody. Audited as one view. */
    async listWellbeingFlags(actor: Actor) {
      const policy = await store.findPolicy(db, actor.establishmentCode)
      const [everyone, allocations, officers] = await Promise.all([
        people.listPeopleAt(actor.establishmentCode),
        store.allocationsAt(db, actor.establishmentCode),
        staff.listOfficersForAllocation(actor.establishmentCode),
      ])
      const names = new Map(officers.map((officer) => [officer.staffUserId, officer.displayName]))
      const allocatedOn = new Map([...allocations].map(([id, row]) => [id, londonDate(row.allocatedAt)]))
      const state = await keyWorkState(
        everyone.map((person) => person.id),
        policy,
        allocatedOn,
      )
      const flagged = everyone
        .filter((person) => state.get(person.id)!.flags.length > 0)
        .map((person) => {
          const officerId = allocations.get(person.id)?.staffUserId
          return {
            ...summary(person),
            wingName: person.wingName,
            officerName: officerId ? (names.get(officerId) ?? null) : null,
            lastSessionOn: state.get(person.id)!.lastSessionOn,
            flags: state.get(person.id)!.flags,
          }
        })
      await audit.record(db, actor, { action: 'wellbeing-flags.viewed', details: { count: flagged.length } })
      return { policy, people: flagged }
    },

    /** K1, J2: the figures HMPPS's key worker statistics report, per prison, wing and officer. */
    async statistics(actor: Actor, periodDays = 28) {
      const policy = await store.findPolicy(db, actor.establishmentCode)
      const today = clock.today()
      const period = { from: addDays(today, -(periodDays - 1)), to: today }
      const [everyone, allocations, firstAllocations, officers] = await Promise.all([
        people.listPeopleAt(actor.establishmentCode),
        store.allocationsAt(db, actor.establishmentCode),
        store.firstAllocations(db, actor.establishmentCode),
        staff.listOfficersForAllocation(actor.establishmentCode),
      ])
      // As the records stood at the end of `today`: nothing held or allocated after it counts, so a clock set at
      // a past date gives that date's figures (the measures keep a month's figures so).
      const [sessions, firstSessions] = await Promise.all([
        store.sessionDatesBetween(db, actor.establishmentCode, period.from, today),
        store.firstSessionsUpTo(db, actor.establishmentCode, today),
      ])
      const datesOf = datesByPerson(sessions)
      const rows = everyone.map((person) => {
        const allocation = allocations.get(person.id)
        const dates = datesOf.get(person.id) ?? []
        const firstOn = firstSessions.get(person.id) ?? null
        const firstAt = firstAllocations.get(person.id)
        const firstAllocatedOn = firstAt && londonDate(firstAt) <= today ? londonDate(firstAt) : null
        return {
          person,
          staffUserId: allocation?.staffUserId ?? null,
          delivery: allocation
            ? { personId: person.id, coveredFrom: londonDate(allocation.allocatedAt), sessionDates: dates }
            : null,
          daysToAllocation: daysFromReception(person.receptionOn, firstAllocatedOn),
          daysToFirstSession: daysFromReception(person.receptionOn, firstOn),
          pastFirstContact: isPastFirstContact(person.receptionOn, firstOn, today, policy.firstContactDays),
        }
      })
      const figures = (group: typeof rows) => {
        const allocated = group.filter((row) => row.staffUserId !== null)
        const received = group.filter(
          (row) => row.person.receptionOn >= period.from && row.person.receptionOn <= period.to,
        )
        const average = (values: (number | null)[]) => {
          const known = values.filter((value): value is number => value !== null)
          return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0) / known.length
        }
        return {
          people: group.length,
          allocated: allocated.length,
          shareAllocated: group.length === 0 ? null : allocated.length / group.length,
          ...deliveryOver(
            allocated.map((row) => row.delivery!),
            period,
            policy.sessionIntervalDays,
          ),
          // J2: measured for the people received in the period, as HMPPS reports it.
          averageDaysToAllocation: average(received.map((row) => row.daysToAllocation)),
          averageDaysToFirstSession: average(received.map((row) => row.daysToFirstSession)),
        }
      }
      const wingCodes = [...new Set(everyone.map((person) => person.wingCode ?? ''))]
      await audit.record(db, actor, { action: 'keywork.statistics-viewed' })
      return {
        policy,
        period,
        prison: figures(rows),
        wings: wingCodes.map((code) => {
          const group = rows.filter((row) => (row.person.wingCode ?? '') === code)
          return { code, name: group[0]?.person.wingName ?? null, ...figures(group) }
        }),
        officers: officers
          .map((officer) => ({
            staffUserId: officer.staffUserId,
            displayName: officer.displayName,
            ...figures(rows.filter((row) => row.staffUserId === officer.staffUserId)),
          }))
          .filter((row) => row.people > 0),
        pastFirstContact: rows
          .filter((row) => row.pastFirstContact)
          .map((row) => ({
            ...summary(row.person),
            wingName: row.person.wingName,
            receptionOn: row.person.receptionOn,
            days: daysBetween(row.person.receptionOn, today),
          })),
      }
    },

    /**
     * K4, M1: progress meetings held against due over the last interval (12 weeks): everyone on the roll is
     * due one for each whole interval they were in custody in it, counted from reception. Audited.
     */
    async progressMeetings(actor: Actor) {
      const today = clock.today()
      const intervalDays = PROGRESS_MEETING_INTERVAL_DAYS
      const period = { from: addDays(today, -(intervalDays - 1)), to: today }
      const everyone = await people.listPeopleAt(actor.establishmentCode)
      const meetings = await store.meetingDatesSince(
        db,
        everyone.map((person) => person.id),
        period.from,
      )
      const datesOf = datesByPerson(meetings)
      const delivery = deliveryOver(
        everyone.map((person) => ({
          personId: person.id,
          coveredFrom: person.receptionOn,
          sessionDates: datesOf.get(person.id) ?? [],
        })),
        period,
        intervalDays,
      )
      await audit.record(db, actor, { action: 'keywork.progress-meetings-counted' })
      return { period, intervalDays, ...delivery }
    },

    /** Whether this user may see change requests at all (reviewers), for the pages. */
    canReviewChangeRequests(actor: Actor) {
      return hasPermission(actor.role, 'keywork.review-change-request')
    },
  }
}

function summary(person: PersonSummary) {
  return { id: person.id, prisonNumber: person.prisonNumber, firstName: person.firstName, lastName: person.lastName }
}
