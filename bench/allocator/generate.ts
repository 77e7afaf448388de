import { DEFAULT_SLOTS } from '../../src/allocator/problem.ts'
import type { Activity, ActivityGroup, Person, Problem } from '../../src/allocator/problem.ts'
import { seededRandom } from '../../src/allocator/random.ts'
import type { Random } from '../../src/allocator/random.ts'

/**
 * Realistic synthetic prisons for the allocator's benchmark. Needs drive wants, and protected
 * characteristics correlate with both needs and cohorts (young men with education and gym, older and
 * disabled people in the vulnerable cohort, people whose first language is not English with ESOL), so
 * that the equality report has something to find.
 */

export type GenerateOptions = {
  people: number
  seed: number
  /** Default: a tenth of the people, between 50 and 300. */
  activities?: number
  /** Prefix for prison numbers, so that the national estate has no duplicates. */
  prefix?: string
}

type Category = 'education' | 'work' | 'interventions' | 'peer-led' | 'gym' | 'chaplaincy' | 'family services'

type CategoryShape = {
  share: number
  slots: [number, number]
  capacity: [number, number]
  names: string[]
}

const CATEGORIES: Record<Category, CategoryShape> = {
  education: {
    share: 0.33,
    slots: [2, 6],
    capacity: [8, 12],
    names: ['ENG', 'MATHS', 'ESOL', 'DIGITAL', 'ART', 'BUSINESS'],
  },
  work: {
    share: 0.25,
    slots: [4, 10],
    capacity: [10, 20],
    names: ['KITCHEN', 'LAUNDRY', 'WORKSHOP', 'GARDENS', 'CLEANING', 'RECYCLING'],
  },
  interventions: {
    share: 0.16,
    slots: [1, 3],
    capacity: [6, 12],
    names: ['SUBSTANCE', 'THINKING', 'VIOLENCE', 'RESOLVE'],
  },
  'peer-led': { share: 0.08, slots: [1, 2], capacity: [6, 12], names: ['LISTENER', 'MENTOR', 'COUNCIL'] },
  gym: { share: 0.08, slots: [1, 3], capacity: [12, 20], names: ['GYM', 'SPORT'] },
  chaplaincy: { share: 0.05, slots: [1, 1], capacity: [12, 20], names: ['FAITH', 'STUDY'] },
  'family services': { share: 0.05, slots: [1, 2], capacity: [6, 10], names: ['PARENTING', 'STORYBOOK', 'FAMILYDAY'] },
}

const WEEKDAY_SLOTS = DEFAULT_SLOTS.filter(
  (slot) => !slot.startsWith('SAT') && !slot.startsWith('SUN') && !slot.endsWith('ED'),
)

function between(random: Random, [low, high]: [number, number]): number {
  return low + random.below(high - low + 1)
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.below(items.length)]
}

function weighted<T>(random: Random, entries: [T, number][]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = random.next() * total
  for (const [value, weight] of entries) {
    roll -= weight
    if (roll < 0) return value
  }
  return entries[entries.length - 1][0]
}

function slotsFor(random: Random, category: Category, count: number): string[] {
  const pool =
    category === 'chaplaincy' || category === 'family services' || category === 'gym'
      ? [...DEFAULT_SLOTS]
      : category === 'peer-led'
        ? DEFAULT_SLOTS.filter((slot) => !slot.startsWith('SUN'))
        : [...WEEKDAY_SLOTS]
  return random.shuffle(pool).slice(0, Math.min(count, pool.length))
}

type Traits = { ageBand: string; ethnicity: string; disability: string; religion: string; firstLanguageEnglish: string }

function traitsFor(random: Random): Traits {
  const ageBand = weighted(random, [
    ['18-24', 18],
    ['25-29', 17],
    ['30-39', 31],
    ['40-49', 18],
    ['50+', 16],
  ])
  const ethnicity = weighted(random, [
    ['White', 72],
    ['Black', 13],
    ['Asian', 8],
    ['Mixed', 5],
    ['Other', 2],
  ])
  const firstLanguageEnglish = random.next() < (ethnicity === 'White' ? 0.95 : 0.7) ? 'yes' : 'no'
  const disability = random.next() < (ageBand === '50+' ? 0.45 : 0.2) ? 'yes' : 'no'
  const religion = weighted(random, [
    ['Christian', 45],
    ['Muslim', ethnicity === 'White' ? 8 : 40],
    ['None', 35],
    ['Other', 6],
  ])
  return { ageBand, ethnicity, disability, religion, firstLanguageEnglish }
}

/** Builds a generated prison as a version 1 problem; the same options always give the same prison. */
export function generatePrison(options: GenerateOptions): Problem {
  const random = seededRandom(options.seed * 7919 + options.people)
  const activityCount = options.activities ?? Math.max(50, Math.min(300, Math.round(options.people / 10)))
  const prefix = options.prefix ?? 'A'

  const traitsByPerson = Array.from({ length: options.people }, () => traitsFor(random))
  const cohorts = traitsByPerson.map((traits) => {
    const vulnerableChance = 0.1 + (traits.ageBand === '50+' ? 0.12 : 0) + (traits.disability === 'yes' ? 0.08 : 0)
    const roll = random.next()
    return roll < vulnerableChance ? 'vulnerable' : roll < vulnerableChance + 0.1 ? 'induction' : 'mainstream'
  })

  // Enough places that most people can have a full week, few enough that popular groups are contested.
  const activities: Activity[] = []
  const categoryOf: Category[] = []
  const popularity: number[] = []
  const categories = Object.keys(CATEGORIES) as Category[]
  for (let a = 0; a < activityCount; a++) {
    const category = weighted(
      random,
      categories.map((name) => [name, CATEGORIES[name].share]),
    )
    const shape = CATEGORIES[category]
    const name = pick(random, shape.names)
    const id = `${category.slice(0, 3).toUpperCase()}-${name}-${a + 1}`
    const groupCount = 1 + random.below(category === 'work' ? 2 : 4)
    const groups: ActivityGroup[] = []
    for (let i = 0; i < groupCount; i++) {
      const capacity = between(random, shape.capacity)
      const slots = slotsFor(random, category, between(random, shape.slots))
      const minSize =
        name === 'SUBSTANCE'
          ? 6
          : category === 'interventions' || category === 'peer-led'
            ? random.next() < 0.5
              ? 4
              : 0
            : 0
      const group: ActivityGroup = { id: `${id}/${String.fromCharCode(97 + i)}`, slots, capacity, minSize }
      const roll = random.next()
      if (roll < 0.15) group.cohorts = ['vulnerable']
      else if (roll < 0.35) group.cohorts = ['mainstream', 'induction']
      else if (roll < 0.4) group.cohorts = ['induction']
      groups.push(group)
    }
    activities.push({ id, category, groups })
    categoryOf.push(category)
    popularity.push(0.2 + random.next() ** 2 * 3)
  }

  const byCategory = new Map<Category, number[]>()
  categoryOf.forEach((category, a) => byCategory.set(category, [...(byCategory.get(category) ?? []), a]))
  const named = (needle: string) => activities.flatMap((activity, a) => (activity.id.includes(needle) ? [a] : []))
  const esol = named('-ESOL-')
  const substance = named('-SUBSTANCE-')

  const people: Person[] = traitsByPerson.map((traits, p) => {
    const young = traits.ageBand === '18-24' || traits.ageBand === '25-29'
    const older = traits.ageBand === '50+'
    const need: [Category, number][] = [
      ['education', young ? 3 : 1.5],
      ['work', older ? 1 : 2.5],
      ['interventions', 1.5],
      ['peer-led', older ? 1 : 0.6],
      ['gym', young ? 2.5 : traits.disability === 'yes' ? 0.3 : 1],
      ['chaplaincy', traits.religion === 'None' ? 0.2 : 1],
      ['family services', traits.ageBand === '30-39' ? 1 : 0.5],
    ]
    const wantedCount = 3 + random.below(8)
    const wants: Record<string, number> = {}
    if (traits.firstLanguageEnglish === 'no' && esol.length > 0)
      wants[activities[pick(random, esol)].id] = 9 + random.below(2)
    if (random.next() < 0.35 && substance.length > 0)
      wants[activities[pick(random, substance)].id] = 6 + random.below(5)
    for (let tries = 0; Object.keys(wants).length < wantedCount && tries < 50; tries++) {
      const list = byCategory.get(weighted(random, need))
      if (!list) continue
      const a = weighted(
        random,
        list.map((index) => [index, popularity[index]]),
      )
      const id = activities[a].id
      if (!(id in wants)) wants[id] = 1 + random.below(10)
    }
    const unavailable = random.shuffle([...DEFAULT_SLOTS]).slice(0, random.below(4))
    const current: string[] = []
    if (cohorts[p] !== 'induction')
      for (const id of Object.keys(wants))
        if (random.next() < 0.3) {
          const activity = activities.find((candidate) => candidate.id === id)!
          const group = pick(random, activity.groups)
          if (!group.cohorts || group.cohorts.includes(cohorts[p])) current.push(group.id)
        }
    return {
      id: `${prefix}${String(p + 1).padStart(5, '0')}`,
      cohort: cohorts[p],
      maxSessions: weighted(random, [
        [8, 2],
        [10, 6],
        [12, 2],
      ]),
      unavailable,
      wants,
      current,
      traits: { ...traits },
    }
  })

  const separatedPeople: [string, string][] = []
  for (let i = 0; i < Math.round(options.people * 0.01); i++) {
    const a = random.below(options.people)
    const b = random.below(options.people)
    if (a !== b) separatedPeople.push([people[a].id, people[b].id])
  }

  return {
    version: 1,
    slots: [...DEFAULT_SLOTS],
    fairness: { targetSessions: 10, weight: 1 },
    continuityBonus: 0.5,
    people,
    activities,
    separations: { cohorts: [['mainstream', 'vulnerable']], people: separatedPeople },
  }
}

/**
 * The same prison a week later: about 1% of people replaced by new arrivals and 1% with changed wants,
 * everyone else keeping the groups of `previous` as their current groups. Used to measure churn.
 */
export function nextWeek(problem: Problem, previous: { person: string; group: string }[], seed: number): Problem {
  const random = seededRandom(seed * 104729 + 17)
  const fresh = generatePrison({
    people: problem.people.length,
    seed: seed + 999,
    activities: problem.activities.length,
  })
  const byPerson = new Map<string, string[]>()
  for (const { person, group } of previous) byPerson.set(person, [...(byPerson.get(person) ?? []), group])
  const activityIds = problem.activities.map((activity) => activity.id)
  const changes = Math.max(1, Math.round(problem.people.length * 0.01))
  const replaced = new Set(random.shuffle(problem.people.map((_, p) => p)).slice(0, changes))
  const rewanted = new Set(random.shuffle(problem.people.map((_, p) => p)).slice(0, changes))
  const people = problem.people.map((person, p) => {
    if (replaced.has(p)) {
      const arrival = fresh.people[p]
      const wants = Object.fromEntries(
        Object.values(arrival.wants).map((weight) => [pick(random, activityIds), weight]),
      )
      return { ...arrival, id: `${person.id}N`, wants, current: [] }
    }
    const wants = { ...person.wants }
    if (rewanted.has(p)) {
      const keys = Object.keys(wants)
      delete wants[pick(random, keys)]
      wants[pick(random, activityIds)] = 1 + random.below(10)
    }
    return { ...person, wants, current: byPerson.get(person.id) ?? [] }
  })
  const ids = new Set(people.map((person) => person.id))
  return {
    ...problem,
    people,
    separations: {
      ...problem.separations,
      people: problem.separations.people.filter(([a, b]) => ids.has(a) && ids.has(b)),
    },
  }
}
