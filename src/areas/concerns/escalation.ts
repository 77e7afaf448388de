/** S1: how long a concern may wait at each prison, and what happens when one waits longer. */
import { prisonSettingsUseCases } from '../../platform/prison-settings.ts'
import { policyProblems, type ConcernPolicy } from './rules.ts'
import * as store from './store.ts'
import { aboutConcern, onDutyWithRole, system, type ConcernsDeps } from './deps.ts'

const escalationPolicy = prisonSettingsUseCases<ConcernPolicy>({
  find: store.findPolicy,
  problems: policyProblems,
  save: store.savePolicy,
  audited: (saved) => ({ action: 'concerns.settings-saved', details: { ...saved } }),
})

/** S1: how long each urgency of concern may wait at the prison before it is escalated. */
export const policyFor = escalationPolicy.read
/** S1: saves the prison's escalation times, or returns the problems with them and saves nothing. */
export const savePolicy = escalationPolicy.save

/**
 * S1: every unacted concern past its prison's time is marked escalated and its prison's governors on duty
 * told (the safer custody leads on duty when no governor is), in one transaction: a second worker running
 * at the same moment finds nothing left to send. A prison with neither on duty has its concerns weighed again
 * at the next sweep: a concern shown as escalated has been told to someone. Returns how many escalated.
 */
export async function escalateDue(deps: ConcernsDeps, now: Date): Promise<number> {
  const { db, audit, notifications } = deps
  return db.transaction().execute(async (trx) => {
    const escalationTo = new Map<string, string[]>()
    for (const establishmentCode of await store.prisonsWithDueEscalations(trx, now)) {
      const governors = await onDutyWithRole(deps, establishmentCode, 'governor', trx)
      const to = governors.length > 0 ? governors : await onDutyWithRole(deps, establishmentCode, 'safercustody', trx)
      if (to.length > 0)
        escalationTo.set(
          establishmentCode,
          to.map((member) => member.id),
        )
    }
    const due = await store.claimDueEscalations(trx, now, [...escalationTo.keys()])
    for (const concern of due) {
      const recipients = escalationTo.get(concern.establishmentCode)!
      await notifications.notify(trx, {
        recipientIds: recipients,
        establishmentCode: concern.establishmentCode,
        kind: 'concern-escalated',
        messageKey: `concerns.notification.escalated.${concern.urgency}`,
        params: {},
        href: '/concerns?state=escalated',
      })
      await audit.record(trx, system, aboutConcern('concern.escalated', concern, { notified: recipients.length }))
    }
    return due.length
  })
}
