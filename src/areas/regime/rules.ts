// The regime's rules, by subject (issue 12): pure, as every area's rules are.
export type { Refusal } from '../../platform/forms.ts'
export * from './rules/offer.ts'
export * from './rules/needs.ts'
export * from './rules/frameworks.ts'
export * from './rules/non-associations.ts'
export * from './rules/analysis.ts'
