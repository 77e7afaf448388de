/** P2: supervision sessions held, and how often the staff of a prison are due one. */
import type { Actor } from '../../platform/permissions.ts'
import { savePrisonSettings, type KeptPrisonSettings } from '../../platform/prison-settings.ts'
import { recordAgainstStaffMember, type Refused, type StaffDeps } from './deps.ts'
import { checkStaffSettingsForm, checkSupervisionForm, type StaffSettingsForm, type SupervisionForm } from './rules.ts'
import * as store from './store.ts'

/** P2: the staff settings of the user's establishment. */
export function staffSettings({ db }: StaffDeps, actor: Actor) {
  return store.findStaffPolicy(db, actor.establishmentCode)
}

/** P2: how often a prison's staff are due supervision, kept as a prison's own settings are. */
const staffPolicy: KeptPrisonSettings<{ supervisionIntervalWeeks: number }> = {
  find: store.findStaffPolicy,
  save: store.saveStaffPolicy,
  problems: () => [],
  audited: (values) => ({ action: 'staff.settings-saved', details: values }),
}

/**
 * P2: saves how often staff at the user's establishment are due supervision, or refuses it where someone else
 * changed it after the page was `drawn`. Audited.
 */
export async function saveStaffSettings(
  deps: StaffDeps,
  actor: Actor,
  form: StaffSettingsForm,
  drawn?: string,
): Promise<Refused | null> {
  const checked = checkStaffSettingsForm(form)
  if (!checked.values) return { problems: checked.problems }
  const problems = await savePrisonSettings(deps, actor, checked.values, staffPolicy, drawn)
  return problems.length > 0 ? { problems } : null
}

/** P2: a supervision session held. The supervisor's name stays out of the audit trail. */
export async function recordSupervision(
  deps: StaffDeps,
  actor: Actor,
  staffUserId: string,
  form: SupervisionForm,
): Promise<Refused | null> {
  return recordAgainstStaffMember(deps, actor, staffUserId, {
    check: (today) => checkSupervisionForm(form, today),
    insert: store.insertSupervision,
    audited: ({ staffUserId, id, values }) => ({
      action: 'staff.supervision-recorded',
      details: { staffUserId, staffSupervisionId: id, kind: values.kind },
    }),
  })
}
