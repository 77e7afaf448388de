/** Allocation's store, by subject (issue 12): importers keep importing `./store.ts`. */
export * from './store/problem.ts'
export * from './store/runs.ts'
export * from './store/places.ts'
export * from './store/groups.ts'
export * from './store/prison.ts'
