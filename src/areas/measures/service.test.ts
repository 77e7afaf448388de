import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenPersonAccount } from '../../../test/support/my-view-builders.ts'
import { type Services } from '../../app.ts'
import { NotFound } from '../../platform/errors.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import { givenTraining } from '../../../test/support/staff-builders.ts'
import { givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { auditOfUser, givenIncident, givenSnapshot } from '../../../test/support/measures-builders.ts'
import { measures } from './rules.ts'
import { deliverEvents } from '../../../test/support/app.ts'

describeServicesOnEachEngine('the measures service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db, { function: 'training' }))

  before(async () => {
    // Six staff: the lead and the keyworker have current mental health first aid, the officer's lapsed.
    await givenTraining(database.db, prison.lead.id, 'mental-health-first-aid', '2026-01-01', '2028-01-01')
    await givenTraining(database.db, prison.keyworker.id, 'mental-health-first-aid', '2026-01-01', '2028-01-01')
    await givenTraining(database.db, prison.officer.id, 'mental-health-first-aid', '2023-01-01', '2025-01-01')
  })

  const measureOf = (view: Awaited<ReturnType<Services['measures']['dashboard']>>, key: string) =>
    view.measures.find((measure) => measure.code === key)!

  describe('the dashboard (M1)', () => {
    it('works each figure out from the area that keeps its records', async () => {
      const view = await services.measures.dashboard(prison.governor)
      const staffCount = (await services.staff.viewStaffList(prison.governor, {})).total
      assert.equal(measureOf(view, 'training-mental-health-first-aid').value, Math.round((2 / staffCount) * 1000) / 10)
      assert.equal(measureOf(view, 'supervision').value, 0, 'nobody has been supervised')
      assert.equal(measureOf(view, 'peer-supporters').value, 0)
      assert.equal(measureOf(view, 'key-work').value, null, 'no sessions were due: no figure, not 0%')
      assert.equal(measureOf(view, 'acct-deadlines').value, null)
    })

    it('counts ACCT training in either course, health and social care, and progress meetings held against due', async () => {
      const here = await givenEstablishment(database.db, { function: 'training' })
      const at = { establishmentCodes: [here.code] }
      const governor = await givenStaffUser(database.db, { role: 'governor', ...at })
      const assessor = await givenStaffUser(database.db, { role: 'officer', ...at })
      const manager = await givenStaffUser(database.db, { role: 'safercustody', ...at })
      const nurse = await givenStaffUser(database.db, { role: 'healthcare', ...at })
      await givenTraining(database.db, assessor.id, 'acct-assessor', '2026-01-01', '2028-01-01')
      await givenTraining(database.db, manager.id, 'acct-case-manager', '2025-06-01', '2026-11-25')
      await givenTraining(database.db, nurse.id, 'acct-assessor', '2022-01-01', '2024-01-01')
      await givenTraining(database.db, nurse.id, 'health-and-social-care', '2019-07-01', null)
      // Two people here since January, one met in the last 12 weeks and one only before them; a new arrival.
      const [met, notMet, arrived] = [
        await givenPerson(database.db, here.code),
        await givenPerson(database.db, here.code),
        await givenPerson(database.db, here.code),
      ]
      await database.db
        .updateTable('person')
        .set({ reception_on: '2026-01-05' })
        .where('id', 'in', [met.id, notMet.id])
        .execute()
      await database.db.updateTable('person').set({ reception_on: '2026-11-02' }).where('id', '=', arrived.id).execute()
      const meeting = (personId: string, heldOn: string) =>
        database.db
          .insertInto('progress_meeting')
          .values({
            person_id: personId,
            held_on: heldOn,
            attendees: JSON.stringify([]),
            recorded_by: null,
            recorded_at: new Date(`${heldOn}T16:00:00Z`),
          })
          .execute()
      await meeting(met.id, '2026-09-03')
      await meeting(notMet.id, '2026-09-02')
      const view = await services.measures.dashboard(governor)
      assert.equal(measureOf(view, 'training-acct').value, 50, 'current in either course; a lapsed one does not count')
      assert.equal(measureOf(view, 'health-and-social-care').value, 25, 'a qualification with no expiry stays current')
      // Due: one each for the two here all 12 weeks, none yet for the new arrival; held: the meeting on the
      // first day of the 12 weeks, not the one the day before.
      assert.equal(measureOf(view, 'progress-meetings').value, 50)
      assert.equal(measureOf(view, 'training-acct').recordsHref, '/staff?without=acct')
      assert.equal(measureOf(view, 'progress-meetings').recordsHref, '/dedicated-officers/statistics#progress-meetings')
    })

    it('keeps this month’s figures for the trend and reads earlier months as they were kept', async () => {
      await givenSnapshot(database.db, prison.code, 'supervision', '2026-06', 55)
      await givenSnapshot(database.db, prison.code, 'supervision', '2025-10', 99)
      const view = await services.measures.dashboard(prison.governor)
      const trend = measureOf(view, 'supervision').trend
      assert.equal(trend.length, 12)
      assert.deepEqual(trend[0], { month: '2025-12', value: null }, 'a month nobody worked out stays empty')
      assert.deepEqual(
        trend.find((point) => point.month === '2026-06'),
        { month: '2026-06', value: 55 },
      )
      assert.deepEqual(trend.at(-1), { month: '2026-11', value: 0 })
      await givenTraining(database.db, prison.governor.id, 'mental-health-first-aid', '2026-11-01', '2028-11-01')
      const before = measureOf(await services.measures.dashboard(prison.governor), 'training-mental-health-first-aid')
      await services.measures.refreshFigures(prison.governor)
      const after = measureOf(await services.measures.dashboard(prison.governor), 'training-mental-health-first-aid')
      assert.ok(after.value! > before.value!, 'worked out again on asking, the new training counts')
      const kept = await database.db
        .selectFrom('measure_snapshot')
        .select(['measure', 'value'])
        .where('establishment_code', '=', prison.code)
        .where('month', '=', '2026-11')
        .execute()
      assert.equal(kept.length, view.measures.length)
    })

    it('works each prison’s figures out in a sweep, and not again within six hours', async () => {
      const other = await givenEstablishment(database.db, { function: 'training' })
      const recordedAt = () =>
        database.db
          .selectFrom('measure_snapshot')
          .select('recorded_at')
          .where('establishment_code', '=', other.code)
          .where('month', '=', '2026-11')
          .execute()
      await services.measures.figuresSweep.run(clock.now())
      const first = await recordedAt()
      assert.equal(first.length, measures.length)
      await services.measures.figuresSweep.run(new Date(clock.now().getTime() + 3600_000))
      assert.deepEqual(await recordedAt(), first)
      const system = await database.db
        .selectFrom('audit_event')
        .select(['actor_id', 'actor_username'])
        .where('establishment_code', '=', other.code)
        .execute()
      assert.ok(system.length > 0 && system.every((row) => row.actor_id === null && row.actor_username === 'system'))
    })

    it('links each figure to its records only where the user may open them', async () => {
      const governor = await services.measures.dashboard(prison.governor)
      assert.equal(measureOf(governor, 'supervision').recordsHref, '/staff?supervision=overdue')
      assert.equal(measureOf(governor, 'acct-deadlines').recordsHref, '/care-plans/deadlines')
      const monitor = await services.measures.dashboard(prison.monitor)
      assert.equal(measureOf(monitor, 'supervision').recordsHref, null)
      assert.equal(measureOf(monitor, 'acct-deadlines').recordsHref, null)
      assert.equal(measureOf(monitor, 'peer-supporters').recordsHref, '/peer-supporters')
      assert.equal(monitor.canSetTargets, false)
    })

    it('lets a governor set a target, audited with what it was, and reads it the right way round', async () => {
      assert.equal(await services.measures.setTarget(prison.governor, 'supervision', 80), null)
      assert.equal(await services.measures.setTarget(prison.governor, 'supervision', 90), null)
      assert.equal(await services.measures.setTarget(prison.governor, 'first-contact', 5), null)
      const view = await services.measures.dashboard(prison.governor)
      assert.equal(measureOf(view, 'supervision').target, 90)
      assert.equal(measureOf(view, 'supervision').met, false)
      assert.equal(measureOf(view, 'supervision').chart.target?.value, 90)
      const audit = await auditOfUser(database.db, prison.governor.id, 'measures.target-set')
      assert.deepEqual(
        audit.map((entry) => entry.details),
        [
          { measure: 'supervision', from: null, to: 80 },
          { measure: 'supervision', from: 80, to: 90 },
          { measure: 'first-contact', from: null, to: 5 },
        ],
      )
    })

    it('refuses a target outside the measure’s range and a measure that does not exist', async () => {
      assert.deepEqual(await services.measures.setTarget(prison.governor, 'supervision', 120), {
        field: 'target',
        messageKey: 'measures.target.error.range',
        values: { maximum: 100 },
      })
      assert.ok(await services.measures.setTarget(prison.governor, 'supervision', -1))
      await assert.rejects(services.measures.setTarget(prison.governor, 'self-harm-rate', 1), NotFound)
    })

    it('keeps targets to their own prison', async () => {
      const other = await givenEstablishment(database.db, { function: 'training' })
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [other.code] })
      const view = await services.measures.dashboard(governor)
      assert.equal(measureOf(view, 'supervision').target, null)
    })

    it('shows prisons of the same function by name when asked, and never others', async () => {
      const alike = await givenEstablishment(database.db, { function: 'training', name: 'AAA Alike' })
      const unlike = await givenEstablishment(database.db, { function: 'reception', name: 'AAA Unlike' })
      await givenSnapshot(database.db, alike.code, 'supervision', '2026-10', 70)
      await givenSnapshot(database.db, unlike.code, 'supervision', '2026-10', 10)
      const alone = await services.measures.dashboard(prison.governor)
      assert.deepEqual(measureOf(alone, 'supervision').likeForLike, [])
      const view = await services.measures.dashboard(prison.governor, { compare: true })
      const peers = measureOf(view, 'supervision').likeForLike
      assert.ok(peers.every((peer) => peer.code !== unlike.code && peer.code !== prison.code))
      assert.deepEqual(peers.find((peer) => peer.code === alike.code)?.value, { month: '2026-10', value: 70 })
      const names = peers.map((peer) => peer.name)
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.localeCompare(b)),
      )
    })
  })

  describe('safety in custody (M2)', () => {
    it('records an incident, asking the care plans area whether the person was on an open plan', async () => {
      const person = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
      const opened = await services.carePlans.openCarePlan(prison.officer, person.prisonNumber, {
        reason: 'Said they could not go on',
        concernId: null,
      })
      assert.ok('carePlanId' in opened)
      const input = { occurredAt: new Date('2026-11-24T22:10:00Z'), method: 'cutting', injury: 'minor' } as const
      assert.equal(await services.measures.recordIncident(prison.officer, person.prisonNumber, input), null)
      assert.equal(await services.measures.recordIncident(prison.officer, prison.person.prisonNumber, input), null)
      const rows = await database.db
        .selectFrom('self_harm_incident')
        .select(['person_id', 'on_open_care_plan'])
        .where('establishment_code', '=', prison.code)
        .execute()
      assert.deepEqual(
        rows.map((row) => [row.person_id, row.on_open_care_plan]).sort(),
        [
          [person.id, true],
          [prison.person.id, false],
        ].sort(),
      )
      const audit = await auditOfUser(database.db, prison.officer.id, 'self-harm-incident')
      assert.equal(audit.length, 2)
    })

    it('refuses an incident in the future and a person at another prison', async () => {
      assert.deepEqual(
        await services.measures.recordIncident(prison.officer, prison.person.prisonNumber, {
          occurredAt: new Date('2026-11-26T09:00:00Z'),
          method: 'other',
          injury: 'none',
        }),
        { field: 'occurredOn', messageKey: 'measures.incident.error.future', values: {} },
      )
      const elsewhere = await givenEstablishment(database.db)
      const stranger = await givenPerson(database.db, elsewhere.code)
      await assert.rejects(
        services.measures.recordIncident(prison.officer, stranger.prisonNumber, {
          occurredAt: new Date('2026-11-20T09:00:00Z'),
          method: 'other',
          injury: 'none',
        }),
        NotFound,
      )
    })

    it('gives rates per 1,000 over the rolling 12 months, for each of a group director’s prisons', async () => {
      const north = await givenEstablishment(database.db, { name: 'HMP North' })
      const south = await givenEstablishment(database.db, { name: 'HMP South' })
      const northPeople = []
      for (let index = 0; index < 4; index++) northPeople.push(await givenPerson(database.db, north.code))
      await givenPerson(database.db, south.code)
      await givenIncident(database.db, north.code, northPeople[0].id, '2026-11-01T10:00:00Z', {
        onOpenCarePlan: true,
      })
      await givenIncident(database.db, north.code, northPeople[0].id, '2026-03-01T10:00:00Z', { injury: 'hospital' })
      await givenIncident(database.db, north.code, northPeople[1].id, '2025-11-26T10:00:00Z')
      // A year and a day ago: outside the rolling 12 months.
      await givenIncident(database.db, north.code, northPeople[2].id, '2025-11-24T10:00:00Z')
      await services.measures.recordDeath(
        await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [north.code] }),
        northPeople[3].prisonNumber,
        { diedOn: '2026-10-20', investigationReference: 'PPO-2026-0412' },
      )
      const director = await givenStaffUser(database.db, {
        role: 'director',
        establishmentCodes: [south.code, north.code],
      })
      const view = await services.measures.safetyFigures({ ...director, establishmentCode: north.code })
      assert.deepEqual(
        view.prisons.map((row) => row.name),
        ['HMP North', 'HMP South'],
      )
      const [northRow, southRow] = view.prisons
      assert.equal(northRow.population, 4)
      assert.equal(northRow.incidents, 3)
      assert.equal(northRow.incidentsPerThousand, 750)
      assert.equal(northRow.people, 2)
      assert.equal(northRow.onOpenCarePlan, 1)
      assert.equal(northRow.hospital, 1)
      assert.equal(northRow.deaths, 1)
      assert.equal(northRow.deathsPerThousand, 250)
      assert.equal(southRow.incidents, 0)
      assert.equal(southRow.incidentsPerThousand, 0)
      assert.equal(view.trend.find((point) => point.month === '2026-03')?.value, 1)
      assert.equal(view.trend.find((point) => point.month === '2026-11')?.value, 1)
    })

    /**
     * A prison whose transfers out of people with a self-harm history or an open care plan are refused or
     * delayed 4 times in 5, against 2 in 20 for everyone else (one waiting inside its chase days, not counted).
     */
    async function givenFlaggedPrison(name: string) {
      const from = await givenEstablishment(database.db, { name })
      const to = await givenEstablishment(database.db)
      const sentAt = new Date('2026-10-01T10:00:00Z')
      const daysAfter = (days: number) => new Date(sentAt.getTime() + days * 86_400_000)
      const handover = async (
        personId: string,
        answer: { refusedAt?: Date; acknowledgedAt?: Date; createdAt?: Date; openPlan?: boolean },
      ) =>
        database.db
          .insertInto('handover')
          .values({
            person_id: personId,
            from_establishment_code: from.code,
            to_establishment_code: to.code,
            kind: 'transfer',
            summary: JSON.stringify({
              openCarePlans: answer.openPlan ? [{ id: 'plan', description: 'Open since 1 September' }] : [],
            }),
            created_at: answer.createdAt ?? sentAt,
            acknowledged_at: answer.acknowledgedAt ?? null,
            refused_at: answer.refusedAt ?? null,
            refusal_reason: answer.refusedAt ? 'No space' : null,
          })
          .execute()
      const person = async () => (await givenPerson(database.db, from.code)).id
      for (let index = 0; index < 2; index++) {
        const harmed = await person()
        await givenIncident(database.db, from.code, harmed, '2026-06-01T10:00:00Z')
        await handover(harmed, { refusedAt: daysAfter(1) })
      }
      await handover(await person(), { openPlan: true, acknowledgedAt: daysAfter(3) })
      await handover(await person(), { openPlan: true, acknowledgedAt: daysAfter(3) })
      await handover(await person(), { openPlan: true, acknowledgedAt: daysAfter(1) })
      // Harmed themselves only after the handover was sent: not in the group for this transfer.
      const harmedLater = await person()
      await givenIncident(database.db, from.code, harmedLater, '2026-10-20T10:00:00Z')
      await handover(harmedLater, { acknowledgedAt: daysAfter(1) })
      await handover(await person(), { refusedAt: daysAfter(1) })
      await handover(await person(), {})
      for (let index = 0; index < 17; index++) await handover(await person(), { acknowledgedAt: daysAfter(1) })
      await handover(await person(), { createdAt: new Date('2026-11-25T08:00:00Z') })
      return from
    }

    it('flags transfers of people with a self-harm history or an open plan refused or delayed far more often', async () => {
      const from = await givenFlaggedPrison('HMP Flagged')
      const lead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [from.code] })
      const [row] = (await services.measures.safetyFigures(lead)).prisons
      assert.deepEqual(row.watch.group, { total: 5, refused: 2, delayed: 2, waiting: 0 })
      assert.deepEqual(row.watch.others, { total: 20, refused: 1, delayed: 1, waiting: 1 })
      assert.equal(row.watch.ratio, 8)
      assert.equal(row.watch.flagged, true)
    })

    it('reads a late answer by the receiving prison’s own chase days, and an open plan from what the handover carried', async () => {
      const from = await givenEstablishment(database.db, { name: 'HMP Sender' })
      const patient = await givenEstablishment(database.db)
      await database.db
        .insertInto('keywork_policy')
        .values({ establishment_code: patient.code, handover_chase_days: 5 })
        .execute()
      const hasty = await givenEstablishment(database.db)
      const lead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [from.code] })
      for (const [to, openCarePlans] of [
        [patient.code, [{ id: 'plan', description: 'Open' }]],
        [hasty.code, []],
      ] as const)
        await database.db
          .insertInto('handover')
          .values({
            person_id: (await givenPerson(database.db, from.code)).id,
            from_establishment_code: from.code,
            to_establishment_code: to,
            kind: 'transfer',
            summary: JSON.stringify({ openCarePlans }),
            created_at: new Date('2026-10-01T10:00:00Z'),
            acknowledged_at: new Date('2026-10-04T10:00:00Z'),
          })
          .execute()
      const [row] = (await services.measures.safetyFigures(lead)).prisons
      assert.deepEqual(row.watch.group, { total: 1, refused: 0, delayed: 0, waiting: 0 }, 'three days is inside five')
      assert.deepEqual(row.watch.others, { total: 1, refused: 0, delayed: 1, waiting: 0 }, 'three days is past two')
    })

    it('tells the prison’s group directors of a flagged watch once a month, however often the sweep runs', async () => {
      const from = await givenFlaggedPrison('HMP Told')
      const quiet = await givenEstablishment(database.db)
      const director = await givenStaffUser(database.db, {
        role: 'director',
        establishmentCodes: [quiet.code, from.code],
      })
      const elsewhere = await givenStaffUser(database.db, { role: 'director', establishmentCodes: [quiet.code] })
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [from.code] })
      const told = async (recipientId: string) =>
        database.db
          .selectFrom('notification')
          .select(['establishment_code as establishmentCode', 'href', 'params'])
          .where('recipient_id', '=', recipientId)
          .where('kind', '=', 'transfer-watch-flagged')
          .execute()
      await services.measures.transferWatchSweep.run(clock.now())
      await services.measures.transferWatchSweep.run(new Date(clock.now().getTime() + 6 * 3600_000))
      const notices = await told(director.id)
      assert.equal(notices.length, 1)
      assert.equal(notices[0].establishmentCode, from.code)
      assert.equal(notices[0].href, '/safety-figures')
      assert.deepEqual(await told(elsewhere.id), [])
      assert.deepEqual(await told(governor.id), [])
    })

    it('refuses a death in custody with no reference, one too long, a second for the same person, or elsewhere', async () => {
      const lead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      const person = await givenPerson(database.db, prison.code)
      const record = (investigationReference: string, diedOn = '2026-11-20') =>
        services.measures.recordDeath(lead, person.prisonNumber, { diedOn, investigationReference })
      assert.equal((await record('  '))?.messageKey, 'measures.death.error.reference')
      assert.equal((await record('P'.repeat(41)))?.messageKey, 'measures.death.error.referenceLength')
      assert.equal((await record('PPO-1', '2026-11-26'))?.messageKey, 'measures.death.error.future')
      assert.equal(await record(' PPO-2026-0999 '), null)
      assert.equal((await record('PPO-2026-1000'))?.messageKey, 'measures.death.error.recorded')
      const { deaths } = await services.measures.listDeaths(lead)
      assert.deepEqual(
        deaths
          .filter((death) => death.prisonNumber === person.prisonNumber)
          .map((death) => [death.diedOn, death.investigationReference]),
        [['2026-11-20', 'PPO-2026-0999']],
      )
      assert.equal((await auditOfUser(database.db, lead.id, 'death-in-custody.recorded')).length, 1)
      assert.equal((await auditOfUser(database.db, lead.id, 'deaths-in-custody.listed')).length, 1)
      const elsewhere = await givenEstablishment(database.db)
      const stranger = await givenPerson(database.db, elsewhere.code)
      await assert.rejects(
        services.measures.recordDeath(lead, stranger.prisonNumber, {
          diedOn: '2026-11-20',
          investigationReference: 'PPO-1',
        }),
        NotFound,
      )
    })

    it('counts a death in custody dated today in the figures, audits opening its form, marks the record and closes their own view', async () => {
      const { lead, ...here } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
      const person = await givenPerson(database.db, here.code)
      await givenPersonAccount(database.db, person)
      assert.deepEqual(await services.measures.headerAlertsOf(person.id), [])
      assert.equal(
        await services.measures.recordDeath(lead, person.prisonNumber, {
          diedOn: clock.today(),
          investigationReference: 'PPO-2026-1125',
        }),
        null,
      )
      assert.equal((await services.measures.safetyFigures(lead)).prisons[0].deaths, 1)
      assert.equal((await services.measures.safetyCountsAt(here.code)).deaths, 1)
      assert.equal((await services.measures.deathForm(lead, person.prisonNumber)).recorded?.diedOn, clock.today())
      assert.equal((await auditOfUser(database.db, lead.id, 'death-in-custody.form-viewed')).length, 1)
      assert.deepEqual(
        (await services.measures.headerAlertsOf(person.id)).map((alert) => alert.messageKey),
        ['measures.death.headerAlert'],
      )
      assert.ok((await deliverEvents(services)) >= 1, 'the death’s event is delivered')
      const account = await database.db
        .selectFrom('person_account')
        .select('is_active')
        .where('person_id', '=', person.id)
        .executeTakeFirstOrThrow()
      assert.equal(account.is_active, false, 'their own view closes with their death')
    })

    it('gives a monitor the figures and no way to the named incidents', async () => {
      const view = await services.measures.safetyFigures(prison.monitor)
      assert.equal(view.canSeeIncidents, false)
      assert.equal(view.prisons[0].incidents, 2)
      const audit = await auditOfUser(database.db, prison.monitor.id, 'safety-figures')
      assert.equal(audit.length, 1)
    })
  })
})
