import type { Insertable } from 'kysely'
import type { Db } from '../db/database.ts'
import type { ConcernOutcome, ConcernSafeNow, ConcernTable, ConcernUrgency, IsoDate } from '../db/schema.ts'
import { personNameColumns } from '../db/summaries.ts'
import { fixedClock } from '../platform/clock.ts'
import { createNotifications } from '../platform/notifications.ts'
import { defaultConcernPolicy, effectiveUrgency, escalateAt } from '../areas/concerns/rules.ts'
import { demoEstablishments } from './estate.ts'
import { seededRandom } from './random.ts'

/** What people see and hear on a wing, in the raiser's words. All invented. */
const sightings = [
  'Gave away his radio and his trainers and said he would not need them.',
  'Crying on the phone to family during association; said nobody would miss him.',
  'Has not come out for meals for two days and would not talk at the door.',
  'Fresh cuts on both forearms seen during education.',
  'Said the anniversary of his brother’s death is this week and he cannot face it.',
  'Heard him say he owes money on the wing and is scared to leave the cell.',
  'Very withdrawn in the workshop and left early without a word.',
  'A Listener said he talked all night about ending it.',
  'Told me the court letter means he will lose his flat and his children.',
  'Stopped taking his medication, according to his cellmate.',
  'Ripped up his family photos after a visit was cancelled.',
  'Has been giving away his canteen and tobacco.',
  'Spoke about hearing voices telling him to hurt himself.',
  'Seemed confused and slurred after returning from the exercise yard.',
  'Was shouting that he wanted to die after the adjudication.',
]

const notes: Record<ConcernOutcome, string[]> = {
  'spoke-with-person': [
    'Spoke with him in his cell; calmer, will see him again tomorrow.',
    'Talked through the worry; agreed to speak to a Listener tonight.',
  ],
  'referred-to-healthcare': [
    'Referred to mental health in-reach, seen the same day.',
    'Nurse saw him on the wing and reviewed his medication.',
  ],
  'passed-to-wing': [
    'Night staff asked to check on him through the night.',
    'Wing staff asked to keep him on association and check in at each unlock.',
  ],
  'care-plan-opened': [''],
  'no-further-action': [
    'Spoke to him and his cellmate: a misunderstanding about a joke.',
    'He was reading a letter aloud to his cellmate; no concern.',
  ],
}

const raisedByRoles = ['partner', 'chaplain', 'officer', 'activities', 'healthcare', 'keyworker', 'monitor'] as const

/**
 * S1, S2 in the demo estate: a few dozen concerns over the last week at the three prisons, raised by all sorts
 * of staff and partners, most acted on (with realistic outcomes and times), some still open and sent to the
 * person's dedicated officer and safer custody, one or two escalated, a few sensitive. Deterministic; one insert.
 */
export async function seedConcernsDemo(trx: Db, options: { seed: number; today: IsoDate }): Promise<number> {
  const random = seededRandom(options.seed * 7919 + 6)
  // The morning of the demo's today, so open concerns are still waiting when the demo starts.
  const morning = new Date(`${options.today}T06:00:00Z`)
  const hoursBefore = (hours: number) => new Date(morning.getTime() - hours * 3_600_000)
  const staff = await trx
    .selectFrom('staff_user as s')
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .select(['s.id', 's.username', 's.role', 'se.establishment_code as establishmentCode'])
    .orderBy('s.username')
    .execute()
  const rows: Parameters<typeof insertAll>[1] = []
  for (const establishment of demoEstablishments) {
    const code = establishment.code
    const here = staff.filter((member) => member.establishmentCode === code)
    const raisers = here.filter((member) => (raisedByRoles as readonly string[]).includes(member.role))
    const actors = here.filter((member) => ['safercustody', 'officer', 'keyworker', 'healthcare'].includes(member.role))
    const leads = here.filter((member) => member.role === 'safercustody')
    const demoKeyworker = here.find((member) => member.username.startsWith('demo.keyworker'))
    const allocated = await trx
      .selectFrom('dedicated_officer_allocation as a')
      .innerJoin('person_summary as p', 'p.id', 'a.person_id')
      .select(['p.id as personId', ...personNameColumns, 'a.staff_user_id as officerId'])
      .where('p.establishment_code', '=', code)
      .where('a.ended_at', 'is', null)
      .orderBy('p.prison_number')
      .execute()
    if (allocated.length === 0 || raisers.length === 0 || actors.length === 0) continue
    // The demo key worker's own people first, so their open-concerns list is never empty.
    const theirs = allocated.filter((row) => row.officerId === demoKeyworker?.id)
    const count = code === 'NHI' ? 24 : 10
    for (let n = 0; n < count; n++) {
      const person = n < 2 && theirs[n] ? theirs[n] : random.pick(allocated)
      const raiser = random.pick(raisers)
      const safeNow: ConcernSafeNow = random.weighted([
        ['yes', 5],
        ['not-sure', 4],
        ['no', 1],
      ] as const)
      const chosen: ConcernUrgency = random.weighted([
        ['immediate', 2],
        ['today', 5],
        ['can-wait', 3],
      ] as const)
      const urgency = effectiveUrgency(chosen, safeNow)
      // The first two at each prison are the open ones on the demo key worker's list; the third and fourth escalated.
      const state = n < 2 ? 'open' : n < (code === 'NHI' ? 4 : 3) ? 'escalated' : random.chance(0.25) ? 'open' : 'acted'
      const raisedAt =
        state === 'open'
          ? urgency === 'can-wait'
            ? hoursBefore(random.integer(1, 12))
            : hoursBefore(random.next() * 0.5)
          : hoursBefore(random.integer(14, 24 * 7))
      const due = escalateAt(raisedAt, urgency, defaultConcernPolicy)
      const minutesToAct = random.integer(5, urgency === 'immediate' ? 14 : 180)
      const actedAt = state === 'acted' ? new Date(raisedAt.getTime() + minutesToAct * 60_000) : null
      // A raiser unsure the person is safe has seen a risk of suicide or self-harm (issue 17).
      const indicatesSelfHarmRisk = safeNow !== 'yes'
      const drawn: ConcernOutcome | null =
        state === 'acted'
          ? random.weighted([
              ['spoke-with-person', 4],
              ['referred-to-healthcare', 2],
              ['passed-to-wing', 2],
              ['no-further-action', 2],
            ] as const)
          : null
      // Only a manager sets such a concern aside; in the demo, the wing refers it to healthcare instead.
      const outcome = drawn === 'no-further-action' && indicatesSelfHarmRisk ? 'referred-to-healthcare' : drawn
      const actor = random.pick(actors)
      const received = actedAt
        ? { at: new Date(actedAt.getTime() - 2 * 60_000), by: actor.id }
        : random.chance(0.5)
          ? { at: new Date(raisedAt.getTime() + 4 * 60_000), by: person.officerId }
          : null
      rows.push({
        person,
        establishmentCode: code,
        leadIds: leads.map((lead) => lead.id),
        values: {
          person_id: person.personId,
          establishment_code: code,
          raised_by: raiser.id,
          raised_at: raisedAt,
          what_happened: random.pick(sightings),
          urgency,
          safe_now: safeNow,
          is_sensitive: n % 7 === 5,
          indicates_self_harm_risk: indicatesSelfHarmRisk,
          responsible_staff_user_id: person.officerId,
          escalate_at: state === 'escalated' ? new Date(raisedAt.getTime() + 15 * 60_000) : due,
          escalated_at: state === 'escalated' ? new Date(raisedAt.getTime() + 16 * 60_000) : null,
          received_at: received?.at ?? null,
          received_by: received?.by ?? null,
          acted_at: actedAt,
          acted_by: actedAt ? actor.id : null,
          outcome,
          action_note: outcome ? random.pick(notes[outcome]) : '',
        },
      })
    }
  }
  return insertAll(trx, rows)
}

async function insertAll(
  trx: Db,
  rows: {
    person: { prisonNumber: string; firstName: string; lastName: string; officerId: string }
    establishmentCode: string
    leadIds: string[]
    values: Insertable<ConcernTable>
  }[],
): Promise<number> {
  if (rows.length === 0) return 0
  const inserted = await trx
    .insertInto('concern')
    .values(rows.map((row) => row.values))
    .returning(['id'])
    .execute()
  // The open ones wait as unread notifications for their officer and safer custody, as when they were raised.
  for (const [index, row] of rows.entries()) {
    if (row.values.acted_at) continue
    const id = inserted[index].id
    // Sent when it was raised, as the service would have sent it.
    await createNotifications({ clock: fixedClock(row.values.raised_at) }).notify(trx, {
      recipientIds: [row.person.officerId, ...row.leadIds],
      establishmentCode: row.establishmentCode,
      kind: 'concern-raised',
      messageKey: `concerns.notification.raised.${row.values.urgency}`,
      params: { prisonNumber: row.person.prisonNumber, name: `${row.person.lastName}, ${row.person.firstName}` },
      href: row.values.is_sensitive ? '/concerns' : `/concerns/${id}`,
    })
  }
  return inserted.length
}
