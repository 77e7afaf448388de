/** S3: the overdue observation sweep, which the worker runs every minute on every process. */
import { observationAlertsDue, type CarePlanSettings } from './rules.ts'
import * as store from './store.ts'
import { HOUR, planHref, scheduleOf, type CarePlanDeps } from './deps.ts'

const system = { id: null, username: 'system' }

/**
 * S3: the overdue observation sweep. For every open plan, each missed slot of the last day still unseen
 * alerts the wing (the dedicated officer and the officers on duty) and, after the prison's further
 * interval, the orderly officer (the governors on duty). Each alert is claimed in the same transaction
 * as its notifications, so a second worker running the same sweep finds it taken and sends nothing; one with no
 * one on duty to tell is not claimed, and is sent when someone is.
 */
export async function sweepOverdueObservations(deps: CarePlanDeps, now: Date): Promise<number> {
  const { db, audit, staff, keywork, notifications } = deps
  const withSupervision = await store.supervisedPlansEverywhere(db)
  const since = new Date(now.getTime() - 48 * HOUR)
  const observations = await store.standingObservationTimesOf(
    db,
    withSupervision.map((plan) => plan.id),
    since,
  )
  let sent = 0
  const settingsAt = new Map<string, CarePlanSettings>()
  for (const plan of withSupervision) {
    if (!settingsAt.has(plan.establishmentCode))
      settingsAt.set(plan.establishmentCode, await store.findSettings(db, plan.establishmentCode))
    const settings = settingsAt.get(plan.establishmentCode)!
    const dueOf = (watched: typeof plan, standing: Map<string, store.ObservationTimes[]>) =>
      observationAlertsDue(
        scheduleOf(watched, settings, standing.get(plan.id) ?? [], now),
        now,
        settings.orderlyOfficerAfterMinutes,
      )
    const due = dueOf(plan, observations)
    if (due.length === 0) continue
    const [onDuty, officers] = await Promise.all([
      staff.listStaffOnDuty(plan.establishmentCode),
      keywork.currentDedicatedOfficers([plan.personId]),
    ])
    const wing = [
      ...(officers.get(plan.personId) ? [officers.get(plan.personId)!.staffUserId] : []),
      ...onDuty.filter((member) => member.role === 'officer').map((member) => member.id),
    ]
    const orderlyOfficers = onDuty.filter((member) => member.role === 'governor').map((member) => member.id)
    for (const alert of due)
      await db.transaction().execute(async (trx) => {
        const recipients = alert.stage === 'wing' ? wing : orderlyOfficers
        // No one on duty to tell: left unclaimed, to be weighed again next minute. An alert recorded as raised
        // has been heard by someone, as a concern's escalation has.
        if (recipients.length === 0) return
        // Weighed again under the plan's lock, which recording an observation takes: one written since the sweep
        // read them (the officer at the door as the minute turned) is an alarm for nothing.
        const locked = await store.lockPlan(trx, plan.id)
        if (!locked) return
        const seen = await store.standingObservationTimesOf(trx, [plan.id], since)
        const stillDue = dueOf(locked, seen).some(
          (again) => again.stage === alert.stage && again.slotEndsAt.getTime() === alert.slotEndsAt.getTime(),
        )
        if (!stillDue) return
        const claimed = await store.claimAlert(trx, {
          carePlanId: plan.id,
          slotEndsAt: alert.slotEndsAt,
          stage: alert.stage,
          sentAt: now,
          recipients: new Set(recipients).size,
        })
        if (!claimed) return
        await notifications.notify(trx, {
          recipientIds: recipients,
          establishmentCode: plan.establishmentCode,
          kind: `care-plan.observation-overdue.${alert.stage}`,
          messageKey: `carePlans.notification.overdueNamed.${alert.stage}`,
          // Named as a concern's notification names them: a prison number alone sends the wing to look it up.
          params: { prisonNumber: plan.prisonNumber, name: `${plan.lastName}, ${plan.firstName}` },
          href: planHref(plan),
        })
        await audit.record(trx, system, {
          action: 'care-plan.observation-overdue-alerted',
          personId: plan.personId,
          establishmentCode: plan.establishmentCode,
          details: {
            carePlanId: plan.id,
            stage: alert.stage,
            slotEndsAt: alert.slotEndsAt.toISOString(),
            recipients: new Set(recipients).size,
          },
        })
        sent += 1
      })
  }
  return sent
}
