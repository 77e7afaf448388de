import type { ActivityCategory, IsoDate } from '../../../db/schema.ts'
import { addDays } from '../../../platform/dates.ts'
import type { Refusal } from '../../../platform/forms.ts'

// ---------------------------------------------------------------------------------------------------------
// Needs (R1): what an assessment can find, and the category of the offer that usually meets each.

export const needs = [
  'immediate-support',
  'settling-in',
  'mental-health',
  'physical-health',
  'substance-misuse',
  'housing',
  'debt',
  'parenting',
  'family-contact',
  'english-maths-entry',
  'english-maths-level-1',
  'english-maths-level-2',
  'esol',
  'learning-support',
  'work-skills',
  'faith',
  'resettlement',
  'offending-behaviour',
  'peer-support',
] as const
export type Need = (typeof needs)[number]

export function isNeed(value: string): value is Need {
  return (needs as readonly string[]).includes(value)
}

export const needCategory: Record<Need, ActivityCategory> = {
  'immediate-support': 'peer-led',
  'settling-in': 'peer-led',
  'mental-health': 'therapeutic',
  'physical-health': 'gym',
  'substance-misuse': 'intervention',
  housing: 'intervention',
  debt: 'intervention',
  parenting: 'family',
  'family-contact': 'family',
  'english-maths-entry': 'education',
  'english-maths-level-1': 'education',
  'english-maths-level-2': 'education',
  esol: 'education',
  'learning-support': 'education',
  'work-skills': 'work',
  faith: 'chaplaincy',
  resettlement: 'intervention',
  'offending-behaviour': 'intervention',
  'peer-support': 'peer-led',
}

export const priorities = ['high', 'medium', 'low'] as const
export type Priority = (typeof priorities)[number]
export type AssessedNeed = { need: Need; priority: Priority }

/** The questions of the assessment, by domain (the seed's list), each with the answers it allows. */
export const assessmentDomains = [
  { domain: 'immediate', questions: [{ name: 'immediateNeeds', answers: ['none', 'some', 'urgent'] }] },
  { domain: 'custody', questions: [{ name: 'firstTimeInCustody', answers: ['yes', 'no'] }] },
  { domain: 'health', questions: [{ name: 'healthFlag', answers: ['yes', 'no'] }] },
  { domain: 'substance', questions: [{ name: 'substanceUse', answers: ['none', 'past', 'current'] }] },
  {
    domain: 'legacy',
    questions: [
      { name: 'housing', answers: ['settled', 'at-risk', 'none'] },
      { name: 'debts', answers: ['yes', 'no'] },
      { name: 'dependants', answers: ['yes', 'no'] },
    ],
  },
  { domain: 'family', questions: [{ name: 'familyContact', answers: ['regular', 'some', 'none'] }] },
  {
    domain: 'education',
    questions: [
      { name: 'educationLevel', answers: ['entry', 'level-1', 'level-2'] },
      { name: 'additionalLearningNeeds', answers: ['yes', 'no'] },
      { name: 'englishFirstLanguage', answers: ['yes', 'no'] },
    ],
  },
  { domain: 'work', questions: [{ name: 'workHistory', answers: ['none', 'some', 'skilled'] }] },
  { domain: 'faith', questions: [{ name: 'faithPractice', answers: ['yes', 'no'] }] },
  {
    domain: 'resettlement',
    questions: [
      { name: 'releaseWithin', answers: ['under-12-months', 'over-12-months', 'not-known'] },
      { name: 'sentencePlanIntervention', answers: ['yes', 'no'] },
      { name: 'peerSupport', answers: ['yes', 'no'] },
    ],
  },
] as const

export type QuestionName = (typeof assessmentDomains)[number]['questions'][number]['name']
export const questionNames: readonly QuestionName[] = assessmentDomains.flatMap((domain) =>
  domain.questions.map((question) => question.name),
)
export type Answers = Record<QuestionName, string>

/** Every question answered, each with an answer it allows; the first problem of each question. */
export function answerProblems(answers: Partial<Record<string, string>>): Refusal[] {
  const problems: Refusal[] = []
  for (const domain of assessmentDomains)
    for (const question of domain.questions) {
      const answer = answers[question.name]
      if (!answer || !(question.answers as readonly string[]).includes(answer))
        problems.push({ field: question.name, messageKey: `regime.assessment.error.${question.name}`, values: {} })
    }
  return problems
}

/**
 * R1: the needs an assessment's answers yield, each with its priority. Everyone has some need for physical
 * activity; the rest follow from what the person said. A need found twice keeps its higher priority.
 */
export function needsFromAnswers(answers: Answers): AssessedNeed[] {
  const found = new Map<Need, Priority>()
  const add = (need: Need, priority: Priority) => {
    const before = found.get(need)
    if (!before || priorities.indexOf(priority) < priorities.indexOf(before)) found.set(need, priority)
  }
  if (answers.immediateNeeds === 'urgent') add('immediate-support', 'high')
  if (answers.immediateNeeds === 'some') add('immediate-support', 'medium')
  if (answers.firstTimeInCustody === 'yes') add('settling-in', 'high')
  if (answers.healthFlag === 'yes') {
    add('mental-health', 'high')
    add('physical-health', 'medium')
  }
  add('physical-health', 'low')
  if (answers.substanceUse === 'current') add('substance-misuse', 'high')
  if (answers.substanceUse === 'past') add('substance-misuse', 'medium')
  if (answers.housing === 'none') add('housing', 'high')
  if (answers.housing === 'at-risk') add('housing', 'medium')
  if (answers.debts === 'yes') add('debt', 'medium')
  if (answers.dependants === 'yes') add('parenting', 'medium')
  if (answers.familyContact === 'none') add('family-contact', 'high')
  if (answers.familyContact === 'some') add('family-contact', 'medium')
  if (answers.educationLevel === 'entry') add('english-maths-entry', 'high')
  if (answers.educationLevel === 'level-1') add('english-maths-level-1', 'medium')
  if (answers.educationLevel === 'level-2') add('english-maths-level-2', 'low')
  if (answers.additionalLearningNeeds === 'yes') add('learning-support', 'high')
  if (answers.englishFirstLanguage === 'no') add('esol', 'high')
  if (answers.workHistory === 'none') add('work-skills', 'high')
  if (answers.workHistory === 'some') add('work-skills', 'medium')
  if (answers.workHistory === 'skilled') add('work-skills', 'low')
  if (answers.faithPractice === 'yes') add('faith', 'medium')
  if (answers.releaseWithin === 'under-12-months') add('resettlement', 'high')
  if (answers.releaseWithin === 'not-known') add('resettlement', 'medium')
  if (answers.sentencePlanIntervention === 'yes') add('offending-behaviour', 'high')
  if (answers.peerSupport === 'yes') add('peer-support', 'medium')
  return [...found]
    .map(([need, priority]) => ({ need, priority }))
    .sort(
      (a, b) =>
        priorities.indexOf(a.priority) - priorities.indexOf(b.priority) ||
        needs.indexOf(a.need) - needs.indexOf(b.need),
    )
}

// ---------------------------------------------------------------------------------------------------------
// Due dates (R1)

export type AssessmentDue = { dueOn: IsoDate; kind: 'first' | 'reassessment'; state: 'overdue' | 'due' | 'later' }

/** Due within this many days counts as due now, so a list shows who to see this week. */
export const DUE_SOON_DAYS = 7

/**
 * R1: the first assessment falls due a set number of days after reception; each later one a set number of
 * days after the last. Overdue after the day it fell due.
 */
export function assessmentDue(
  input: { receptionOn: IsoDate; lastAssessedOn: IsoDate | null },
  policy: { firstAssessmentDays: number; reassessmentDays: number },
  today: IsoDate,
): AssessmentDue {
  const kind = input.lastAssessedOn ? 'reassessment' : 'first'
  // A person assessed before their latest reception (a return to custody) is assessed afresh.
  const fresh = !input.lastAssessedOn || input.lastAssessedOn < input.receptionOn
  const dueOn = fresh
    ? addDays(input.receptionOn, policy.firstAssessmentDays)
    : addDays(input.lastAssessedOn!, policy.reassessmentDays)
  const state = dueOn < today ? 'overdue' : dueOn <= addDays(today, DUE_SOON_DAYS) ? 'due' : 'later'
  return { dueOn, kind: fresh ? 'first' : kind, state }
}
