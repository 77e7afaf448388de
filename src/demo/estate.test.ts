import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ageBandOf, ageOn, isPrisonNumber } from '../areas/people/rules.ts'
import { createAudit } from '../platform/audit.ts'
import { fixedClock } from '../platform/clock.ts'
import { roles } from '../platform/permissions.ts'
import { createSessions } from '../platform/sessions.ts'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { demoAccounts, demoEstablishments, demoPeople, type DemoPerson } from './estate.ts'
import { DEMO_PASSWORD, DemoRefused, describeDemoAccounts, seedDemoEstate } from './seed.ts'
import { setStaffPasswordHash as setPasswordHash } from '../areas/staff/service.ts'

const today = '2026-11-25'

function shareOf(people: DemoPerson[], matches: (person: DemoPerson) => boolean): number {
  return (100 * people.filter(matches).length) / people.length
}

function assertBetween(value: number, low: number, high: number, what: string) {
  assert.ok(value >= low && value <= high, `${what} is ${value.toFixed(1)}, expected ${low} to ${high}`)
}

describe('demoPeople', () => {
  const people = demoPeople({ seed: 1, today })

  it('builds the same estate from the same seed, and a different one from another seed', () => {
    assert.deepEqual(demoPeople({ seed: 1, today }), people)
    assert.notDeepEqual(demoPeople({ seed: 2, today }).slice(0, 10), people.slice(0, 10))
  })

  it('fills a male local prison of about 1,200, a women’s prison of about 300 and a Welsh prison of about 400', () => {
    const [local, womens, welsh] = demoEstablishments
    assert.equal(local.function, 'reception')
    assert.equal(womens.function, 'womens')
    assert.equal(welsh.isInWales, true)
    const count = (code: string) => people.filter((person) => person.establishmentCode === code).length
    assertBetween(count(local.code), 1100, 1300, 'the local prison')
    assertBetween(count(womens.code), 270, 330, 'the women’s prison')
    assertBetween(count(welsh.code), 360, 440, 'the Welsh prison')
    assert.ok(people.filter((person) => person.establishmentCode === womens.code).every((p) => p.sex === 'F'))
  })

  it('gives everyone a valid prison number of their own', () => {
    const numbers = people.map((person) => person.prisonNumber)
    assert.equal(new Set(numbers).size, numbers.length)
    assert.deepEqual(
      numbers.filter((number) => !isPrisonNumber(number)),
      [],
    )
  })

  it('follows the published ethnic mix among those who stated one', () => {
    for (const seed of [1, 7]) {
      const stated = demoPeople({ seed, today }).filter((person) => person.ethnicity && person.ethnicity !== 'NS')
      assertBetween(
        shareOf(stated, (person) => person.ethnicity!.startsWith('W')),
        70,
        78,
        `White (seed ${seed})`,
      )
      assertBetween(
        shareOf(stated, (person) => person.ethnicity!.startsWith('B')),
        9,
        15,
        `Black (seed ${seed})`,
      )
      assertBetween(
        shareOf(stated, (person) => person.ethnicity!.startsWith('A')),
        5,
        11,
        `Asian (seed ${seed})`,
      )
    }
  })

  it('has more people aged 30-39 than in any other age band, and no one under 18', () => {
    const bands = new Map<string, number>()
    for (const person of people) {
      const band = ageBandOf(ageOn(person.dateOfBirth, today))
      bands.set(band, (bands.get(band) ?? 0) + 1)
    }
    const [commonest] = [...bands].sort((a, b) => b[1] - a[1])
    assert.equal(commonest[0], '30-39')
    assert.equal(bands.get('under-18'), undefined)
  })

  it('makes Christian and no religion the two commonest among those who stated a religion', () => {
    const stated = people.filter((person) => person.religion && person.religion !== 'not-stated')
    assertBetween(
      shareOf(stated, (person) => person.religion === 'christian'),
      38,
      52,
      'Christian',
    )
    assertBetween(
      shareOf(stated, (person) => person.religion === 'none'),
      25,
      37,
      'no religion',
    )
  })

  it('houses each person on a wing of their prison that takes their regime group, at most two to a cell', () => {
    const occupancy = new Map<string, number>()
    for (const person of people) {
      const establishment = demoEstablishments.find((candidate) => candidate.code === person.establishmentCode)!
      const wing = establishment.wings.find((candidate) => candidate.code === person.wingCode)
      assert.ok(wing, `${person.prisonNumber} is on a wing of ${establishment.code}`)
      assert.equal(wing.cohort, person.cohort)
      const cell = `${person.establishmentCode}/${person.cellLabel}`
      occupancy.set(cell, (occupancy.get(cell) ?? 0) + 1)
    }
    assert.ok(Math.max(...occupancy.values()) <= 2)
  })

  it('receives people on induction within the last fortnight and everyone else before it', () => {
    const fortnightAgo = '2026-11-11'
    for (const person of people) {
      assert.ok(person.receptionOn <= today)
      if (person.cohort === 'induction') assert.ok(person.receptionOn > fortnightAgo, person.prisonNumber)
      else assert.ok(person.receptionOn <= fortnightAgo, person.prisonNumber)
    }
  })

  it('builds the local prison at the size asked for', () => {
    const small = demoPeople({ seed: 1, today, peopleAtFirst: 25 })
    assert.equal(small.filter((person) => person.establishmentCode === demoEstablishments[0].code).length, 25)
  })
})

describe('demoAccounts', () => {
  const accounts = demoAccounts()

  it('gives the local prison one account for every role, named demo.<role>', () => {
    const home = demoEstablishments[0].code
    for (const role of roles) {
      const account = accounts.find((candidate) => candidate.username === `demo.${role}`)
      assert.ok(account, `demo.${role}`)
      assert.equal(account.role, role)
      assert.ok(account.establishmentCodes.includes(home))
    }
  })

  it('gives each other prison an account for every role, and the administrator every prison', () => {
    for (const establishment of demoEstablishments.slice(1))
      for (const role of roles.filter((role) => role !== 'director'))
        assert.deepEqual(
          accounts.find((account) => account.username === `demo.${role}.${establishment.code.toLowerCase()}`)
            ?.establishmentCodes,
          [establishment.code],
        )
    assert.deepEqual(
      accounts.find((account) => account.username === 'demo.admin')?.establishmentCodes,
      demoEstablishments.map((establishment) => establishment.code),
    )
    assert.equal(new Set(accounts.map((account) => account.username)).size, accounts.length)
  })

  it('gives the group director one account over every prison', () => {
    const directors = accounts.filter((account) => account.role === 'director')
    assert.deepEqual(
      directors.map((account) => [account.username, account.establishmentCodes]),
      [['demo.director', demoEstablishments.map((establishment) => establishment.code)]],
    )
  })

  it('are printed at start with the password, one line a role at the local prison', () => {
    const text = describeDemoAccounts(accounts, 'http://localhost:3000')
    assert.match(text, /http:\/\/localhost:3000/)
    assert.match(text, /password "demo"/)
    for (const role of roles) assert.match(text, new RegExp(`^  demo\\.${role}\\s+${role}$`, 'm'))
  })
})

for (const engine of testEngines()) {
  describe(`seedDemoEstate on ${engine.name}`, () => {
    let database: TestDatabase
    const options = { seed: 1, today, peopleAtFirst: 20, environment: 'development' }
    const otherPrisons = demoEstablishments.slice(1).reduce((sum, establishment) => sum + establishment.people, 0)

    before(async () => {
      database = await engine.open()
    })
    after(async () => {
      await database.close()
    })

    const countOf = async (table: 'person' | 'establishment' | 'staff_user') =>
      (
        await database.db
          .selectFrom(table)
          .select(database.db.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow()
      ).count

    it('refuses to create demo accounts in production, and writes nothing', async () => {
      await assert.rejects(
        seedDemoEstate(database.db, { ...options, environment: 'production' }),
        (error: Error) => error instanceof DemoRefused && /NODE_ENV=production/.test(error.message),
      )
      assert.equal(Number(await countOf('establishment')), 0)
    })

    it('builds the estate in an empty database, with accounts that sign in with the password demo', async () => {
      const outcome = await seedDemoEstate(database.db, options)
      assert.equal(outcome.people, 20 + otherPrisons)
      assert.equal(Number(await countOf('person')), 20 + otherPrisons)
      assert.equal(Number(await countOf('establishment')), demoEstablishments.length)
      // The demo accounts, and the officers and partner workers the staff demo adds (officer.nhi.001 …).
      const usernames = (await database.db.selectFrom('staff_user').select('username').execute()).map((u) => u.username)
      assert.equal(usernames.filter((username) => username.startsWith('demo.')).length, demoAccounts().length)
      assert.ok(usernames.includes('officer.nhi.001') && usernames.includes('partner.nhi.001'))
      const clock = fixedClock(`${today}T09:00:00Z`)
      const sessions = createSessions({
        setPasswordHash,
        db: database.db,
        clock,
        audit: createAudit(clock),
        policy: { idleMinutes: 30, absoluteHours: 12 },
      })
      const signIn = await sessions.signIn('demo.officer', DEMO_PASSWORD)
      assert.equal(signIn.signedIn, true)
      assert.equal(signIn.signedIn && signIn.actor.establishmentCode, demoEstablishments[0].code)
    })

    it('refuses to build a second estate over the first without a reset', async () => {
      await assert.rejects(seedDemoEstate(database.db, options), DemoRefused)
      assert.equal(Number(await countOf('person')), 20 + otherPrisons)
    })

    it('rebuilds the estate from nothing on a reset', async () => {
      const outcome = await seedDemoEstate(database.db, { ...options, peopleAtFirst: 30, reset: true })
      assert.equal(outcome.people, 30 + otherPrisons)
      assert.equal(Number(await countOf('person')), 30 + otherPrisons)
      assert.equal(Number(await countOf('establishment')), demoEstablishments.length)
    })
  })
}
