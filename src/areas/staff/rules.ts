import type { Refusal } from '../../platform/forms.ts'
import type { IsoDate, StaffStatus, TrainingCourse } from '../../db/schema.ts'
import { addDays } from '../../platform/dates.ts'

export const trainingCourses = [
  'safeguarding',
  'mental-health-first-aid',
  'trauma-informed',
  'acct-assessor',
  'acct-case-manager',
  'health-and-social-care',
] as const satisfies readonly TrainingCourse[]

/** P1: the courses everyone who works with people in custody needs, shown on the staff list. */
export const keyCourses = [
  'safeguarding',
  'mental-health-first-aid',
  'trauma-informed',
] as const satisfies readonly TrainingCourse[]

export const staffStatuses = [
  'active',
  'annual-leave',
  'long-term-absence',
  'no-prisoner-contact',
  'inactive',
] as const satisfies readonly StaffStatus[]

export const supervisionKinds = ['line-management', 'reflective-practice', 'external-clinical'] as const

export const peerSchemes = ['listener', 'insider', 'peer-mentor', 'lived-experience-worker'] as const
export type PeerScheme = (typeof peerSchemes)[number]

export const organisationKinds = ['prison-service', 'charity', 'provider', 'health', 'lived-experience'] as const

/** Training due for renewal within this many days shows as expiring soon. */
export const EXPIRING_WITHIN_DAYS = 30

/** P2: supervision is due this many weeks after the last session unless a prison says otherwise. */
export const SUPERVISION_INTERVAL_WEEKS = 8
export const SUPERVISION_INTERVAL_DAYS = SUPERVISION_INTERVAL_WEEKS * 7

export type TrainingState = 'current' | 'expiring-soon' | 'expired' | 'missing'

/**
 * P1: the state of one course for one person, from their latest record of it. Training is current on the
 * day it expires and expired the day after; no expiry date means it never expires.
 */
export function trainingState(latest: { expiresOn: IsoDate | null } | undefined, today: IsoDate): TrainingState {
  if (!latest) return 'missing'
  if (latest.expiresOn === null) return 'current'
  if (latest.expiresOn < today) return 'expired'
  if (latest.expiresOn <= addDays(today, EXPIRING_WITHIN_DAYS)) return 'expiring-soon'
  return 'current'
}

/** Expiring soon is still current: the person may work on until the day it expires. */
export function isTrainingCurrent(state: TrainingState): boolean {
  return state === 'current' || state === 'expiring-soon'
}

export type TrainingGap = 'expired-or-missing' | 'expiring-soon'

/**
 * M1: the qualifications the measures count beyond the key courses, each as the courses any one of which
 * holds it: ACCT training is current as an assessor or as a case manager.
 */
export const qualifications = {
  acct: ['acct-assessor', 'acct-case-manager'],
  'health-and-social-care': ['health-and-social-care'],
} as const satisfies Record<string, readonly TrainingCourse[]>
export type Qualification = keyof typeof qualifications
export function isQualification(value: string): value is Qualification {
  return Object.hasOwn(qualifications, value)
}

/** The filter on the staff list: anyone with a key course expired or missing, or expiring soon. */
export function hasTrainingGap(states: readonly TrainingState[], gap: TrainingGap): boolean {
  if (gap === 'expired-or-missing') return states.some((state) => state === 'expired' || state === 'missing')
  return states.some((state) => state === 'expiring-soon')
}

/** P2: supervision is overdue the day after it falls due; someone never supervised is overdue now. */
export function supervisionDue(
  lastHeldOn: IsoDate | null,
  today: IsoDate,
  intervalDays = SUPERVISION_INTERVAL_DAYS,
): { dueOn: IsoDate | null; isOverdue: boolean } {
  if (lastHeldOn === null) return { dueOn: null, isOverdue: true }
  const dueOn = addDays(lastHeldOn, intervalDays)
  return { dueOn, isOverdue: dueOn < today }
}

/**
 * J1: a staff member can answer for a person today with an active account and an active status, or once the
 * reactivation date of their leave or absence has come. Someone inactive holds nothing until made active.
 */
export function isOnDuty(
  member: { isActive: boolean; staffStatus: StaffStatus; reactivationOn: IsoDate | null },
  today: IsoDate,
): boolean {
  if (!member.isActive) return false
  if (member.staffStatus === 'active') return true
  return member.staffStatus !== 'inactive' && member.reactivationOn !== null && member.reactivationOn <= today
}

/** P4: peer supporters per 100 people, to one decimal place; none when there is no one to serve. */
export function perHundred(supporters: number, people: number): number | null {
  if (people <= 0) return null
  return Math.round((supporters * 1000) / people) / 10
}

/** A problem a user can put right, with the field it belongs to and the message key that explains it. */
export type FieldProblem = Refusal

export type DateParts = { day?: string | undefined; month?: string | undefined; year?: string | undefined }

/** A GOV.UK date input's three fields as a date: empty when all are blank, invalid when it is no real date. */
export function dateFromParts(
  parts: DateParts,
): { kind: 'empty' } | { kind: 'invalid' } | { kind: 'date'; date: IsoDate } {
  const day = (parts.day ?? '').trim()
  const month = (parts.month ?? '').trim()
  const year = (parts.year ?? '').trim()
  if (!day && !month && !year) return { kind: 'empty' }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { kind: 'invalid' }
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  const instant = new Date(`${date}T00:00:00Z`)
  if (Number.isNaN(instant.getTime()) || !instant.toISOString().startsWith(date) || Number(year) < 1900)
    return { kind: 'invalid' }
  return { kind: 'date', date }
}

/** A staff form checked: its values, or every problem with it at once and no values. */
export type Checked<Values> = { values: Values; problems: [] } | { values: null; problems: FieldProblem[] }

/** The value a form chose from a fixed list, or null when it names nothing on the list. */
function chosenFrom<Choice extends string>(choices: readonly Choice[], value: string): Choice | null {
  return (choices as readonly string[]).includes(value) ? (value as Choice) : null
}

/**
 * A day something has already happened on (a course completed, a session held, a role begun or ended): given,
 * a real date, and not after today. Its problem is `<messages>.<field>Missing`, `…Invalid` or `…Future`.
 */
function dayAlreadyCome(
  parts: DateParts,
  today: IsoDate,
  field: string,
  messages: 'staff.error' | 'peer.error',
): { date: IsoDate; problem: null } | { date: null; problem: FieldProblem } {
  const day = dateFromParts(parts)
  if (day.kind === 'empty') return { date: null, problem: { field, messageKey: `${messages}.${field}Missing` } }
  if (day.kind === 'invalid') return { date: null, problem: { field, messageKey: `${messages}.${field}Invalid` } }
  if (day.date > today) return { date: null, problem: { field, messageKey: `${messages}.${field}Future` } }
  return { date: day.date, problem: null }
}

export type TrainingForm = { course: string; completedOn: DateParts; expiresOn: DateParts; isJoint: boolean }
export type TrainingValues = {
  course: TrainingCourse
  completedOn: IsoDate
  expiresOn: IsoDate | null
  isJoint: boolean
}

/** P1: a course completed by today, with an expiry (if any) not before it was completed. */
export function checkTrainingForm(form: TrainingForm, today: IsoDate): Checked<TrainingValues> {
  const problems: FieldProblem[] = []
  const course = chosenFrom(trainingCourses, form.course)
  if (!course) problems.push({ field: 'course', messageKey: 'staff.error.course' })
  const completed = dayAlreadyCome(form.completedOn, today, 'completedOn', 'staff.error')
  if (completed.problem) problems.push(completed.problem)
  const expires = dateFromParts(form.expiresOn)
  if (expires.kind === 'invalid') problems.push({ field: 'expiresOn', messageKey: 'staff.error.expiresOnInvalid' })
  else if (expires.kind === 'date' && completed.date !== null && expires.date < completed.date)
    problems.push({ field: 'expiresOn', messageKey: 'staff.error.expiresOnBeforeCompleted' })
  if (problems.length > 0 || !course || completed.date === null) return { values: null, problems }
  return {
    values: {
      course,
      completedOn: completed.date,
      expiresOn: expires.kind === 'date' ? expires.date : null,
      isJoint: form.isJoint,
    },
    problems: [],
  }
}

export type SupervisionForm = { kind: string; heldOn: DateParts; supervisor: string }
export type SupervisionValues = {
  kind: (typeof supervisionKinds)[number]
  heldOn: IsoDate
  supervisor: string
}

/** P2: a supervision session already held, with whoever led it. */
export function checkSupervisionForm(form: SupervisionForm, today: IsoDate): Checked<SupervisionValues> {
  const problems: FieldProblem[] = []
  const kind = chosenFrom(supervisionKinds, form.kind)
  if (!kind) problems.push({ field: 'kind', messageKey: 'staff.error.supervisionKind' })
  const held = dayAlreadyCome(form.heldOn, today, 'heldOn', 'staff.error')
  if (held.problem) problems.push(held.problem)
  const supervisor = form.supervisor.trim()
  if (!supervisor) problems.push({ field: 'supervisor', messageKey: 'staff.error.supervisorMissing' })
  else if (supervisor.length > 100) problems.push({ field: 'supervisor', messageKey: 'staff.error.supervisorTooLong' })
  if (problems.length > 0 || !kind || held.date === null) return { values: null, problems }
  return { values: { kind, heldOn: held.date, supervisor }, problems: [] }
}

export type StatusForm = { status: string; reactivationOn: DateParts; caseloadLimit: string }
export type StatusValues = { status: StaffStatus; reactivationOn: IsoDate | null; caseloadLimit: number | null }

/**
 * K1, P1: a status, with a reactivation date after today for anyone not active (active staff have none),
 * and a caseload limit of 0 to 30 for this officer, or blank for the prison's default.
 */
export function checkStatusForm(form: StatusForm, today: IsoDate): Checked<StatusValues> {
  const problems: FieldProblem[] = []
  const status = chosenFrom(staffStatuses, form.status)
  if (!status) problems.push({ field: 'status', messageKey: 'staff.error.status' })
  const reactivation = dateFromParts(form.reactivationOn)
  let reactivationOn: IsoDate | null = null
  if (reactivation.kind === 'invalid')
    problems.push({ field: 'reactivationOn', messageKey: 'staff.error.reactivationOnInvalid' })
  else if (reactivation.kind === 'date') {
    if (status === 'active') problems.push({ field: 'reactivationOn', messageKey: 'staff.error.reactivationOnActive' })
    else if (reactivation.date <= today)
      problems.push({ field: 'reactivationOn', messageKey: 'staff.error.reactivationOnPast' })
    else reactivationOn = reactivation.date
  }
  const limitText = form.caseloadLimit.trim()
  let caseloadLimit: number | null = null
  if (limitText) {
    if (!/^\d{1,2}$/.test(limitText) || Number(limitText) > 30)
      problems.push({ field: 'caseloadLimit', messageKey: 'staff.error.caseloadLimit' })
    else caseloadLimit = Number(limitText)
  }
  if (problems.length > 0 || !status) return { values: null, problems }
  return { values: { status, reactivationOn, caseloadLimit }, problems: [] }
}

export type PeerSupporterForm = { prisonNumber: string; scheme: string; wingId: string; startedOn: DateParts }

/** P4: the shape of a new peer supporter; whether the person and wing are in this prison is the service's. */
export function checkPeerSupporterForm(
  form: PeerSupporterForm,
  today: IsoDate,
): Checked<{ prisonNumber: string; scheme: PeerScheme; wingId: number; startedOn: IsoDate }> {
  const problems: FieldProblem[] = []
  const prisonNumber = form.prisonNumber.trim().toUpperCase()
  if (!prisonNumber) problems.push({ field: 'prisonNumber', messageKey: 'peer.error.prisonNumberMissing' })
  else if (!/^[A-Z]\d{4}[A-Z]{2}$/.test(prisonNumber))
    problems.push({ field: 'prisonNumber', messageKey: 'peer.error.prisonNumberInvalid' })
  const scheme = chosenFrom(peerSchemes, form.scheme)
  if (!scheme) problems.push({ field: 'scheme', messageKey: 'peer.error.scheme' })
  const wingId = /^\d{1,9}$/.test(form.wingId.trim()) ? Number(form.wingId.trim()) : null
  if (wingId === null) problems.push({ field: 'wingId', messageKey: 'peer.error.wing' })
  const started = dayAlreadyCome(form.startedOn, today, 'startedOn', 'peer.error')
  if (started.problem) problems.push(started.problem)
  if (problems.length > 0 || !scheme || wingId === null || started.date === null) return { values: null, problems }
  return { values: { prisonNumber, scheme, wingId, startedOn: started.date }, problems: [] }
}

/** P4: a role ends on a day from its start to today. */
export function checkEndDate(
  endedOn: DateParts,
  startedOn: IsoDate,
  today: IsoDate,
): { date: IsoDate; problems: [] } | { date: null; problems: FieldProblem[] } {
  const ended = dayAlreadyCome(endedOn, today, 'endedOn', 'peer.error')
  if (ended.problem) return { date: null, problems: [ended.problem] }
  if (ended.date < startedOn)
    return { date: null, problems: [{ field: 'endedOn', messageKey: 'peer.error.endedOnBeforeStart' }] }
  return { date: ended.date, problems: [] }
}

export type OrganisationKind = (typeof organisationKinds)[number]
export type OrganisationForm = { name: string; kind: string; services: string }
export type OrganisationValues = { name: string; kind: OrganisationKind; services: string }

/**
 * P3: an organisation needs a name no other organisation has (whatever its capitals and spaces), a kind from
 * the list, and at most 500 characters of the services it delivers.
 */
export function checkOrganisationForm(
  form: OrganisationForm,
  otherNames: readonly string[],
): Checked<OrganisationValues> {
  const problems: FieldProblem[] = []
  const name = form.name.trim().replace(/\s+/g, ' ')
  const services = form.services.trim()
  const comparable = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase()
  if (name === '' || name.length > 120) problems.push({ field: 'name', messageKey: 'staff.error.organisationName' })
  else if (otherNames.some((other) => comparable(other) === comparable(name)))
    problems.push({ field: 'name', messageKey: 'staff.error.organisationNameTaken' })
  const kind = chosenFrom(organisationKinds, form.kind)
  if (!kind) problems.push({ field: 'kind', messageKey: 'staff.error.organisationKind' })
  if (services.length > 500) problems.push({ field: 'services', messageKey: 'staff.error.organisationServices' })
  if (problems.length > 0 || !kind) return { values: null, problems }
  return { values: { name, kind, services }, problems: [] }
}

export type StaffSettingsForm = { supervisionIntervalWeeks: string }

/** P2: a prison's supervision interval, a whole number of weeks from 1 to 26. */
export function checkStaffSettingsForm(form: StaffSettingsForm): Checked<{ supervisionIntervalWeeks: number }> {
  const text = form.supervisionIntervalWeeks.trim()
  const weeks = /^\d{1,2}$/.test(text) ? Number(text) : NaN
  if (!(weeks >= 1 && weeks <= 26))
    return {
      values: null,
      problems: [{ field: 'supervisionIntervalWeeks', messageKey: 'staff.error.supervisionInterval' }],
    }
  return { values: { supervisionIntervalWeeks: weeks }, problems: [] }
}

/** Issue 19: the staff list a page at a time, as the roll is. */
export const STAFF_PAGE_SIZE = 50
