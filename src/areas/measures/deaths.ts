/** M2: deaths in custody, with the Prisons and Probation Ombudsman's investigation, and the header's badge. */
import type { IsoDate } from '../../db/schema.ts'
import { type Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { MeasuresDeps } from './deps.ts'
import { deathHeaderAlertsOf } from './header-alert.ts'
import { investigationReferenceRefusal, rollingYearFrom } from './rules.ts'
import * as store from './store.ts'

/** M2: the prison's deaths in custody in the rolling 12 months, naming the people: staff who record them. Audited. */
export async function listDeaths(deps: MeasuresDeps, actor: Actor) {
  const { db, clock, audit } = deps
  const deaths = await store.deathsAt(db, actor.establishmentCode, rollingYearFrom(clock.today()))
  await audit.record(db, actor, { action: 'deaths-in-custody.listed', details: { count: deaths.length } })
  return { deaths }
}

/** M2: the person's header says they died in custody (deathHeaderAlertsOf). */
export function headerAlertsOf({ db }: MeasuresDeps, personId: string) {
  return deathHeaderAlertsOf(db, personId)
}

/** M2: the person, for the death in custody form (404 for someone at another prison), and any death recorded. */
export async function deathForm(deps: MeasuresDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  const recorded = (await store.deathOf(db, person.id)) ?? null
  // The form shows a death already recorded: reading it is a read of the person's record.
  await audit.record(db, actor, { action: 'death-in-custody.form-viewed', personId: person.id })
  return { person, recorded }
}

/**
 * M2: records a death in custody with the reference of the Prisons and Probation Ombudsman's investigation.
 * Once per person. Audited on the person's record.
 */
export async function recordDeath(
  deps: MeasuresDeps,
  actor: Actor,
  prisonNumber: string,
  input: { diedOn: IsoDate; investigationReference: string },
): Promise<Outcome> {
  const { db, clock, audit, people, events } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  if (input.diedOn > clock.today()) return { field: 'diedOn', messageKey: 'measures.death.error.future', values: {} }
  if (input.diedOn < person.receptionOn)
    return {
      field: 'diedOn',
      messageKey: 'measures.death.error.beforeReception',
      values: { date: person.receptionOn.split('-').reverse().join('/') },
    }
  const referenceRefused = investigationReferenceRefusal(input.investigationReference)
  if (referenceRefused) return referenceRefused
  const reference = input.investigationReference.trim()
  return db.transaction().execute(async (trx) => {
    if (await store.deathOf(trx, person.id))
      return { field: 'diedOn', messageKey: 'measures.death.error.recorded', values: {} }
    const id = await store.insertDeath(trx, {
      establishmentCode: person.establishmentCode,
      personId: person.id,
      diedOn: input.diedOn,
      investigationReference: reference,
      recordedAt: clock.now(),
      recordedBy: actor.id,
    })
    await audit.record(trx, actor, { action: 'death-in-custody.recorded', personId: person.id, details: { id } })
    // Their own view closes with their death, as with a release: no one signs in as them again.
    await events.publish(trx, actor, 'person.left-custody', { personId: person.id, reason: 'death' })
    return null
  })
}
