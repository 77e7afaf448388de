// The regime's store, by subject (issue 12): each module holds the SQL of one part of the regime.
export * from './store/prison.ts'
export * from './store/offer.ts'
export * from './store/non-associations.ts'
export * from './store/assessments.ts'
