/** P1, P2, K1: the staff list, one member's record, and their status. */
import type { Actor } from '../../platform/permissions.ts'
import { staffMemberOrThrow, type Refused, type StaffDeps, type StaffListQuery } from './deps.ts'
import {
  checkStatusForm,
  hasTrainingGap,
  isTrainingCurrent,
  keyCourses,
  qualifications,
  STAFF_PAGE_SIZE,
  supervisionDue,
  trainingCourses,
  trainingState,
  type Qualification,
  type StatusForm,
} from './rules.ts'
import * as store from './store.ts'
import { nameHolds } from '../../platform/names.ts'
import { pageOf } from '../../platform/pagination.ts'
import { holdCaseloads } from '../../platform/locks.ts'

/** Throws NotFound for anyone who does not work at one of the user's establishments. */
export function findStaffOrThrow(deps: StaffDeps, actor: Actor, staffUserId: string) {
  return staffMemberOrThrow(deps, actor, staffUserId)
}

/**
 * P1, P3: everyone working at the user's establishment, staff and partners alike, with the state of
 * their key training and supervision, filtered by name, organisation, training gap, supervision and
 * qualification, a page at a time.
 */
export async function viewStaffList(deps: StaffDeps, actor: Actor, query: StaffListQuery) {
  const { db, clock } = deps
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
      nameHolds(row.displayName, query.search ?? '') &&
      (!query.organisationId || row.organisationId === query.organisationId) &&
      (!query.supervisionOverdue || row.supervision.isOverdue) &&
      (!query.without || !row.qualificationsHeld.includes(query.without)) &&
      (!query.gap ||
        hasTrainingGap(
          row.training.map((course) => course.state),
          query.gap,
        )),
  )
  // Issue 19: a page at a time (a prison's 240 made a page 27,000 px tall); the figures above it count everyone.
  const { page, pageCount, offset } = pageOf(shown.length, query.page, STAFF_PAGE_SIZE)
  return {
    today,
    staff: shown.slice(offset, offset + STAFF_PAGE_SIZE),
    shown: shown.length,
    page,
    pageCount,
    total: rows.length,
    trainedTotal: rows.filter((row) => row.allKeyTrainingCurrent).length,
    // M1's training measures count everyone at the prison, not the page shown.
    currentByCourse: Object.fromEntries(
      keyCourses.map((course) => [
        course,
        rows.filter((row) => row.training.some((entry) => entry.course === course && isTrainingCurrent(entry.state)))
          .length,
      ]),
    ) as Record<(typeof keyCourses)[number], number>,
    supervisionOverdueTotal: rows.filter((row) => row.supervision.isOverdue).length,
    supervisionIntervalWeeks: policy.supervisionIntervalWeeks,
    organisations: present,
  }
}

/** P1, P2: one staff member's training, supervision and status. */
export async function viewStaffMember(deps: StaffDeps, actor: Actor, staffUserId: string) {
  const { db, clock } = deps
  const today = clock.today()
  const member = await staffMemberOrThrow(deps, actor, staffUserId)
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
}

/**
 * K1, P3: a status (with when the person is back), a caseload limit of their own, and the organisation
 * they belong to (left as it is when the form has no organisation field). Audited.
 */
export async function changeStatus(
  deps: StaffDeps,
  actor: Actor,
  staffUserId: string,
  form: StatusForm & { organisationId?: string | undefined },
): Promise<Refused | null> {
  const { db, clock, audit } = deps
  return db.transaction().execute(async (trx) => {
    const member = await staffMemberOrThrow(deps, actor, staffUserId, trx)
    // An allocation to this officer at any of their prisons checks their status and limit under this hold: made
    // unavailable as someone is allocated to them, the one waits for the other.
    for (const code of await store.establishmentCodesOf(trx, member.staffUserId)) await holdCaseloads(trx, code)
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
}
