/** P3: the prison service and the partner organisations a member of staff may belong to. */
import { Forbidden, NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { Refused, StaffDeps } from './deps.ts'
import { checkOrganisationForm, type OrganisationForm } from './rules.ts'
import * as store from './store.ts'

/** The prison service and the partner organisations a staff member may belong to (P3). */
export function listOrganisations({ db }: StaffDeps) {
  return store.listOrganisations(db)
}

/** P3: every organisation, with how many of its people work at the user's establishment. */
export async function viewOrganisations(deps: StaffDeps, actor: Actor) {
  const { db } = deps
  const [organisations, counts] = await Promise.all([
    store.listOrganisations(db),
    store.countStaffByOrganisation(db, actor.establishmentCode),
  ])
  return organisations.map((organisation) => ({ ...organisation, peopleHere: counts.get(organisation.id) ?? 0 }))
}

/** One organisation; an id that is not one is, to the pages, not there. */
export async function findOrganisationOrThrow(deps: StaffDeps, id: string) {
  const { db } = deps
  if (!isUuid(id)) throw new NotFound()
  const organisation = await store.findOrganisation(db, id)
  if (!organisation) throw new NotFound()
  return organisation
}

/** P3: adds a partner organisation (or the prison service) staff can then belong to. Audited. */
export async function addOrganisation(
  deps: StaffDeps,
  actor: Actor,
  form: OrganisationForm,
): Promise<Refused | { organisationId: string }> {
  const { db, audit } = deps
  return db.transaction().execute(async (trx) => {
    const others = await store.listOrganisations(trx)
    const checked = checkOrganisationForm(
      form,
      others.map((other) => other.name),
    )
    if (!checked.values) return { problems: checked.problems }
    const organisationId = await store.insertOrganisation(trx, checked.values)
    await audit.record(trx, actor, {
      action: 'organisation.added',
      details: { organisationId, kind: checked.values.kind },
    })
    return { organisationId }
  })
}

/** P3: renames an organisation or changes its kind or services, for everyone who belongs to it. Audited. */
export async function changeOrganisation(
  deps: StaffDeps,
  actor: Actor,
  id: string,
  form: OrganisationForm,
): Promise<Refused | null> {
  const { db, audit } = deps
  if (!hasPermission(actor.role, 'organisations.manage')) throw new Forbidden()
  if (!isUuid(id)) throw new NotFound()
  return db.transaction().execute(async (trx) => {
    const organisations = await store.listOrganisations(trx)
    if (!organisations.some((organisation) => organisation.id === id)) throw new NotFound()
    const checked = checkOrganisationForm(
      form,
      organisations.filter((organisation) => organisation.id !== id).map((organisation) => organisation.name),
    )
    if (!checked.values) return { problems: checked.problems }
    await store.updateOrganisation(trx, id, checked.values)
    await audit.record(trx, actor, {
      action: 'organisation.changed',
      details: { organisationId: id, kind: checked.values.kind },
    })
    return null
  })
}
