import type { Db } from '../db/database.ts'
import type { ActivityCategory, DeliveryMode, IsoDate } from '../db/schema.ts'
import {
  allSlots,
  defaultPeriodTimes,
  frameworkOf,
  needsFromAnswers,
  orderedPair,
  wantsFrom,
  type Answers,
  type Need,
} from '../areas/regime/rules.ts'
import { addDays } from '../platform/dates.ts'
import * as store from '../areas/regime/store.ts'
import { inBatches } from './batches.ts'
import { peopleOnTheirWings } from './roll.ts'
import { seededRandom, type Random } from './random.ts'

/**
 * R1-R4 in the demo estate: each prison's usable day, an offer of about 150 activities at HMP Northgate
 * (fewer at the smaller prisons) with realistic names, providers and group sizes, mainstream and vulnerable
 * people kept apart, about 2% of people in a non-association, and a needs assessment for everyone received
 * before today whose wants the allocation demo then solves. Runs after the staff, key work and journey demos.
 */

type Template = {
  code: string
  name: string
  category: ActivityCategory
  needs: Need[]
  /** Slug of a demo partner organisation; none means the prison runs it. */
  provider?: string
  mode?: DeliveryMode
  capacity: number
  minSize?: number
  /** Slots a week each group meets. */
  sessions: number
  /** Groups at a prison of 1,200; scaled down for smaller ones, never below one. */
  groups: number
  /** Only at the largest prison. */
  largeOnly?: boolean
  /** Weekend and evening activities draw from their own slots. */
  when?: 'weekday' | 'evening' | 'weekend'
  /** The slots of an activity named by its day (Friday prayers), instead of slots drawn at random. */
  slots?: string[]
  location: string
}

/** What only some activities have: a provider, a smallest group, only at the largest prison, when it meets. */
type Unusual = Pick<Template, 'provider' | 'mode' | 'minSize' | 'largeOnly' | 'when' | 'slots'>

/**
 * One activity a row, as a head of regime would list the offer: its code, its name, the needs it meets, how many
 * a group takes, the slots a week each group meets, its groups at a prison of 1,200 and where it meets; then
 * whatever is unusual about it.
 */
type Offered = [
  code: string,
  name: string,
  needs: Need[],
  capacity: number,
  sessions: number,
  groups: number,
  location: string,
  unusual?: Unusual,
]

function activities(category: ActivityCategory, rows: Offered[]): Template[] {
  return rows.map(([code, name, needs, capacity, sessions, groups, location, unusual]) => ({
    code,
    name,
    category,
    needs,
    capacity,
    sessions,
    groups,
    location,
    ...unusual,
  }))
}

const education: Template[] = [
  ...(['E1', 'E2', 'E3', 'L1', 'L2'] as const).flatMap((level): Template[] => {
    const needs: Need[] =
      level === 'L2'
        ? ['english-maths-level-2']
        : level === 'L1'
          ? ['english-maths-level-1']
          : ['english-maths-entry', 'learning-support']
    const title = level.startsWith('E') ? `Entry level ${level.slice(1)}` : `Level ${level.slice(1)}`
    // prettier-ignore
    return activities('education', [
      [`EDU-ENG-${level}`, `English, ${title}`, needs, 10, 3, 3, 'Education block', { minSize: 4, largeOnly: level === 'E1' }],
      [`EDU-MATHS-${level}`, `Maths, ${title}`, needs, 10, 3, 3, 'Education block', { minSize: 4, largeOnly: level === 'E1' }],
    ])
  }),
  // prettier-ignore
  ...activities('education', [
    ['EDU-ESOL-E1', 'ESOL, Entry level 1', ['esol'], 8, 4, 2, 'Education block', { minSize: 3 }],
    ['EDU-ESOL-E3', 'ESOL, Entry level 3', ['esol'], 8, 4, 2, 'Education block', { minSize: 3, largeOnly: true }],
    ['EDU-ESOL-L1', 'ESOL, Level 1', ['esol'], 8, 3, 1, 'Education block', { minSize: 3, largeOnly: true }],
    ['EDU-DIGITAL', 'Digital skills', ['english-maths-level-1', 'english-maths-level-2', 'resettlement'], 10, 2, 2, 'IT suite'],
    ['EDU-ART', 'Art and design', ['mental-health'], 12, 2, 2, 'Art room'],
    ['EDU-BUSINESS', 'Business enterprise', ['english-maths-level-2', 'resettlement'], 12, 2, 1, 'Education block', { provider: 'second-chapter' }],
    ['EDU-MUSIC', 'Music', ['mental-health'], 8, 2, 1, 'Music room', { largeOnly: true }],
    ['EDU-WRITING', 'Creative writing', ['english-maths-level-2'], 10, 1, 1, 'Library', { largeOnly: true }],
    ['EDU-OU', 'Open University study', ['english-maths-level-2'], 15, 2, 1, 'Library', { mode: 'in-cell' }],
    ['EDU-SUPPORT', 'Learning support', ['learning-support'], 6, 2, 2, 'Education block', { mode: 'one-to-one' }],
    ['EDU-READING', 'Reading plan (Shannon Trust)', ['english-maths-entry', 'learning-support'], 8, 2, 2, 'Wing association rooms', { provider: 'open-door', mode: 'one-to-one' }],
    ['EDU-PREP', 'Preparation for work', ['work-skills', 'resettlement'], 12, 2, 2, 'Education block'],
    ['EDU-HEALTHY', 'Healthy living', ['physical-health'], 12, 1, 1, 'Education block', { largeOnly: true }],
    ['EDU-BARBER-NVQ', 'Barbering, level 2', ['work-skills'], 8, 3, 1, 'Barbershop', { minSize: 4 }],
  ]),
]

const trades: [string, string, string][] = [
  ['KITCHEN', 'Main kitchen', 'Main kitchen'],
  ['KITCHEN-BAKERY', 'Kitchen bakery', 'Main kitchen'],
  ['LAUNDRY', 'Laundry', 'Laundry'],
  ['WASTE', 'Waste management', 'Waste compound'],
  ['RECYCLING', 'Recycling', 'Waste compound'],
  ['GARDENS', 'Gardens and horticulture', 'Gardens'],
  ['BARBER', 'Barbering', 'Barbershop'],
  ['PAINTING', 'Painting and decorating', 'Workshop 1'],
  ['BRICK', 'Bricklaying', 'Workshop 2'],
  ['CARPENTRY', 'Carpentry', 'Workshop 3'],
  ['PLASTERING', 'Plastering', 'Workshop 2'],
  ['MULTISKILLS', 'Multi-skills construction', 'Workshop 1'],
  ['TEXTILES', 'Textiles workshop', 'Workshop 4'],
  ['BICS', 'Industrial cleaning (BICS)', 'Workshop 4'],
  ['ASSEMBLY', 'Contract assembly workshop', 'Workshop 5'],
  ['PRINT', 'Print shop', 'Workshop 5'],
  ['BIKES', 'Bike repair', 'Workshop 3'],
  ['CAFE', 'Visits hall café', 'Visits hall'],
  ['STORES', 'Stores and distribution', 'Stores'],
  ['MAINT', 'Works department', 'Works yard'],
]
const orderlies: [string, string, string][] = [
  ['LIBRARY', 'Library orderly', 'Library'],
  ['EDUCATION', 'Education orderly', 'Education block'],
  ['GYM', 'Gym orderly', 'Gym'],
  ['CHAPLAINCY', 'Chaplaincy orderly', 'Chapel'],
  ['RECEPTION', 'Reception orderly', 'Reception'],
  ['INDUCTION', 'Induction orderly', 'Induction wing'],
  ['HEALTHCARE', 'Healthcare orderly', 'Healthcare centre'],
  ['VISITS', 'Visits orderly', 'Visits hall'],
]

const work: Template[] = [
  ...trades.map(([code, name, location], index): Template => ({
    code: `WRK-${code}`,
    name,
    category: 'work',
    needs: ['work-skills'],
    capacity: code === 'KITCHEN' ? 16 : 12,
    sessions: code === 'KITCHEN' || code === 'LAUNDRY' ? 8 : 6,
    groups: code === 'KITCHEN' ? 2 : 1,
    largeOnly: index >= 12,
    location,
  })),
  ...orderlies.map(([code, name, location], index): Template => ({
    code: `WRK-ORD-${code}`,
    name,
    category: 'work',
    needs: ['work-skills', 'peer-support'],
    capacity: 3,
    sessions: 6,
    groups: 1,
    largeOnly: index >= 4,
    location,
  })),
]

/** Wing cleaners, serveries and gym sessions: one per wing, open to that wing's cohort. */
function perWing(wing: { code: string; name: string }): Template[] {
  return [
    ...activities('work', [
      [`WRK-CLEAN-${wing.code}`, `Wing cleaner, ${wing.name}`, ['work-skills'], 6, 6, 1, wing.name],
      [`WRK-SERVERY-${wing.code}`, `Servery, ${wing.name}`, ['work-skills'], 6, 5, 1, wing.name],
    ]),
    ...activities('gym', [
      [`GYM-WING-${wing.code}`, `Gym, ${wing.name}`, ['physical-health'], 20, 2, 1, 'Sports hall'],
    ]),
  ]
}

// prettier-ignore
const interventions = activities('intervention', [
  ['INT-TSP', 'Thinking Skills Programme', ['offending-behaviour'], 10, 2, 2, 'Programmes unit', { minSize: 6 }],
  ['INT-BBR', 'Building Better Relationships', ['offending-behaviour', 'family-contact'], 10, 2, 1, 'Programmes unit', { minSize: 6, largeOnly: true }],
  ['INT-RESOLVE', 'Resolve (violence)', ['offending-behaviour'], 8, 2, 1, 'Programmes unit', { minSize: 5 }],
  ['INT-KAIZEN', 'Kaizen', ['offending-behaviour'], 8, 2, 1, 'Programmes unit', { minSize: 5, largeOnly: true }],
  ['INT-VICTIM', 'Victim awareness', ['offending-behaviour'], 12, 1, 1, 'Programmes unit'],
  ['INT-SUB-RECOVERY', 'Substance misuse recovery group', ['substance-misuse'], 12, 2, 3, 'Recovery wing group room', { provider: 'bridge', minSize: 6 }],
  ['INT-SUB-ALCOHOL', 'Alcohol awareness', ['substance-misuse'], 12, 1, 2, 'Recovery wing group room', { provider: 'bridge', minSize: 6 }],
  ['INT-SUB-SMART', 'SMART Recovery', ['substance-misuse'], 12, 1, 2, 'Recovery wing group room', { provider: 'bridge', minSize: 6 }],
  ['INT-SUB-12STEP', 'Twelve-step fellowship', ['substance-misuse'], 15, 1, 1, 'Chapel side room', { provider: 'bridge', minSize: 6, when: 'evening' }],
  ['INT-SUB-121', 'Recovery keywork', ['substance-misuse'], 6, 1, 2, 'Healthcare centre', { provider: 'bridge', mode: 'one-to-one' }],
  ['INT-HOUSING', 'Housing advice', ['housing', 'resettlement'], 10, 1, 2, 'Resettlement hub'],
  ['INT-MONEY', 'Money and debt advice', ['debt', 'resettlement'], 10, 1, 1, 'Resettlement hub'],
  ['INT-EMPLOY', 'Employment hub', ['resettlement', 'work-skills'], 12, 1, 2, 'Resettlement hub', { provider: 'second-chapter' }],
  ['INT-ID', 'ID, bank account and benefits', ['resettlement'], 10, 1, 1, 'Resettlement hub'],
  ['INT-THROUGHGATE', 'Through-the-gate mentoring', ['resettlement', 'housing'], 6, 1, 1, 'Resettlement hub', { provider: 'open-door', mode: 'one-to-one' }],
])

// prettier-ignore
const therapeutic = activities('therapeutic', [
  ['THR-WELLBEING', 'Mental health wellbeing group', ['mental-health'], 8, 1, 2, 'Healthcare centre', { provider: 'riverside', minSize: 4 }],
  ['THR-ANXIETY', 'Managing anxiety', ['mental-health'], 8, 1, 1, 'Healthcare centre', { provider: 'riverside', minSize: 4 }],
  ['THR-HEALING', 'Trauma-informed healing group', ['mental-health'], 8, 1, 1, 'Healthcare centre', { provider: 'riverside', minSize: 4, largeOnly: true }],
  ['THR-ARTTHERAPY', 'Art therapy', ['mental-health'], 6, 1, 1, 'Art room'],
  ['THR-MINDFUL', 'Mindfulness', ['mental-health', 'substance-misuse'], 12, 1, 1, 'Chapel side room'],
  ['THR-BEREAVE', 'Bereavement support', ['mental-health', 'family-contact'], 4, 1, 1, 'Chaplaincy', { provider: 'listening-post', mode: 'one-to-one' }],
  ['THR-SLEEP', 'Better sleep', ['mental-health'], 10, 1, 1, 'Healthcare centre', { provider: 'riverside', largeOnly: true }],
  ['THR-ANGER', 'Managing emotions', ['mental-health', 'offending-behaviour'], 10, 1, 1, 'Programmes unit', { largeOnly: true }],
])

// prettier-ignore
const peerLed = activities('peer-led', [
  ['PEER-LISTENER', 'Listener group', ['immediate-support', 'peer-support'], 10, 1, 1, 'Listener suite', { provider: 'listening-post', when: 'evening' }],
  ['PEER-LISTENER-TRAIN', 'Listener training', ['peer-support'], 8, 2, 1, 'Chaplaincy', { provider: 'listening-post', minSize: 4 }],
  ['PEER-INSIDER', 'Insider induction sessions', ['settling-in', 'immediate-support'], 12, 3, 2, 'Induction wing'],
  ['PEER-FIRSTNIGHT', 'First nights support', ['settling-in', 'immediate-support'], 6, 2, 1, 'Induction wing', { mode: 'one-to-one', when: 'evening' }],
  ['PEER-MENTOR', 'Peer mentoring', ['settling-in', 'peer-support'], 10, 1, 2, 'Education block', { provider: 'open-door' }],
  ['PEER-COUNCIL', 'Prisoner council', ['peer-support'], 12, 1, 1, 'Library'],
  ['PEER-VRREPS', 'Violence reduction reps', ['peer-support'], 8, 1, 1, 'Safer custody office', { largeOnly: true }],
  ['PEER-LIVED', 'Lived experience recovery group', ['substance-misuse', 'settling-in'], 10, 1, 1, 'Recovery wing group room', { provider: 'second-chapter', minSize: 6 }],
  ['PEER-NEURO', 'Neurodiversity peer support', ['learning-support'], 8, 1, 1, 'Library', { largeOnly: true }],
  ['PEER-CUSTODY', 'Learning to live in custody', ['settling-in'], 12, 2, 1, 'Induction wing'],
])

// prettier-ignore
const chaplaincy = activities('chaplaincy', [
  ['FAITH-CHAPEL', 'Sunday worship (chapel)', ['faith'], 40, 1, 1, 'Chapel', { when: 'weekend', slots: ['SUN_AM'] }],
  ['FAITH-MASS', 'Catholic Mass', ['faith'], 30, 1, 1, 'Chapel', { when: 'weekend' }],
  // Jumu'ah is the early afternoon prayer of a Friday.
  ['FAITH-JUMMAH', 'Friday prayers (mosque)', ['faith'], 40, 1, 1, 'Multi-faith room', { slots: ['FRI_PM'] }],
  ['FAITH-MULTI', 'Multi-faith gathering', ['faith'], 20, 1, 1, 'Multi-faith room'],
  ['FAITH-BIBLE', 'Bible study', ['faith'], 15, 1, 1, 'Chapel', { when: 'evening' }],
  ['FAITH-QURAN', 'Quran study', ['faith'], 15, 1, 1, 'Multi-faith room', { when: 'evening' }],
  ['FAITH-BUDDHIST', 'Buddhist meditation', ['faith', 'mental-health'], 10, 1, 1, 'Multi-faith room', { largeOnly: true }],
  ['FAITH-SIKH', 'Sikh worship', ['faith'], 10, 1, 1, 'Multi-faith room', { largeOnly: true }],
  ['FAITH-JEWISH', 'Jewish study and prayer', ['faith'], 6, 1, 1, 'Multi-faith room', { largeOnly: true }],
  ['FAITH-PAGAN', 'Pagan gathering', ['faith'], 8, 1, 1, 'Multi-faith room', { largeOnly: true }],
  ['FAITH-ALPHA', 'Alpha course', ['faith'], 15, 1, 1, 'Chapel', { when: 'evening' }],
  ['FAITH-SYCAMORE', 'Sycamore Tree (restorative justice)', ['offending-behaviour', 'faith'], 12, 1, 1, 'Chapel', { minSize: 6 }],
])

// prettier-ignore
const family = activities('family', [
  ['FAM-DAYS', 'Family days', ['family-contact', 'parenting'], 20, 1, 2, 'Visits hall', { when: 'weekend' }],
  ['FAM-STORYBOOK', 'Storybook Dads', ['parenting', 'family-contact'], 8, 1, 1, 'Library'],
  ['FAM-PARENTING', 'Time for Families parenting course', ['parenting'], 10, 1, 2, 'Family centre', { minSize: 5 }],
  ['FAM-HOMEWORK', 'Homework club', ['parenting'], 10, 1, 1, 'Visits hall', { when: 'weekend' }],
  ['FAM-CONTACT', 'Family contact support', ['family-contact'], 6, 1, 2, 'Family centre', { provider: 'open-door', mode: 'one-to-one' }],
  ['FAM-RELATIONSHIPS', 'Healthy relationships', ['family-contact'], 10, 1, 1, 'Family centre', { largeOnly: true }],
])

// prettier-ignore
const gym = activities('gym', [
  ['GYM-FOOTBALL', 'Football', ['physical-health'], 20, 1, 2, 'Sports field', { when: 'weekend' }],
  ['GYM-OVER50', 'Over-50s fitness', ['physical-health'], 12, 1, 1, 'Gym'],
  ['GYM-REMEDIAL', 'Remedial gym', ['physical-health', 'mental-health'], 8, 1, 1, 'Gym'],
  ['GYM-CIRCUITS', 'Circuits', ['physical-health'], 16, 1, 2, 'Sports hall', { when: 'evening' }],
  ['GYM-YOGA', 'Yoga', ['physical-health', 'mental-health'], 12, 1, 1, 'Sports hall'],
  ['GYM-QUAL', 'Fitness instructor, level 2', ['work-skills', 'physical-health'], 8, 2, 1, 'Gym', { minSize: 4, largeOnly: true }],
  ['GYM-PARKRUN', 'Parkrun', ['physical-health'], 30, 1, 1, 'Sports field', { when: 'weekend' }],
  ['GYM-BASKETBALL', 'Basketball', ['physical-health'], 16, 1, 1, 'Sports hall', { largeOnly: true }],
])

/** What only a large local prison runs: short courses, more trades and smaller groups. */
const largePrisonExtras: Template[] = (
  [
    ['EDU-ENG-GCSE', 'English GCSE', 'education', ['english-maths-level-2'], 'Education block'],
    ['EDU-MATHS-GCSE', 'Maths GCSE', 'education', ['english-maths-level-2'], 'Education block'],
    ['EDU-FOODHYG', 'Food hygiene, level 2', 'education', ['work-skills'], 'Main kitchen'],
    ['EDU-FIRSTAID', 'First aid at work', 'education', ['work-skills', 'resettlement'], 'Education block'],
    ['EDU-CSCS', 'Construction site safety (CSCS card)', 'education', ['work-skills', 'resettlement'], 'Workshop 1'],
    ['EDU-FORKLIFT', 'Forklift licence', 'education', ['work-skills'], 'Stores'],
    ['EDU-BOOKCLUB', 'Reading group', 'education', ['english-maths-level-1'], 'Library'],
    ['WRK-UPHOLSTERY', 'Upholstery', 'work', ['work-skills'], 'Workshop 4'],
    ['WRK-WELDING', 'Welding and fabrication', 'work', ['work-skills'], 'Workshop 6'],
    ['WRK-MOTOR', 'Motor vehicle workshop', 'work', ['work-skills'], 'Workshop 6'],
    ['WRK-DRYLINING', 'Dry lining', 'work', ['work-skills'], 'Workshop 2'],
    ['WRK-DATA', 'Data entry workshop', 'work', ['work-skills', 'english-maths-level-2'], 'IT suite'],
    ['WRK-BRAILLE', 'Braille transcription', 'work', ['work-skills'], 'Library'],
    ['THR-DRAMA', 'Drama therapy', 'therapeutic', ['mental-health'], 'Chapel side room'],
    ['THR-DOGS', 'Therapy dog visits', 'therapeutic', ['mental-health', 'settling-in'], 'Healthcare centre'],
    ['INT-GAMBLING', 'Gambling awareness', 'intervention', ['substance-misuse', 'debt'], 'Recovery wing group room'],
    [
      'INT-VETERANS',
      'Veterans in custody support',
      'intervention',
      ['resettlement', 'mental-health'],
      'Resettlement hub',
    ],
    [
      'PEER-RECOVERYCAFE',
      'Recovery café',
      'peer-led',
      ['substance-misuse', 'peer-support'],
      'Recovery wing group room',
    ],
    ['PEER-SPORTSLEADERS', 'Sports leaders', 'peer-led', ['peer-support', 'physical-health'], 'Sports hall'],
    ['FAM-DADS', 'Dads inside', 'family', ['parenting'], 'Family centre'],
    ['FAM-VIDEO', 'Video calls with family', 'family', ['family-contact'], 'Visits hall'],
    ['GYM-BADMINTON', 'Badminton', 'gym', ['physical-health'], 'Sports hall'],
    ['GYM-WEIGHTS', 'Weights', 'gym', ['physical-health'], 'Gym'],
  ] as const
).map(([code, name, category, needs, location]) => ({
  code,
  name,
  category,
  needs: [...needs],
  capacity: category === 'work' ? 10 : category === 'gym' ? 16 : 10,
  sessions: category === 'work' ? 6 : 1,
  groups: 1,
  largeOnly: true,
  location,
}))

const catalogue = [
  ...education,
  ...work,
  ...interventions,
  ...therapeutic,
  ...peerLed,
  ...chaplaincy,
  ...family,
  ...gym,
  ...largePrisonExtras,
]

const weekdaySlots = allSlots.filter((slot) => !/^(SAT|SUN)/.test(slot) && !slot.endsWith('_ED'))
const eveningSlots = ['MON_ED', 'TUE_ED', 'WED_ED', 'THU_ED']
const weekendSlots = ['SAT_AM', 'SAT_PM', 'SUN_AM', 'SUN_PM']
/** The usable day: weekday mornings and afternoons, four evenings, weekend mornings and afternoons. */
const usableSlots = [...weekdaySlots, ...eveningSlots, ...weekendSlots]

function slotsFor(random: Random, template: Template): string[] {
  const pool = template.when === 'evening' ? eveningSlots : template.when === 'weekend' ? weekendSlots : weekdaySlots
  // Drawn even for fixed slots, so that every other group of the demo keeps the slots a seed has always given it.
  const start = random.integer(0, pool.length - 1)
  if (template.slots) return template.slots
  const count = Math.min(template.sessions, pool.length)
  // Work and courses meet at the same period on consecutive days, as timetables do.
  const period = pool[start].slice(4)
  const samePeriod = pool.filter((slot) => slot.endsWith(period))
  const chosen = new Set<string>()
  let index = samePeriod.indexOf(pool[start])
  while (chosen.size < Math.min(count, samePeriod.length)) {
    chosen.add(samePeriod[index % samePeriod.length])
    index += 1
  }
  for (const slot of pool) if (chosen.size < count && !chosen.has(slot)) chosen.add(slot)
  return [...chosen].sort((a, b) => allSlots.indexOf(a) - allSlots.indexOf(b))
}

function answersFor(random: Random, options: { isWomen: boolean; isNew: boolean }): Answers {
  const pick = <T extends string>(entries: [T, number][]) => random.weighted(entries)
  // A yes or no answer given yes's chance.
  const yesOrNo = (yes: number) =>
    pick<'yes' | 'no'>([
      ['yes', yes],
      ['no', 1 - yes],
    ])
  return {
    immediateNeeds: pick([
      ['none', 0.8],
      ['some', 0.14],
      ['urgent', 0.06],
    ]),
    firstTimeInCustody: yesOrNo(options.isNew ? 0.4 : 0.25),
    healthFlag: yesOrNo(options.isWomen ? 0.45 : 0.3),
    substanceUse: pick([
      ['none', 0.55],
      ['past', 0.27],
      ['current', 0.18],
    ]),
    housing: pick([
      ['settled', 0.65],
      ['at-risk', 0.2],
      ['none', 0.15],
    ]),
    debts: yesOrNo(0.25),
    dependants: yesOrNo(options.isWomen ? 0.6 : 0.4),
    familyContact: pick([
      ['regular', 0.6],
      ['some', 0.3],
      ['none', 0.1],
    ]),
    educationLevel: pick([
      ['entry', 0.25],
      ['level-1', 0.35],
      ['level-2', 0.4],
    ]),
    additionalLearningNeeds: yesOrNo(0.25),
    englishFirstLanguage: yesOrNo(0.88),
    workHistory: pick([
      ['none', 0.3],
      ['some', 0.5],
      ['skilled', 0.2],
    ]),
    faithPractice: yesOrNo(0.35),
    releaseWithin: pick([
      ['under-12-months', 0.35],
      ['over-12-months', 0.45],
      ['not-known', 0.2],
    ]),
    sentencePlanIntervention: yesOrNo(0.3),
    peerSupport: yesOrNo(0.12),
  }
}

const healthContacts = ['Mental health in-reach team', 'Healthcare, primary care nurse', 'Riverside mental health team']
const wishesSaid = [
  'Wants a trade for when they get out',
  'Would like to work in the kitchens',
  'Wants to keep fit and stay busy',
  'Wants to keep in touch with the children',
  'Would like to improve reading',
  'Wants to do something useful with the time',
  '',
  '',
]

export async function seedRegimeDemo(trx: Db, options: { seed: number; today: IsoDate }): Promise<void> {
  const random = seededRandom(options.seed * 65_537 + 29)
  const { today } = options
  const now = new Date(`${today}T12:00:00Z`)
  const organisations = await trx.selectFrom('organisation').select(['id', 'name']).execute()
  const organisationSlugs: Record<string, string> = {
    bridge: 'Bridge Recovery Trust',
    'listening-post': 'The Listening Post Trust',
    'open-door': 'Open Door Mentoring',
    riverside: 'Riverside Community Health Partnership',
    'second-chapter': 'Second Chapter Lived Experience Network',
  }
  const providerId = (slug: string | undefined) =>
    slug ? (organisations.find((row) => row.name === organisationSlugs[slug])?.id ?? null) : null

  const establishments = await trx.selectFrom('establishment').select(['code', 'function']).orderBy('code').execute()
  for (const establishment of establishments) {
    const code = establishment.code
    const people = await peopleOnTheirWings(trx)
      .where('p.establishment_code', '=', code)
      .orderBy('p.prison_number')
      .execute()
    if (people.length === 0) continue
    const wings = await trx
      .selectFrom('wing')
      .select(['code', 'name'])
      .where('establishment_code', '=', code)
      .orderBy('code')
      .execute()
    // A wing's cohort is the cohort most of its people are in.
    const cohortOfWing = new Map<string, string>()
    for (const wing of wings) {
      const counts = new Map<string, number>()
      for (const person of people)
        if (person.wingCode === wing.code) counts.set(person.cohort, (counts.get(person.cohort) ?? 0) + 1)
      cohortOfWing.set(wing.code, [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'mainstream')
    }

    // R2: the usable day.
    await store.replaceUsableDay(
      trx,
      code,
      usableSlots.map((slot) => ({ slot, ...defaultPeriodTimes[slot.slice(4) as keyof typeof defaultPeriodTimes] })),
    )
    // R4: mainstream and vulnerable people never share a group.
    await store.insertCohortSeparation(trx, code, 'mainstream', 'vulnerable')

    // R2, R4: the offer, scaled to the prison.
    const isLarge = people.length >= 900
    const scale = Math.max(0.34, people.length / 1200)
    const templates = [
      ...catalogue.filter((template) => isLarge || !template.largeOnly),
      ...wings.flatMap((wing) => perWing(wing).map((template) => ({ ...template, wingCode: wing.code }))),
    ]
    const activityRows = await trx
      .insertInto('activity')
      .values(
        templates.map((template) => ({
          establishment_code: code,
          code: template.code,
          // A women's prison runs the same scheme for mothers.
          name:
            establishment.function === 'womens'
              ? template.name.replace('Storybook Dads', 'Storybook Mums')
              : template.name,
          category: template.category,
          provider_organisation_id: providerId(template.provider),
          delivery_mode: template.mode ?? 'group',
          description: '',
          created_at: now,
        })),
      )
      .returning(['id', 'code'])
      .execute()
    const activityId = new Map(activityRows.map((row) => [row.code, row.id]))
    const groups: {
      activity_id: string
      code: string
      location: string
      slots: string[]
      capacity: number
      min_size: number
      cohorts: string[] | null
    }[] = []
    for (const template of templates) {
      const wingCode = 'wingCode' in template ? (template.wingCode as string) : null
      const count = wingCode ? 1 : Math.max(1, Math.round(template.groups * scale))
      for (let n = 0; n < count; n++) {
        // One group in three of a multi-group activity is for the vulnerable cohort; a wing's own is its cohort's.
        const cohorts = wingCode
          ? [cohortOfWing.get(wingCode) ?? 'mainstream']
          : template.needs.includes('settling-in')
            ? ['induction', 'mainstream']
            : count > 1 && n === count - 1
              ? ['vulnerable']
              : count > 1
                ? ['mainstream', 'induction']
                : null
        groups.push({
          activity_id: activityId.get(template.code)!,
          code: String.fromCharCode(97 + n),
          location: template.location,
          slots: slotsFor(random, template),
          capacity: template.capacity,
          min_size: template.minSize ?? 0,
          cohorts,
        })
      }
    }
    await inBatches(groups, 2000, (batch) => trx.insertInto('activity_group').values(batch).execute())
    await inBatches(
      templates.flatMap((template) =>
        template.needs.map((need) => ({ establishment_code: code, need, activity_id: activityId.get(template.code)! })),
      ),
      2000,
      (batch) => trx.insertInto('need_activity').values(batch).execute(),
    )

    // R4: about 2% of people in a non-association, a few of them closed since.
    const assessors = await trx
      .selectFrom('staff_user as s')
      .innerJoin('staff_user_establishment as e', 'e.staff_user_id', 's.id')
      .select('s.id')
      .where('e.establishment_code', '=', code)
      .where('s.role', 'in', ['officer', 'keyworker'])
      .orderBy('s.username')
      .execute()
    const pairs = new Set<string>()
    const nonAssociations = []
    for (let n = 0; n < Math.round(people.length / 100); n++) {
      const a = random.pick(people)
      const b = random.pick(people)
      if (a.id === b.id) continue
      const [first, second] = orderedPair(a.id, b.id)
      if (pairs.has(`${first}|${second}`)) continue
      pairs.add(`${first}|${second}`)
      const createdAt = new Date(`${addDays(today, -random.integer(5, 300))}T10:00:00Z`)
      const closed = random.chance(0.15)
      nonAssociations.push({
        person_a_id: first,
        person_b_id: second,
        reason: random.weighted([
          ['violence', 3],
          ['threat', 2],
          ['bullying', 2],
          ['gang-related', 2],
          ['organised-crime', 1],
          ['legal-request', 0.5],
          ['other', 0.5],
        ] as const),
        level: random.weighted([
          ['regime', 4],
          ['wing', 3],
          ['landing', 1],
          ['cell', 1],
        ] as const),
        comment: '',
        created_at: createdAt,
        created_by: assessors.length ? random.pick(assessors).id : null,
        closed_at: closed ? now : null,
        closed_by: closed && assessors.length ? random.pick(assessors).id : null,
        closed_reason: closed ? 'Reviewed: no longer needed' : null,
      })
    }
    if (nonAssociations.length) await trx.insertInto('non_association').values(nonAssociations).execute()

    // R1: an assessment for everyone received before today (today's arrivals are still to be seen), the
    // latest writing the wants; people here more than six months have an earlier version too.
    const framework = frameworkOf(establishment.function, null)
    const needActivities = await store.needActivities(trx, code)
    const activityIds = [...activityId.values()]
    const assessments: store.NewAssessment[] = []
    const wants: { personId: string; activityId: string; weight: number }[] = []
    for (const person of people) {
      if (person.receptionOn >= today) continue
      const isWomen = person.sex === 'F'
      const firstOn = [addDays(person.receptionOn, random.integer(1, 4)), today].sort()[0]
      const dates = [firstOn]
      // People here longer than six months were reassessed since, most within the last six months; about one
      // in twelve is overdue, so the due list has people on it without being everyone.
      if (addDays(firstOn, 182) < today) {
        const latestOn = random.chance(0.92)
          ? addDays(today, -random.integer(3, 175))
          : addDays(today, -random.integer(185, 260))
        if (latestOn > firstOn) dates.push(latestOn)
      }
      const assessedBy = assessors.length ? random.pick(assessors).id : null
      dates.forEach((assessedOn, index) => {
        const isLatest = index === dates.length - 1
        const answers = answersFor(random, { isWomen, isNew: index === 0 })
        const needs = needsFromAnswers(answers)
        const wished = random.chance(0.6)
          ? [random.pick(activityIds), ...(random.chance(0.3) ? [random.pick(activityIds)] : [])]
          : []
        // At least three wants: a person with few needs asks for more themselves.
        let personWants = wantsFrom({
          needs,
          framework,
          needActivities,
          wishedActivityIds: wished,
          personKey: person.prisonNumber,
        })
        while (personWants.size < 3) {
          wished.push(random.pick(activityIds))
          personWants = wantsFrom({
            needs,
            framework,
            needActivities,
            wishedActivityIds: wished,
            personKey: person.prisonNumber,
          })
        }
        assessments.push({
          personId: person.id,
          establishmentCode: code,
          version: index + 1,
          kind: index === 0 ? (random.chance(0.5) ? 'reception' : 'induction') : 'review',
          answers,
          needs,
          wishes: random.pick(wishesSaid),
          wishedActivityIds: [...new Set(wished)],
          healthContact: answers.healthFlag === 'yes' ? random.pick(healthContacts) : '',
          assessedOn,
          assessedAt: new Date(`${assessedOn}T11:00:00Z`),
          assessedBy,
        })
        if (isLatest)
          for (const [activity, weight] of personWants)
            wants.push({ personId: person.id, activityId: activity, weight })
      })
    }
    await inBatches(assessments, 2000, (batch) => store.insertAssessments(trx, batch))
    await inBatches(wants, 2000, (batch) => store.insertWants(trx, batch))
  }
}
