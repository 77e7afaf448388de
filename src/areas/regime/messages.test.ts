import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { regimeMessages } from './messages.ts'
import {
  assessmentDomains,
  categories,
  days,
  deliveryModes,
  establishmentFunctions,
  needs,
  nonAssociationLevels,
  nonAssociationReasons,
  periods,
  priorities,
} from './rules.ts'

describe('the regime’s messages', () => {
  it('name every code the pages build a key from, in English and Welsh', () => {
    const built = [
      ...categories.map((code) => `regime.category.${code}`),
      ...deliveryModes.map((code) => `regime.deliveryMode.${code}`),
      ...needs.map((code) => `regime.need.${code}`),
      ...priorities.map((code) => `regime.priority.${code}`),
      ...nonAssociationReasons.map((code) => `regime.reason.${code}`),
      ...nonAssociationLevels.map((code) => `regime.level.${code}`),
      ...days.map((code) => `regime.day.${code}`),
      ...periods.map((code) => `regime.period.${code}`),
      ...establishmentFunctions.map((code) => `regime.function.${code}`),
      ...['reception', 'induction', 'review'].map((code) => `regime.kind.${code}`),
      ...assessmentDomains.flatMap((domain) => [
        `regime.domain.${domain.domain}`,
        ...domain.questions.flatMap((question) => [
          `regime.question.${question.name}`,
          `regime.assessment.error.${question.name}`,
          ...question.answers.map((answer) => `regime.answer.${question.name}.${answer}`),
        ]),
      ]),
    ]
    const english: Record<string, string> = regimeMessages.en
    const welsh: Record<string, string> = regimeMessages.cy
    assert.deepEqual(
      built.filter((key) => !english[key] || !welsh[key]),
      [],
    )
  })
})
