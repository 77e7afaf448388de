import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allMessages, backgroundWork, createServices, type Services } from '../../app.ts'
import { createTranslator } from '../../platform/i18n.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { Actor } from '../../platform/permissions.ts'
import { supervisionFloors } from './rules.ts'
import { alertsSentFor } from './store.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { untilSomeoneWaits } from '../../../test/support/locks.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import {
  givenCarePlanPrison,
  givenDeadlinesPrison,
  givenObservation,
  givenReviewedPlan as givenReviewedPlanAt,
  notificationsOf,
  observationRows,
} from '../../../test/support/care-plan-builders.ts'

const supervision = supervisionFloors.raised

const translator = createTranslator(allMessages, { strict: true })

/**
 * What the care plan service keeps of the watch on a person and of the time taken: observations, which no one
 * may change, their corrections and the alarms when one is overdue; and the deadlines met at a prison.
 */
describeServicesOnEachEngine(
  'the care plan service: observations and deadlines',
  '2026-11-25T09:00:00Z',
  ({ database, services, clock }) => {
    const prison = arrangedBefore(() => givenCarePlanPrison(database.db))

    /** Opens a plan for a new person and takes it through immediate action, assessment and first review. */
    const givenReviewedPlan = () =>
      givenReviewedPlanAt(database.db, services.carePlans, prison, clock.now(), supervision)

    /** The wing's officer looks in now, and writes down what they saw. */
    const observedNow = (
      plan: { person: { prisonNumber: string }; id: string },
      seen: string,
      talked: { wasConversation?: boolean } = {},
    ) => givenObservation(services.carePlans, prison.officer, plan, clock.now(), seen, talked)

    /** The stages of the alarm raised so far for a plan's overdue observations. */
    const alarmStages = async (carePlanId: string) =>
      (await alertsSentFor(database.db, carePlanId)).map((alert) => alert.stage)

    it('keeps observations tamper-evident: the database refuses to edit or delete one', async () => {
      const { person, id } = await givenReviewedPlan()
      await observedNow({ person, id }, 'Reading on the bed')
      const [row] = await observationRows(database.db, id)
      assert.ok(row)
      await assert.rejects(
        database.db.updateTable('care_plan_observation').set({ seen: 'changed' }).where('id', '=', row.id).execute(),
        /append-only/,
      )
      await assert.rejects(
        database.db.deleteFrom('care_plan_observation').where('id', '=', row.id).execute(),
        /append-only/,
      )
    })

    it('records a correction as a new entry pointing at the one it corrects, and shows both', async () => {
      const { person, id } = await givenReviewedPlan()
      await observedNow({ person, id }, 'Asleep')
      const [first] = await observationRows(database.db, id)
      assert.ok(first)
      const corrected = await services.carePlans.correctObservation(prison.officer, person.prisonNumber, id, first.id, {
        observedAt: clock.now(),
        seen: 'Awake, talking about home',
        wasConversation: true,
        reason: 'Wrong person’s entry',
      })
      assert.equal(corrected, null)
      const rows = await observationRows(database.db, id)
      assert.deepEqual(
        rows.map((row) => [row.seen, row.corrects_id]),
        [
          ['Asleep', null],
          ['Awake, talking about home', first.id],
        ],
      )
      const view = await services.carePlans.viewCarePlan(prison.officer, person.prisonNumber, id)
      assert.equal(view.observations.length, 2)
      assert.equal(
        view.observations.find((entry) => entry.id === first.id)?.correctedBy?.seen,
        'Awake, talking about home',
      )
      const twice = await services.carePlans.correctObservation(prison.officer, person.prisonNumber, id, first.id, {
        observedAt: clock.now(),
        seen: 'Again',
        wasConversation: true,
        reason: 'Again',
      })
      assert.equal(twice?.messageKey, 'carePlans.correction.error.already')
    })

    it('alerts the wing when an observation goes overdue, then the orderly officer, each once even with two workers', async () => {
      const { person, id } = await givenReviewedPlan()
      await givenDedicatedOfficer(database.db, person.id, prison.keyworker.id, '2026-11-01T09:00:00Z')
      // Supervision was set at 09:00: day slots 08-10 (from 09:00), 10-12, 12-14 and on. Nobody looks.
      const at1001 = new Date('2026-11-25T10:01:00Z')
      await Promise.all([
        services.carePlans.sweepOverdueObservations(at1001),
        services.carePlans.sweepOverdueObservations(at1001),
      ])
      const href = `/people/${person.prisonNumber}/care-plans/${id}`
      /** How many times this person was told of this plan's overdue observation, at this stage of its alarm. */
      const timesTold = async (recipient: Actor, stage: 'wing' | 'orderly-officer') =>
        (await notificationsOf(database.db, recipient, `care-plan.observation-overdue.${stage}`)).filter(
          (entry) => entry.href === href,
        ).length
      assert.equal(await timesTold(prison.keyworker, 'wing'), 1, 'the dedicated officer is told')
      assert.equal(await timesTold(prison.officer, 'wing'), 1, 'the wing officer is told')
      const { messageKey, params } = await database.db
        .selectFrom('notification')
        .select(['message_key as messageKey', 'params'])
        .where('recipient_id', '=', prison.officer.id)
        .where('href', '=', href)
        .executeTakeFirstOrThrow()
      const { lastName } = await database.db
        .selectFrom('person')
        .select('last_name as lastName')
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow()
      assert.equal(
        translator.forLanguage('en')(messageKey, params),
        `An observation of ${lastName}, Test (${person.prisonNumber}) is overdue`,
      )
      assert.equal(await timesTold(prison.governor, 'orderly-officer'), 0, 'not the orderly officer, yet')

      const at1031 = new Date('2026-11-25T10:31:00Z')
      await Promise.all([
        services.carePlans.sweepOverdueObservations(at1031),
        services.carePlans.sweepOverdueObservations(at1031),
      ])
      await services.carePlans.sweepOverdueObservations(new Date('2026-11-25T10:40:00Z'))
      assert.equal(await timesTold(prison.keyworker, 'wing'), 1, 'the wing is not told again')
      assert.equal(await timesTold(prison.governor, 'orderly-officer'), 1)
      assert.deepEqual((await alarmStages(id)).sort(), ['orderly-officer', 'wing'])
    })

    it('leaves an alert unsent, not marked sent, while no one is on duty to tell, and sends it when someone is', async () => {
      const { person, id } = await givenReviewedPlan()
      const onLeave = (staff: Actor[], status: 'annual-leave' | 'active') =>
        database.db
          .updateTable('staff_user')
          .set({ staff_status: status })
          .where(
            'id',
            'in',
            staff.map((member) => member.id),
          )
          .execute()
      // No dedicated officer, the wing's officer and the governor away: nobody to tell at either stage.
      await onLeave([prison.officer, prison.governor], 'annual-leave')
      try {
        await services.carePlans.sweepOverdueObservations(new Date('2026-11-25T10:31:00Z'))
        assert.deepEqual(await alarmStages(id), [], 'no alarm is recorded as raised when no one heard it')
        await onLeave([prison.officer], 'active')
        await services.carePlans.sweepOverdueObservations(new Date('2026-11-25T10:32:00Z'))
        assert.deepEqual(await alarmStages(id), ['wing'])
        const told = await notificationsOf(database.db, prison.officer, 'care-plan.observation-overdue.wing')
        assert.ok(told.some((entry) => entry.href === `/people/${person.prisonNumber}/care-plans/${id}`))
      } finally {
        await onLeave([prison.officer, prison.governor], 'active')
      }
    })

    it('has the server’s worker run the overdue observation sweep every minute', () => {
      const sweep = backgroundWork(services).sweeps.find((entry) => entry.name === 'care-plans.overdue-observations')
      assert.equal(sweep?.everySeconds, 60)
    })

    it(
      'sends no alert for an observation written as the sweep weighed its slot',
      { skip: database.name !== 'PostgreSQL' },
      async () => {
        const { id } = await givenReviewedPlan()
        const at1001 = new Date('2026-11-25T10:01:00Z')
        let swept: Promise<number> | undefined
        // The officer's observation of 09:55, being written as the minute turns: recording one locks the plan.
        await database.db.transaction().execute(async (trx) => {
          await trx.selectFrom('care_plan').select('id').where('id', '=', id).forUpdate().execute()
          swept = services.carePlans.sweepOverdueObservations(at1001)
          await untilSomeoneWaits(database.db)
          await trx
            .insertInto('care_plan_observation')
            .values({
              care_plan_id: id,
              establishment_code: prison.code,
              observed_at: new Date('2026-11-25T09:55:00Z'),
              seen: 'Reading in his cell',
              was_conversation: true,
              recorded_by: prison.officer.id,
              recorded_at: at1001,
            })
            .execute()
        })
        assert.equal(await swept, 0)
        assert.deepEqual(await alarmStages(id), [])
      },
    )

    it('sends no alert for a slot someone looked in on', async () => {
      const { person, id } = await givenReviewedPlan()
      await observedNow({ person, id }, 'Watching television', { wasConversation: true })
      await services.carePlans.sweepOverdueObservations(new Date('2026-11-25T11:05:00Z'))
      assert.deepEqual(await alarmStages(id), [])
    })

    describe('viewDeadlines', () => {
      let story: Awaited<ReturnType<typeof givenDeadlinesPrison>>
      let carePlans: Services['carePlans']
      before(async () => {
        story = await givenDeadlinesPrison(database.db)
        carePlans = createServices({ db: database.db, clock: fixedClock(story.now) }).carePlans
      })
      const deadlinesAudited = () =>
        database.db
          .selectFrom('audit_event')
          .select(['actor_username as actorUsername', 'details'])
          .where('action', '=', 'care-plans.deadlines-viewed')
          .where('actor_username', '=', story.prison.governor.username)
          .execute()

      it('gives each deadline met of those measured, and the plan that missed three, with its person', async () => {
        const view = await carePlans.viewDeadlines(story.prison.governor, { fromOn: '2026-10-27', toOn: '2026-11-25' })
        assert.ok(!('messageKey' in view))
        assert.equal(view.opened, 2)
        assert.deepEqual(
          view.shares.map(({ step, met, of, percent }) => [step, met, of, percent]),
          [
            ['immediateAction', 1, 2, 50],
            ['assessment', 1, 2, 50],
            ['firstReview', 1, 2, 50],
            ['review', 0, 0, null],
          ],
        )
        assert.deepEqual(
          view.missed.map((plan) => [plan.carePlanId, plan.prisonNumber, plan.isHere]),
          [[story.late.carePlanId, story.late.person.prisonNumber, true]],
        )
        assert.deepEqual(
          view.missed[0]?.deadlines.map((deadline) => [deadline.step, deadline.doneAt?.toISOString() ?? null]),
          [
            ['immediateAction', '2026-11-10T10:30:00.000Z'],
            ['assessment', null],
            ['firstReview', null],
          ],
        )
        const audited = await deadlinesAudited()
        assert.deepEqual(audited.at(-1)?.details, { fromOn: '2026-10-27', toOn: '2026-11-25', missed: 1 })
      })

      it('has nothing to measure in a period when no plan opened', async () => {
        const view = await carePlans.viewDeadlines(story.prison.governor, { fromOn: '2026-11-11', toOn: '2026-11-25' })
        assert.ok(!('messageKey' in view))
        assert.equal(view.opened, 0)
        assert.deepEqual(view.missed, [])
        assert.ok(view.shares.every((share) => share.of === 0 && share.percent === null))
      })

      it('refuses a period ending after today and records no view', async () => {
        const before = (await deadlinesAudited()).length
        const refusal = await carePlans.viewDeadlines(story.prison.governor, {
          fromOn: '2026-11-01',
          toOn: '2026-11-26',
        })
        assert.deepEqual(refusal, { field: 'to', messageKey: 'carePlans.deadlines.error.future', values: {} })
        assert.equal((await deadlinesAudited()).length, before)
      })

      it('shows a governor of another prison none of these plans', async () => {
        const { governor } = await givenPrisonWithStaff(database.db, { governor: 'governor' })
        const view = await carePlans.viewDeadlines(governor, { fromOn: '2026-10-27', toOn: '2026-11-25' })
        assert.ok(!('messageKey' in view))
        assert.equal(view.opened, 0)
        assert.deepEqual(view.missed, [])
      })
    })
  },
)
