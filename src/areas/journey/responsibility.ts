/** J1, J4: who has nobody named for them, and who holds each safety responsibility at the prison. */
import { NotFound } from '../../platform/errors.ts'
import { pageOf } from '../../platform/pagination.ts'
import { londonTime } from '../../platform/dates.ts'
import type { Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import {
  accountabilityMap,
  accountableRoleOf,
  journeyStages,
  responsibilityGaps,
  responsibleNow,
  type ResponsibilityGap,
} from './rules.ts'
import { peopleWithCurrentStage, type JourneyDeps } from './deps.ts'

export const GAPS_PAGE_SIZE = 50

/**
 * J1: everyone at the establishment with nobody named for them now, the longest-waiting first, with a
 * count of each kind of gap; one kind and one page at a time.
 */
export async function listGaps(
  deps: JourneyDeps,
  actor: Actor,
  query: { gap?: ResponsibilityGap | undefined; page?: number | undefined } = {},
) {
  const { db, audit, keywork } = deps
  const [rows, officers] = await Promise.all([
    peopleWithCurrentStage(deps, actor.establishmentCode),
    keywork.currentDedicatedOfficersAt(actor.establishmentCode),
  ])
  const all = responsibilityGaps(
    rows.map((row) => ({
      ...row,
      namedPerson: row.responsibleStaffUserId
        ? { staffUserId: row.responsibleStaffUserId, displayName: row.responsibleName ?? '' }
        : null,
      dedicatedOfficer: officers.get(row.id) ?? null,
      since: row.startedAt ?? londonTime(row.receptionOn, 0),
    })),
  )
  const counts = { 'no-journey': 0, 'no-named-person': 0, 'no-dedicated-officer': 0 }
  for (const gap of all) counts[gap.gap] += 1
  const chosen = query.gap ? all.filter((gap) => gap.gap === query.gap) : all
  const { page, pageCount, offset } = pageOf(chosen.length, query.page, GAPS_PAGE_SIZE)
  await audit.record(db, actor, { action: 'journey.gaps-viewed', details: { count: all.length } })
  return {
    gaps: chosen.slice(offset, offset + GAPS_PAGE_SIZE),
    total: all.length,
    counts,
    shown: chosen.length,
    page,
    pageCount,
  }
}

/** The stages at which the dedicated officer answers for the person (on the wing). */
const dedicatedOfficerStages = journeyStages.filter((stage) => accountableRoleOf[stage] === 'dedicated-officer')

/**
 * J1: how many people at the user's prison have nobody named for them now, of each kind, as `listGaps` counts
 * them, for the safer custody dashboard. Counted in the database (two queries, whatever the roll): the roll by
 * stage and whether someone is named, and the ids of those on the wing matched against key work's people with a
 * dedicated officer, each group then judged by `responsibleNow` as each person is in `listGaps`. Not audited: it
 * shows a count and no one's record (as the costing's count of key work sessions due); the dashboard records its
 * own view.
 */
export async function gapCounts(deps: JourneyDeps, actor: Actor) {
  const { db, keywork } = deps
  const [groups, withOfficer] = await Promise.all([
    store.stageGroupsAt(db, actor.establishmentCode, dedicatedOfficerStages),
    keywork.peopleWithDedicatedOfficerAt(actor.establishmentCode),
  ])
  const counts: Record<ResponsibilityGap, number> = { 'no-journey': 0, 'no-named-person': 0, 'no-dedicated-officer': 0 }
  // Who is named matters to the rule, not their name: a count shows none.
  const someone = { staffUserId: '', displayName: '' }
  for (const group of groups) {
    const officered = group.personIds.filter((id) => withOfficer.has(id)).length
    for (const [officer, people] of [
      [someone, officered],
      [null, group.people - officered],
    ] as const) {
      const responsibility = responsibleNow(group.stage, group.named ? someone : null, officer)
      if (responsibility.kind === 'gap') counts[responsibility.gap] += people
    }
  }
  return { total: counts['no-journey'] + counts['no-named-person'] + counts['no-dedicated-officer'], counts }
}

/** J4: each safety responsibility at the establishment, the role that holds it, and who holds that role today. Audited. */
export async function accountability(deps: JourneyDeps, actor: Actor) {
  const { db, audit, staff, keywork } = deps
  const [onDuty, establishment, officerLabel, officers] = await Promise.all([
    staff.listStaffOnDuty(actor.establishmentCode),
    store.findEstablishment(db, actor.establishmentCode),
    store.findOfficerLabel(db, actor.establishmentCode),
    // A dedicated officer is whoever holds a caseload today, whether their role is key worker or officer.
    keywork.currentDedicatedOfficersAt(actor.establishmentCode),
  ])
  if (!establishment) throw new NotFound()
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
}
