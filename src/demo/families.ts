import type { Db } from '../db/database.ts'
import type { IsoDate } from '../db/schema.ts'
import { fixedClock } from '../platform/clock.ts'
import { createNotifications } from '../platform/notifications.ts'
import { hashPassword, readableCode } from '../platform/passwords.ts'
import { insertWorry, markRouted } from '../areas/families/store.ts'
import { demoEstablishments } from './estate.ts'

/** Worries families sent in the demo, none of them about anyone on the demo roll. All invented. */
const worries = [
  {
    personName: 'Gareth Pryce',
    whatWorries: 'He rang me last night and said sorry for everything, like he was saying goodbye.',
    howSoon: 'now',
    selfHarm: true,
    relationship: 'Sister',
    raiserName: 'Bethan Pryce',
    raiserPhone: '01632 960 201',
    language: 'cy',
  },
  {
    personName: 'Liam Doherty',
    whatWorries: 'His letters have stopped and a friend on the wing says he owes money and will not come out.',
    howSoon: 'today',
    selfHarm: false,
    relationship: 'Mother',
    raiserName: 'Maureen Doherty',
    raiserPhone: '01632 960 202',
    language: 'en',
  },
  {
    personName: 'Sam Oyelaran',
    whatWorries: 'The visit was cancelled and he sounded flat on the phone. Not sure if it is anything.',
    howSoon: 'this-week',
    selfHarm: false,
    relationship: 'Partner',
    raiserName: 'Tolu Oyelaran',
    raiserPhone: '01632 960 203',
    language: 'en',
  },
] as const

/**
 * Issue 14 in the demo estate: at each prison a phone line for families and three worries from families the
 * worker could not match (so safer custody have something to match by hand), sent this morning and told to
 * the safer custody leads as the worker tells them. One insert each; deterministic but for the codes.
 */
export async function seedFamiliesDemo(trx: Db, options: { today: IsoDate }): Promise<number> {
  const morning = new Date(`${options.today}T07:00:00Z`)
  const leads = await trx
    .selectFrom('staff_user as s')
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .select(['s.id', 'se.establishment_code as establishmentCode'])
    .where('s.role', '=', 'safercustody')
    .execute()
  let seeded = 0
  for (const [prisonIndex, establishment] of demoEstablishments.entries()) {
    await trx
      .insertInto('family_worry_setting')
      .values({ establishment_code: establishment.code, safer_custody_phone: `01632 960 ${100 + prisonIndex}` })
      .execute()
    for (const [index, worry] of worries.entries()) {
      const receivedAt = new Date(morning.getTime() + (index * 50 + prisonIndex * 7) * 60_000)
      const reference = `W-${readableCode(2).toUpperCase()}`
      const id = await insertWorry(trx, {
        ...worry,
        establishmentCode: establishment.code,
        reference,
        followUpCodeHash: await hashPassword(readableCode(3)),
        receivedAt,
        dateOfBirth: null,
        prisonNumber: null,
        selfHarmRisk: worry.selfHarm,
        raiserEmail: null,
        mayTellPerson: index !== 0,
        addressKey: `demo-${prisonIndex}-${index}`,
        heldBack: false,
      })
      if (!id) continue
      await markRouted(trx, id, receivedAt)
      await createNotifications({ clock: fixedClock(receivedAt) }).notify(trx, {
        recipientIds: leads.filter((lead) => lead.establishmentCode === establishment.code).map((lead) => lead.id),
        establishmentCode: establishment.code,
        kind: 'family-worry-to-match',
        messageKey: `families.notification.toMatch.${worry.howSoon}`,
        params: { reference },
        href: `/family-worries/${id}`,
      })
      seeded++
    }
  }
  return seeded
}
