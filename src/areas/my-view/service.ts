import type { Db } from '../../db/database.ts'
import type { Audit } from '../../platform/audit.ts'
import type { EventListener, EventType, PublishedEvent } from '../../platform/events.ts'
import type { Clock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Language } from '../../platform/i18n.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { AllocationService } from '../allocation/service.ts'
import type { AttendanceService } from '../attendance/service.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { ConcernsService } from '../concerns/service.ts'
import { officerLabelIn } from '../keywork/rules.ts'
import type { KeyworkService } from '../keywork/service.ts'
import type { PeopleService } from '../people/service.ts'
import { concernFromWorry, twoWeekTimetable, whoTheWorryIsAbout, type DangerAnswer } from './rules.ts'
import * as store from './store.ts'
import type { Refusal } from '../../platform/forms.ts'

export type { Refusal }

export type WorryInput = {
  about: 'me' | 'someone-else'
  firstName: string
  lastName: string
  wing: string
  whatIsHappening: string
  danger: DangerAnswer
}

export const WORRY_MAX = 1000
export const CHANGE_REASON_MAX = 1000
export const FEEDBACK_MAX = 1000

export type MyViewService = ReturnType<typeof createMyViewService>

/**
 * C1: the person in custody's own view. Every use case works on the signed-in person only (`actor.person`),
 * never on a prison number from the address, and goes through the area that owns the record: the timetable
 * through allocation, their officer and a change request through key work, a worry through concerns, feedback
 * through attendance. What staff keep about them (notes, flags, what was done about a sensitive worry) stays out.
 */
export function createMyViewService({
  db,
  clock,
  audit,
  people,
  allocation,
  keywork,
  concerns,
  attendance,
  carePlans,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: Pick<PeopleService, 'findByNameAt'>
  allocation: Pick<AllocationService, 'viewPersonTimetable'>
  keywork: Pick<KeyworkService, 'viewDedicatedOfficer' | 'raiseChangeRequest' | 'policyFor'>
  concerns: Pick<ConcernsService, 'raiseConcern' | 'listRaisedByPerson'>
  attendance: Pick<AttendanceService, 'viewPersonActivities' | 'recordFeedback'>
  carePlans: Pick<CarePlanService, 'ownCopyOf'>
}) {
  function self(actor: Actor) {
    if (actor.role !== 'person' || !actor.person) throw new NotFound()
    return actor.person
  }

  /** C1: closes the account on leaving custody (not on a transfer) and ends its sessions, audited as the change. */
  async function closeAccountOnLeaving(
    event: PublishedEvent<EventType>,
    personId: string,
    reason: 'release' | 'transfer',
  ) {
    await db.transaction().execute(async (trx) => {
      const accountId = reason === 'release' ? await store.closeAccountOf(trx, personId) : null
      const sessionsEnded = await store.endSessionsOf(trx, personId)
      if (accountId || sessionsEnded > 0)
        await audit.record(trx, event.by, {
          action: accountId ? 'person-account.closed' : 'person-account.sessions-ended',
          personId,
          establishmentCode: event.establishmentCode ?? undefined,
          details: { reason, sessionsEnded, event: event.id },
        })
    })
  }

  return {
    /**
     * C1: a person leaving custody loses their own view, told by the journey (a release) or the measures (a
     * death in custody). The account closes and every session ends, so a laptop or kiosk left signed in is
     * theirs no more and /my/sign-in refuses them with the same words as for a wrong password.
     *
     * A transfer ends their sessions but keeps the account. It belongs to the person, not to a prison: the view
     * reads their prison from their record, so at the receiving prison it shows that prison's timetable and
     * officer and nothing of the sending one. Waymark has no way for a prison to open an account (one person,
     * one account), so closing it would leave them without a view until someone edits the database. The
     * sessions still end: the sending prison's devices are not theirs to use any more.
     */
    listeners: [
      {
        name: 'my-view.close-account-on-leaving-custody',
        type: 'person.left-custody',
        handle: (event) => closeAccountOnLeaving(event, event.payload.personId, 'release'),
      },
      {
        name: 'my-view.end-sessions-on-transfer',
        type: 'person.transferred',
        handle: (event) => closeAccountOnLeaving(event, event.payload.personId, 'transfer'),
      },
    ] satisfies [EventListener<'person.left-custody'>, EventListener<'person.transferred'>],

    /** What the prison calls a dedicated officer ("key worker", "personal officer"), for the page's words. */
    async officerLabel(actor: Actor, language: Language) {
      self(actor)
      return { label: officerLabelIn(language, await keywork.policyFor(actor.establishmentCode)) }
    },

    /** S3: whether they have a care plan in progress, for the link on their home page. Not audited: it says no more. */
    async hasCarePlan(actor: Actor): Promise<boolean> {
      return (await carePlans.ownCopyOf(self(actor).id)) !== null
    },

    /** S3: their own copy of their care plan in progress, or null. Audited. */
    async carePlan(actor: Actor) {
      const me = self(actor)
      const copy = await carePlans.ownCopyOf(me.id)
      await audit.record(db, actor, {
        action: 'my-view.care-plan-viewed',
        personId: me.id,
        establishmentCode: actor.establishmentCode,
        details: { inProgress: copy !== null },
      })
      return copy
    },

    /** Their timetable for this week and next, day by day. Audited. */
    async timetable(actor: Actor) {
      const me = self(actor)
      const { groups } = await allocation.viewPersonTimetable(actor, me.prisonNumber)
      await audit.record(db, actor, {
        action: 'my-view.timetable-viewed',
        personId: me.id,
        establishmentCode: actor.establishmentCode,
      })
      return { weeks: twoWeekTimetable(groups, clock.today()), today: clock.today() }
    },

    /** Their dedicated officer by name and when they are next due to meet; nothing of the officer's notes. */
    async officer(actor: Actor, language: Language) {
      const me = self(actor)
      const view = await keywork.viewDedicatedOfficer(actor, me.prisonNumber)
      return {
        label: officerLabelIn(language, view.policy),
        officer: view.current ? { name: view.current.displayName, nextMeetingDue: view.current.nextSessionDue } : null,
        lastMetOn: view.lastSessionOn,
      }
    },

    /** K2: a private request to change officer, for safer custody to decide (never the officer it is about). */
    async askToChangeOfficer(actor: Actor, reason: string): Promise<Refusal | null> {
      const me = self(actor)
      const text = reason.trim()
      if (text.length > CHANGE_REASON_MAX)
        return { field: 'reason', messageKey: 'my.changeOfficer.error.tooLong', values: { max: CHANGE_REASON_MAX } }
      const refusal = await keywork.raiseChangeRequest(actor, me.prisonNumber, text)
      if (!refusal) return null
      const pending = refusal.messageKey === 'keywork.changeRequest.error.pending'
      return {
        field: 'reason',
        messageKey: pending ? 'my.changeOfficer.error.pending' : 'my.changeOfficer.error.noOfficer',
      }
    },

    /**
     * S1: a worry about themselves or someone else becomes a concern raised by a person in custody, sent at once
     * to safer custody and the responsible officer. Someone else is found by the name (and wing) typed.
     */
    async raiseWorry(actor: Actor, input: WorryInput): Promise<Refusal[]> {
      const me = self(actor)
      const problems: Refusal[] = []
      const what = input.whatIsHappening.trim()
      if (what === '') problems.push({ field: 'whatIsHappening', messageKey: 'my.worry.error.what' })
      if (what.length > WORRY_MAX)
        problems.push({ field: 'whatIsHappening', messageKey: 'my.worry.error.tooLong', values: { max: WORRY_MAX } })
      let prisonNumber = me.prisonNumber
      if (input.about === 'someone-else') {
        if (input.firstName.trim() === '') problems.push({ field: 'firstName', messageKey: 'my.worry.error.firstName' })
        if (input.lastName.trim() === '') problems.push({ field: 'lastName', messageKey: 'my.worry.error.lastName' })
        if (problems.length > 0) return problems
        const matches = await people.findByNameAt(actor.establishmentCode, input.firstName, input.lastName)
        const them = whoTheWorryIsAbout(matches, input.wing)
        if (!them) return [{ field: 'lastName', messageKey: 'my.worry.error.notFound' }]
        prisonNumber = them.prisonNumber
      }
      if (problems.length > 0) return problems
      const outcome = await concerns.raiseConcern(actor, prisonNumber, {
        whatHappened: what,
        ...concernFromWorry(input.danger),
        isSensitive: false,
        peerSupporterId: null,
      })
      if ('field' in outcome) return [{ field: 'whatIsHappening', messageKey: 'my.worry.error.what' }]
      return []
    },

    /** What happened to the worries they raised: sent, read, acted on (what was done only where theirs to know). */
    async worries(actor: Actor) {
      self(actor)
      return concerns.listRaisedByPerson(actor)
    },

    /** R7: the activities they go to now and the feedback they have given. */
    async feedback(actor: Actor) {
      const me = self(actor)
      const view = await attendance.viewPersonActivities(actor, me.prisonNumber)
      return {
        activities: view.activities
          .filter((activity) => activity.isCurrent)
          .map((activity) => ({ activityId: activity.activityId, activityName: activity.activityName })),
        given: view.feedback.map((entry) => ({
          activityName: entry.activityName,
          rating: entry.rating,
          comment: entry.comment,
          givenOn: entry.givenOn,
        })),
      }
    },

    /** R7: their own rating and words about an activity they go to, dated today. */
    async giveFeedback(
      actor: Actor,
      input: { activityId: string; rating: number; comment: string },
    ): Promise<Refusal[]> {
      const me = self(actor)
      const { activities } = await this.feedback(actor)
      if (!activities.some((activity) => activity.activityId === input.activityId))
        return [{ field: 'activityId', messageKey: 'my.feedback.error.activity' }]
      if (input.comment.length > FEEDBACK_MAX)
        return [{ field: 'comment', messageKey: 'my.feedback.error.tooLong', values: { max: FEEDBACK_MAX } }]
      const refusals = await attendance.recordFeedback(actor, me.prisonNumber, {
        activityId: input.activityId,
        rating: input.rating,
        comment: input.comment.trim(),
        givenOn: clock.today(),
      })
      return refusals.map((refusal) => ({ field: refusal.field, messageKey: 'my.feedback.error.activity' }))
    },
  }
}
