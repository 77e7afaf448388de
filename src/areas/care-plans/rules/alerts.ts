// ---------------------------------------------------------------------------------------------------
// Alerts, as NOMIS and the HMPPS alerts service code them

export type AlertCode = 'HA' | 'HA1' | 'HA2'
export const alertDescriptions: Record<AlertCode, string> = {
  HA: 'ACCT open',
  HA1: 'ACCT post closure',
  HA2: 'ACCT closed',
}

/** S3: the person's current ACCT alert follows their latest plan. */
export function alertOf(plan: { openedAt: Date; closedAt: Date | null; postClosureReviewedAt: Date | null }): {
  code: AlertCode
  description: string
  activeFrom: Date
} {
  if (plan.postClosureReviewedAt)
    return { code: 'HA2', description: alertDescriptions.HA2, activeFrom: plan.postClosureReviewedAt }
  if (plan.closedAt) return { code: 'HA1', description: alertDescriptions.HA1, activeFrom: plan.closedAt }
  return { code: 'HA', description: alertDescriptions.HA, activeFrom: plan.openedAt }
}
