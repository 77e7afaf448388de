/** C1, K2: their dedicated officer, and a private request to change them. */
import { type Outcome } from '../../platform/forms.ts'
import type { Language } from '../../platform/i18n.ts'
import type { Actor } from '../../platform/permissions.ts'
import { officerLabelIn } from '../keywork/rules.ts'
import { self, type MyViewDeps } from './deps.ts'

export const CHANGE_REASON_MAX = 1000

/** What the prison calls a dedicated officer ("key worker", "personal officer"), for the page's words. */
export async function officerLabel(deps: MyViewDeps, actor: Actor, language: Language) {
  const { keywork } = deps
  self(actor)
  return { label: officerLabelIn(language, await keywork.policyFor(actor.establishmentCode)) }
}

/** Their dedicated officer by name and when they are next due to meet; nothing of the officer's notes. */
export async function officer(deps: MyViewDeps, actor: Actor, language: Language) {
  const { keywork } = deps
  const me = self(actor)
  const view = await keywork.viewDedicatedOfficer(actor, me.prisonNumber)
  return {
    label: officerLabelIn(language, view.policy),
    officer: view.current ? { name: view.current.displayName, nextMeetingDue: view.current.nextSessionDue } : null,
    lastMetOn: view.lastSessionOn,
    // K2: what became of their own request to change officer, so that the page can say what they were promised.
    changeRequest: await keywork.ownChangeRequest(actor),
  }
}

/** K2: a private request to change officer, for safer custody to decide (never the officer it is about). */
export async function askToChangeOfficer(deps: MyViewDeps, actor: Actor, reason: string): Promise<Outcome> {
  const { keywork } = deps
  const me = self(actor)
  const text = reason.trim()
  if (text.length > CHANGE_REASON_MAX)
    return { field: 'reason', messageKey: 'my.changeOfficer.error.tooLong', values: { max: CHANGE_REASON_MAX } }
  const refusal = await keywork.raiseChangeRequest(actor, me.prisonNumber, text)
  if (!refusal) return null
  const pending = refusal.messageKey === 'keywork.changeRequest.error.pending'
  return {
    field: 'reason',
    messageKey: pending ? 'my.changeOfficer.error.pending' : 'my.changeOfficer.error.noOfficer',
  }
}
