import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database.ts'
import type { IsoDate } from '../db/schema.ts'
import { createAudit } from '../platform/audit.ts'
import { fixedClock } from '../platform/clock.ts'
import { createPeopleService } from '../areas/people/service.ts'
import { createStaffService } from '../areas/staff/service.ts'
import { caseloadLimitOf, checkInScales, defaultPolicy } from '../areas/keywork/rules.ts'
import { addDays, daysBetween } from '../platform/dates.ts'
import * as store from '../areas/keywork/store.ts'
import { demoEstablishments } from './estate.ts'
import { seededRandom, type Random } from './random.ts'
import { inBatches } from './batches.ts'

/**
 * K1-K4 and J2 in the demo estate: most people at each prison allocated to the seeded officers with
 * caseloads near their limits, some people left unallocated (the newest receptions, a few needing a
 * specialist), officers on leave whose people need cover, eight weeks of key work sessions with
 * check-ins (a few of which trip a wellbeing flag), a few people past the first contact threshold,
 * progress meetings, and change requests waiting for safer custody. Runs after the staff demo.
 *
 * And the year before: everyone's first session after allocation (slower to come a year ago), and the
 * sessions of a sample week, the last seven days, of each earlier month (a year of weekly sessions at
 * Northgate would be some sixty thousand rows and a slow first start), held more often as the year went on
 * and less over the summer; progress meetings across the year. A past month's key work figure is read over
 * its sample week (see measures.ts).
 */
const specialistReasons = [
  'Acquired brain injury: the mental health in-reach team advise one consistent, trained officer.',
  'Autism assessment on reception: needs an officer trained in neurodiversity and a predictable routine.',
  'Complex trauma and repeated self-harm: allocated with the psychology team’s advice.',
]

export async function seedKeyworkDemo(trx: Db, options: { seed: number; today: IsoDate }): Promise<void> {
  const random = seededRandom(options.seed * 104_729 + 11)
  const { today } = options
  const clock = fixedClock(`${today}T12:00:00Z`)
  const staff = createStaffService({ db: trx, clock, audit: createAudit(clock) })
  const peopleService = createPeopleService({ db: trx, clock, audit: createAudit(clock) })

  // One prison calls them personal officers, to show the label is the prison's own.
  await store.savePolicy(trx, 'EWI', {
    ...defaultPolicy,
    officerLabel: 'personal officer',
    officerLabelCy: 'swyddog personol',
  })

  for (const establishment of demoEstablishments) {
    const code = establishment.code
    const policy = await store.findPolicy(trx, code)
    const officers = (await staff.listOfficersForAllocation(code)).filter(
      // Lapsed training: allocation refuses them, so they have no one.
      (officer) =>
        officer.safeguardingExpiresOn !== null &&
        officer.safeguardingExpiresOn >= today &&
        officer.mentalHealthFirstAidExpiresOn !== null &&
        officer.mentalHealthFirstAidExpiresOn >= today &&
        officer.staffStatus !== 'inactive',
    )
    const people = await peopleService.listPeopleAt(code)
    if (people.length === 0 || officers.length === 0) continue
    const lead = await trx
      .selectFrom('staff_user as s')
      .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
      .select('s.id')
      .where('se.establishment_code', '=', code)
      .where('s.role', '=', 'safercustody')
      .orderBy('s.username')
      .executeTakeFirst()

    // A few people with a high complexity of need, left for a specialist.
    const specialists = people.filter((_, index) => index % 97 === 13).map((person) => person.id)
    if (specialists.length) {
      await trx
        .updateTable('person')
        .set({ needs_specialist_allocation: true })
        .where('id', 'in', specialists)
        .execute()
      // Each with the decision behind it: who, when and why, as the specialist page records it.
      await trx
        .insertInto('specialist_need_decision')
        .values(
          specialists.map((personId, index) => ({
            person_id: personId,
            needs_specialist: true,
            reason: specialistReasons[index % specialistReasons.length],
            decided_by: lead?.id ?? null,
            decided_at: new Date(`${addDays(today, -(10 + index * 7))}T11:00:00Z`),
          })),
        )
        .execute()
    }

    // People to place: not the newest receptions (they wait for allocation) nor those needing a specialist.
    const waiting = people.filter(
      (person) =>
        daysBetween(person.receptionOn, today) >= 3 && !specialists.includes(person.id) && !random.chance(0.08),
    )
    const allocations: { personId: string; staffUserId: string; allocatedOn: IsoDate; receptionOn: IsoDate }[] = []
    let next = 0
    for (const officer of officers) {
      const limit = caseloadLimitOf(officer, policy)
      const target = Math.max(0, limit - random.integer(0, 1))
      for (let n = 0; n < target && next < waiting.length; n++, next++) {
        const person = waiting[next]
        const earliest = addDays(person.receptionOn, random.integer(1, 4))
        const allocatedOn = earliest > today ? today : earliest < addDays(today, -400) ? addDays(today, -400) : earliest
        allocations.push({
          personId: person.id,
          staffUserId: officer.staffUserId,
          allocatedOn,
          receptionOn: person.receptionOn,
        })
      }
    }
    if (allocations.length === 0) continue
    await insertInChunks(
      trx,
      'dedicated_officer_allocation',
      allocations.map((allocation) => ({
        person_id: allocation.personId,
        staff_user_id: allocation.staffUserId,
        allocated_at: new Date(`${allocation.allocatedOn}T10:00:00Z`),
        allocated_by: lead?.id ?? null,
        allocation_kind: 'manual',
      })),
    )

    // The demo accounts' first person has a run of poor sleep, so their caseload shows a flag.
    const demoOfficers = new Set(
      (await trx.selectFrom('staff_user').select('id').where('username', 'like', 'demo.%').execute()).map(
        (row) => row.id,
      ),
    )
    const firstOfDemoOfficer = new Set<number>()
    for (const officerId of demoOfficers) {
      const index = allocations.findIndex((allocation) => allocation.staffUserId === officerId)
      if (index >= 0) firstOfDemoOfficer.add(index)
    }

    // Eight weeks of key work, with check-ins.
    const sessions: Record<string, unknown>[] = []
    const checkIns: Record<string, unknown>[] = []
    // From eight weeks ago, or from the start of the sample week it falls in, so no week is half recorded.
    const eightWeeksAgo = addDays(today, -56)
    const windowStart =
      demoSampleWeeks(today).find((week) => week.from <= eightWeeksAgo && eightWeeksAgo <= week.to)?.from ??
      eightWeeksAgo
    const sampleWeeks = demoSampleWeeks(today).filter((week) => week.to < windowStart)
    const sessionRow = (allocation: (typeof allocations)[number], heldOn: IsoDate) => ({
      id: randomUUID(),
      person_id: allocation.personId,
      staff_user_id: allocation.staffUserId,
      held_on: heldOn,
      minutes: random.pick([20, 25, 30, 30, 40, 45, 60]),
      recorded_at: new Date(`${heldOn}T15:00:00Z`),
    })
    for (const allocation of allocations) {
      if (allocation.allocatedOn >= windowStart) continue
      // The first session: about five days after allocation now, nearer nine a year ago.
      const age = daysBetween(allocation.allocatedOn, today)
      const firstOn = addDays(allocation.allocatedOn, random.integer(1, 6) + Math.round((5 * age) / 365))
      if (firstOn < windowStart) sessions.push(sessionRow(allocation, firstOn))
      for (const week of sampleWeeks) {
        if (week.from <= firstOn || !random.chance(heldShare(week.to, today))) continue
        sessions.push(sessionRow(allocation, addDays(week.from, random.integer(0, 6))))
      }
    }
    for (const [index, allocation] of allocations.entries()) {
      const recent = daysBetween(allocation.receptionOn, today) <= 21
      // J2: some recent receptions have had no session yet, a few of them past the threshold.
      const demoFirst = firstOfDemoOfficer.has(index)
      if (recent && !demoFirst && random.chance(0.5)) continue
      const story = demoFirst
        ? 'low-sleep'
        : demoOfficers.has(allocation.staffUserId)
          ? 'steady'
          : index % 16 === 5
            ? 'drop'
            : index % 16 === 9
              ? 'low-sleep'
              : index % 23 === 7
                ? 'missed'
                : 'steady'
      const baseline = Object.fromEntries(checkInScales.map((scale) => [scale, random.integer(3, 5)])) as Record<
        (typeof checkInScales)[number],
        number
      >
      let day = allocation.allocatedOn > windowStart ? allocation.allocatedOn : windowStart
      day = addDays(day, random.integer(1, policy.sessionIntervalDays))
      const stopAt = story === 'missed' ? addDays(today, -(3 * policy.sessionIntervalDays)) : today
      const dates: IsoDate[] = []
      while (day <= stopAt) {
        if (random.chance(0.88)) dates.push(day)
        day = addDays(day, policy.sessionIntervalDays + random.integer(-1, 1))
      }
      for (const [position, heldOn] of dates.entries()) {
        const fromEnd = dates.length - 1 - position
        const reading = Object.fromEntries(
          checkInScales.map((scale) => [
            scale,
            // a dip of one now and then, never two: steady people raise no flag
            clamp(baseline[scale] - (baseline[scale] >= 4 && random.chance(0.3) ? 1 : 0)),
          ]),
        ) as Record<(typeof checkInScales)[number], number>
        if (story === 'drop' && fromEnd === 1) reading.mood = Math.max(reading.mood, 4)
        if (story === 'drop' && fromEnd === 0) reading.mood = 1
        if (story === 'low-sleep' && fromEnd <= 2) reading.sleep = random.integer(1, 2)
        const sessionId = randomUUID()
        sessions.push({
          id: sessionId,
          person_id: allocation.personId,
          staff_user_id: allocation.staffUserId,
          held_on: heldOn,
          minutes: random.pick([20, 25, 30, 30, 40, 45, 60]),
          recorded_at: new Date(`${heldOn}T15:00:00Z`),
        })
        checkIns.push({
          person_id: allocation.personId,
          key_work_session_id: sessionId,
          recorded_on: heldOn,
          mood: reading.mood,
          sleep: reading.sleep,
          family_contact: reading.familyContact,
          worries: reading.worries,
          notes: noteFor(random, reading),
          recorded_by: allocation.staffUserId,
          recorded_at: new Date(`${heldOn}T15:00:00Z`),
        })
      }
    }
    await insertInChunks(trx, 'key_work_session', sessions)

    // Progress meetings over the year, due a quarter apart: held for a few more people as the year went on.
    const meetings: Record<string, unknown>[] = []
    for (const allocation of allocations) {
      let heldOn = addDays(allocation.allocatedOn, random.integer(20, 84))
      while (heldOn < addDays(today, -35)) {
        if (random.chance(0.3 + 0.3 * (1 - daysBetween(heldOn, today) / 400)))
          meetings.push({
            id: randomUUID(),
            person_id: allocation.personId,
            held_on: heldOn,
            attendees: JSON.stringify(random.pick(attendeeSets)),
            recorded_by: allocation.staffUserId,
            recorded_at: new Date(`${heldOn}T16:00:00Z`),
          })
        heldOn = addDays(heldOn, random.integer(84, 120))
      }
    }
    // And lately for about one person in ten, with a check-in.
    for (const allocation of allocations.filter((_, index) => index % 10 === 3)) {
      const heldOn = addDays(today, -random.integer(7, 35))
      if (heldOn < allocation.allocatedOn) continue
      const meetingId = randomUUID()
      meetings.push({
        id: meetingId,
        person_id: allocation.personId,
        held_on: heldOn,
        attendees: JSON.stringify(random.pick(attendeeSets)),
        recorded_by: allocation.staffUserId,
        recorded_at: new Date(`${heldOn}T16:00:00Z`),
      })
      checkIns.push({
        person_id: allocation.personId,
        progress_meeting_id: meetingId,
        recorded_on: heldOn,
        mood: random.integer(3, 4),
        sleep: random.integer(3, 4),
        family_contact: random.integer(2, 4),
        worries: random.integer(3, 4),
        notes: 'Reviewed the sentence plan together; agreed next steps with the person.',
        recorded_by: allocation.staffUserId,
        recorded_at: new Date(`${heldOn}T16:00:00Z`),
      })
    }
    await insertInChunks(trx, 'progress_meeting', meetings)
    await insertInChunks(trx, 'check_in', checkIns)

    // K2: requests to change officer, two waiting and one already declined, at the large local prison.
    if (code === 'NHI') {
      const requests = [
        {
          index: 2,
          reason: 'Says they find it hard to talk to their officer and would like someone else.',
          status: 'pending',
        },
        { index: 8, reason: 'Asked for an officer who works on their landing more often.', status: 'pending' },
        { index: 14, reason: 'Felt their officer was not listening about a family problem.', status: 'declined' },
      ] as const
      for (const request of requests) {
        const allocation = allocations[request.index]
        if (!allocation) continue
        await trx
          .insertInto('officer_change_request')
          .values({
            person_id: allocation.personId,
            about_staff_user_id: allocation.staffUserId,
            reason: request.reason,
            raised_at: new Date(`${addDays(today, -random.integer(1, 6))}T11:00:00Z`),
            raised_by: lead?.id ?? null,
            status: request.status,
            ...(request.status === 'declined'
              ? {
                  outcome_reason: 'Talked it through with both; the person chose to stay with their officer.',
                  decided_at: new Date(`${addDays(today, -1)}T14:00:00Z`),
                  decided_by: lead?.id ?? null,
                }
              : {}),
          })
          .execute()
      }
    }
  }
}

/** The last seven days of each of the 11 months before this one: the demo's sample weeks of key work. */
export function demoSampleWeeks(today: IsoDate): { from: IsoDate; to: IsoDate }[] {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1]
  const weeks = []
  for (let back = 11; back >= 1; back--) {
    const to = new Date(Date.UTC(year, month - back + 1, 0)).toISOString().slice(0, 10)
    weeks.push({ from: addDays(to, -6), to })
  }
  return weeks
}

/** The share of people seen in a sample week: about half a year ago, most lately, fewer in July and August. */
function heldShare(weekEnd: IsoDate, today: IsoDate): number {
  const lately = 1 - Math.min(1, daysBetween(weekEnd, today) / 365)
  const summer = /-0[78]-/.test(weekEnd) ? 0.15 : 0
  return 0.5 + 0.35 * lately - summer
}

function clamp(value: number): number {
  return Math.min(5, Math.max(1, value))
}

function noteFor(random: Random, reading: { mood: number; sleep: number; familyContact: number }): string {
  if (reading.mood <= 2) return 'Quiet and withdrawn today; said things feel hard at the moment.'
  if (reading.sleep <= 2) return 'Not sleeping well; noise on the landing at night.'
  if (reading.familyContact <= 2) return 'Has not had a visit for a while; talked about booking one.'
  return random.pick([
    'Talked about work in the kitchens and how it is going.',
    'Going to education most days; pleased with progress.',
    'Had a phone call with family this week.',
    'Settled; nothing new to raise.',
    'Asked about gym sessions; passed on the timetable.',
  ])
}

const attendeeSets = [
  [
    { name: 'Mair Jenkins', organisation: 'HM Prison and Probation Service', role: 'Dedicated officer' },
    { name: 'Tomos Evans', organisation: 'Open Door Mentoring', role: 'Mentor' },
  ],
  [
    { name: 'Alys Rowe', organisation: 'Riverside Community Health Partnership', role: 'Mental health nurse' },
    { name: 'Sam Idris', organisation: 'HM Prison and Probation Service', role: 'Custodial manager' },
    { name: 'Leah Nash', organisation: 'Bridge Recovery Trust', role: 'Recovery worker' },
  ],
]

async function insertInChunks(
  trx: Db,
  table: 'dedicated_officer_allocation' | 'key_work_session' | 'progress_meeting' | 'check_in',
  rows: Record<string, unknown>[],
) {
  await inBatches(rows, 500, (batch) =>
    trx
      .insertInto(table)
      .values(batch as never)
      .execute(),
  )
}
