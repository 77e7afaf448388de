import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  allSlots,
  answerProblems,
  assessmentDue,
  defaultFrameworks,
  frameworkOf,
  frameworkProblems,
  groupProblems,
  MAX_WANTS,
  activitiesPerNeed,
  needs,
  needsFromAnswers,
  needsGaps,
  offerShares,
  orderedPair,
  usableDayProblems,
  wantsFrom,
  wantWeight,
  WISH_WEIGHT,
  type Answers,
  type GroupInput,
} from './rules.ts'

const settledAnswers: Answers = {
  immediateNeeds: 'none',
  firstTimeInCustody: 'no',
  healthFlag: 'no',
  substanceUse: 'none',
  housing: 'settled',
  debts: 'no',
  dependants: 'no',
  familyContact: 'regular',
  educationLevel: 'level-2',
  additionalLearningNeeds: 'no',
  englishFirstLanguage: 'yes',
  workHistory: 'skilled',
  faithPractice: 'no',
  releaseWithin: 'over-12-months',
  sentencePlanIntervention: 'no',
  peerSupport: 'no',
}

describe('usableDayProblems', () => {
  it('accepts a morning that ends after it starts', () => {
    assert.deepEqual(usableDayProblems([{ slot: 'MON_AM', startsAt: '08:30', endsAt: '11:45' }]), [])
  })
  it('refuses a slot that ends when it starts, naming the slot', () => {
    const [problem] = usableDayProblems([{ slot: 'TUE_PM', startsAt: '13:45', endsAt: '13:45' }])
    assert.equal(problem?.messageKey, 'regime.usableDay.error.order')
    assert.equal(problem?.values?.slot, 'TUE_PM')
  })
  it('refuses a time that is not a time of day', () => {
    const [problem] = usableDayProblems([{ slot: 'WED_ED', startsAt: '25:00', endsAt: '26:00' }])
    assert.equal(problem?.messageKey, 'regime.usableDay.error.time')
  })
  it('knows the week has 21 slots', () => {
    assert.equal(allSlots.length, 21)
  })
})

describe('groupProblems', () => {
  const group: GroupInput = {
    code: 'a',
    location: 'Education block, room 3',
    slots: ['MON_AM', 'WED_AM'],
    capacity: 10,
    minSize: 6,
    cohorts: ['mainstream'],
  }
  const context = {
    usableSlots: ['MON_AM', 'WED_AM', 'FRI_AM'],
    codesInUse: ['b'],
    cohorts: ['mainstream', 'vulnerable'],
  }

  it('accepts a substance misuse group of six to ten in the usable day', () => {
    assert.deepEqual(groupProblems(group, context), [])
  })
  it('accepts a minimum equal to the capacity', () => {
    assert.deepEqual(groupProblems({ ...group, minSize: 10 }, context), [])
  })
  it('refuses a minimum one above the capacity', () => {
    const problems = groupProblems({ ...group, minSize: 11 }, context)
    assert.deepEqual(
      problems.map((p) => [p.field, p.messageKey]),
      [['minSize', 'regime.group.error.minAboveCapacity']],
    )
  })
  it('refuses a slot outside the usable day and names it', () => {
    const [problem] = groupProblems({ ...group, slots: ['MON_AM', 'SAT_ED'] }, context)
    assert.equal(problem?.messageKey, 'regime.group.error.outsideDay')
    assert.equal(problem?.values?.slots, 'SAT_ED')
  })
  it('refuses a group code the activity already has', () => {
    const [problem] = groupProblems({ ...group, code: 'b' }, context)
    assert.equal(problem?.messageKey, 'regime.group.error.duplicate')
  })
  it('refuses a group with no slot', () => {
    const [problem] = groupProblems({ ...group, slots: [] }, context)
    assert.equal(problem?.field, 'slots')
  })
  it('refuses a cohort the prison does not have', () => {
    const [problem] = groupProblems({ ...group, cohorts: ['lifers'] }, context)
    assert.equal(problem?.field, 'cohorts')
  })
})

describe('answerProblems', () => {
  it('accepts every question answered', () => {
    assert.deepEqual(answerProblems(settledAnswers), [])
  })
  it('names each unanswered question once', () => {
    const problems = answerProblems({ ...settledAnswers, housing: '', substanceUse: 'sometimes' })
    assert.deepEqual(
      problems.map((p) => p.field),
      ['substanceUse', 'housing'],
    )
  })
})

describe('needsFromAnswers', () => {
  it('finds only a low need for physical activity in a settled, skilled person', () => {
    assert.deepEqual(needsFromAnswers(settledAnswers), [
      { need: 'physical-health', priority: 'low' },
      { need: 'english-maths-level-2', priority: 'low' },
      { need: 'work-skills', priority: 'low' },
    ])
  })
  it('puts settling in and urgent immediate needs first for someone new to custody', () => {
    const found = needsFromAnswers({ ...settledAnswers, firstTimeInCustody: 'yes', immediateNeeds: 'urgent' })
    assert.deepEqual(found.slice(0, 2), [
      { need: 'immediate-support', priority: 'high' },
      { need: 'settling-in', priority: 'high' },
    ])
  })
  it('raises physical activity to medium, and flags mental health high, when there is a health flag', () => {
    const found = needsFromAnswers({ ...settledAnswers, healthFlag: 'yes' })
    assert.ok(found.some((n) => n.need === 'mental-health' && n.priority === 'high'))
    assert.deepEqual(
      found.filter((n) => n.need === 'physical-health'),
      [{ need: 'physical-health', priority: 'medium' }],
    )
  })
  it('finds current substance use high and past use medium', () => {
    assert.ok(
      needsFromAnswers({ ...settledAnswers, substanceUse: 'current' }).some(
        (n) => n.need === 'substance-misuse' && n.priority === 'high',
      ),
    )
    assert.ok(
      needsFromAnswers({ ...settledAnswers, substanceUse: 'past' }).some(
        (n) => n.need === 'substance-misuse' && n.priority === 'medium',
      ),
    )
  })
  it('finds entry-level English and maths, ESOL and learning support from the education answers', () => {
    const found = needsFromAnswers({
      ...settledAnswers,
      educationLevel: 'entry',
      englishFirstLanguage: 'no',
      additionalLearningNeeds: 'yes',
    })
    for (const need of ['english-maths-entry', 'esol', 'learning-support'])
      assert.ok(
        found.some((n) => n.need === need && n.priority === 'high'),
        need,
      )
  })
  it('finds housing, debt, dependants and lost family contact from the legacy and family answers', () => {
    const found = needsFromAnswers({
      ...settledAnswers,
      housing: 'none',
      debts: 'yes',
      dependants: 'yes',
      familyContact: 'none',
    })
    assert.deepEqual(
      found.filter((n) => ['housing', 'debt', 'parenting', 'family-contact'].includes(n.need)),
      [
        { need: 'housing', priority: 'high' },
        { need: 'family-contact', priority: 'high' },
        { need: 'debt', priority: 'medium' },
        { need: 'parenting', priority: 'medium' },
      ],
    )
  })
})

describe('frameworks', () => {
  it('gives every function shares that add up to the whole week and an emphasis for every need', () => {
    for (const [name, framework] of Object.entries(defaultFrameworks))
      assert.deepEqual(frameworkProblems(framework), [], name)
  })
  it('puts immediate needs and settling in first at a reception prison', () => {
    const { needEmphasis } = defaultFrameworks.reception
    assert.equal(needEmphasis['immediate-support'], 5)
    assert.equal(needEmphasis['settling-in'], 5)
    assert.ok(needEmphasis['offending-behaviour'] < 5)
  })
  it('puts formal learning and interventions first at a resettlement prison', () => {
    const { needEmphasis, categoryShares } = defaultFrameworks.resettlement
    assert.equal(needEmphasis['english-maths-entry'], 5)
    assert.equal(needEmphasis['offending-behaviour'], 5)
    assert.ok(needEmphasis['settling-in'] < 5)
    assert.ok(categoryShares.education + categoryShares.intervention >= 50)
  })
  it('starts from the function’s framework and keeps what the prison adjusted', () => {
    const adjusted = frameworkOf('training', { categoryShares: { gym: 10, work: 30 }, needEmphasis: { faith: 5 } })
    assert.equal(adjusted.categoryShares.gym, 10)
    assert.equal(adjusted.categoryShares.education, defaultFrameworks.training.categoryShares.education)
    assert.equal(adjusted.needEmphasis.faith, 5)
  })
  it('refuses shares that add up to more than the week', () => {
    const framework = frameworkOf('training', { categoryShares: { gym: 6 }, needEmphasis: {} })
    const [problem] = frameworkProblems(framework)
    assert.equal(problem?.messageKey, 'regime.framework.error.total')
    assert.equal(problem?.values?.total, 101)
  })
  it('refuses an emphasis of 0 or 6', () => {
    for (const value of [0, 6]) {
      const framework = frameworkOf('open', { categoryShares: {}, needEmphasis: { debt: value } })
      assert.deepEqual(
        frameworkProblems(framework).map((p) => p.field),
        ['emphasis-debt'],
      )
    }
  })
})

describe('wantWeight', () => {
  const cases = [
    ['high', 5, 15],
    ['high', 1, 3],
    ['medium', 4, 8],
    ['low', 1, 1],
  ] as const
  for (const [priority, emphasis, weight] of cases)
    it(`weighs a ${priority} need the prison gives emphasis ${emphasis} at ${weight}`, () => {
      assert.equal(wantWeight(priority, emphasis), weight)
    })
})

describe('wantsFrom', () => {
  const framework = defaultFrameworks.reception
  const needActivities = new Map<string, string[]>([
    ['substance-misuse', ['sub-1', 'sub-2']],
    ['physical-health', ['gym-1', 'gym-2', 'gym-3', 'gym-4', 'gym-5']],
    ['faith', ['chapel']],
  ])
  /** One person's wants under the reception framework, with no wishes unless the test gives some. */
  const wantsOf = (input: Pick<Parameters<typeof wantsFrom>[0], 'needs'> & Partial<Parameters<typeof wantsFrom>[0]>) =>
    wantsFrom({ framework, needActivities, wishedActivityIds: [], personKey: 'A1234BC', ...input })
  /** Two activities for every need, and a high need of each: more wants than a person may have. */
  const everyNeedTwice = new Map(needs.map((need, index) => [need, [`act-${index}-a`, `act-${index}-b`]]))
  const everyNeedHigh = needs.map((need) => ({ need, priority: 'high' as const }))

  it('weighs each mapped activity by the need’s priority times the framework’s emphasis', () => {
    const wants = wantsOf({ needs: [{ need: 'substance-misuse', priority: 'high' }] })
    assert.deepEqual(
      [...wants],
      [
        ['sub-1', 15],
        ['sub-2', 15],
      ],
    )
  })

  it('takes two activities for a high need, one for a low, the same for the same person every time', () => {
    assert.deepEqual(activitiesPerNeed, { high: 2, medium: 1, low: 1 })
    const physicalHealth = [{ need: 'physical-health', priority: 'high' }] as const
    const first = wantsOf({ needs: physicalHealth })
    assert.equal(first.size, 2)
    assert.deepEqual([...wantsOf({ needs: physicalHealth })], [...first])
    const others = new Set(
      ['B1111AA', 'C2222BB', 'D3333CC', 'E4444DD', 'F5555EE'].flatMap((key) => [
        ...wantsOf({ needs: physicalHealth, personKey: key }).keys(),
      ]),
    )
    assert.ok(others.size > 2, 'people with the same need spread over the offer')
  })

  it('adds a wish to a want the needs yielded, and brings in one they did not', () => {
    const wants = wantsOf({
      needs: [{ need: 'faith', priority: 'medium' }],
      wishedActivityIds: ['chapel', 'barbering'],
    })
    assert.equal(wants.get('chapel'), wantWeight('medium', framework.needEmphasis.faith) + WISH_WEIGHT)
    assert.equal(wants.get('barbering'), WISH_WEIGHT)
  })

  it('keeps a person’s own wish even when ten heavier wants come from their needs', () => {
    const wants = wantsOf({ needs: everyNeedHigh, needActivities: everyNeedTwice, wishedActivityIds: ['bakery'] })
    assert.equal(wants.size, MAX_WANTS)
    assert.equal(wants.get('bakery'), WISH_WEIGHT)
  })

  it('keeps only the ten heaviest wants', () => {
    const wants = wantsOf({ needs: everyNeedHigh, needActivities: everyNeedTwice })
    assert.equal(wants.size, MAX_WANTS)
    assert.ok([...wants.values()].every((weight) => weight >= 12))
  })
})

describe('assessmentDue', () => {
  const policy = { firstAssessmentDays: 5, reassessmentDays: 182 }
  it('makes the first assessment due five days after reception', () => {
    assert.deepEqual(assessmentDue({ receptionOn: '2026-11-20', lastAssessedOn: null }, policy, '2026-11-25'), {
      dueOn: '2026-11-25',
      kind: 'first',
      state: 'due',
    })
  })
  it('makes it overdue the day after', () => {
    assert.equal(
      assessmentDue({ receptionOn: '2026-11-20', lastAssessedOn: null }, policy, '2026-11-26').state,
      'overdue',
    )
  })
  it('makes a reassessment due 182 days after the last, and not due long before', () => {
    const due = assessmentDue({ receptionOn: '2026-01-01', lastAssessedOn: '2026-06-01' }, policy, '2026-11-25')
    assert.deepEqual(due, { dueOn: '2026-11-30', kind: 'reassessment', state: 'due' })
    assert.equal(
      assessmentDue({ receptionOn: '2026-01-01', lastAssessedOn: '2026-09-01' }, policy, '2026-11-25').state,
      'later',
    )
  })
  it('asks for a first assessment again after a new reception', () => {
    const due = assessmentDue({ receptionOn: '2026-11-01', lastAssessedOn: '2025-03-01' }, policy, '2026-11-25')
    assert.equal(due.kind, 'first')
    assert.equal(due.state, 'overdue')
  })
})

describe('orderedPair', () => {
  it('keeps the lower id first whichever way round the pair is given', () => {
    assert.deepEqual(orderedPair('b', 'a'), ['a', 'b'])
    assert.deepEqual(orderedPair('a', 'b'), ['a', 'b'])
  })
})

describe('needsGaps', () => {
  it('ranks the largest shortfall first and counts no shortfall where the places cover the people', () => {
    const gaps = needsGaps(
      [
        { need: 'substance-misuse', cohort: 'mainstream', people: 40 },
        { need: 'esol', cohort: 'mainstream', people: 12 },
        { need: 'substance-misuse', cohort: 'vulnerable', people: 9 },
      ],
      [
        { need: 'substance-misuse', cohort: 'mainstream', places: 16 },
        { need: 'esol', cohort: 'mainstream', places: 20 },
      ],
    )
    assert.deepEqual(
      gaps.map((g) => [g.need, g.cohort, g.shortfall]),
      [
        ['substance-misuse', 'mainstream', 24],
        ['substance-misuse', 'vulnerable', 9],
        ['esol', 'mainstream', 0],
      ],
    )
    assert.equal(gaps[0]?.category, 'intervention')
  })
})

describe('offerShares', () => {
  it('shows each category’s share of the week’s places beside the framework’s target', () => {
    const rows = offerShares(
      new Map([
        ['education', 300],
        ['work', 100],
      ]),
      defaultFrameworks.training,
    )
    assert.deepEqual(
      rows.find((r) => r.category === 'education'),
      {
        category: 'education',
        places: 300,
        share: 75,
        target: 30,
      },
    )
    assert.equal(rows.find((r) => r.category === 'gym')?.share, 0)
  })
})
