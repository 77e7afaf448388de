import type { AttendanceOutcome, IsoDate, SlotCode } from '../../db/schema.ts'
import type { ApiCaller } from '../../platform/api-callers.ts'
import type { Db } from '../../db/database.ts'
import { entityTagOf, pageOfList, type Paging } from '../../platform/api-schemas.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { AttendanceDeps } from './deps.ts'
import { recordSession } from './registers.ts'
import { dayOf, type Refusal } from './rules.ts'
import * as store from './store.ts'
import * as systems from './store/for-systems.ts'

/** A session as its address names it: one meeting of a group, on a date, in a slot (as the register's page). */
export type SessionAddress = { groupId: string; sessionOn: IsoDate; slot: SlotCode }

type Recorded = { outcome: AttendanceOutcome; reason: string; recordedAt: Date }

const parts = ['AM', 'PM', 'ED'] as const

/**
 * One person's line on one session's register, for other systems: ids and codes, never a name. The ETag is
 * of what was recorded, so a client that read it can change it without overwriting a change made since.
 */
function entryOf(
  group: store.SessionGroup,
  sessionOn: IsoDate,
  slot: SlotCode,
  prisonNumber: string,
  recorded: Recorded | undefined,
) {
  return {
    groupId: group.groupId,
    sessionOn,
    slot,
    prisonNumber,
    activityCode: group.activityCode,
    activityName: group.activityName,
    groupCode: group.groupCode,
    location: group.location,
    outcome: recorded?.outcome ?? null,
    reason: recorded?.reason || null,
    recordedAt: recorded?.recordedAt.toISOString() ?? null,
    etag: recorded ? attendanceTagOf(recorded) : null,
  }
}

/** What marks a record's version: any change to it through a page or the API changes its recording time. */
function attendanceTagOf(recorded: Recorded): string {
  return entityTagOf(recorded.outcome, recorded.reason, recorded.recordedAt)
}

/**
 * Issue 15, R7: every scheduled session's register at the caller's prison on a date, a page at a time: each
 * person on it (those in the group that day, and anyone recorded there who has moved since, as on the page),
 * with the outcome recorded or null. Sessions in the day's order (morning, afternoon, evening), then by
 * activity and group; people by prison number. Audited with the client by platform.
 */
export async function attendanceForSystems(
  deps: AttendanceDeps,
  caller: ApiCaller,
  query: Paging & { date?: IsoDate },
) {
  const { db, clock } = deps
  const sessionOn = query.date ?? clock.today()
  const slots = parts.map((part) => `${dayOf(sessionOn)}_${part}`)
  const groups = await store.groupsMeetingIn(db, caller.establishmentCode, slots)
  const ids = groups.map((group) => group.groupId)
  const [members, records] = await Promise.all([
    systems.membersOfGroupsOn(db, ids, sessionOn),
    systems.recordsOfGroupsOn(db, ids, sessionOn),
  ])
  const entries = slots.flatMap((slot) =>
    groups
      .filter((group) => group.slots.includes(slot))
      .flatMap((group) => {
        const recordedHere = records.filter((record) => record.groupId === group.groupId && record.slot === slot)
        const byNumber = new Map(recordedHere.map((record) => [record.prisonNumber, record]))
        const onRegister = new Set([
          ...members.filter((member) => member.groupId === group.groupId).map((member) => member.prisonNumber),
          ...byNumber.keys(),
        ])
        return [...onRegister].sort().map((number) => entryOf(group, sessionOn, slot, number, byNumber.get(number)))
      }),
  )
  return pageOfList(entries, query)
}

/** The session at the prison and the person's line on its register, or NotFound for either. */
async function lineAt(deps: AttendanceDeps, establishmentCode: string, address: SessionAddress, prisonNumber: string) {
  const { db } = deps
  const { groupId, sessionOn, slot } = address
  const group = await store.findGroup(db, establishmentCode, groupId)
  if (!group || !group.slots.includes(slot) || !slot.startsWith(`${dayOf(sessionOn)}_`))
    throw new NotFound('No such session at the Caseload-Id prison: that group does not meet then')
  const [members, records] = await Promise.all([
    systems.membersOfGroupsOn(db, [groupId], sessionOn, prisonNumber),
    systems.recordsOfGroupsOn(db, [groupId], sessionOn, { slot, prisonNumber }),
  ])
  const personId = records[0]?.personId ?? members[0]?.personId
  if (!personId) throw new NotFound('No one with that prison number is on the session’s register')
  return { personId, entry: entryOf(group, sessionOn, slot, prisonNumber, records[0]) }
}

/** Issue 15, R7: one person's line on one session's register, with its ETag (null until something is recorded). */
export async function attendanceLineForSystems(
  deps: AttendanceDeps,
  caller: ApiCaller,
  address: SessionAddress,
  prisonNumber: string,
) {
  return (await lineAt(deps, caller.establishmentCode, address, prisonNumber)).entry
}

/**
 * Issue 15, R7: another system records, or changes, one person's outcome at a session, under the member of
 * staff who did it and through the register's own use case, so its rules (a reason for a refusal, nothing
 * before the session happened) and audit are the page's. `precondition` is given the ETag of what is recorded
 * now (null for nothing yet) and throws to refuse the change. A problem the client can put right comes back.
 */
export async function recordAttendanceForSystems(
  deps: AttendanceDeps,
  staffMember: Actor,
  address: SessionAddress,
  prisonNumber: string,
  input: { outcome: AttendanceOutcome; reason: string },
  precondition: (currentTag: string | null) => void,
): Promise<{ refusals: Refusal[] } | { entry: ReturnType<typeof entryOf> }> {
  const before = await lineAt(deps, staffMember.establishmentCode, address, prisonNumber)
  const { groupId, sessionOn, slot } = address
  const lineNow = async (trx: Db) =>
    (await lineAt({ ...deps, db: trx }, staffMember.establishmentCode, address, prisonNumber)).entry
  // Checked again with the register held: a change saved between the read above and this write is seen.
  const whileHeld = async (trx: Db) => precondition((await lineNow(trx)).etag)
  // And what was saved is read before the register is let go, so its ETag is this change's and no later one's.
  let saved: ReturnType<typeof entryOf> | undefined
  const afterSaved = async (trx: Db) => {
    saved = await lineNow(trx)
  }
  precondition(before.entry.etag)
  const refusals = await recordSession(
    deps,
    staffMember,
    groupId,
    sessionOn,
    slot,
    [{ personId: before.personId, outcome: input.outcome, reason: input.reason }],
    { whileHeld, afterSaved },
  )
  if (refusals.length > 0) return { refusals }
  if (!saved) throw new Error('The register saved without reading back what it saved')
  return { entry: saved }
}
