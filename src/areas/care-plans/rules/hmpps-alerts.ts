import { createHash } from 'node:crypto'
import { alertDescriptions, type AlertCode } from './alerts.ts'

/**
 * Issue 15: a care plan as the ACCT alerts the HMPPS alerts API keeps for it: HA (ACCT open) from its opening
 * to its closing, HA1 (ACCT post closure) from its closing to the post-closure review, and HA2 (ACCT closed)
 * from then on. A plan ended by the person leaving custody ends the alert it had then. Each alert keeps
 * one id for the life of the plan, so another system updates its copy rather than adding one.
 */
export type HmppsAlert = {
  alertUuid: string
  prisonNumber: string
  alertCode: { alertTypeCode: 'H'; alertTypeDescription: 'Self harm'; code: AlertCode; description: string }
  description: string
  activeFrom: string
  activeTo: string | null
  isActive: boolean
  createdAt: string
  createdBy: string
  prisonCodeWhenCreated: string
}

export type PlanForAlerts = {
  id: string
  prisonNumber: string
  establishmentCode: string
  openedAt: Date
  closedAt: Date | null
  postClosureReviewedAt: Date | null
  /** Ended by the person leaving custody (release or death): closed and reviewed in the same moment. */
  endedReason: 'release' | 'death' | null
}

/** The alerts a plan has raised so far, oldest first; at most one of them active. */
export function hmppsAlertsOf(plan: PlanForAlerts, londonDate: (at: Date) => string): HmppsAlert[] {
  const stages: { code: AlertCode; from: Date; to: Date | null }[] = [
    { code: 'HA', from: plan.openedAt, to: plan.closedAt },
  ]
  // A plan open when the person left never had its post-closure stage.
  const endedOpen = plan.endedReason !== null && plan.closedAt?.getTime() === plan.postClosureReviewedAt?.getTime()
  if (plan.closedAt && !endedOpen) stages.push({ code: 'HA1', from: plan.closedAt, to: plan.postClosureReviewedAt })
  // HA2 records that the ACCT was closed properly; it is not a warning anyone acts on, so it is never active.
  if (plan.postClosureReviewedAt)
    stages.push({ code: 'HA2', from: plan.postClosureReviewedAt, to: plan.postClosureReviewedAt })
  return stages.map(({ code, from, to }) => ({
    alertUuid: alertUuidOf(plan.id, code),
    prisonNumber: plan.prisonNumber,
    alertCode: { alertTypeCode: 'H', alertTypeDescription: 'Self harm', code, description: alertDescriptions[code] },
    description: alertDescriptions[code],
    activeFrom: londonDate(from),
    activeTo: to ? londonDate(to) : null,
    isActive: to === null,
    createdAt: from.toISOString(),
    createdBy: 'WAYMARK',
    prisonCodeWhenCreated: plan.establishmentCode,
  }))
}

/** The same plan and code give the same id on every call and every process (an RFC 9562 version 8 UUID). */
export function alertUuidOf(carePlanId: string, code: AlertCode): string {
  const hex = createHash('sha256').update(`waymark-acct-alert:${carePlanId}:${code}`).digest('hex').slice(0, 32)
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
