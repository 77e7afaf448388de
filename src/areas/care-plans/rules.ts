/**
 * The care plan rules, pure (no database, HTTP or templates), by subject: the prison's settings and the ACCT
 * timings, the steps of a plan, case reviews and closure, supervision, the order of the lists, alerts, and
 * the deadlines measure. Importers keep importing from here.
 */
export * from './rules/settings.ts'
export * from './rules/steps.ts'
export * from './rules/reviews.ts'
export * from './rules/supervision.ts'
export * from './rules/lists.ts'
export * from './rules/alerts.ts'
export * from './rules/measures.ts'
