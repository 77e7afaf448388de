import type { Db } from '../db/database.ts'
import type { IsoDate, JourneyStageName, StageReasonKey } from '../db/schema.ts'

type StageValues = {
  person_id: string
  establishment_code: string
  stage: JourneyStageName
  responsible_staff_user_id: string | null
  started_at: Date
  ended_at: Date | null
  reason: string
  reason_key: StageReasonKey
  recorded_by: string | null
}

const dayMs = 24 * 60 * 60 * 1000

function at(date: IsoDate, hour: number, plusDays = 0): Date {
  return new Date(new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`).getTime() + plusDays * dayMs)
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / dayMs)
}

/**
 * The custody journey of every demo person (J1), in step with their regime group and reception date:
 * people on induction wings are in induction, everyone else is on a wing after reception, first night and
 * a week's induction. At Northgate a few arrived today (one at reception, two on their first night), three
 * in induction have nobody named and one has no journey at all, so the gaps list has someone to show; and
 * two transfer handovers wait at Bryn Glas (J3), one past the days after which it is chased.
 * Deterministic: people and staff are taken in prison number and name order.
 */
export async function seedDemoJourneys(trx: Db, options: { today: IsoDate }): Promise<void> {
  const { today } = options
  const people = await trx
    .selectFrom('person')
    .select(['id', 'prison_number', 'establishment_code', 'cohort', 'reception_on'])
    .orderBy('establishment_code')
    .orderBy('prison_number')
    .execute()
  const staff = await trx
    .selectFrom('staff_user as s')
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .select(['s.id', 's.role', 'se.establishment_code'])
    .where('s.role', 'in', ['officer', 'keyworker', 'safercustody'])
    .where('s.staff_status', '=', 'active')
    .orderBy('s.display_name')
    .execute()
  const officersAt = (code: string) => staff.filter((s) => s.establishment_code === code && s.role !== 'safercustody')
  const leadAt = (code: string) => staff.find((s) => s.establishment_code === code && s.role === 'safercustody')

  // The key work demo seeds first: people it allocated keep their reception date, and a transfer carries an officer.
  const allocated = new Set(
    (
      await trx.selectFrom('dedicated_officer_allocation').select('person_id').where('ended_at', 'is', null).execute()
    ).map((row) => row.person_id),
  )
  const northgateInduction = people
    .filter((p) => p.establishment_code === 'NHI' && p.cohort === 'induction')
    .sort((a, b) => b.reception_on.localeCompare(a.reception_on) || a.prison_number.localeCompare(b.prison_number))
  const arrivedToday = northgateInduction.filter((p) => !allocated.has(p.id)).slice(0, 3)
  const unnamed = new Set(
    northgateInduction
      .filter((p) => !arrivedToday.includes(p))
      .slice(0, 3)
      .map((p) => p.id),
  )
  const northgateOthers = people.filter((p) => p.establishment_code === 'NHI' && p.cohort !== 'induction')
  const noJourney = northgateOthers.find((p) => !allocated.has(p.id))
  const transferring = [
    ...northgateOthers.filter((p) => allocated.has(p.id)),
    ...northgateOthers.filter((p) => p !== noJourney && !allocated.has(p.id)),
  ].slice(0, 2)

  if (arrivedToday.length > 0)
    await trx
      .updateTable('person')
      .set({ reception_on: today })
      .where(
        'id',
        'in',
        arrivedToday.map((p) => p.id),
      )
      .execute()
  for (const person of arrivedToday) person.reception_on = today

  const rows: StageValues[] = []
  people.forEach((person, index) => {
    if (person === noJourney) return
    const officers = officersAt(person.establishment_code)
    const named = officers.length ? officers[index % officers.length].id : null
    const recordedBy = named
    const received = person.reception_on
    const stage = (
      stage: JourneyStageName,
      startedAt: Date,
      endedAt: Date | null,
      reasonKey: StageReasonKey,
      responsible = named,
    ) =>
      rows.push({
        person_id: person.id,
        establishment_code: person.establishment_code,
        stage,
        responsible_staff_user_id: responsible,
        started_at: startedAt,
        ended_at: endedAt,
        // A standard reason by its key, so it reads in English or Welsh; nothing typed.
        reason: '',
        reason_key: reasonKey,
        recorded_by: recordedBy,
      })
    const todayIndex = arrivedToday.indexOf(person)
    if (todayIndex === 0) {
      stage('reception', at(today, 8), null, 'arrived-from-court')
      return
    }
    if (todayIndex > 0) {
      stage('reception', at(today, 7), at(today, 8), 'arrived-from-court')
      stage('first-night', at(today, 8), null, 'reception-complete')
      return
    }
    stage('reception', at(received, 14), at(received, 17), 'arrived-from-court')
    const days = daysBetween(received, today)
    if (person.cohort === 'induction' && days >= 1) {
      stage('first-night', at(received, 17), at(received, 9, 1), 'reception-complete')
      stage('induction', at(received, 9, 1), null, 'first-night-complete', unnamed.has(person.id) ? null : named)
      return
    }
    if (person.cohort === 'induction') {
      stage('first-night', at(received, 17), null, 'reception-complete')
      return
    }
    stage('first-night', at(received, 17), at(received, 9, 1), 'reception-complete')
    stage('induction', at(received, 9, 1), at(received, 10, 8), 'first-night-complete')
    stage('residential', at(received, 10, 8), null, 'induction-complete')
  })
  for (let start = 0; start < rows.length; start += 1000)
    await trx
      .insertInto('journey_stage')
      .values(rows.slice(start, start + 1000))
      .execute()

  const lead = leadAt('NHI')
  const handovers = [
    {
      daysAgo: 1,
      risks: 'Low mood since sentencing; a history of self-harm two years ago.',
      wishes: 'Wants to be nearer his family in Cardiff and to keep his place on the English course.',
    },
    {
      daysAgo: 5,
      risks: 'None known beyond the usual transfer anxiety.',
      wishes: 'Asked to move with his cellmate if possible.',
    },
  ]
  if (transferring.length === 0) return
  const officers = await trx
    .selectFrom('dedicated_officer_allocation as a')
    .innerJoin('staff_user as s', 's.id', 'a.staff_user_id')
    .select(['a.person_id', 'a.staff_user_id', 's.display_name'])
    .where('a.person_id', 'in', transferring.length ? transferring.map((p) => p.id) : [''])
    .where('a.ended_at', 'is', null)
    .execute()
  for (const [index, person] of transferring.entries()) {
    const { daysAgo, risks, wishes } = handovers[index]
    const officer = officers.find((row) => row.person_id === person.id)
    await trx
      .insertInto('handover')
      .values({
        person_id: person.id,
        from_establishment_code: 'NHI',
        to_establishment_code: 'BGI',
        kind: 'transfer',
        summary: JSON.stringify({
          risks,
          openCarePlans: [],
          concerns: [],
          dedicatedOfficer: officer ? { staffUserId: officer.staff_user_id, displayName: officer.display_name } : null,
        }),
        persons_wishes: wishes,
        created_at: at(today, 10, -daysAgo),
        created_by: lead?.id ?? null,
      })
      .execute()
  }
}
