/**
 * Key work's store, by subject (issue 12): the prison's settings, allocations of dedicated officers, key work
 * sessions, progress meetings, check-ins, requests to change officer and decisions about a specialist need.
 * Importers keep importing this file.
 */
export * from './store/settings.ts'
export * from './store/allocations.ts'
export * from './store/sessions.ts'
export * from './store/progress-meetings.ts'
export * from './store/check-ins.ts'
export * from './store/change-requests.ts'
export * from './store/specialist-need.ts'
export * from './store/statistics.ts'
