import type { Insertable } from 'kysely'
import type { Db } from '../db/database.ts'
import type {
  HandoverTable,
  IsoDate,
  JourneyStageName,
  JourneyStageTable,
  SelfHarmIncidentTable,
  StageReasonKey,
} from '../db/schema.ts'
import { seededRandom } from './random.ts'
import { daysBetween } from '../platform/dates.ts'
import { inBatches } from './batches.ts'

/** A stage as the demo writes it: every column given, none left to its default, with a standard reason. */
type StageValues = Required<Omit<Insertable<JourneyStageTable>, 'id'>> & { reason_key: StageReasonKey }

const dayMs = 24 * 60 * 60 * 1000

function at(date: IsoDate, hour: number, plusDays = 0): Date {
  return new Date(new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`).getTime() + plusDays * dayMs)
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
  await inBatches(rows, 1000, (batch) => trx.insertInto('journey_stage').values(batch).execute())

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

const refusalReasons = [
  'No space on the vulnerable prisoners’ unit at present.',
  'Healthcare cannot meet his needs here at the moment; please hold.',
  'Open ACCT and recent self-harm: asked the sending prison to keep him until things settle.',
  'Cell sharing risk assessment not complete.',
]

/**
 * M2 in the demo: a year of transfer handovers between the two men's prisons, Northgate and Bryn Glas. Some
 * of the people who arrived at each in the year came by transfer from the other (the handover acknowledged,
 * in time or late); some people at each were refused by the other and stayed. People who harmed themselves
 * before the handover was sent are refused and kept waiting far more often than everyone else, so the
 * perverse-incentive watch has something to find; so are transfers asked for while a care plan was open.
 * Runs after the incidents (measures.ts) and the care plans, which it reads; a few arrivals harmed
 * themselves at the prison that sent them, before they were sent.
 */
export async function seedTransferHistory(trx: Db, options: { seed: number; today: IsoDate }) {
  const random = seededRandom(options.seed * 31_337 + 3)
  const today = new Date(`${options.today}T12:00:00Z`)
  const yearAgo = today.getTime() - 360 * dayMs
  const prisons = ['NHI', 'BGI'] as const
  const people = await trx
    .selectFrom('person')
    .select(['id', 'prison_number', 'establishment_code', 'cohort', 'reception_on'])
    .where('establishment_code', 'in', [...prisons])
    .where('cohort', '!=', 'induction')
    .orderBy('prison_number')
    .execute()
  const firstIncidents = await trx
    .selectFrom('self_harm_incident')
    .select(['person_id', (eb) => eb.fn.min('occurred_at').as('first')])
    .groupBy('person_id')
    .execute()
  const firstHarm = new Map(firstIncidents.map((row) => [row.person_id, new Date(row.first as unknown as string)]))
  const leads = await trx
    .selectFrom('staff_user as s')
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .select(['s.id', 'se.establishment_code'])
    .where('s.role', '=', 'safercustody')
    .orderBy('s.username')
    .execute()
  const leadAt = (code: string) => leads.find((lead) => lead.establishment_code === code)?.id ?? null
  const other = (code: string) => (code === 'NHI' ? 'BGI' : 'NHI')
  const handovers: Insertable<HandoverTable>[] = []
  const incidents: Insertable<SelfHarmIncidentTable>[] = []
  const summary = (risks: string) => JSON.stringify({ risks, openCarePlans: [], concerns: [], dedicatedOfficer: null })

  for (const person of people) {
    const arrivedAt = new Date(`${person.reception_on}T09:00:00Z`).getTime()
    const here = person.establishment_code
    // Arrived by transfer from the other prison in the year: the handover sent a day or two before.
    if (arrivedAt > yearAgo && arrivedAt < today.getTime() - 7 * dayMs && random.chance(here === 'BGI' ? 0.45 : 0.2)) {
      const createdAt = new Date(arrivedAt - random.integer(1, 2) * dayMs)
      const harmedBefore = random.chance(0.15)
      const harmedAt = new Date(createdAt.getTime() - random.integer(10, 90) * dayMs)
      if (harmedBefore)
        incidents.push({
          establishment_code: other(here),
          person_id: person.id,
          occurred_at: harmedAt,
          method: random.pick(['cutting', 'cutting', 'ligature', 'overdose'] as const),
          injury: random.pick(['none', 'minor', 'treated-in-prison'] as const),
          on_open_care_plan: false,
          recorded_at: harmedAt,
          recorded_by: null,
        })
      // Two days is the receiving prison's own chase time; late answers come after it.
      const late = random.chance(harmedBefore ? 0.45 : 0.07)
      const acknowledgedAt = new Date(
        createdAt.getTime() + (late ? random.integer(3, 6) * dayMs : random.integer(2, 30) * 3_600_000),
      )
      handovers.push({
        person_id: person.id,
        from_establishment_code: other(here),
        to_establishment_code: here,
        kind: 'transfer',
        summary: summary(harmedBefore ? 'Self-harm at the sending prison in recent months.' : 'None known.'),
        created_at: createdAt,
        created_by: leadAt(other(here)),
        acknowledged_at: acknowledgedAt,
        acknowledged_by: leadAt(here),
      })
      continue
    }
    // Refused by the other prison, and still here: more often for someone who has harmed themselves here.
    const harmed = firstHarm.get(person.id)
    const earliest = Math.max(yearAgo, arrivedAt + 60 * dayMs, harmed ? harmed.getTime() + 7 * dayMs : 0)
    if (earliest >= today.getTime() - 10 * dayMs) continue
    if (!random.chance(harmed ? 0.12 : 0.01)) continue
    const createdAt = new Date(
      earliest + random.integer(0, Math.floor((today.getTime() - 10 * dayMs - earliest) / dayMs)) * dayMs,
    )
    handovers.push({
      person_id: person.id,
      from_establishment_code: here,
      to_establishment_code: other(here),
      kind: 'transfer',
      summary: summary(harmed ? 'Self-harm here in recent months.' : 'None known.'),
      created_at: createdAt,
      created_by: leadAt(here),
      refused_at: new Date(createdAt.getTime() + random.integer(4, 60) * 3_600_000),
      refusal_reason: harmed ? random.pick(refusalReasons) : random.pick(refusalReasons.slice(0, 2)),
    })
  }
  // A few transfers were asked for while the person was on a care plan (one of the year's, since closed): the
  // handover carried the plan, and the receiving prison said not yet (those it took are not in the demo:
  // the person would have left).
  const pastPlans = await trx
    .selectFrom('care_plan')
    .select(['id', 'person_id', 'establishment_code', 'opened_at', 'closed_at'])
    .where('establishment_code', 'in', [...prisons])
    .where('closed_at', 'is not', null)
    .where('opened_at', '>', new Date(yearAgo))
    .orderBy('opened_at')
    .execute()
  for (const plan of pastPlans) {
    if (!random.chance(0.2)) continue
    const here = plan.establishment_code
    const createdAt = new Date(new Date(plan.opened_at).getTime() + random.integer(20, 60) * 3_600_000)
    if (plan.closed_at && createdAt >= new Date(plan.closed_at)) continue
    const openedOn = new Date(plan.opened_at).toISOString().slice(0, 10)
    handovers.push({
      person_id: plan.person_id,
      from_establishment_code: here,
      to_establishment_code: other(here),
      kind: 'transfer',
      summary: JSON.stringify({
        risks: 'On an open ACCT care plan.',
        openCarePlans: [{ id: plan.id, description: `ACCT care plan opened ${openedOn} (open)` }],
        concerns: [],
        dedicatedOfficer: null,
      }),
      created_at: createdAt,
      created_by: leadAt(here),
      refused_at: new Date(createdAt.getTime() + random.integer(4, 40) * 3_600_000),
      refusal_reason: refusalReasons[2],
    })
  }
  if (incidents.length > 0) await trx.insertInto('self_harm_incident').values(incidents).execute()
  await inBatches(handovers, 500, (batch) => trx.insertInto('handover').values(batch).execute())
  return { handovers: handovers.length }
}
