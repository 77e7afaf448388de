import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import { givenOrganisation, givenStaffStatus, givenTraining } from '../../../test/support/staff-builders.ts'
import { Forbidden, NotFound } from '../../platform/errors.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'

const parts = (date: string) => {
  const [year, month, day] = date.split('-')
  return { day, month, year }
}
const blank = { day: '', month: '', year: '' }

describeServicesOnEachEngine('the staff service', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const home = arrangedBefore(() => givenPrisonWithStaff(database.db, { lead: 'safercustody', officer: 'officer' }))
  const elsewhere = arrangedBefore(() => givenPrisonWithStaff(database.db, { officer: 'officer' }))

  const rowsOf = async (table: 'training_record' | 'staff_supervision', staffUserId: string) =>
    database.db.selectFrom(table).selectAll().where('staff_user_id', '=', staffUserId).execute()
  const auditOf = async (action: string) =>
    database.db.selectFrom('audit_event').selectAll().where('action', '=', action).execute()
  /** The audit entries of one kind about one member of staff. */
  const auditAbout = async (action: string, staffUserId: string) =>
    (await auditOf(action)).filter((entry) => entry.details.staffUserId === staffUserId)

  describe('officers for allocation', () => {
    it('lists officers and key workers at the establishment, whatever their status, with their latest training', async () => {
      const db = database.db
      const { code } = await givenEstablishment(db)
      const other = await givenEstablishment(db)
      const officer = await givenStaffUser(db, { role: 'officer', establishmentCodes: [code] })
      const keyworker = await givenStaffUser(db, { role: 'keyworker', establishmentCodes: [code, other.code] })
      await givenStaffUser(db, { role: 'safercustody', establishmentCodes: [code] })
      await givenStaffUser(db, { role: 'officer', establishmentCodes: [other.code] })
      await givenStaffStatus(db, keyworker.id, {
        status: 'annual-leave',
        reactivationOn: '2026-12-07',
        caseloadLimit: 4,
      })
      await givenTraining(db, officer.id, 'safeguarding', '2023-01-10', '2025-01-10')
      await givenTraining(db, officer.id, 'safeguarding', '2025-01-12', '2027-01-12')
      await givenTraining(db, officer.id, 'mental-health-first-aid', '2024-03-01', null)
      await givenTraining(db, keyworker.id, 'trauma-informed', '2024-03-01', '2027-03-01')

      const officers = await services.staff.listOfficersForAllocation(code)

      assert.deepEqual(officers.map((o) => o.staffUserId).sort(), [officer.id, keyworker.id].sort())
      const o = officers.find((row) => row.staffUserId === officer.id)!
      assert.equal(o.role, 'officer')
      assert.equal(o.staffStatus, 'active')
      assert.equal(o.reactivationOn, null)
      assert.equal(o.caseloadLimitOverride, null)
      assert.equal(o.safeguardingExpiresOn, '2027-01-12')
      assert.equal(o.mentalHealthFirstAidExpiresOn, '9999-12-31')
      const k = officers.find((row) => row.staffUserId === keyworker.id)!
      assert.equal(k.staffStatus, 'annual-leave')
      assert.equal(k.reactivationOn, '2026-12-07')
      assert.equal(k.caseloadLimitOverride, 4)
      assert.equal(k.safeguardingExpiresOn, null)
      assert.equal(k.mentalHealthFirstAidExpiresOn, null)
    })
  })

  describe('recordTraining', () => {
    it('writes the record and an audit entry naming ids only', async () => {
      const refusal = await services.staff.recordTraining(home.lead, home.officer.id, {
        course: 'trauma-informed',
        completedOn: parts('2026-11-25'),
        expiresOn: parts('2029-11-25'),
        isJoint: true,
      })
      assert.equal(refusal, null)
      const [row] = await rowsOf('training_record', home.officer.id)
      assert.equal(row?.course, 'trauma-informed')
      assert.equal(row?.expires_on, '2029-11-25')
      assert.equal(row?.is_joint, true)
      assert.equal(row?.recorded_by, home.lead.id)
      const entries = await auditAbout('staff.training-recorded', home.officer.id)
      assert.equal(entries.length, 1)
      assert.deepEqual(entries[0]?.details, {
        staffUserId: home.officer.id,
        trainingRecordId: row?.id,
        course: 'trauma-informed',
      })
    })

    it('refuses a course completed tomorrow and writes nothing', async () => {
      const before = (await rowsOf('training_record', home.officer.id)).length
      const audited = (await auditOf('staff.training-recorded')).length
      const refusal = await services.staff.recordTraining(home.lead, home.officer.id, {
        course: 'safeguarding',
        completedOn: parts('2026-11-26'),
        expiresOn: blank,
        isJoint: false,
      })
      assert.deepEqual(refusal, { problems: [{ field: 'completedOn', messageKey: 'staff.error.completedOnFuture' }] })
      assert.equal((await rowsOf('training_record', home.officer.id)).length, before)
      assert.equal((await auditOf('staff.training-recorded')).length, audited)
    })

    it('treats someone at another establishment as not there', async () => {
      await assert.rejects(
        services.staff.recordTraining(home.lead, elsewhere.officer.id, {
          course: 'safeguarding',
          completedOn: parts('2026-11-20'),
          expiresOn: blank,
          isJoint: false,
        }),
        NotFound,
      )
      assert.equal((await rowsOf('training_record', elsewhere.officer.id)).length, 0)
      await assert.rejects(services.staff.viewStaffMember(home.lead, elsewhere.officer.id), NotFound)
    })
  })

  describe('recordSupervision', () => {
    it('writes the session, and the audit entry leaves out the supervisor’s name', async () => {
      const refusal = await services.staff.recordSupervision(home.lead, home.officer.id, {
        kind: 'external-clinical',
        heldOn: parts('2026-11-24'),
        supervisor: 'Dr Ffion Rees',
      })
      assert.equal(refusal, null)
      const [row] = await rowsOf('staff_supervision', home.officer.id)
      assert.equal(row?.held_on, '2026-11-24')
      assert.equal(row?.supervisor, 'Dr Ffion Rees')
      const [entry] = await auditAbout('staff.supervision-recorded', home.officer.id)
      assert.ok(entry)
      assert.doesNotMatch(JSON.stringify(entry), /Ffion/)
      const view = await services.staff.viewStaffMember(home.lead, home.officer.id)
      assert.deepEqual(view.supervisionDue, { lastHeldOn: '2026-11-24', dueOn: '2027-01-19', isOverdue: false })
    })

    it('refuses a session with no supervisor and writes nothing', async () => {
      const before = (await rowsOf('staff_supervision', home.officer.id)).length
      const refusal = await services.staff.recordSupervision(home.lead, home.officer.id, {
        kind: 'line-management',
        heldOn: parts('2026-11-24'),
        supervisor: '',
      })
      assert.equal(refusal?.problems[0]?.field, 'supervisor')
      assert.equal((await rowsOf('staff_supervision', home.officer.id)).length, before)
    })
  })

  describe('the supervision interval', () => {
    it('marks supervision overdue after the prison’s own interval, and filters the list to those overdue', async () => {
      const { placeLead, governor, member } = await givenPrisonWithStaff(database.db, {
        placeLead: 'safercustody',
        governor: 'governor',
        member: 'officer',
      })
      // Five weeks ago: within the default 8 weeks, past an interval of 4.
      await services.staff.recordSupervision(placeLead, member.id, {
        kind: 'line-management',
        heldOn: parts('2026-10-21'),
        supervisor: 'Wing manager',
      })
      const overdueIds = async () =>
        (await services.staff.viewStaffList(placeLead, { supervisionOverdue: true })).staff.map(
          (row) => row.staffUserId,
        )
      assert.equal((await services.staff.viewStaffMember(placeLead, member.id)).supervisionDue.isOverdue, false)
      assert.ok(!(await overdueIds()).includes(member.id))
      assert.ok((await overdueIds()).includes(placeLead.id), 'never supervised is overdue')

      assert.equal(await services.staff.saveStaffSettings(governor, { supervisionIntervalWeeks: '4' }), null)
      assert.deepEqual(await services.staff.staffSettings(placeLead), { supervisionIntervalWeeks: 4 })
      assert.deepEqual((await services.staff.viewStaffMember(placeLead, member.id)).supervisionDue, {
        lastHeldOn: '2026-10-21',
        dueOn: '2026-11-18',
        isOverdue: true,
      })
      assert.ok((await overdueIds()).includes(member.id))
      assert.equal((await services.staff.viewStaffList(placeLead, {})).supervisionIntervalWeeks, 4)
      assert.equal((await auditOf('staff.settings-saved')).length, 1)
      assert.equal(
        (await services.staff.viewStaffMember(home.lead, home.officer.id)).supervisionDue.dueOn,
        '2027-01-19',
        'other prisons keep 8',
      )
    })

    it('refuses an interval outside 1 to 26 weeks and saves nothing', async () => {
      assert.deepEqual(await services.staff.saveStaffSettings(home.lead, { supervisionIntervalWeeks: '27' }), {
        problems: [{ field: 'supervisionIntervalWeeks', messageKey: 'staff.error.supervisionInterval' }],
      })
      assert.deepEqual(await services.staff.staffSettings(home.lead), { supervisionIntervalWeeks: 8 })
    })
  })

  describe('changeStatus', () => {
    it('saves the status, reactivation date and caseload limit, seen by key work, and audits it', async () => {
      const refusal = await services.staff.changeStatus(home.lead, home.officer.id, {
        status: 'long-term-absence',
        reactivationOn: parts('2027-02-01'),
        caseloadLimit: '3',
      })
      assert.equal(refusal, null)
      const [forAllocation] = (await services.staff.listOfficersForAllocation(home.code)).filter(
        (row) => row.staffUserId === home.officer.id,
      )
      assert.equal(forAllocation?.staffStatus, 'long-term-absence')
      assert.equal(forAllocation?.reactivationOn, '2027-02-01')
      assert.equal(forAllocation?.caseloadLimitOverride, 3)
      const [entry] = await auditAbout('staff.status-changed', home.officer.id)
      assert.equal(entry?.details.status, 'long-term-absence')
    })

    it('refuses a reactivation date in the past and changes nothing', async () => {
      const refusal = await services.staff.changeStatus(home.lead, home.officer.id, {
        status: 'annual-leave',
        reactivationOn: parts('2026-11-01'),
        caseloadLimit: '',
      })
      assert.equal(refusal?.problems[0]?.messageKey, 'staff.error.reactivationOnPast')
      const member = await services.staff.findStaffOrThrow(home.lead, home.officer.id)
      assert.equal(member.staffStatus, 'long-term-absence')
    })
  })

  describe('changeStatus with an organisation', () => {
    it('moves a partner worker to their organisation, and refuses one that does not exist', async () => {
      const partner = await givenStaffUser(database.db, { role: 'partner', establishmentCodes: [home.code] })
      const charity = await givenOrganisation(database.db, 'charity')
      const form = { status: 'active', reactivationOn: blank, caseloadLimit: '' }
      assert.equal(await services.staff.changeStatus(home.lead, partner.id, { ...form, organisationId: charity }), null)
      assert.equal((await services.staff.findStaffOrThrow(home.lead, partner.id)).organisationId, charity)
      const refusal = await services.staff.changeStatus(home.lead, partner.id, {
        ...form,
        organisationId: '00000000-0000-4000-8000-000000000000',
      })
      assert.deepEqual(refusal, { problems: [{ field: 'organisationId', messageKey: 'staff.error.organisation' }] })
      assert.equal((await services.staff.findStaffOrThrow(home.lead, partner.id)).organisationId, charity)
      const list = await services.staff.viewStaffList(home.lead, { organisationId: charity })
      assert.deepEqual(
        list.staff.map((row) => row.staffUserId),
        [partner.id],
      )
      assert.deepEqual(list.organisations.find((organisation) => organisation.id === charity)?.people, 1)
    })
  })

  describe('organisations', () => {
    it('adds an organisation, audited, and counts its people at the establishment', async () => {
      const outcome = await services.staff.addOrganisation(home.lead, {
        name: 'Ashfield Listeners Trust',
        kind: 'charity',
        services: 'Listener training',
      })
      assert.ok('organisationId' in outcome)
      await givenStaffStatus(database.db, home.officer.id, { organisationId: outcome.organisationId })
      const listed = (await services.staff.viewOrganisations(home.lead)).find(
        (row) => row.id === outcome.organisationId,
      )
      assert.deepEqual(listed, {
        id: outcome.organisationId,
        name: 'Ashfield Listeners Trust',
        kind: 'charity',
        services: 'Listener training',
        peopleHere: 1,
      })
      assert.equal(
        (await services.staff.viewOrganisations(elsewhere.officer)).find((row) => row.id === outcome.organisationId)
          ?.peopleHere,
        0,
      )
      const audit = await database.db
        .selectFrom('audit_event')
        .select('details')
        .where('action', '=', 'organisation.added')
        .where('actor_id', '=', home.lead.id)
        .execute()
      assert.deepEqual(
        audit.map((entry) => (entry.details as { organisationId: string }).organisationId),
        [outcome.organisationId],
      )
    })

    it('refuses a second organisation of the same name and writes nothing', async () => {
      await givenOrganisation(database.db, 'provider', 'Fresh Start Provider')
      const before = (await services.staff.listOrganisations()).length
      assert.deepEqual(
        await services.staff.addOrganisation(home.lead, {
          name: 'FRESH START provider',
          kind: 'provider',
          services: '',
        }),
        {
          problems: [{ field: 'name', messageKey: 'staff.error.organisationNameTaken' }],
        },
      )
      assert.equal((await services.staff.listOrganisations()).length, before)
    })

    it('changes an organisation, keeping its own name allowed, and gives NotFound for an unknown one', async () => {
      const admin = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [home.code] })
      const id = await givenOrganisation(database.db, 'health', 'Northgate Health')
      assert.equal(
        await services.staff.changeOrganisation(admin, id, {
          name: 'Northgate Health',
          kind: 'provider',
          services: 'GP',
        }),
        null,
      )
      assert.deepEqual(await services.staff.findOrganisationOrThrow(id), {
        id,
        name: 'Northgate Health',
        kind: 'provider',
        services: 'GP',
      })
      await assert.rejects(
        services.staff.changeOrganisation(admin, '00000000-0000-4000-8000-000000000000', {
          name: 'X',
          kind: 'health',
          services: '',
        }),
        NotFound,
      )
    })

    it('refuses a prison’s safer custody lead a change to an organisation every prison shares, and writes nothing', async () => {
      const id = await givenOrganisation(database.db, 'charity', 'Shared Listening Trust')
      await assert.rejects(
        services.staff.changeOrganisation(home.lead, id, {
          name: 'Renamed by one prison',
          kind: 'charity',
          services: '',
        }),
        Forbidden,
      )
      assert.equal((await services.staff.findOrganisationOrThrow(id)).name, 'Shared Listening Trust')
    })
  })

  describe('viewStaffList', () => {
    it('shows staff of the user’s establishment only, and filters by training gap', async () => {
      const list = await services.staff.viewStaffList(home.lead, {})
      const ids = list.staff.map((row) => row.staffUserId)
      assert.ok(ids.includes(home.officer.id))
      assert.ok(!ids.includes(elsewhere.officer.id))
      const gaps = await services.staff.viewStaffList(home.lead, { gap: 'expired-or-missing' })
      // The officer has trauma-informed training only: safeguarding and mental health first aid are missing.
      assert.ok(gaps.staff.some((row) => row.staffUserId === home.officer.id))
      assert.ok(gaps.staff.every((row) => !row.allKeyTrainingCurrent))
    })

    it('gives fifty to a page, the last page when one beyond it is asked for, and counts all it found', async () => {
      const { code } = await givenEstablishment(database.db)
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [code] })
      for (let n = 0; n < 50; n += 1) await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [code] })
      const first = await services.staff.viewStaffList(governor, {})
      assert.deepEqual([first.staff.length, first.shown, first.total, first.page, first.pageCount], [50, 51, 51, 1, 2])
      const beyond = await services.staff.viewStaffList(governor, { page: 9 })
      assert.deepEqual([beyond.staff.length, beyond.page], [1, 2])
      assert.ok(!first.staff.some((row) => row.staffUserId === beyond.staff[0].staffUserId))
    })

    it('lists those without a current qualification the measures count: ACCT as assessor or case manager', async () => {
      const { code } = await givenEstablishment(database.db)
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [code] })
      const assessor = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [code] })
      const caseManager = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [code] })
      const lapsed = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [code] })
      await givenTraining(database.db, assessor.id, 'acct-assessor', '2026-01-10', '2027-01-10')
      await givenTraining(database.db, caseManager.id, 'acct-case-manager', '2026-02-01', '2027-02-01')
      await givenTraining(database.db, lapsed.id, 'acct-assessor', '2024-01-10', '2025-01-10')
      await givenTraining(database.db, assessor.id, 'health-and-social-care', '2025-06-01', null)
      const without = async (qualification: 'acct' | 'health-and-social-care') =>
        (await services.staff.viewStaffList(governor, { without: qualification })).staff
          .map((row) => row.staffUserId)
          .sort()
      assert.deepEqual(await without('acct'), [governor.id, lapsed.id].sort())
      assert.deepEqual(await without('health-and-social-care'), [governor.id, caseManager.id, lapsed.id].sort())
    })

    it('leaves out a group director, who oversees the prison but works in none: not on the list, not in its figures, never named for a person', async () => {
      const { code } = await givenEstablishment(database.db)
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [code] })
      const director = await givenStaffUser(database.db, { role: 'director', establishmentCodes: [code, home.code] })
      const list = await services.staff.viewStaffList(governor, {})
      assert.deepEqual(
        list.staff.map((row) => row.staffUserId),
        [governor.id],
      )
      assert.equal(list.total, 1)
      assert.deepEqual(
        (await services.staff.listStaffOnDuty(code)).map((member) => member.id),
        [governor.id],
      )
      assert.deepEqual(
        (await services.staff.listDirectorsOnDuty(code)).map((member) => member.id),
        [director.id],
      )
    })
  })

  describe('as of a past day', () => {
    it('reads training and supervision as they stood on the day its clock says', async () => {
      const { reader, member } = await givenPrisonWithStaff(database.db, {
        reader: 'governor',
        member: 'officer',
      })
      // Lapsed in the spring, renewed in the autumn; supervised in June, then not until November.
      await givenTraining(database.db, member.id, 'mental-health-first-aid', '2023-03-01', '2026-03-01')
      await givenTraining(database.db, member.id, 'mental-health-first-aid', '2026-10-01', '2029-10-01')
      await database.db
        .insertInto('staff_supervision')
        .values(
          ['2026-06-10', '2026-11-10'].map((heldOn) => ({
            staff_user_id: member.id,
            held_on: heldOn,
            kind: 'line-management' as const,
            supervisor: 'Custodial manager',
            recorded_at: new Date(`${heldOn}T17:00:00Z`),
          })),
        )
        .execute()
      const rowOf = async (at: string) => {
        const staffThen = createServices({ db: database.db, clock: fixedClock(`${at}T18:00:00Z`) }).staff
        const list = await staffThen.viewStaffList(reader, {})
        return list.staff.find((row) => row.staffUserId === member.id)!
      }
      const summer = await rowOf('2026-07-31')
      assert.equal(summer.training.find((entry) => entry.course === 'mental-health-first-aid')?.state, 'expired')
      assert.equal(summer.supervision.lastHeldOn, '2026-06-10')
      const now = await rowOf('2026-11-25')
      assert.equal(now.training.find((entry) => entry.course === 'mental-health-first-aid')?.state, 'current')
      assert.equal(now.supervision.lastHeldOn, '2026-11-10')
    })
  })

  describe('peer supporters', () => {
    it('adds a Listener on a wing once, sent twice at once, counts them per 100 people, and audits it', async () => {
      const person = await givenPerson(database.db, home.code, { cellId: home.cellId })
      await givenPerson(database.db, home.code, { cellId: home.cellId })
      const add = (startedOn: string) =>
        services.peerSupporters.addPeerSupporter(home.lead, {
          prisonNumber: person.prisonNumber,
          scheme: 'listener',
          wingId: String(home.wingId),
          startedOn: parts(startedOn),
        })
      const twice = await Promise.all([add('2026-11-01'), add('2026-11-01')])
      assert.deepEqual(twice.map((refusal) => refusal?.problems[0]?.messageKey ?? 'added').sort(), [
        'added',
        'peer.error.alreadyServing',
      ])
      const view = await services.peerSupporters.viewPeerSupporters(home.lead)
      const wing = view.wings.find((candidate) => candidate.id === home.wingId)
      assert.equal(wing?.supporters.length, 1)
      assert.equal(wing?.perHundred, 50)
      const audit = await auditTrailOf(database.db, { personId: person.id })
      assert.deepEqual(
        audit.map((entry) => entry.action),
        ['peer-supporter.added'],
      )
      assert.equal((await add('2026-11-02'))?.problems[0]?.messageKey, 'peer.error.alreadyServing')
    })

    it('refuses a person in another establishment as if they were not there, writing nothing', async () => {
      const elsewhere = await givenEstablishment(database.db)
      const person = await givenPerson(database.db, elsewhere.code)
      const refusal = await services.peerSupporters.addPeerSupporter(home.lead, {
        prisonNumber: person.prisonNumber,
        scheme: 'insider',
        wingId: String(home.wingId),
        startedOn: parts('2026-11-01'),
      })
      assert.equal(refusal?.problems[0]?.messageKey, 'peer.error.notHere')
      const rows = await database.db
        .selectFrom('peer_supporter')
        .selectAll()
        .where('person_id', '=', person.id)
        .execute()
      assert.equal(rows.length, 0)
    })
  })
})
