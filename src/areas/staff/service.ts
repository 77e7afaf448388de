import type { Db } from '../../db/database.ts'
import type { IsoDate, StaffStatus, TrainingCourse } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { Forbidden, NotFound } from '../../platform/errors.ts'
import { hasPermission, type Actor, type Role } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  checkEndDate,
  checkOrganisationForm,
  checkPeerSupporterForm,
  checkStaffSettingsForm,
  checkStatusForm,
  checkSupervisionForm,
  checkTrainingForm,
  hasTrainingGap,
  isOnDuty,
  isTrainingCurrent,
  keyCourses,
  peerSchemes,
  perHundred,
  qualifications,
  supervisionDue,
  trainingCourses,
  trainingState,
  type DateParts,
  type Qualification,
  type FieldProblem,
  type OrganisationForm,
  type PeerSupporterForm,
  type StaffSettingsForm,
  type StatusForm,
  type SupervisionForm,
  type TrainingForm,
  type TrainingGap,
} from './rules.ts'
import * as store from './store.ts'
import { isUuid } from '../../platform/ids.ts'

export type StaffService = ReturnType<typeof createStaffService>

/** What the key work area needs to allocate people to officers (K1, K3). */
export type OfficerForAllocation = {
  staffUserId: string
  displayName: string
  role: Role
  staffStatus: StaffStatus
  reactivationOn: IsoDate | null
  caseloadLimitOverride: number | null
  /** The latest safeguarding record's expiry: null when there is none, '9999-12-31' when it never expires. */
  safeguardingExpiresOn: IsoDate | null
  /** The same for mental health first aid. */
  mentalHealthFirstAidExpiresOn: IsoDate | null
}

/** A member of staff who can be named as responsible for a person. */
export type StaffOnDuty = { id: string; displayName: string; role: Role }

export type StaffListQuery = {
  organisationId?: string | undefined
  gap?: TrainingGap | undefined
  /** Only those whose supervision is overdue (P2). */
  supervisionOverdue?: boolean | undefined
  /** M1: only those without a current qualification the measures count (ACCT, health and social care). */
  without?: Qualification | undefined
}

/** A form the user can put right: nothing was saved, and each problem names its field. */
export type Refusal = { problems: FieldProblem[] }

export function createStaffService({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  /** Throws NotFound for anyone who does not work at one of the user's establishments. */
  async function findStaffOrThrow(actor: Actor, staffUserId: string, trx: Db = db) {
    if (!isUuid(staffUserId)) throw new NotFound()
    const member = await store.findStaffInEstablishments(trx, actor.establishmentCodes, staffUserId)
    if (!member) throw new NotFound()
    return { ...member, staffStatus: member.isActive ? member.staffStatus : ('inactive' as const) }
  }

  /** Those of `members` who can answer for a person today (see `isOnDuty`), in the order given. */
  function onDuty(members: readonly store.StaffListRow[]): StaffOnDuty[] {
    const today = clock.today()
    return members
      .filter((member) => isOnDuty(member, today))
      .map((member) => ({ id: member.staffUserId, displayName: member.displayName, role: member.role as Role }))
  }

  return {
    findStaffOrThrow: (actor: Actor, staffUserId: string) => findStaffOrThrow(actor, staffUserId),

    /** P2: the staff settings of the user's establishment. */
    staffSettings: (actor: Actor) => store.findStaffPolicy(db, actor.establishmentCode),

    /** P2: saves how often staff at the user's establishment are due supervision. Audited. */
    async saveStaffSettings(actor: Actor, form: StaffSettingsForm): Promise<Refusal | null> {
      const checked = checkStaffSettingsForm(form)
      if (!checked.values) return { problems: checked.problems }
      const values = checked.values
      await db.transaction().execute(async (trx) => {
        await store.saveStaffPolicy(trx, actor.establishmentCode, values)
        await audit.record(trx, actor, { action: 'staff.settings-saved', details: values })
      })
      return null
    },

    /** The prison service and the partner organisations a staff member may belong to (P3). */
    listOrganisations: () => store.listOrganisations(db),

    /** P3: every organisation, with how many of its people work at the user's establishment. */
    async viewOrganisations(actor: Actor) {
      const [organisations, counts] = await Promise.all([
        store.listOrganisations(db),
        store.countStaffByOrganisation(db, actor.establishmentCode),
      ])
      return organisations.map((organisation) => ({ ...organisation, peopleHere: counts.get(organisation.id) ?? 0 }))
    },

    /** One organisation; an id that is not one is, to the pages, not there. */
    async findOrganisationOrThrow(id: string) {
      if (!isUuid(id)) throw new NotFound()
      const organisation = await store.findOrganisation(db, id)
      if (!organisation) throw new NotFound()
      return organisation
    },

    /** P3: adds a partner organisation (or the prison service) staff can then belong to. Audited. */
    async addOrganisation(actor: Actor, form: OrganisationForm): Promise<Refusal | { organisationId: string }> {
      return db.transaction().execute(async (trx) => {
        const others = await store.listOrganisations(trx)
        const checked = checkOrganisationForm(
          form,
          others.map((other) => other.name),
        )
        if (!checked.values) return { problems: checked.problems }
        const organisationId = await store.insertOrganisation(trx, checked.values)
        await audit.record(trx, actor, {
          action: 'organisation.added',
          details: { organisationId, kind: checked.values.kind },
        })
        return { organisationId }
      })
    },

    /** P3: renames an organisation or changes its kind or services, for everyone who belongs to it. Audited. */
    async changeOrganisation(actor: Actor, id: string, form: OrganisationForm): Promise<Refusal | null> {
      if (!hasPermission(actor.role, 'organisations.manage')) throw new Forbidden()
      if (!isUuid(id)) throw new NotFound()
      return db.transaction().execute(async (trx) => {
        const organisations = await store.listOrganisations(trx)
        if (!organisations.some((organisation) => organisation.id === id)) throw new NotFound()
        const checked = checkOrganisationForm(
          form,
          organisations.filter((organisation) => organisation.id !== id).map((organisation) => organisation.name),
        )
        if (!checked.values) return { problems: checked.problems }
        await store.updateOrganisation(trx, id, checked.values)
        await audit.record(trx, actor, {
          action: 'organisation.changed',
          details: { organisationId: id, kind: checked.values.kind },
        })
        return null
      })
    },

    /**
     * P1, P3: everyone working at the user's establishment, staff and partners alike, with the state of
     * their key training and supervision, filtered by organisation and by training gap.
     */
    async viewStaffList(actor: Actor, query: StaffListQuery) {
      const today = clock.today()
      const everyone = await store.listStaffAt(db, actor.establishmentCode)
      const ids = everyone.map((member) => member.staffUserId)
      const [latest, lastSupervision, organisations, policy] = await Promise.all([
        store.latestTrainingOf(db, ids, today),
        store.lastSupervisionOf(db, ids, today),
        store.listOrganisations(db),
        store.findStaffPolicy(db, actor.establishmentCode),
      ])
      const intervalDays = policy.supervisionIntervalWeeks * 7
      const latestOf = new Map(latest.map((record) => [`${record.staffUserId}/${record.course}`, record]))
      const rows = everyone.map((member) => {
        const training = keyCourses.map((course) => {
          const record = latestOf.get(`${member.staffUserId}/${course}`)
          return { course, state: trainingState(record, today), expiresOn: record?.expiresOn ?? null }
        })
        const lastHeldOn = lastSupervision.get(member.staffUserId) ?? null
        const qualificationsHeld = (Object.keys(qualifications) as Qualification[]).filter((qualification) =>
          qualifications[qualification].some((course) =>
            isTrainingCurrent(trainingState(latestOf.get(`${member.staffUserId}/${course}`), today)),
          ),
        )
        return {
          ...member,
          qualificationsHeld,
          staffStatus: member.isActive ? member.staffStatus : ('inactive' as const),
          training,
          allKeyTrainingCurrent: training.every((course) => isTrainingCurrent(course.state)),
          supervision: { lastHeldOn, ...supervisionDue(lastHeldOn, today, intervalDays) },
        }
      })
      const present = organisations
        .map((organisation) => {
          const members = rows.filter((row) => row.organisationId === organisation.id)
          return {
            ...organisation,
            people: members.length,
            trained: members.filter((row) => row.allKeyTrainingCurrent).length,
          }
        })
        .filter((organisation) => organisation.people > 0)
      const shown = rows.filter(
        (row) =>
          (!query.organisationId || row.organisationId === query.organisationId) &&
          (!query.supervisionOverdue || row.supervision.isOverdue) &&
          (!query.without || !row.qualificationsHeld.includes(query.without)) &&
          (!query.gap ||
            hasTrainingGap(
              row.training.map((course) => course.state),
              query.gap,
            )),
      )
      return {
        today,
        staff: shown,
        total: rows.length,
        trainedTotal: rows.filter((row) => row.allKeyTrainingCurrent).length,
        supervisionOverdueTotal: rows.filter((row) => row.supervision.isOverdue).length,
        supervisionIntervalWeeks: policy.supervisionIntervalWeeks,
        organisations: present,
      }
    },

    /**
     * P1, M1: every course each member of staff and partner worker at the user's establishment holds now,
     * beyond the key ones on the staff list (ACCT, health and social care), one entry a person, unnamed.
     */
    async currentCoursesAt(actor: Actor): Promise<TrainingCourse[][]> {
      const today = clock.today()
      const everyone = await store.listStaffAt(db, actor.establishmentCode)
      const latest = await store.latestTrainingOf(
        db,
        everyone.map((member) => member.staffUserId),
        today,
      )
      const held = new Map<string, TrainingCourse[]>(everyone.map((member) => [member.staffUserId, []]))
      for (const record of latest)
        if (isTrainingCurrent(trainingState(record, today))) held.get(record.staffUserId)?.push(record.course)
      return [...held.values()]
    },

    /** P1, P2: one staff member's training, supervision and status. */
    async viewStaffMember(actor: Actor, staffUserId: string) {
      const today = clock.today()
      const member = await findStaffOrThrow(actor, staffUserId)
      const [training, supervision, policy] = await Promise.all([
        store.listTrainingOf(db, member.staffUserId),
        store.listSupervisionOf(db, member.staffUserId),
        store.findStaffPolicy(db, actor.establishmentCode),
      ])
      const latestOf = new Map<string, (typeof training)[number]>()
      for (const record of training) if (!latestOf.has(record.course)) latestOf.set(record.course, record)
      const courses = trainingCourses.map((course) => ({
        course,
        isKey: (keyCourses as readonly string[]).includes(course),
        latest: latestOf.get(course) ?? null,
        state: trainingState(latestOf.get(course), today),
      }))
      const lastHeldOn = supervision[0]?.heldOn ?? null
      return {
        member,
        courses: courses.filter((course) => course.isKey || course.latest),
        training,
        supervision,
        supervisionDue: { lastHeldOn, ...supervisionDue(lastHeldOn, today, policy.supervisionIntervalWeeks * 7) },
      }
    },

    /** P1: a course completed, recorded against a staff member or partner worker. Audited. */
    async recordTraining(actor: Actor, staffUserId: string, form: TrainingForm): Promise<Refusal | null> {
      return db.transaction().execute(async (trx) => {
        const member = await findStaffOrThrow(actor, staffUserId, trx)
        const checked = checkTrainingForm(form, clock.today())
        if (!checked.values) return { problems: checked.problems }
        const id = await store.insertTraining(trx, {
          staffUserId: member.staffUserId,
          ...checked.values,
          recordedBy: actor.id,
          recordedAt: clock.now(),
        })
        await audit.record(trx, actor, {
          action: 'staff.training-recorded',
          details: { staffUserId: member.staffUserId, trainingRecordId: id, course: checked.values.course },
        })
        return null
      })
    },

    /** P2: a supervision session held. The supervisor's name stays out of the audit trail. */
    async recordSupervision(actor: Actor, staffUserId: string, form: SupervisionForm): Promise<Refusal | null> {
      return db.transaction().execute(async (trx) => {
        const member = await findStaffOrThrow(actor, staffUserId, trx)
        const checked = checkSupervisionForm(form, clock.today())
        if (!checked.values) return { problems: checked.problems }
        const id = await store.insertSupervision(trx, {
          staffUserId: member.staffUserId,
          ...checked.values,
          recordedBy: actor.id,
          recordedAt: clock.now(),
        })
        await audit.record(trx, actor, {
          action: 'staff.supervision-recorded',
          details: { staffUserId: member.staffUserId, staffSupervisionId: id, kind: checked.values.kind },
        })
        return null
      })
    },

    /**
     * K1, P3: a status (with when the person is back), a caseload limit of their own, and the organisation
     * they belong to (left as it is when the form has no organisation field). Audited.
     */
    async changeStatus(
      actor: Actor,
      staffUserId: string,
      form: StatusForm & { organisationId?: string | undefined },
    ): Promise<Refusal | null> {
      return db.transaction().execute(async (trx) => {
        const member = await findStaffOrThrow(actor, staffUserId, trx)
        const checked = checkStatusForm(form, clock.today())
        const organisationId = form.organisationId === undefined ? undefined : form.organisationId.trim() || null
        const organisations = await store.listOrganisations(trx)
        const problems = [...checked.problems]
        if (organisationId && !organisations.some((organisation) => organisation.id === organisationId))
          problems.push({ field: 'organisationId', messageKey: 'staff.error.organisation' })
        if (!checked.values || problems.length > 0) return { problems }
        await store.updateStatus(trx, member.staffUserId, { ...checked.values, organisationId })
        await audit.record(trx, actor, {
          action: 'staff.status-changed',
          details: {
            staffUserId: member.staffUserId,
            status: checked.values.status,
            reactivationOn: checked.values.reactivationOn,
            caseloadLimit: checked.values.caseloadLimit,
          },
        })
        return null
      })
    },

    /**
     * J1, J3, J4: staff at an establishment who can answer for a person today (see `isOnDuty`), in name order,
     * for the journey's named person and the accountability map. Inside the caller's transaction when given
     * one, so a check of who may be named holds for the write that names them. Not audited: no one's record.
     */
    async listStaffOnDuty(establishmentCode: string, trx: Db = db): Promise<StaffOnDuty[]> {
      return onDuty(await store.listStaffAt(trx, establishmentCode))
    },

    /** M2: the group directors overseeing an establishment who are at work today, to be told of its figures. */
    async listDirectorsOnDuty(establishmentCode: string, trx: Db = db): Promise<StaffOnDuty[]> {
      return onDuty(await store.listStaffAt(trx, establishmentCode, ['director']))
    },

    /**
     * Officers and key workers at an establishment, whatever their status, with the two trainings key work
     * needs. A disabled account is reported as 'inactive'. Not audited: it holds no one's record.
     */
    async listOfficersForAllocation(establishmentCode: string): Promise<OfficerForAllocation[]> {
      const officers = await store.listStaffAt(db, establishmentCode, ['officer', 'keyworker'])
      const training = await store.latestTrainingOf(
        db,
        officers.map((officer) => officer.staffUserId),
        clock.today(),
      )
      const expiry = new Map<string, IsoDate>()
      for (const record of training)
        expiry.set(`${record.staffUserId}/${record.course}`, record.expiresOn ?? store.NEVER_EXPIRES)
      return officers.map((officer) => ({
        staffUserId: officer.staffUserId,
        displayName: officer.displayName,
        role: officer.role as Role,
        staffStatus: officer.isActive ? officer.staffStatus : 'inactive',
        reactivationOn: officer.reactivationOn,
        caseloadLimitOverride: officer.caseloadLimit,
        safeguardingExpiresOn: expiry.get(`${officer.staffUserId}/safeguarding`) ?? null,
        mentalHealthFirstAidExpiresOn: expiry.get(`${officer.staffUserId}/mental-health-first-aid`) ?? null,
      }))
    },
  }
}

export type PeerSupporterService = ReturnType<typeof createPeerSupporterService>

/** P4: people in custody serving as Listeners, Insiders, peer mentors and lived experience workers. */
export function createPeerSupporterService({
  db,
  clock,
  audit,
  people,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
}) {
  async function findOrThrow(actor: Actor, id: string, trx: Db = db) {
    if (!isUuid(id)) throw new NotFound()
    const role = await store.findPeerSupporter(trx, actor.establishmentCode, id)
    if (!role) throw new NotFound()
    return role
  }

  return {
    /** A current peer supporter's role; one already ended is, to the end form, not there. */
    async findCurrentOrThrow(actor: Actor, id: string) {
      const role = await findOrThrow(actor, id)
      if (role.endedOn !== null && role.endedOn <= clock.today()) throw new NotFound()
      return role
    },

    /** The current peer supporters of the user's establishment by the wing they serve, per 100 people. */
    async viewPeerSupporters(actor: Actor) {
      const today = clock.today()
      const [supporters, wings, population] = await Promise.all([
        store.listCurrentPeerSupporters(db, actor.establishmentCode, today),
        store.countPeopleByWing(db, actor.establishmentCode),
        store.countPeopleAt(db, actor.establishmentCode),
      ])
      const byWing = wings.map((wing) => {
        const serving = supporters.filter((supporter) => supporter.wingId === wing.id)
        return {
          ...wing,
          supporters: serving,
          perHundred: perHundred(serving.length, wing.people),
          bySchemes: peerSchemes.map((scheme) => ({
            scheme,
            count: serving.filter((supporter) => supporter.scheme === scheme).length,
          })),
        }
      })
      return {
        wings: byWing,
        total: supporters.length,
        population,
        perHundred: perHundred(supporters.length, population),
        bySchemes: peerSchemes.map((scheme) => ({
          scheme,
          count: supporters.filter((supporter) => supporter.scheme === scheme).length,
          perHundred: perHundred(supporters.filter((supporter) => supporter.scheme === scheme).length, population),
        })),
      }
    },

    /** P4: the peer supporter roles on a person's record, current and past. Audited as a view of the record. */
    async viewPersonRoles(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const today = clock.today()
      const roles = await store.listRolesOf(db, person.id)
      await audit.record(db, actor, {
        action: 'peer-support.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return {
        person,
        roles: roles.map((role) => ({ ...role, isCurrent: role.endedOn === null || role.endedOn > today })),
      }
    },

    /** The wings a new peer supporter may serve. */
    async wingsOf(actor: Actor) {
      return store.countPeopleByWing(db, actor.establishmentCode)
    },

    /** Adds a person in this prison as a peer supporter of one of its wings. Audited on their record. */
    async addPeerSupporter(actor: Actor, form: PeerSupporterForm): Promise<Refusal | null> {
      const today = clock.today()
      const checked = checkPeerSupporterForm(form, today)
      if (!checked.values) return { problems: checked.problems }
      const { prisonNumber, scheme, wingId, startedOn } = checked.values
      let person: Awaited<ReturnType<PeopleService['findPersonOrThrow']>>
      try {
        person = await people.findPersonOrThrow(actor, prisonNumber)
      } catch (error) {
        if (error instanceof NotFound)
          return { problems: [{ field: 'prisonNumber', messageKey: 'peer.error.notHere' }] }
        throw error
      }
      if (person.establishmentCode !== actor.establishmentCode)
        return { problems: [{ field: 'prisonNumber', messageKey: 'peer.error.notHere' }] }
      return db.transaction().execute(async (trx) => {
        const wings = await store.countPeopleByWing(trx, actor.establishmentCode)
        if (!wings.some((wing) => wing.id === wingId))
          return { problems: [{ field: 'wingId', messageKey: 'peer.error.wing' }] }
        if (await store.hasCurrentRole(trx, person.id, scheme, today))
          return { problems: [{ field: 'scheme', messageKey: 'peer.error.alreadyServing' }] }
        const id = await store.insertPeerSupporter(trx, {
          personId: person.id,
          scheme,
          wingId,
          startedOn,
          recordedBy: actor.id,
        })
        await audit.record(trx, actor, {
          action: 'peer-supporter.added',
          personId: person.id,
          details: { peerSupporterId: id, scheme, wingId },
        })
        return null
      })
    },

    /** Ends a peer supporter's role on a day from its start to today. Audited on their record. */
    async endPeerSupporter(actor: Actor, id: string, endedOn: DateParts): Promise<Refusal | null> {
      return db.transaction().execute(async (trx) => {
        const role = await findOrThrow(actor, id, trx)
        if (role.endedOn !== null && role.endedOn <= clock.today()) throw new NotFound()
        const checked = checkEndDate(endedOn, role.startedOn, clock.today())
        if (!checked.date) return { problems: checked.problems }
        await store.endPeerSupporter(trx, role.id, checked.date)
        await audit.record(trx, actor, {
          action: 'peer-supporter.ended',
          personId: role.personId,
          details: { peerSupporterId: role.id, scheme: role.scheme },
        })
        return null
      })
    },
  }
}

/**
 * Issue 13: stores a member of staff's new password hash, in the caller's transaction: for the platform's
 * sessions, which check the old password and the new one's rules; the account itself is the staff area's.
 */
export function setStaffPasswordHash(db: Db, staffUserId: string, passwordHash: string): Promise<void> {
  return store.setPasswordHash(db, staffUserId, passwordHash)
}
