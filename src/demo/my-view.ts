import type { Db } from '../db/database.ts'

/** C1: the demo's people in custody with their own accounts: `demo.person`, `demo.person2`, … at each prison. */
export const demoPersonAccounts = [
  { establishmentCode: 'NHI', usernames: ['demo.person', 'demo.person2', 'demo.person3'] },
  { establishmentCode: 'EWI', usernames: ['demo.person.ewi'] },
  { establishmentCode: 'BGI', usernames: ['demo.person.bgi'] },
] as const

/**
 * Gives a few people at each demo prison an account for their own view, choosing people with a timetable and
 * a dedicated officer so that every page has something to show. Deterministic: the first by prison number.
 */
export async function seedMyViewDemo(trx: Db, { passwordHash }: { passwordHash: string }): Promise<void> {
  for (const { establishmentCode, usernames } of demoPersonAccounts) {
    const people = await trx
      .selectFrom('person as p')
      .select('p.id')
      .where('p.establishment_code', '=', establishmentCode)
      .where('p.id', 'in', (eb) =>
        eb.selectFrom('activity_allocation').select('person_id').where('ends_on', 'is', null),
      )
      .where('p.id', 'in', (eb) =>
        eb.selectFrom('dedicated_officer_allocation').select('person_id').where('ended_at', 'is', null),
      )
      .orderBy('p.prison_number')
      .limit(usernames.length)
      .execute()
    if (people.length === 0) continue
    await trx
      .insertInto('person_account')
      .values(
        people.map((person, index) => ({
          person_id: person.id,
          username: usernames[index],
          password_hash: passwordHash,
        })),
      )
      .execute()
  }
}
