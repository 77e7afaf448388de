import type { IsoDate, StaffStatus } from '../../db/schema.ts'
import { addDays, daysBetween } from '../../platform/dates.ts'
import type { Refusal } from '../../platform/forms.ts'
import { lowestFirst } from '../../platform/lists.ts'

/** What the staff area says about an officer who could take people (`staff.listOfficersForAllocation`). */
export type OfficerForAllocation = {
  staffUserId: string
  displayName: string
  role: string
  staffStatus: StaffStatus
  reactivationOn: IsoDate | null
  caseloadLimitOverride: number | null
  safeguardingExpiresOn: IsoDate | null
  mentalHealthFirstAidExpiresOn: IsoDate | null
}

export type KeyworkPolicy = {
  officerLabel: string
  /** The prison's name for a dedicated officer in Welsh, for Welsh pages (WELSH.md). */
  officerLabelCy: string
  caseloadDefault: number
  caseloadExtended: number
  sessionIntervalDays: number
  firstContactDays: number
}

/** K1: the prison's settings when it has saved none. */
export const defaultPolicy: KeyworkPolicy = {
  officerLabel: 'key worker',
  officerLabelCy: 'gweithiwr allweddol',
  caseloadDefault: 6,
  caseloadExtended: 9,
  sessionIntervalDays: 7,
  firstContactDays: 7,
}

/** The prison's own name for a dedicated officer, in the reader's language. */
export function officerLabelIn(language: 'en' | 'cy', policy: Pick<KeyworkPolicy, 'officerLabel' | 'officerLabelCy'>) {
  return language === 'cy' ? policy.officerLabelCy : policy.officerLabel
}

export const deallocationReasons = ['transfer', 'release', 'officer-unavailable', 'change-requested', 'other'] as const

export type { Refusal }

export type Caseload = { count: number; limit: number }

/** K1: an officer's caseload limit: the prison's default, or their own, but never above the prison's extended one. */
export function caseloadLimitOf(officer: Pick<OfficerForAllocation, 'caseloadLimitOverride'>, policy: KeyworkPolicy) {
  if (officer.caseloadLimitOverride === null) return policy.caseloadDefault
  return Math.min(officer.caseloadLimitOverride, policy.caseloadExtended)
}

/** K1: an officer with a status other than active is out of allocation until their reactivation date. */
export function isAvailable(officer: Pick<OfficerForAllocation, 'staffStatus' | 'reactivationOn'>, today: IsoDate) {
  if (officer.staffStatus === 'active') return true
  return officer.reactivationOn !== null && officer.reactivationOn <= today
}

/** K3: training expiring today is still current; no record at all is not. */
function isCurrent(expiresOn: IsoDate | null, today: IsoDate): boolean {
  return expiresOn !== null && expiresOn >= today
}

/**
 * K1, K3: an officer takes a person only with current safeguarding and mental health first aid training,
 * while available, and with room on their caseload. Each refusal names the officer.
 */
export function allocationRefusal(officer: OfficerForAllocation, today: IsoDate, caseload: Caseload): Refusal | null {
  const values = { name: officer.displayName }
  if (!isCurrent(officer.safeguardingExpiresOn, today))
    return { field: 'staffUserId', messageKey: 'keywork.refusal.safeguarding', values }
  if (!isCurrent(officer.mentalHealthFirstAidExpiresOn, today))
    return { field: 'staffUserId', messageKey: 'keywork.refusal.mentalHealthFirstAid', values }
  if (!isAvailable(officer, today)) return { field: 'staffUserId', messageKey: 'keywork.refusal.unavailable', values }
  if (caseload.count >= caseload.limit)
    return { field: 'staffUserId', messageKey: 'keywork.refusal.full', values: { ...values, limit: caseload.limit } }
  return null
}

export type PersonToPlace = { personId: string; needsSpecialistAllocation: boolean }
export type OfficerWithCaseload = { officer: OfficerForAllocation; caseload: Caseload }
export type Recommendation =
  | { personId: string; staffUserId: string; reason: 'continuity' | 'lowest-ratio' }
  | { personId: string; staffUserId: null; reason: 'specialist' | 'no-eligible-officer' }

/**
 * K1, K3: one recommendation for a whole wing. For each person in the order given: a previous officer
 * (most recent first) who is still eligible and under capacity; otherwise the eligible officer with the
 * lowest caseload-to-capacity ratio (ties: fewer people, then name, then id). People needing a specialist
 * are left out. Each placement counts towards the officer's caseload for the people after it.
 */
export function recommendForWing(
  people: readonly PersonToPlace[],
  officers: readonly OfficerWithCaseload[],
  history: ReadonlyMap<string, readonly string[]>,
  today: IsoDate,
): Recommendation[] {
  const counts = new Map(officers.map(({ officer, caseload }) => [officer.staffUserId, caseload.count]))
  const eligible = (entry: OfficerWithCaseload) =>
    allocationRefusal(entry.officer, today, {
      count: counts.get(entry.officer.staffUserId)!,
      limit: entry.caseload.limit,
    }) === null
  const byId = new Map(officers.map((entry) => [entry.officer.staffUserId, entry]))
  const result: Recommendation[] = []
  for (const person of people) {
    if (person.needsSpecialistAllocation) {
      result.push({ personId: person.personId, staffUserId: null, reason: 'specialist' })
      continue
    }
    const previous = (history.get(person.personId) ?? [])
      .map((id) => byId.get(id))
      .find((entry): entry is OfficerWithCaseload => entry !== undefined && eligible(entry))
    let chosen: OfficerWithCaseload | undefined = previous
    if (!chosen) {
      const ratio = (entry: OfficerWithCaseload) =>
        entry.caseload.limit === 0 ? Infinity : counts.get(entry.officer.staffUserId)! / entry.caseload.limit
      chosen = officers
        .filter(eligible)
        .sort(
          (a, b) =>
            ratio(a) - ratio(b) ||
            counts.get(a.officer.staffUserId)! - counts.get(b.officer.staffUserId)! ||
            a.officer.displayName.localeCompare(b.officer.displayName) ||
            a.officer.staffUserId.localeCompare(b.officer.staffUserId),
        )[0]
    }
    if (!chosen) {
      result.push({ personId: person.personId, staffUserId: null, reason: 'no-eligible-officer' })
      continue
    }
    counts.set(chosen.officer.staffUserId, counts.get(chosen.officer.staffUserId)! + 1)
    result.push({
      personId: person.personId,
      staffUserId: chosen.officer.staffUserId,
      reason: previous ? 'continuity' : 'lowest-ratio',
    })
  }
  return result
}

/** When the next key work session is due: the interval after the last one, or after allocation if none yet. */
export function nextSessionDue(lastHeldOn: IsoDate | null, allocatedOn: IsoDate, intervalDays: number): IsoDate {
  return addDays(lastHeldOn ?? allocatedOn, intervalDays)
}

/**
 * K4, M1: a person is due a multi-agency progress meeting every 12 weeks. No prison sets its own cadence yet,
 * and a meeting of several agencies for everyone on a 1,200-person roll each month would not be held; a
 * quarter is the rhythm of the sentence and care reviews these meetings sit beside.
 */
export const PROGRESS_MEETING_INTERVAL_DAYS = 84

export type DeliveryPerson = { personId: string; coveredFrom: IsoDate; sessionDates: readonly IsoDate[] }
/** Each person's session (or meeting) dates, for `deliveryOver`. */
export function datesByPerson(held: readonly { personId: string; heldOn: IsoDate }[]): Map<string, IsoDate[]> {
  const dates = new Map<string, IsoDate[]>()
  for (const { personId, heldOn } of held) {
    const ofPerson = dates.get(personId)
    if (ofPerson) ofPerson.push(heldOn)
    else dates.set(personId, [heldOn])
  }
  return dates
}

export type Delivery = {
  due: number
  held: number
  /**
   * Held against due, person by person: a person's sessions beyond those due to them, or held before any was
   * due (received lately), do not make up for another's missed ones. The measures' share, never over 100%.
   */
  heldWhenDue: number
  complianceRate: number | null
}

/**
 * Key work delivery over a period, as HMPPS reports it: sessions due (one per interval of the days each
 * person was allocated in the period, the period's last day included) against sessions held in it. The
 * compliance rate is held over due, or null when nothing was due.
 */
export function deliveryOver(
  people: readonly DeliveryPerson[],
  period: { from: IsoDate; to: IsoDate },
  intervalDays: number,
): Delivery {
  let due = 0
  let held = 0
  let heldWhenDue = 0
  for (const person of people) {
    const start = person.coveredFrom > period.from ? person.coveredFrom : period.from
    if (start > period.to) continue
    const dueForPerson = Math.floor((daysBetween(start, period.to) + 1) / intervalDays)
    const heldForPerson = person.sessionDates.filter((date) => date >= start && date <= period.to).length
    due += dueForPerson
    held += heldForPerson
    heldWhenDue += Math.min(dueForPerson, heldForPerson)
  }
  return { due, held, heldWhenDue, complianceRate: due === 0 ? null : held / due }
}

export const checkInScales = ['mood', 'sleep', 'familyContact', 'worries'] as const
export type CheckInScale = (typeof checkInScales)[number]
export type CheckInReading = { recordedOn: IsoDate } & Record<CheckInScale, number>

export type WellbeingFlag =
  | { kind: 'drop'; scale: CheckInScale; from: number; to: number }
  | { kind: 'low-run'; scale: CheckInScale }
  | { kind: 'missed-sessions'; days: number }

export const LOW_READING = 2
export const DROP = 2
export const LOW_RUN = 3
/** The flags read no further back than this many check-ins: a low run, and the latest two for a drop. */
export const CHECK_INS_FLAGGED = Math.max(LOW_RUN, 2)

/**
 * K4: a change for the worse raises a flag saying why: a drop of 2 or more on any scale since the previous
 * check-in; three low readings (2 or less) in a row on one scale, the latest among them; or no key work
 * session for more than twice the interval since the last one (or since allocation, when none yet).
 * `checkIns` in the order they were recorded, oldest first.
 */
export function wellbeingFlags(
  checkIns: readonly CheckInReading[],
  lastSessionOn: IsoDate | null,
  allocatedOn: IsoDate | null,
  today: IsoDate,
  intervalDays: number,
): WellbeingFlag[] {
  const flags: WellbeingFlag[] = []
  const latest = checkIns.at(-1)
  const previous = checkIns.at(-2)
  if (latest && previous)
    for (const scale of checkInScales)
      if (previous[scale] - latest[scale] >= DROP)
        flags.push({ kind: 'drop', scale, from: previous[scale], to: latest[scale] })
  const lastRun = checkIns.slice(-LOW_RUN)
  if (lastRun.length === LOW_RUN)
    for (const scale of checkInScales)
      if (lastRun.every((reading) => reading[scale] <= LOW_READING)) flags.push({ kind: 'low-run', scale })
  const since = lastSessionOn ?? allocatedOn
  if (since !== null) {
    const days = daysBetween(since, today)
    if (days > 2 * intervalDays) flags.push({ kind: 'missed-sessions', days })
  }
  return flags
}

/** J2: whole days from reception to an event, or null if it has not happened. */
export function daysFromReception(receptionOn: IsoDate, eventOn: IsoDate | null): number | null {
  return eventOn === null ? null : Math.max(0, daysBetween(receptionOn, eventOn))
}

/** J2: a person past the prison's first-contact threshold with no key work session yet. */
export function isPastFirstContact(receptionOn: IsoDate, firstSessionOn: IsoDate | null, today: IsoDate, days: number) {
  return firstSessionOn === null && daysBetween(receptionOn, today) > days
}

/** K1: what a settings form may hold; each problem a message key for the field. */
export function policyProblems(policy: KeyworkPolicy): Refusal[] {
  const problems: Refusal[] = []
  if (policy.caseloadExtended < policy.caseloadDefault)
    problems.push({ field: 'caseloadExtended', messageKey: 'keywork.settings.error.extendedBelowDefault', values: {} })
  return problems
}

/** Issue 19: how many officers the statistics page lists before it shows only the lowest compliance. */
export const OFFICERS_LISTED = 20

/**
 * Issue 19, a long page summarises first: the officers the statistics page lists. All of them, in the order
 * given, when asked for or when there are few; else the `OFFICERS_LISTED` with the lowest compliance rate (those
 * with no session due last).
 */
export function officersListed<Officer extends { complianceRate: number | null }>(
  officers: readonly Officer[],
  all: boolean,
): { shown: Officer[]; of: 'all' | 'lowest-compliance'; limit: number } {
  const limit = OFFICERS_LISTED
  if (all || officers.length <= limit) return { shown: [...officers], of: 'all', limit }
  return { shown: lowestFirst(officers, (officer) => officer.complianceRate, limit), of: 'lowest-compliance', limit }
}

/** How many flagged people the wellbeing flags page lists to a page. */
export const FLAGS_PAGE_SIZE = 50

/** A wing's key in a page's address: its code, or 'none' for the people on no wing. */
export const wingKey = (code: string | null) => code || 'none'
