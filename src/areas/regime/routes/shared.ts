import { z } from 'zod'
import { days, periods } from '../rules.ts'
import type { RegimeService } from '../service.ts'
import { doneNotices } from '../../../platform/notices.ts'

/** What the regime's routes are handed: its service alone. */
export type RegimeRoutesDeps = { regime: RegimeService }

/** The regime's services may refuse one field twice (a group's slots); a field shows its first refusal. */
export const onePerField = { onePerField: true }

export const Whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

/**
 * A code as a person types it (an activity's, a group's, a prison number): trimmed and written the way the
 * prison writes it, then held to its pattern.
 */
export const TypedCode = (written: (value: string) => string, pattern: RegExp) =>
  z.string().trim().transform(written).pipe(z.string().regex(pattern))

/** Each field of a form, with its message under the form's keys (`regime.group.error.capacity`). */
export const messagesOf = (form: z.ZodObject, prefix: string) =>
  Object.fromEntries(Object.keys(form.shape).map((field) => [field, `${prefix}.${field}`]))

export const noticeOf = doneNotices({
  'activity-added': 'regime.activity.added',
  'activity-changed': 'regime.activity.changed',
  'activity-retired': 'regime.activity.retired',
  'group-added': 'regime.group.added',
  'group-changed': 'regime.group.changed',
  'group-retired': 'regime.group.retiredDone',
  'usable-day': 'regime.usableDay.saved',
  framework: 'regime.framework.saved',
  'framework-reset': 'regime.framework.resetDone',
  'framework-default': 'regime.framework.alreadyDefault',
  'non-association': 'regime.nonAssociation.recorded',
  'non-association-closed': 'regime.nonAssociation.closedDone',
  'non-association-stale': 'regime.nonAssociation.stale',
  'separation-added': 'regime.separation.added',
  'separation-removed': 'regime.separation.removed',
  assessment: 'regime.assessment.saved',
})

/** The week as rows of a table: each day with its three periods. */
export const week = days.map((day) => ({ day, slots: periods.map((period) => ({ period, slot: `${day}_${period}` })) }))
