import { z } from 'zod'
import { londonClock, londonDate, londonTime } from '../../../platform/dates.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { isoDateOf } from '../../../platform/date-input.ts'

/*
 * The care plan forms as staff fill them in: what every form's fields are made of (dates as typed, times,
 * text), a plan's address, and the supervision a form sets. Each page's own form is beside its routes.
 */

export const Whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
export const Text = (max: number) => z.string().trim().min(1).max(max)
export const OptionalText = (max: number) => z.string().trim().max(max).default('')
export const DateText = z.string().trim().transform(isoDateOf).pipe(z.string().min(1))
export const TimeText = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/)
export const Params = PersonParams.extend({ id: z.string().max(40) })

/** The supervision a form set: constant, by its officer, or the four numbers of observations at intervals. */
export function supervisionOf(
  data: z.infer<z.ZodObject<typeof IntervalSupervision>> | z.infer<z.ZodObject<typeof ConstantSupervision>>,
) {
  if (data.supervisionKind === 'constant')
    return {
      constantOfficerId: data.constantOfficerId,
      supervision: { observationsPerDay: 0, observationsPerNight: 0, conversationsPerDay: 0, conversationsPerNight: 0 },
    }
  return {
    constantOfficerId: null,
    supervision: {
      observationsPerDay: data.observationsPerDay,
      observationsPerNight: data.observationsPerNight,
      conversationsPerDay: data.conversationsPerDay,
      conversationsPerNight: data.conversationsPerNight,
    },
  }
}

/** A date and a time typed on a form, read as the prison's local (UK) time. */
export function instantOf(date: string, time: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  return londonTime(date, hour, minute)
}

/** '2026-11-25' as staff write it: '25/11/2026'. */
export function ukDate(iso: string): string {
  const [year, month, day] = iso.split('-')
  return `${day}/${month}/${year}`
}

/** Now as the prison's clock shows it, to fill in a form. */
export function localNow(now: Date) {
  return { date: ukDate(londonDate(now)), time: londonClock(now) }
}

const Supervision = {
  observationsPerDay: Whole(0, 96),
  observationsPerNight: Whole(0, 96),
  conversationsPerDay: Whole(0, 24),
  conversationsPerNight: Whole(0, 24),
}
export const supervisionMessages = {
  observationsPerDay: 'carePlans.error.observations',
  observationsPerNight: 'carePlans.error.observations',
  conversationsPerDay: 'carePlans.error.conversations',
  conversationsPerNight: 'carePlans.error.conversations',
}

/** Observations at intervals take their four numbers; constant supervision takes the officer instead. */
export const isConstant = (body: unknown) =>
  (body as { supervisionKind?: unknown } | undefined)?.supervisionKind === 'constant'
export const ConstantSupervision = { supervisionKind: z.literal('constant'), constantOfficerId: z.string().uuid() }
export const IntervalSupervision = { supervisionKind: z.literal('intervals').optional(), ...Supervision }
export const constantMessages = { constantOfficerId: 'carePlans.constant.error.officer' }
