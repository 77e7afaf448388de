/** R7: the sessions of a day and their registers: who was there, recorded a whole session at a time. */
import type { Db } from '../../db/database.ts'
import type { IsoDate, SlotCode } from '../../db/schema.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  dayOf,
  emptyCounts,
  isIsoDate,
  linesToSave,
  registerProblems,
  sessionDateProblem,
  slotHoursOf,
  withTheRestAttended,
  type RegisterEntry,
  type RegisterLine,
  type Refusal,
} from './rules.ts'
import * as store from './store.ts'
import type { AttendanceDeps } from './deps.ts'

const parts = ['AM', 'PM', 'ED'] as const

/** The group and slot of a session at the user's prison; anything else is a 404. */
async function sessionOrThrow(
  { db }: AttendanceDeps,
  actor: Actor,
  groupId: string,
  sessionOn: IsoDate,
  slot: SlotCode,
) {
  if (!isIsoDate(sessionOn)) throw new NotFound()
  const group = await store.findGroup(db, actor.establishmentCode, groupId)
  if (!group || !group.slots.includes(slot)) throw new NotFound()
  const problem = sessionDateProblem(slot, sessionOn, '9999-12-31')
  if (problem) throw new NotFound()
  return group
}

/** Everyone on the register: those allocated that day, and anyone already recorded who has moved since. */
async function registerOf(conn: Db, groupId: string, sessionOn: IsoDate, slot: SlotCode) {
  const members = await store.membersOn(conn, groupId, sessionOn)
  const recordedPeople = await store.peopleRecordedAt(conn, groupId, sessionOn, slot)
  const records = await store.sessionRecords(conn, groupId, sessionOn, slot)
  const seen = new Set(members.map((member) => member.personId))
  const everyone = [...members, ...recordedPeople.filter((person) => !seen.has(person.personId))]
  const byPerson = new Map(records.map((record) => [record.personId, record]))
  return everyone.map((person) => ({
    ...person,
    outcome: byPerson.get(person.personId)?.outcome ?? null,
    reason: byPerson.get(person.personId)?.reason ?? '',
  }))
}

/** For scenarios: how long each of a prison's slots lasts, in hours (a slot it has not timed: the usual length). */
export async function slotHoursFor(
  { db }: AttendanceDeps,
  establishmentCode: string,
): Promise<(slot: SlotCode) => number> {
  const timed = await store.slotHours(db, establishmentCode)
  return (slot) => slotHoursOf(slot, timed)
}

/** Today at the prison, for forms that start from it. */
export function today({ clock }: AttendanceDeps): IsoDate {
  return clock.today()
}

/** The sessions of a day at the user's prison, by part of the day, with how many are recorded. */
export async function sessionsOn(deps: AttendanceDeps, actor: Actor, sessionOn: IsoDate) {
  const { db, clock } = deps
  const day = dayOf(sessionOn)
  const slots = parts.map((part) => `${day}_${part}`)
  const groups = await store.groupsMeetingIn(db, actor.establishmentCode, slots)
  const ids = groups.map((group) => group.groupId)
  const [members, recorded] = await Promise.all([
    store.memberCounts(db, ids, sessionOn),
    store.recordedCounts(db, ids, sessionOn),
  ])
  const today = clock.today()
  return {
    sessionOn,
    canRecord: sessionOn <= today,
    parts: slots.map((slot) => ({
      slot,
      sessions: groups
        .filter((group) => group.slots.includes(slot))
        .map((group) => ({
          ...group,
          slot,
          members: members.get(group.groupId) ?? 0,
          recorded: recorded.get(`${group.groupId}/${slot}`) ?? 0,
        })),
    })),
  }
}

/** A session's register as it stands. Audited: it lists people by name. */
export async function viewRegister(
  deps: AttendanceDeps,
  actor: Actor,
  groupId: string,
  sessionOn: IsoDate,
  slot: SlotCode,
) {
  const { db, clock, audit } = deps
  const group = await sessionOrThrow(deps, actor, groupId, sessionOn, slot)
  const register = await registerOf(db, groupId, sessionOn, slot)
  await audit.record(db, actor, {
    action: 'attendance.register-viewed',
    details: { groupId, sessionOn, slot, people: register.length },
  })
  return { group, sessionOn, slot, register, canRecord: sessionOn <= clock.today() }
}

/**
 * R7: records a whole session's register in one go. Any problem (a missing reason, a reason without an
 * outcome) comes back naming the person, and nothing is saved until the whole register is right.
 */
export async function recordSession(
  deps: AttendanceDeps,
  actor: Actor,
  groupId: string,
  sessionOn: IsoDate,
  slot: SlotCode,
  given: readonly RegisterEntry[],
  options: {
    theRestAttended?: boolean
    /** Issue 15: checked with the register held, before anything is saved; it throws to refuse the change. */
    whileHeld?: (trx: Db) => Promise<void>
    /** Issue 15: reads what was saved, with the register still held, so no change after it is taken for it. */
    afterSaved?: (trx: Db) => Promise<void>
    /** Each line as the page showed it: a line changed meanwhile by someone else is not overwritten. */
    shown?: ReadonlyMap<string, RegisterLine>
  } = {},
): Promise<Refusal[]> {
  const { db, clock, audit } = deps
  await sessionOrThrow(deps, actor, groupId, sessionOn, slot)
  const dateProblem = sessionDateProblem(slot, sessionOn, clock.today())
  if (dateProblem) return [dateProblem]
  return db.transaction().execute(async (trx) => {
    await store.holdRegister(trx, groupId, sessionOn, slot)
    await options.whileHeld?.(trx)
    const register = await registerOf(trx, groupId, sessionOn, slot)
    const members = register.map((person) => ({
      personId: person.personId,
      name: `${person.firstName} ${person.lastName}`,
    }))
    const now = new Map(register.map((person) => [person.personId, person]))
    const { save, changedMeanwhile } = linesToSave(given, options.shown ?? new Map(), now)
    if (changedMeanwhile.length > 0)
      return changedMeanwhile.map((personId) => ({
        field: `outcome-${personId}`,
        messageKey: 'attendance.error.changedMeanwhile',
        values: { name: members.find((member) => member.personId === personId)?.name ?? '' },
      }))
    const entries = options.theRestAttended
      ? withTheRestAttended(
          register.map((person) => ({ personId: person.personId, isRecorded: person.outcome !== null })),
          save,
        )
      : save
    const problems = registerProblems(members, entries)
    if (problems.length > 0) return problems
    const onRegister = new Set(members.map((member) => member.personId))
    const at = clock.now()
    const rows = entries
      .filter((entry) => entry.outcome !== null && onRegister.has(entry.personId))
      .map((entry) => ({
        groupId,
        sessionOn,
        slot,
        personId: entry.personId,
        outcome: entry.outcome!,
        reason: entry.reason,
        recordedAt: at,
        recordedBy: actor.id,
      }))
    await store.saveAttendance(trx, rows)
    const counts = emptyCounts()
    for (const row of rows) counts[row.outcome] += 1
    await audit.record(trx, actor, {
      action: 'attendance.recorded',
      details: { groupId, sessionOn, slot, people: rows.length, attended: counts.attended },
    })
    await options.afterSaved?.(trx)
    return []
  })
}
