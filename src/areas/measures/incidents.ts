/** M2: self-harm incidents, recorded and listed by the staff who record them. */
import { type Outcome } from '../../platform/forms.ts'
import { holdUntilCommit } from '../../platform/locks.ts'
import { readCountedPage, type Page, type PageAsked } from '../../platform/pagination.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { MeasuresDeps } from './deps.ts'
import { INCIDENTS_PAGE_SIZE, rollingYearStart, type incidentInjuries, type incidentMethods } from './rules.ts'
import * as store from './store.ts'

export type IncidentInput = {
  occurredAt: Date
  method: (typeof incidentMethods)[number]
  injury: (typeof incidentInjuries)[number]
}

/** M2: the prison's incidents in the rolling 12 months, naming the people: staff who record them only. Audited. */
export async function listIncidents(deps: MeasuresDeps, actor: Actor, { page: asked }: PageAsked = {}) {
  const { db, clock, audit } = deps
  const from = rollingYearStart(clock.today())
  // Every incident of the year, a page at a time: the list stopped at the latest 200 and did not say so.
  const read = (page: Page) => store.incidentsAt(db, actor.establishmentCode, from, page)
  const { rows: incidents, total, page, pageCount } = await readCountedPage(read, asked, INCIDENTS_PAGE_SIZE)
  await audit.record(db, actor, {
    action: 'self-harm-incidents.listed',
    details: { count: incidents.length, page },
  })
  return { incidents, total, page, pageCount }
}

/** M2: the person, for the incident form (404 for someone at another prison). */
export async function incidentForm(deps: MeasuresDeps, actor: Actor, prisonNumber: string) {
  const { people } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  return { person }
}

/**
 * M2: records a self-harm incident. Whether the person was on an open care plan is asked of the care
 * plans area now and kept with the incident. Audited on the person's record. An incident already recorded for
 * the person at the same minute by the same method is the same incident, sent twice (a double click, or two
 * officers who were both there): it is refused, not counted twice in the prison's figures.
 */
export async function recordIncident(
  deps: MeasuresDeps,
  actor: Actor,
  prisonNumber: string,
  input: IncidentInput,
): Promise<Outcome> {
  const { db, clock, audit, people, carePlans } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  if (input.occurredAt.getTime() > clock.now().getTime())
    return { field: 'occurredOn', messageKey: 'measures.incident.error.future', values: {} }
  return db.transaction().execute(async (trx): Promise<Outcome> => {
    await holdUntilCommit(trx, `self-harm-incidents:${person.id}`)
    if (await store.incidentRecorded(trx, person.id, input.occurredAt, input.method))
      return { field: 'occurredOn', messageKey: 'measures.incident.error.recorded' }
    const openPlans = await carePlans.openCarePlansForHandover(trx, person.id)
    const id = await store.insertIncident(trx, {
      establishmentCode: person.establishmentCode,
      personId: person.id,
      occurredAt: input.occurredAt,
      method: input.method,
      injury: input.injury,
      onOpenCarePlan: openPlans.length > 0,
      recordedAt: clock.now(),
      recordedBy: actor.id,
    })
    await audit.record(trx, actor, {
      action: 'self-harm-incident.recorded',
      personId: person.id,
      details: { incidentId: id },
    })
    return null
  })
}
