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

const education: Template[] = [
  ...(['E1', 'E2', 'E3', 'L1', 'L2'] as const).flatMap((level): Template[] => {
    const needs: Need[] =
      level === 'L2'
        ? ['english-maths-level-2']
        : level === 'L1'
          ? ['english-maths-level-1']
          : ['english-maths-entry', 'learning-support']
    const title = level.startsWith('E') ? `Entry level ${level.slice(1)}` : `Level ${level.slice(1)}`
    return [
      {
        code: `EDU-ENG-${level}`,
        name: `English, ${title}`,
        category: 'education',
        needs,
        capacity: 10,
        minSize: 4,
        sessions: 3,
        groups: 3,
        location: 'Education block',
        largeOnly: level === 'E1',
      },
      {
        code: `EDU-MATHS-${level}`,
        name: `Maths, ${title}`,
        category: 'education',
        needs,
        capacity: 10,
        minSize: 4,
        sessions: 3,
        groups: 3,
        location: 'Education block',
        largeOnly: level === 'E1',
      },
    ]
  }),
  {
    code: 'EDU-ESOL-E1',
    name: 'ESOL, Entry level 1',
    category: 'education',
    needs: ['esol'],
    capacity: 8,
    minSize: 3,
    sessions: 4,
    groups: 2,
    location: 'Education block',
  },
  {
    code: 'EDU-ESOL-E3',
    name: 'ESOL, Entry level 3',
    category: 'education',
    needs: ['esol'],
    capacity: 8,
    minSize: 3,
    sessions: 4,
    groups: 2,
    location: 'Education block',
    largeOnly: true,
  },
  {
    code: 'EDU-ESOL-L1',
    name: 'ESOL, Level 1',
    category: 'education',
    needs: ['esol'],
    capacity: 8,
    minSize: 3,
    sessions: 3,
    groups: 1,
    location: 'Education block',
    largeOnly: true,
  },
  {
    code: 'EDU-DIGITAL',
    name: 'Digital skills',
    category: 'education',
    needs: ['english-maths-level-1', 'english-maths-level-2', 'resettlement'],
    capacity: 10,
    sessions: 2,
    groups: 2,
    location: 'IT suite',
  },
  {
    code: 'EDU-ART',
    name: 'Art and design',
    category: 'education',
    needs: ['mental-health'],
    capacity: 12,
    sessions: 2,
    groups: 2,
    location: 'Art room',
  },
  {
    code: 'EDU-BUSINESS',
    name: 'Business enterprise',
    category: 'education',
    needs: ['english-maths-level-2', 'resettlement'],
    provider: 'second-chapter',
    capacity: 12,
    sessions: 2,
    groups: 1,
    location: 'Education block',
  },
  {
    code: 'EDU-MUSIC',
    name: 'Music',
    category: 'education',
    needs: ['mental-health'],
    capacity: 8,
    sessions: 2,
    groups: 1,
    location: 'Music room',
    largeOnly: true,
  },
  {
    code: 'EDU-WRITING',
    name: 'Creative writing',
    category: 'education',
    needs: ['english-maths-level-2'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Library',
    largeOnly: true,
  },
  {
    code: 'EDU-OU',
    name: 'Open University study',
    category: 'education',
    needs: ['english-maths-level-2'],
    mode: 'in-cell',
    capacity: 15,
    sessions: 2,
    groups: 1,
    location: 'Library',
  },
  {
    code: 'EDU-SUPPORT',
    name: 'Learning support',
    category: 'education',
    needs: ['learning-support'],
    mode: 'one-to-one',
    capacity: 6,
    sessions: 2,
    groups: 2,
    location: 'Education block',
  },
  {
    code: 'EDU-READING',
    name: 'Reading plan (Shannon Trust)',
    category: 'education',
    needs: ['english-maths-entry', 'learning-support'],
    mode: 'one-to-one',
    provider: 'open-door',
    capacity: 8,
    sessions: 2,
    groups: 2,
    location: 'Wing association rooms',
  },
  {
    code: 'EDU-PREP',
    name: 'Preparation for work',
    category: 'education',
    needs: ['work-skills', 'resettlement'],
    capacity: 12,
    sessions: 2,
    groups: 2,
    location: 'Education block',
  },
  {
    code: 'EDU-HEALTHY',
    name: 'Healthy living',
    category: 'education',
    needs: ['physical-health'],
    capacity: 12,
    sessions: 1,
    groups: 1,
    location: 'Education block',
    largeOnly: true,
  },
  {
    code: 'EDU-BARBER-NVQ',
    name: 'Barbering, level 2',
    category: 'education',
    needs: ['work-skills'],
    capacity: 8,
    minSize: 4,
    sessions: 3,
    groups: 1,
    location: 'Barbershop',
  },
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
    {
      code: `WRK-CLEAN-${wing.code}`,
      name: `Wing cleaner, ${wing.name}`,
      category: 'work',
      needs: ['work-skills'],
      capacity: 6,
      sessions: 6,
      groups: 1,
      location: wing.name,
    },
    {
      code: `WRK-SERVERY-${wing.code}`,
      name: `Servery, ${wing.name}`,
      category: 'work',
      needs: ['work-skills'],
      capacity: 6,
      sessions: 5,
      groups: 1,
      location: wing.name,
    },
    {
      code: `GYM-WING-${wing.code}`,
      name: `Gym, ${wing.name}`,
      category: 'gym',
      needs: ['physical-health'],
      capacity: 20,
      sessions: 2,
      groups: 1,
      location: 'Sports hall',
    },
  ]
}

const interventions: Template[] = [
  {
    code: 'INT-TSP',
    name: 'Thinking Skills Programme',
    category: 'intervention',
    needs: ['offending-behaviour'],
    capacity: 10,
    minSize: 6,
    sessions: 2,
    groups: 2,
    location: 'Programmes unit',
  },
  {
    code: 'INT-BBR',
    name: 'Building Better Relationships',
    category: 'intervention',
    needs: ['offending-behaviour', 'family-contact'],
    capacity: 10,
    minSize: 6,
    sessions: 2,
    groups: 1,
    location: 'Programmes unit',
    largeOnly: true,
  },
  {
    code: 'INT-RESOLVE',
    name: 'Resolve (violence)',
    category: 'intervention',
    needs: ['offending-behaviour'],
    capacity: 8,
    minSize: 5,
    sessions: 2,
    groups: 1,
    location: 'Programmes unit',
  },
  {
    code: 'INT-KAIZEN',
    name: 'Kaizen',
    category: 'intervention',
    needs: ['offending-behaviour'],
    capacity: 8,
    minSize: 5,
    sessions: 2,
    groups: 1,
    location: 'Programmes unit',
    largeOnly: true,
  },
  {
    code: 'INT-VICTIM',
    name: 'Victim awareness',
    category: 'intervention',
    needs: ['offending-behaviour'],
    capacity: 12,
    sessions: 1,
    groups: 1,
    location: 'Programmes unit',
  },
  {
    code: 'INT-SUB-RECOVERY',
    name: 'Substance misuse recovery group',
    category: 'intervention',
    needs: ['substance-misuse'],
    provider: 'bridge',
    capacity: 12,
    minSize: 6,
    sessions: 2,
    groups: 3,
    location: 'Recovery wing group room',
  },
  {
    code: 'INT-SUB-ALCOHOL',
    name: 'Alcohol awareness',
    category: 'intervention',
    needs: ['substance-misuse'],
    provider: 'bridge',
    capacity: 12,
    minSize: 6,
    sessions: 1,
    groups: 2,
    location: 'Recovery wing group room',
  },
  {
    code: 'INT-SUB-SMART',
    name: 'SMART Recovery',
    category: 'intervention',
    needs: ['substance-misuse'],
    provider: 'bridge',
    capacity: 12,
    minSize: 6,
    sessions: 1,
    groups: 2,
    location: 'Recovery wing group room',
  },
  {
    code: 'INT-SUB-12STEP',
    name: 'Twelve-step fellowship',
    category: 'intervention',
    needs: ['substance-misuse'],
    provider: 'bridge',
    capacity: 15,
    minSize: 6,
    sessions: 1,
    groups: 1,
    location: 'Chapel side room',
    when: 'evening',
  },
  {
    code: 'INT-SUB-121',
    name: 'Recovery keywork',
    category: 'intervention',
    needs: ['substance-misuse'],
    provider: 'bridge',
    mode: 'one-to-one',
    capacity: 6,
    sessions: 1,
    groups: 2,
    location: 'Healthcare centre',
  },
  {
    code: 'INT-HOUSING',
    name: 'Housing advice',
    category: 'intervention',
    needs: ['housing', 'resettlement'],
    capacity: 10,
    sessions: 1,
    groups: 2,
    location: 'Resettlement hub',
  },
  {
    code: 'INT-MONEY',
    name: 'Money and debt advice',
    category: 'intervention',
    needs: ['debt', 'resettlement'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Resettlement hub',
  },
  {
    code: 'INT-EMPLOY',
    name: 'Employment hub',
    category: 'intervention',
    needs: ['resettlement', 'work-skills'],
    provider: 'second-chapter',
    capacity: 12,
    sessions: 1,
    groups: 2,
    location: 'Resettlement hub',
  },
  {
    code: 'INT-ID',
    name: 'ID, bank account and benefits',
    category: 'intervention',
    needs: ['resettlement'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Resettlement hub',
  },
  {
    code: 'INT-THROUGHGATE',
    name: 'Through-the-gate mentoring',
    category: 'intervention',
    needs: ['resettlement', 'housing'],
    provider: 'open-door',
    mode: 'one-to-one',
    capacity: 6,
    sessions: 1,
    groups: 1,
    location: 'Resettlement hub',
  },
]

const therapeutic: Template[] = [
  {
    code: 'THR-WELLBEING',
    name: 'Mental health wellbeing group',
    category: 'therapeutic',
    needs: ['mental-health'],
    provider: 'riverside',
    capacity: 8,
    minSize: 4,
    sessions: 1,
    groups: 2,
    location: 'Healthcare centre',
  },
  {
    code: 'THR-ANXIETY',
    name: 'Managing anxiety',
    category: 'therapeutic',
    needs: ['mental-health'],
    provider: 'riverside',
    capacity: 8,
    minSize: 4,
    sessions: 1,
    groups: 1,
    location: 'Healthcare centre',
  },
  {
    code: 'THR-HEALING',
    name: 'Trauma-informed healing group',
    category: 'therapeutic',
    needs: ['mental-health'],
    provider: 'riverside',
    capacity: 8,
    minSize: 4,
    sessions: 1,
    groups: 1,
    location: 'Healthcare centre',
    largeOnly: true,
  },
  {
    code: 'THR-ARTTHERAPY',
    name: 'Art therapy',
    category: 'therapeutic',
    needs: ['mental-health'],
    capacity: 6,
    sessions: 1,
    groups: 1,
    location: 'Art room',
  },
  {
    code: 'THR-MINDFUL',
    name: 'Mindfulness',
    category: 'therapeutic',
    needs: ['mental-health', 'substance-misuse'],
    capacity: 12,
    sessions: 1,
    groups: 1,
    location: 'Chapel side room',
  },
  {
    code: 'THR-BEREAVE',
    name: 'Bereavement support',
    category: 'therapeutic',
    needs: ['mental-health', 'family-contact'],
    provider: 'listening-post',
    mode: 'one-to-one',
    capacity: 4,
    sessions: 1,
    groups: 1,
    location: 'Chaplaincy',
  },
  {
    code: 'THR-SLEEP',
    name: 'Better sleep',
    category: 'therapeutic',
    needs: ['mental-health'],
    provider: 'riverside',
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Healthcare centre',
    largeOnly: true,
  },
  {
    code: 'THR-ANGER',
    name: 'Managing emotions',
    category: 'therapeutic',
    needs: ['mental-health', 'offending-behaviour'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Programmes unit',
    largeOnly: true,
  },
]

const peerLed: Template[] = [
  {
    code: 'PEER-LISTENER',
    name: 'Listener group',
    category: 'peer-led',
    needs: ['immediate-support', 'peer-support'],
    provider: 'listening-post',
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Listener suite',
    when: 'evening',
  },
  {
    code: 'PEER-LISTENER-TRAIN',
    name: 'Listener training',
    category: 'peer-led',
    needs: ['peer-support'],
    provider: 'listening-post',
    capacity: 8,
    minSize: 4,
    sessions: 2,
    groups: 1,
    location: 'Chaplaincy',
  },
  {
    code: 'PEER-INSIDER',
    name: 'Insider induction sessions',
    category: 'peer-led',
    needs: ['settling-in', 'immediate-support'],
    capacity: 12,
    sessions: 3,
    groups: 2,
    location: 'Induction wing',
  },
  {
    code: 'PEER-FIRSTNIGHT',
    name: 'First nights support',
    category: 'peer-led',
    needs: ['settling-in', 'immediate-support'],
    mode: 'one-to-one',
    capacity: 6,
    sessions: 2,
    groups: 1,
    location: 'Induction wing',
    when: 'evening',
  },
  {
    code: 'PEER-MENTOR',
    name: 'Peer mentoring',
    category: 'peer-led',
    needs: ['settling-in', 'peer-support'],
    provider: 'open-door',
    capacity: 10,
    sessions: 1,
    groups: 2,
    location: 'Education block',
  },
  {
    code: 'PEER-COUNCIL',
    name: 'Prisoner council',
    category: 'peer-led',
    needs: ['peer-support'],
    capacity: 12,
    sessions: 1,
    groups: 1,
    location: 'Library',
  },
  {
    code: 'PEER-VRREPS',
    name: 'Violence reduction reps',
    category: 'peer-led',
    needs: ['peer-support'],
    capacity: 8,
    sessions: 1,
    groups: 1,
    location: 'Safer custody office',
    largeOnly: true,
  },
  {
    code: 'PEER-LIVED',
    name: 'Lived experience recovery group',
    category: 'peer-led',
    needs: ['substance-misuse', 'settling-in'],
    provider: 'second-chapter',
    capacity: 10,
    minSize: 6,
    sessions: 1,
    groups: 1,
    location: 'Recovery wing group room',
  },
  {
    code: 'PEER-NEURO',
    name: 'Neurodiversity peer support',
    category: 'peer-led',
    needs: ['learning-support'],
    capacity: 8,
    sessions: 1,
    groups: 1,
    location: 'Library',
    largeOnly: true,
  },
  {
    code: 'PEER-CUSTODY',
    name: 'Learning to live in custody',
    category: 'peer-led',
    needs: ['settling-in'],
    capacity: 12,
    sessions: 2,
    groups: 1,
    location: 'Induction wing',
  },
]

const chaplaincy: Template[] = [
  {
    code: 'FAITH-CHAPEL',
    name: 'Sunday worship (chapel)',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 40,
    sessions: 1,
    groups: 1,
    location: 'Chapel',
    when: 'weekend',
    slots: ['SUN_AM'],
  },
  {
    code: 'FAITH-MASS',
    name: 'Catholic Mass',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 30,
    sessions: 1,
    groups: 1,
    location: 'Chapel',
    when: 'weekend',
  },
  {
    code: 'FAITH-JUMMAH',
    name: 'Friday prayers (mosque)',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 40,
    sessions: 1,
    groups: 1,
    location: 'Multi-faith room',
    // Jumu'ah is the early afternoon prayer of a Friday.
    slots: ['FRI_PM'],
  },
  {
    code: 'FAITH-MULTI',
    name: 'Multi-faith gathering',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 20,
    sessions: 1,
    groups: 1,
    location: 'Multi-faith room',
  },
  {
    code: 'FAITH-BIBLE',
    name: 'Bible study',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 15,
    sessions: 1,
    groups: 1,
    location: 'Chapel',
    when: 'evening',
  },
  {
    code: 'FAITH-QURAN',
    name: 'Quran study',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 15,
    sessions: 1,
    groups: 1,
    location: 'Multi-faith room',
    when: 'evening',
  },
  {
    code: 'FAITH-BUDDHIST',
    name: 'Buddhist meditation',
    category: 'chaplaincy',
    needs: ['faith', 'mental-health'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Multi-faith room',
    largeOnly: true,
  },
  {
    code: 'FAITH-SIKH',
    name: 'Sikh worship',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Multi-faith room',
    largeOnly: true,
  },
  {
    code: 'FAITH-JEWISH',
    name: 'Jewish study and prayer',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 6,
    sessions: 1,
    groups: 1,
    location: 'Multi-faith room',
    largeOnly: true,
  },
  {
    code: 'FAITH-PAGAN',
    name: 'Pagan gathering',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 8,
    sessions: 1,
    groups: 1,
    location: 'Multi-faith room',
    largeOnly: true,
  },
  {
    code: 'FAITH-ALPHA',
    name: 'Alpha course',
    category: 'chaplaincy',
    needs: ['faith'],
    capacity: 15,
    sessions: 1,
    groups: 1,
    location: 'Chapel',
    when: 'evening',
  },
  {
    code: 'FAITH-SYCAMORE',
    name: 'Sycamore Tree (restorative justice)',
    category: 'chaplaincy',
    needs: ['offending-behaviour', 'faith'],
    capacity: 12,
    minSize: 6,
    sessions: 1,
    groups: 1,
    location: 'Chapel',
  },
]

const family: Template[] = [
  {
    code: 'FAM-DAYS',
    name: 'Family days',
    category: 'family',
    needs: ['family-contact', 'parenting'],
    capacity: 20,
    sessions: 1,
    groups: 2,
    location: 'Visits hall',
    when: 'weekend',
  },
  {
    code: 'FAM-STORYBOOK',
    name: 'Storybook Dads',
    category: 'family',
    needs: ['parenting', 'family-contact'],
    capacity: 8,
    sessions: 1,
    groups: 1,
    location: 'Library',
  },
  {
    code: 'FAM-PARENTING',
    name: 'Time for Families parenting course',
    category: 'family',
    needs: ['parenting'],
    capacity: 10,
    minSize: 5,
    sessions: 1,
    groups: 2,
    location: 'Family centre',
  },
  {
    code: 'FAM-HOMEWORK',
    name: 'Homework club',
    category: 'family',
    needs: ['parenting'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Visits hall',
    when: 'weekend',
  },
  {
    code: 'FAM-CONTACT',
    name: 'Family contact support',
    category: 'family',
    needs: ['family-contact'],
    provider: 'open-door',
    mode: 'one-to-one',
    capacity: 6,
    sessions: 1,
    groups: 2,
    location: 'Family centre',
  },
  {
    code: 'FAM-RELATIONSHIPS',
    name: 'Healthy relationships',
    category: 'family',
    needs: ['family-contact'],
    capacity: 10,
    sessions: 1,
    groups: 1,
    location: 'Family centre',
    largeOnly: true,
  },
]

const gym: Template[] = [
  {
    code: 'GYM-FOOTBALL',
    name: 'Football',
    category: 'gym',
    needs: ['physical-health'],
    capacity: 20,
    sessions: 1,
    groups: 2,
    location: 'Sports field',
    when: 'weekend',
  },
  {
    code: 'GYM-OVER50',
    name: 'Over-50s fitness',
    category: 'gym',
    needs: ['physical-health'],
    capacity: 12,
    sessions: 1,
    groups: 1,
    location: 'Gym',
  },
  {
    code: 'GYM-REMEDIAL',
    name: 'Remedial gym',
    category: 'gym',
    needs: ['physical-health', 'mental-health'],
    capacity: 8,
    sessions: 1,
    groups: 1,
    location: 'Gym',
  },
  {
    code: 'GYM-CIRCUITS',
    name: 'Circuits',
    category: 'gym',
    needs: ['physical-health'],
    capacity: 16,
    sessions: 1,
    groups: 2,
    location: 'Sports hall',
    when: 'evening',
  },
  {
    code: 'GYM-YOGA',
    name: 'Yoga',
    category: 'gym',
    needs: ['physical-health', 'mental-health'],
    capacity: 12,
    sessions: 1,
    groups: 1,
    location: 'Sports hall',
  },
  {
    code: 'GYM-QUAL',
    name: 'Fitness instructor, level 2',
    category: 'gym',
    needs: ['work-skills', 'physical-health'],
    capacity: 8,
    minSize: 4,
    sessions: 2,
    groups: 1,
    location: 'Gym',
    largeOnly: true,
  },
  {
    code: 'GYM-PARKRUN',
    name: 'Parkrun',
    category: 'gym',
    needs: ['physical-health'],
    capacity: 30,
    sessions: 1,
    groups: 1,
    location: 'Sports field',
    when: 'weekend',
  },
  {
    code: 'GYM-BASKETBALL',
    name: 'Basketball',
    category: 'gym',
    needs: ['physical-health'],
    capacity: 16,
    sessions: 1,
    groups: 1,
    location: 'Sports hall',
    largeOnly: true,
  },
]

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

async function insertInChunks<T>(rows: readonly T[], insert: (chunk: readonly T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += 2000) await insert(rows.slice(start, start + 2000))
}

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
    const people = await trx
      .selectFrom('person as p')
      .leftJoin('cell as c', 'c.id', 'p.cell_id')
      .leftJoin('wing as w', 'w.id', 'c.wing_id')
      .select([
        'p.id',
        'p.prison_number as prisonNumber',
        'p.cohort',
        'p.reception_on as receptionOn',
        'p.sex',
        'w.code as wingCode',
      ])
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
    await insertInChunks(groups, (chunk) =>
      trx
        .insertInto('activity_group')
        .values([...chunk])
        .execute(),
    )
    await insertInChunks(
      templates.flatMap((template) =>
        template.needs.map((need) => ({ establishment_code: code, need, activity_id: activityId.get(template.code)! })),
      ),
      (chunk) =>
        trx
          .insertInto('need_activity')
          .values([...chunk])
          .execute(),
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
    await insertInChunks(assessments, (chunk) => store.insertAssessments(trx, chunk))
    await insertInChunks(wants, (chunk) => store.insertWants(trx, chunk))
  }
}
