/**
 * The care plan area's records, by subject: the prison's settings, the plans, case reviews, the care map,
 * observations and constant supervision, family and referrals, the training an assessor holds, and the
 * reads behind the measures, the deadlines page and the alerts export. Importers keep importing from here.
 */
export * from './store/settings.ts'
export * from './store/plans.ts'
export * from './store/reviews.ts'
export * from './store/care-map.ts'
export * from './store/observations.ts'
export * from './store/constant-supervision.ts'
export * from './store/family.ts'
export * from './store/referrals.ts'
export * from './store/training.ts'
export * from './store/measures.ts'
