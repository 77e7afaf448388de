import { sql, type Insertable } from 'kysely'
import type { Db } from '../db/database.ts'
import type { IsoDate, StaffStatus, StaffUserTable, TrainingCourse } from '../db/schema.ts'
import type { Role } from '../platform/permissions.ts'
import { addDays } from '../platform/dates.ts'
import { demoEstablishments } from './estate.ts'
import { peopleOnTheirWings } from './roll.ts'
import { seededRandom, type Random } from './random.ts'

/**
 * P1-P4 in the demo estate: the prison service and fictional partner organisations, officers and key
 * workers for dedicated officer allocation (`officer.nhi.001` …, stable so key work can allocate to
 * them), partner workers (`partner.nhi.001` …), training with realistic expiry, supervision histories,
 * a few staff away with reactivation dates, and peer supporters on most wings. Every name is invented.
 */
export const demoOrganisations = [
  {
    slug: 'hmpps',
    name: 'HM Prison and Probation Service',
    kind: 'prison-service',
    services: 'Custody, dedicated officers, safer custody, induction',
  },
  {
    slug: 'open-door',
    name: 'Open Door Mentoring',
    kind: 'charity',
    services: 'Peer mentoring, through-the-gate support, family contact',
  },
  {
    slug: 'listening-post',
    name: 'The Listening Post Trust',
    kind: 'charity',
    services: 'Listener training and support, emotional support line',
  },
  {
    slug: 'bridge',
    name: 'Bridge Recovery Trust',
    kind: 'provider',
    services: 'Substance misuse groups and one-to-one recovery work',
  },
  {
    slug: 'riverside',
    name: 'Riverside Community Health Partnership',
    kind: 'health',
    services: 'Primary care, mental health in-reach, clinical supervision',
  },
  {
    slug: 'second-chapter',
    name: 'Second Chapter Lived Experience Network',
    kind: 'lived-experience',
    services: 'Lived experience workers, co-produced groups, employment support',
  },
] as const

/**
 * Officers and key workers per prison: enough for a caseload of about five and a half each, so most people
 * have a dedicated officer and caseloads sit near their limits (K1), with a floor for a tiny test prison.
 */
function officersFor(people: number): number {
  return Math.max(12, Math.round(people / 5.5))
}
const partnersAt: Record<string, number> = { NHI: 8, EWI: 5, BGI: 5 }

const firstNames =
  'Nia Gareth Priya Tom Hannah Marcus Ffion Daniel Aisha Owen Chloe Ravi Siân Jordan Bethany Kwame Lowri Connor Yasmin Dylan Grace Tariq Megan Iwan Zara Lewis Catrin Femi Rosie Callum'.split(
    ' ',
  )
const lastNames =
  'Bowen Pritchard Okafor Rahman Griffiths McAllister Patel Lloyd Mensah Hughes Kowalski Ahmed Price Campbell Jenkins Osei Morgan Fletcher Nowak Rees Chaudhry Parry Adeyemi Whitfield Llewellyn Singh Baxter Doherty'.split(
    ' ',
  )
const supervisors = [
  'Custodial manager Alun Pryce',
  'Custodial manager Denise Hart',
  'Supervising officer Kieran Moss',
  'Dr Mared Tudor, Riverside Community Health Partnership',
  'Joanne Akers, clinical supervisor',
  'Reverend Paul Ogden, reflective practice lead',
]

/** How many days each course stays valid; no number means it does not expire. */
const validity: Record<TrainingCourse, number | null> = {
  safeguarding: 3 * 365,
  'mental-health-first-aid': 3 * 365,
  'trauma-informed': 3 * 365,
  'acct-assessor': 2 * 365,
  'acct-case-manager': 2 * 365,
  'health-and-social-care': null,
}

type Person = { id: string; username: string; role: Role; organisationKey: string }

/**
 * The demo's own staff of one role (their usernames start with `usernamePrefix`), each with a prison they
 * work at: one row for each of their prisons, in no particular order.
 */
export function demoStaffWithRole(db: Db, role: Role, usernamePrefix: string) {
  return db
    .selectFrom('staff_user as u')
    .innerJoin('staff_user_establishment as e', 'e.staff_user_id', 'u.id')
    .select(['u.id', 'e.establishment_code as establishmentCode'])
    .where('u.role', '=', role)
    .where('u.username', 'like', `${usernamePrefix}%`)
    .execute()
}

export async function seedStaffDemo(
  db: Db,
  options: { seed: number; today: IsoDate; passwordHash: string },
): Promise<void> {
  const random = seededRandom(options.seed * 7919 + 5)
  const { today } = options
  // The roll was inserted moments ago: statistics on it let the planner join it sensibly in every step after.
  await sql`analyze`.execute(db)

  const organisations = await db
    .insertInto('organisation')
    .values(demoOrganisations.map(({ name, kind, services }) => ({ name, kind, services })))
    .returning(['id', 'name'])
    .execute()
  const organisationId = new Map(
    demoOrganisations.map((organisation) => [
      organisation.slug,
      organisations.find((row) => row.name === organisation.name)!.id,
    ]),
  )

  // The demo accounts belong to the prison service, except partners and healthcare.
  const accounts = await db.selectFrom('staff_user').select(['id', 'username', 'role']).execute()
  const accountOrganisation = (role: string) =>
    role === 'partner' ? 'open-door' : role === 'healthcare' ? 'riverside' : role === 'monitor' ? null : 'hmpps'
  for (const key of organisationId.keys()) {
    const ids = accounts.filter((account) => accountOrganisation(account.role) === key).map((account) => account.id)
    if (ids.length > 0)
      await db
        .updateTable('staff_user')
        .set({ organisation_id: organisationId.get(key)! })
        .where('id', 'in', ids)
        .execute()
  }

  // Issue 13: the demo partner leads Open Door's workers, and manages their accounts.
  await db
    .updateTable('staff_user')
    .set({ manages_organisation_accounts: true })
    .where('username', '=', 'demo.partner')
    .execute()

  const newStaff: {
    username: string
    display_name: string
    password_hash: string
    role: Role
    organisation_id: string
    staff_status: StaffStatus
    reactivation_on: IsoDate | null
    caseload_limit: number | null
    establishmentCodes: [string]
  }[] = []
  const partnerOrganisations = ['open-door', 'listening-post', 'bridge', 'riverside', 'second-chapter'] as const
  let nameIndex = 0
  const nextName = () => {
    nameIndex += 1
    return `${firstNames[(nameIndex * 7) % firstNames.length]} ${lastNames[(nameIndex * 11) % lastNames.length]}`
  }
  const peopleAt = new Map(
    (
      await db
        .selectFrom('person')
        .select(['establishment_code as code', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy('establishment_code')
        .execute()
    ).map((row) => [row.code, Number(row.count)]),
  )
  for (const establishment of demoEstablishments) {
    const code = establishment.code.toLowerCase()
    for (let n = 1; n <= officersFor(peopleAt.get(establishment.code) ?? 0); n++) {
      const away = awayOn(n, today)
      newStaff.push({
        username: `officer.${code}.${String(n).padStart(3, '0')}`,
        display_name: nextName(),
        password_hash: options.passwordHash,
        role: n % 5 === 0 ? 'keyworker' : 'officer',
        organisation_id: organisationId.get('hmpps')!,
        staff_status: away.status,
        reactivation_on: away.reactivationOn,
        caseload_limit: n === 2 ? 9 : n === 8 ? 4 : null,
        establishmentCodes: [establishment.code],
      })
    }
    for (let n = 1; n <= (partnersAt[establishment.code] ?? 3); n++)
      newStaff.push({
        username: `partner.${code}.${String(n).padStart(3, '0')}`,
        display_name: nextName(),
        password_hash: options.passwordHash,
        role: 'partner',
        organisation_id: organisationId.get(partnerOrganisations[(n - 1) % partnerOrganisations.length])!,
        staff_status: 'active',
        reactivation_on: null,
        caseload_limit: null,
        establishmentCodes: [establishment.code],
      })
  }
  const idOf = await insertDemoStaff(db, newStaff)

  const keyOfOrganisation = new Map([...organisationId].map(([key, id]) => [id, key]))
  const everyone: Person[] = [
    ...accounts
      .filter((account) => accountOrganisation(account.role) !== null)
      .map((account) => ({
        id: account.id,
        username: account.username,
        role: account.role as Role,
        organisationKey: accountOrganisation(account.role)!,
      })),
    ...newStaff.map((row) => ({
      id: idOf.get(row.username)!,
      username: row.username,
      role: row.role,
      organisationKey: keyOfOrganisation.get(row.organisation_id)!,
    })),
  ]

  await db
    .insertInto('training_record')
    .values(trainingFor(everyone, random, today))
    .execute()
  await db
    .insertInto('staff_supervision')
    .values(supervisionFor(everyone, random, today))
    .execute()
  await seedPeerSupporters(db, random, today)
}

/** A handful of officers away: on leave for a week or so, one long-term absence, one on restricted duties. */
function awayOn(n: number, today: IsoDate): { status: StaffStatus; reactivationOn: IsoDate | null } {
  if (n === 6) return { status: 'annual-leave', reactivationOn: addDays(today, 7) }
  if (n === 12) return { status: 'annual-leave', reactivationOn: addDays(today, 3) }
  if (n === 24) return { status: 'long-term-absence', reactivationOn: addDays(today, 62) }
  if (n === 31) return { status: 'no-prisoner-contact', reactivationOn: null }
  if (n === 38) return { status: 'inactive', reactivationOn: null }
  return { status: 'active', reactivationOn: null }
}

type Wanted = 'current' | 'expiring-soon' | 'expired' | 'missing'

function trainingFor(everyone: Person[], random: Random, today: IsoDate) {
  const rows: {
    staff_user_id: string
    course: TrainingCourse
    completed_on: IsoDate
    expires_on: IsoDate | null
    is_joint: boolean
    recorded_at: Date
  }[] = []
  for (const person of everyone) {
    const isOfficer = person.role === 'officer' || person.role === 'keyworker'
    const isPartner = person.role === 'partner'
    const isDemoAccount = person.username.startsWith('demo.')
    const courses: TrainingCourse[] = ['safeguarding']
    if (isOfficer || isDemoAccount || random.chance(0.85)) courses.push('mental-health-first-aid')
    if (random.chance(0.95)) courses.push('trauma-informed')
    if (isOfficer && random.chance(0.3)) courses.push('acct-assessor')
    if ((isOfficer && random.chance(0.1)) || person.role === 'safercustody') courses.push('acct-case-manager')
    if (person.organisationKey === 'riverside' || (isPartner && random.chance(0.3)))
      courses.push('health-and-social-care')
    for (const course of courses) {
      // The demo accounts are trained, so key work can allocate to demo.officer and demo.keyworker.
      let wanted: Wanted = isDemoAccount
        ? 'current'
        : random.weighted<Wanted>([
            ['current', 82],
            ['expiring-soon', 7],
            ['expired', 7],
            ['missing', 4],
          ])
      // One officer at each prison with lapsed safeguarding: allocation refuses them, and the staff list shows it.
      if (/^officer\.[a-z]{3}\.003$/.test(person.username) && course === 'safeguarding') wanted = 'expired'
      if (wanted === 'missing') continue
      const days = validity[course]
      const isJoint = random.chance(isPartner ? 0.5 : 0.2)
      if (days === null) {
        const completedOn = addDays(today, -random.integer(60, 1500))
        rows.push(record(person.id, course, completedOn, null, isJoint))
        continue
      }
      // This year's drive: many now current in mental health first aid and trauma-informed practice took the
      // course for the first time in the last year, fewer in the summer, so the share trained rises.
      const drive = driveShare[course] ?? 0
      if (wanted === 'current' && !isDemoAccount && random.chance(drive)) {
        let completedOn = addDays(today, -random.integer(10, 345))
        if (/-0[78]-/.test(completedOn) && random.chance(0.6))
          completedOn = addDays(completedOn, random.integer(35, 60))
        if (completedOn >= today) completedOn = addDays(today, -random.integer(3, 9))
        rows.push(record(person.id, course, completedOn, addDays(completedOn, days), isJoint))
        continue
      }
      const expiresOn =
        wanted === 'current'
          ? addDays(today, random.integer(31, days - 1))
          : wanted === 'expiring-soon'
            ? addDays(today, random.integer(0, 30))
            : addDays(today, -random.integer(1, 240))
      const completedOn = addDays(expiresOn, -days)
      rows.push(record(person.id, course, completedOn, expiresOn, isJoint))
      // The record it renewed, so the history shows more than one line: most renewed in the year renewed in
      // time (the earlier one ran until then), and some renewed long ago have it too.
      const renewedThisYear = completedOn > addDays(today, -400)
      if (random.chance(renewedThisYear ? 0.75 : 0.3)) {
        const before = renewedThisYear ? addDays(completedOn, random.integer(0, 25)) : completedOn
        rows.push(record(person.id, course, addDays(before, -days), before, false))
      }
    }
  }
  return rows
}

/** The share of those current in a course who first took it in this year's drive. */
const driveShare: Partial<Record<TrainingCourse, number>> = {
  'mental-health-first-aid': 0.45,
  'trauma-informed': 0.55,
}

function record(
  staffUserId: string,
  course: TrainingCourse,
  completedOn: IsoDate,
  expiresOn: IsoDate | null,
  isJoint: boolean,
) {
  return {
    staff_user_id: staffUserId,
    course,
    completed_on: completedOn,
    expires_on: expiresOn,
    is_joint: isJoint,
    recorded_at: new Date(`${completedOn}T16:00:00Z`),
  }
}

function supervisionFor(everyone: Person[], random: Random, today: IsoDate) {
  const rows: {
    staff_user_id: string
    held_on: IsoDate
    kind: 'line-management' | 'reflective-practice' | 'external-clinical'
    supervisor: string
    recorded_at: Date
  }[] = []
  for (const person of everyone) {
    // Most were supervised within the last 8 weeks; about one in six is overdue. Going back through the year,
    // supervision was less regular (every seven to fifteen weeks a year ago), and later still over July and
    // August, when staff were short, so the share supervised in time rises through the year.
    let day = random.chance(0.16) ? -random.integer(60, 120) : -random.integer(3, 50)
    while (day > -420) {
      const heldOn = addDays(today, day)
      const kind = random.weighted<'line-management' | 'reflective-practice' | 'external-clinical'>([
        ['line-management', person.role === 'partner' ? 1 : 6],
        ['reflective-practice', 3],
        ['external-clinical', person.organisationKey === 'riverside' || person.role === 'safercustody' ? 4 : 1],
      ])
      rows.push({
        staff_user_id: person.id,
        held_on: heldOn,
        kind,
        supervisor: random.pick(supervisors),
        recorded_at: new Date(`${heldOn}T17:00:00Z`),
      })
      const summer = /-0[78]-/.test(heldOn) ? random.integer(10, 28) : 0
      const yearAgo = Math.min(1, -day / 365)
      day -= random.integer(35 + Math.round(14 * yearAgo), 63 + Math.round(42 * yearAgo)) + summer
    }
  }
  return rows
}

/** Staff accounts in one batch, each working at its prisons (the first its home); their ids by username. */
export async function insertDemoStaff(
  db: Db,
  accounts: readonly (Insertable<StaffUserTable> & { establishmentCodes: readonly string[] })[],
): Promise<Map<string, string>> {
  const inserted = await db
    .insertInto('staff_user')
    .values(accounts.map(({ establishmentCodes: _codes, ...row }) => row))
    .returning(['id', 'username'])
    .execute()
  const idOf = new Map(inserted.map((row) => [row.username, row.id]))
  await db
    .insertInto('staff_user_establishment')
    .values(
      accounts.flatMap((account) =>
        account.establishmentCodes.map((code, index) => ({
          staff_user_id: idOf.get(account.username)!,
          establishment_code: code,
          is_home: index === 0,
        })),
      ),
    )
    .execute()
  return idOf
}

/** Listeners on most wings, Insiders on induction wings, peer mentors and a lived experience worker. */
async function seedPeerSupporters(db: Db, random: Random, today: IsoDate) {
  const placed = await peopleOnTheirWings(db)
    .where('w.id', 'is not', null)
    .$narrowType<{ wingId: number; wingName: string }>()
    .orderBy('w.establishment_code')
    .orderBy('w.code')
    .orderBy('p.prison_number')
    .execute()
  const byWing = new Map<number, typeof placed>()
  for (const row of placed) byWing.set(row.wingId, [...(byWing.get(row.wingId) ?? []), row])
  const rows: {
    person_id: string
    scheme: 'listener' | 'insider' | 'peer-mentor' | 'lived-experience-worker'
    wing_id: number
    started_on: IsoDate
    ended_on: IsoDate | null
  }[] = []
  let wingIndex = 0
  for (const [wingId, people] of byWing) {
    wingIndex += 1
    const isInduction = /induction/i.test(people[0].wingName)
    const pool = [...people]
    const take = () => pool.splice(random.integer(0, pool.length - 1), 1)[0]
    // Supporters started over the last two years, none before they arrived: the schemes have grown this year.
    const add = (scheme: (typeof rows)[number]['scheme'], count: number) => {
      for (let n = 0; n < count && pool.length > 0; n++) {
        const person = take()
        const drawn = addDays(today, -random.integer(20, 600))
        const settled = addDays(person.receptionOn, 14)
        rows.push({
          person_id: person.id,
          scheme,
          wing_id: wingId,
          started_on: drawn > settled ? drawn : settled < addDays(today, -7) ? settled : addDays(today, -7),
          ended_on: null,
        })
      }
    }
    // One wing in five has no Listener at the moment: the per-100 figure shows the gap.
    if (wingIndex % 5 !== 0) add('listener', Math.max(1, Math.round(people.length / 60)))
    if (isInduction) add('insider', 2)
    else if (random.chance(0.6)) add('peer-mentor', 1)
    if (wingIndex % 4 === 1) add('lived-experience-worker', 1)
    // A Listener who has moved on, to show an ended role is no longer counted.
    if (random.chance(0.4) && pool.length > 0)
      rows.push({
        person_id: take().id,
        scheme: 'listener',
        wing_id: wingId,
        started_on: addDays(today, -random.integer(300, 600)),
        ended_on: addDays(today, -random.integer(10, 90)),
      })
  }
  if (rows.length > 0) await db.insertInto('peer_supporter').values(rows).execute()
}
