import type { EstablishmentFunction, IsoDate } from '../db/schema.ts'
import type { Role } from '../platform/permissions.ts'
import { seededRandom, type Random } from './random.ts'

/**
 * A realistic, entirely fictional estate. Proportions follow the published prison population: about 74%
 * White, 12% Black, 8% Asian, 5% Mixed; ages peaking at 30-39; of those stating a religion about 45%
 * Christian and 31% none. Nobody here is a real person.
 */
export type DemoEstablishment = {
  code: string
  name: string
  function: EstablishmentFunction
  isInWales: boolean
  sex: 'M' | 'F'
  people: number
  wings: {
    code: string
    name: string
    landings: number
    cellsPerLanding: number
    cohort: 'mainstream' | 'vulnerable' | 'induction'
  }[]
}

export const demoEstablishments: DemoEstablishment[] = [
  {
    code: 'NHI',
    name: 'HMP Northgate',
    function: 'reception',
    isInWales: false,
    sex: 'M',
    people: 1200,
    wings: [
      { code: 'A', name: 'A wing (induction)', landings: 3, cellsPerLanding: 24, cohort: 'induction' },
      { code: 'B', name: 'B wing', landings: 4, cellsPerLanding: 30, cohort: 'mainstream' },
      { code: 'C', name: 'C wing', landings: 4, cellsPerLanding: 30, cohort: 'mainstream' },
      { code: 'D', name: 'D wing', landings: 4, cellsPerLanding: 30, cohort: 'mainstream' },
      { code: 'E', name: 'E wing', landings: 4, cellsPerLanding: 30, cohort: 'mainstream' },
      { code: 'F', name: 'F wing (vulnerable prisoners)', landings: 3, cellsPerLanding: 36, cohort: 'vulnerable' },
    ],
  },
  {
    code: 'EWI',
    name: 'HMP Elmwood',
    function: 'womens',
    isInWales: false,
    sex: 'F',
    people: 300,
    wings: [
      { code: 'H1', name: 'Hazel house (induction)', landings: 2, cellsPerLanding: 20, cohort: 'induction' },
      { code: 'H2', name: 'Rowan house', landings: 2, cellsPerLanding: 36, cohort: 'mainstream' },
      { code: 'H3', name: 'Willow house', landings: 2, cellsPerLanding: 36, cohort: 'mainstream' },
      { code: 'H4', name: 'Alder house', landings: 1, cellsPerLanding: 30, cohort: 'vulnerable' },
    ],
  },
  {
    code: 'BGI',
    name: 'HMP Bryn Glas',
    function: 'training',
    isInWales: true,
    sex: 'M',
    people: 400,
    // A prison in Wales names its wings in both languages, as its signs do: a name typed by the prison is shown
    // as typed, in English and Welsh pages alike.
    wings: [
      {
        code: 'A',
        name: 'Adain A (sefydlu) / A wing (induction)',
        landings: 2,
        cellsPerLanding: 20,
        cohort: 'induction',
      },
      { code: 'B', name: 'Adain B / B wing', landings: 3, cellsPerLanding: 30, cohort: 'mainstream' },
      { code: 'C', name: 'Adain C / C wing', landings: 3, cellsPerLanding: 30, cohort: 'mainstream' },
      {
        code: 'D',
        name: 'Adain D (agored i niwed) / D wing (vulnerable prisoners)',
        landings: 2,
        cellsPerLanding: 24,
        cohort: 'vulnerable',
      },
    ],
  },
]

/** Demo accounts: one per role at the male local prison (`demo.officer`), and `demo.<role>.<code>` elsewhere. */
export const demoRoles: { role: Role; username: string; displayName: string }[] = [
  { role: 'officer', username: 'officer', displayName: 'Sam Officer' },
  { role: 'keyworker', username: 'keyworker', displayName: 'Kim Keyworker' },
  { role: 'safercustody', username: 'safercustody', displayName: 'Sol Safercustody' },
  { role: 'healthcare', username: 'healthcare', displayName: 'Hana Healthcare' },
  { role: 'chaplain', username: 'chaplain', displayName: 'Chris Chaplain' },
  { role: 'activities', username: 'activities', displayName: 'Alex Activities' },
  { role: 'governor', username: 'governor', displayName: 'Gwen Governor' },
  { role: 'partner', username: 'partner', displayName: 'Pat Partner' },
  { role: 'monitor', username: 'monitor', displayName: 'Mo Monitor' },
  { role: 'admin', username: 'admin', displayName: 'Ade Admin' },
]

/** M2: the group director oversees the whole demo estate from one account, not one per prison. */
export const demoDirector = { role: 'director', username: 'director', displayName: 'Dee Director' } as const

export type DemoAccount = { username: string; displayName: string; role: Role; establishmentCodes: string[] }

export function demoAccounts(): DemoAccount[] {
  const home = demoEstablishments[0].code
  const accounts: DemoAccount[] = demoRoles.map(({ role, username, displayName }) => ({
    username: `demo.${username}`,
    displayName,
    role,
    // The administrator works across the estate, so the establishment switch has someone to serve.
    establishmentCodes: role === 'admin' ? demoEstablishments.map((establishment) => establishment.code) : [home],
  }))
  for (const establishment of demoEstablishments.slice(1))
    for (const { role, username, displayName } of demoRoles)
      accounts.push({
        username: `demo.${username}.${establishment.code.toLowerCase()}`,
        displayName: `${displayName} (${establishment.code})`,
        role,
        establishmentCodes: [establishment.code],
      })
  accounts.push({
    username: `demo.${demoDirector.username}`,
    displayName: demoDirector.displayName,
    role: demoDirector.role,
    establishmentCodes: demoEstablishments.map((establishment) => establishment.code),
  })
  return accounts
}

export type DemoPerson = {
  prisonNumber: string
  firstName: string
  lastName: string
  dateOfBirth: IsoDate
  establishmentCode: string
  wingCode: string
  cellLabel: string
  cohort: string
  receptionOn: IsoDate
  sex: string
  ethnicity: string | null
  religion: string | null
  disability: string | null
  sexualOrientation: string | null
}

const names = {
  W: {
    male: [
      'James',
      'Daniel',
      'Liam',
      'Connor',
      'Jack',
      'Thomas',
      'Ryan',
      'Craig',
      'Lee',
      'Scott',
      'Dean',
      'Jamie',
      'Gareth',
      'Rhys',
      'Dylan',
      'Owen',
      'Callum',
      'Kyle',
      'Wayne',
      'Darren',
      'Michael',
      'Paul',
      'Mark',
      'Steven',
      'Aled',
      'Tomasz',
      'Piotr',
    ],
    female: [
      'Sarah',
      'Emma',
      'Laura',
      'Gemma',
      'Kelly',
      'Amy',
      'Chloe',
      'Rebecca',
      'Natalie',
      'Stacey',
      'Leanne',
      'Sian',
      'Cerys',
      'Megan',
      'Jade',
      'Nicola',
      'Lisa',
      'Kirsty',
      'Bethan',
      'Agnieszka',
    ],
    last: [
      'Smith',
      'Jones',
      'Williams',
      'Taylor',
      'Brown',
      'Davies',
      'Evans',
      'Wilson',
      'Thomas',
      'Roberts',
      'Johnson',
      'Walker',
      'Wright',
      'Robinson',
      'Thompson',
      'Hughes',
      'Edwards',
      'Green',
      'Hall',
      'Wood',
      'Harris',
      'Lewis',
      'Clarke',
      'Jackson',
      'Price',
      'Morgan',
      'Griffiths',
      'Kowalski',
      'Nowak',
      'Murphy',
      'Kelly',
      'Doherty',
      'Price',
    ],
  },
  B: {
    male: [
      'Tyrone',
      'Marcus',
      'Jermaine',
      'Kwame',
      'Chidi',
      'Emmanuel',
      'Abdi',
      'Leon',
      'Andre',
      'Dwayne',
      'Kofi',
      'Tunde',
      'Mohamed',
    ],
    female: ['Shanice', 'Grace', 'Abena', 'Chantelle', 'Ngozi', 'Simone', 'Keisha', 'Amara', 'Fatuma'],
    last: [
      'Campbell',
      'Williams',
      'Brown',
      'Okafor',
      'Mensah',
      'Adeyemi',
      'Johnson',
      'Clarke',
      'Osei',
      'Hassan',
      'Ali',
      'Francis',
      'Reid',
      'Boateng',
    ],
  },
  A: {
    male: [
      'Mohammed',
      'Imran',
      'Ravi',
      'Arjun',
      'Bilal',
      'Hamza',
      'Sanjay',
      'Tariq',
      'Wei',
      'Adeel',
      'Jaswinder',
      'Zain',
    ],
    female: ['Aisha', 'Priya', 'Fatima', 'Nadia', 'Saima', 'Anjali', 'Mei', 'Shabnam'],
    last: [
      'Khan',
      'Ahmed',
      'Hussain',
      'Patel',
      'Singh',
      'Begum',
      'Ali',
      'Iqbal',
      'Sharma',
      'Chen',
      'Rahman',
      'Akhtar',
      'Kaur',
    ],
  },
  O: {
    male: ['Omar', 'Karim', 'Yusuf', 'Ahmad', 'Luis', 'Nikolai'],
    female: ['Layla', 'Yasmin', 'Elena', 'Mariam'],
    last: ['Haddad', 'Saleh', 'Mansour', 'Rodriguez', 'Petrov', 'Nasser'],
  },
}

const ethnicityMix: (readonly [string, number])[] = [
  ['W1', 62], ['W2', 1], ['W3', 1.5], ['W5', 0.3], ['W9', 8],
  ['B1', 4], ['B2', 4.5], ['B9', 3.5],
  ['A1', 1.2], ['A2', 3.3], ['A3', 0.8], ['A4', 0.2], ['A9', 2.5],
  ['M1', 2.2], ['M2', 0.6], ['M3', 0.6], ['M9', 1.6],
  ['O2', 0.4], ['O9', 1.3], ['NS', 2],
] // prettier-ignore

const ageBands: (readonly [[number, number], number])[] = [
  [[18, 20], 4], [[21, 24], 10], [[25, 29], 17], [[30, 39], 32], [[40, 49], 18], [[50, 59], 11], [[60, 69], 5], [[70, 85], 3],
] // prettier-ignore

function religionFor(random: Random, ethnicity: string | null): string | null {
  if (random.chance(0.08)) return random.chance(0.5) ? 'not-stated' : null
  const group = ethnicity?.[0]
  // Faith correlates with ethnicity in the population; fairness checks need such correlations to find anything.
  if (group === 'A' && ethnicity !== 'A1' && ethnicity !== 'A4')
    return random.weighted([
      ['muslim', 80],
      ['none', 8],
      ['christian', 4],
      ['other', 8],
    ])
  if (ethnicity === 'A1')
    return random.weighted([
      ['sikh', 40],
      ['hindu', 40],
      ['none', 10],
      ['christian', 10],
    ])
  if (group === 'O' || ethnicity === 'B9')
    return random.weighted([
      ['muslim', 55],
      ['christian', 30],
      ['none', 15],
    ])
  return random.weighted([
    ['christian', 47], ['none', 35], ['muslim', 9], ['buddhist', 2], ['pagan', 1.5], ['jewish', 0.5], ['hindu', 0.5], ['sikh', 0.5], ['other', 4],
  ]) // prettier-ignore
}

function isoDate(year: number, month: number, day: number): IsoDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

function daysBefore(today: IsoDate, days: number): IsoDate {
  const instant = new Date(`${today}T00:00:00Z`)
  instant.setUTCDate(instant.getUTCDate() - days)
  return instant.toISOString().slice(0, 10)
}

const letters = [...'ABCDEFGHJKLMNPQRSTUVWXYZ']

/** Builds the people of the estate. `peopleAtFirst` overrides the size of the male local prison. */
export function demoPeople(options: { seed: number; today: IsoDate; peopleAtFirst?: number }): DemoPerson[] {
  const random = seededRandom(options.seed)
  const usedNumbers = new Set<string>()
  const people: DemoPerson[] = []
  const [todayYear] = options.today.split('-').map(Number) as [number]
  demoEstablishments.forEach((establishment, index) => {
    const count = index === 0 && options.peopleAtFirst !== undefined ? options.peopleAtFirst : establishment.people
    const cells = establishment.wings.flatMap((wing) =>
      Array.from({ length: wing.landings * wing.cellsPerLanding }, (_, cellIndex) => ({
        wing,
        label: `${wing.code}-${Math.floor(cellIndex / wing.cellsPerLanding) + 1}-${String((cellIndex % wing.cellsPerLanding) + 1).padStart(3, '0')}`,
      })),
    )
    const occupancy = new Map<string, number>()
    for (let n = 0; n < count; n++) {
      let prisonNumber: string
      do {
        prisonNumber = `${random.pick(letters)}${random.integer(1000, 9999)}${random.pick(letters)}${random.pick(letters)}`
      } while (usedNumbers.has(prisonNumber))
      usedNumbers.add(prisonNumber)
      const ethnicity = random.chance(0.04) ? null : random.weighted(ethnicityMix)
      const group = (
        ethnicity && ethnicity !== 'NS' && ethnicity[0] !== 'M'
          ? ethnicity[0]
          : random.weighted([
              ['W', 6],
              ['B', 3],
              ['A', 1],
            ])
      ) as keyof typeof names
      const nameSet = names[group]
      const firstName = random.pick(establishment.sex === 'F' ? nameSet.female : nameSet.male)
      const lastName = random.pick(nameSet.last)
      const [minAge, maxAge] = random.weighted(ageBands)
      const age = random.integer(minAge, maxAge)
      const dateOfBirth = isoDate(todayYear - age - 1, random.integer(1, 12), random.integer(1, 28))
      // Induction wings hold people received in the last fortnight; everyone else came earlier.
      const cohort = random.weighted([
        ['mainstream', 0.78],
        ['vulnerable', 0.15],
        ['induction', 0.07],
      ] as const)
      const wingsForCohort = establishment.wings.filter((wing) => wing.cohort === cohort)
      // A wing with a free place first: picking among all of them filled one wing past its cells' capacity.
      const wingsWithRoom = wingsForCohort.filter((wing) =>
        cells.some((cell) => cell.wing === wing && (occupancy.get(cell.label) ?? 0) < 2),
      )
      const wing = random.pick(
        wingsWithRoom.length ? wingsWithRoom : wingsForCohort.length ? wingsForCohort : establishment.wings,
      )
      const wingCells = cells.filter((cell) => cell.wing === wing && (occupancy.get(cell.label) ?? 0) < 2)
      const cell = wingCells.length
        ? random.pick(wingCells)
        : random.pick(cells.filter((candidate) => candidate.wing === wing))
      occupancy.set(cell.label, (occupancy.get(cell.label) ?? 0) + 1)
      const receptionOn = daysBefore(
        options.today,
        cohort === 'induction' ? random.integer(0, 13) : random.integer(14, 900),
      )
      people.push({
        prisonNumber,
        firstName,
        lastName,
        dateOfBirth,
        establishmentCode: establishment.code,
        wingCode: wing.code,
        cellLabel: cell.label,
        cohort,
        receptionOn,
        sex: establishment.sex,
        ethnicity,
        religion: religionFor(random, ethnicity),
        disability:
          random.weighted([
            ['no', 62],
            ['yes', 28],
            ['not-stated', 6],
            ['', 4],
          ]) || null,
        sexualOrientation:
          random.weighted([
            ['heterosexual', 88],
            ['gay-or-lesbian', 2],
            ['bisexual', 2.5],
            ['other', 0.5],
            ['not-stated', 4],
            ['', 3],
          ]) || null,
      })
    }
  })
  return people
}
