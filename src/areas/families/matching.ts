/**
 * Issue 14: a worry matched to the person it is about, by the worker without doubt or by safer custody by
 * hand, becomes a concern raised by family or friends.
 */
import { isRefusal, type Outcome, type Refusal } from '../../platform/forms.ts'
import type { Db } from '../../db/database.ts'
import type { EventListener } from '../../platform/events.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { ConcernPerson } from '../concerns/service.ts'
import { matchOf, prisonNumberOf, urgencyOf } from './rules.ts'
import * as store from './store.ts'
import { findVisible, system, type FamiliesDeps } from './deps.ts'

/** Who at a prison is told of a worry to match: the safer custody leads on duty, or the governors if none is. */
async function toldAtPrison(deps: FamiliesDeps, trx: Db, establishmentCode: string) {
  const { staff } = deps
  const onDuty = await staff.listStaffOnDuty(establishmentCode, trx)
  const leads = onDuty.filter((member) => member.role === 'safercustody')
  return (leads.length > 0 ? leads : onDuty.filter((member) => member.role === 'governor')).map((member) => member.id)
}

/**
 * Issue 14: routes a worry taken from the public page, by the event written with it: matched to one person
 * without doubt, it becomes a concern raised by family or friends; otherwise safer custody are told there
 * is a worry to match by hand. A held-back worry (the hidden field filled) waits on the list, unannounced.
 */
async function routeWorry(deps: FamiliesDeps, familyWorryId: string) {
  const { db, clock, audit, notifications } = deps
  // Read before any transaction: raising the concern reads who is responsible, outside its own.
  const worry = await store.findWorry(db, familyWorryId)
  if (!worry || worry.routedAt || worry.heldBack) return
  const match = matchOf(worry, await store.candidatesAt(db, worry.establishmentCode, worry))
  if (match) {
    await raiseFrom(deps, worry, { ...match, establishmentCode: worry.establishmentCode }, system, null)
    return
  }
  await db.transaction().execute(async (trx) => {
    const locked = await store.lockWorry(trx, worry.id)
    if (!locked || locked.routedAt) return
    await store.markRouted(trx, worry.id, clock.now())
    await notifications.notify(trx, {
      recipientIds: await toldAtPrison(deps, trx, worry.establishmentCode),
      establishmentCode: worry.establishmentCode,
      kind: 'family-worry-to-match',
      messageKey: `families.notification.toMatch.${worry.howSoon}`,
      params: { reference: worry.reference },
      href: `/family-worries/${worry.id}`,
    })
    await audit.record(trx, system, {
      action: 'family-worry.routed',
      establishmentCode: worry.establishmentCode,
      details: { familyWorryId: worry.id, matched: false },
    })
  })
}

/** Issue 14: the listener that routes each worry taken from the public page (registered in app.ts). */
export function worryReceived(deps: FamiliesDeps): EventListener<'family-worry.received'> {
  return {
    name: 'families.route-worry',
    type: 'family-worry.received',
    handle: async (event) => routeWorry(deps, event.payload.familyWorryId),
  }
}

/**
 * A worry matched to a person becomes a concern raised by family or friends, in one transaction with the
 * worry marked matched: by the worker (`matchedBy` null) or by hand. False when someone matched it first.
 */
async function raiseFrom(
  deps: FamiliesDeps,
  worry: store.FamilyWorryRecord,
  person: ConcernPerson,
  by: { id: string | null; username: string },
  matchedBy: string | null,
): Promise<boolean> {
  const { clock, audit, concerns } = deps
  const raised = await concerns.raiseFromFamily(
    person,
    {
      familyWorryId: worry.id,
      askedNotNamed: !worry.mayTellPerson,
      whatHappened: worry.whatWorries,
      urgency: urgencyOf(worry.howSoon),
      indicatesSelfHarmRisk: worry.selfHarmRisk,
    },
    by,
    {
      claim: async (trx) => {
        const locked = await store.lockWorry(trx, worry.id)
        return Boolean(locked && !locked.personId && !locked.maliciousAt && !locked.notHeldHereAt)
      },
      record: async (trx, concernId) => {
        await store.markRouted(trx, worry.id, worry.routedAt ?? clock.now())
        await store.markMatched(trx, worry.id, { personId: person.id, concernId, at: clock.now(), by: matchedBy })
        await audit.record(trx, by, {
          action: matchedBy ? 'family-worry.matched' : 'family-worry.routed',
          personId: person.id,
          establishmentCode: worry.establishmentCode,
          details: { familyWorryId: worry.id, matched: true, concernId },
        })
      },
    },
  )
  return raised !== null
}

/** Why a worry cannot be matched by hand, whatever number is typed: null when it can be. */
function unmatchable(worry: store.FamilyWorryRecord): Refusal | null {
  if (worry.personId) return { field: 'prisonNumber', messageKey: 'families.match.error.already' }
  if (worry.maliciousAt) return { field: 'prisonNumber', messageKey: 'families.match.error.malicious' }
  if (worry.notHeldHereAt) return { field: 'prisonNumber', messageKey: 'families.match.error.notHeldHere' }
  return null
}

/** The worry and the person at its prison with the number typed, or why it cannot be matched to them. */
async function worryAndPerson<Person>(
  deps: FamiliesDeps,
  actor: Actor,
  id: string,
  typedPrisonNumber: string,
  find: (db: Db, establishmentCode: string, prisonNumber: string) => Promise<Person | undefined>,
): Promise<Outcome<{ worry: store.FamilyWorryRecord; person: Person }>> {
  const worry = await findVisible(deps, actor, id)
  const refusal = unmatchable(worry)
  if (refusal) return refusal
  const prisonNumber = prisonNumberOf(typedPrisonNumber)
  const person = prisonNumber ? await find(deps.db, worry.establishmentCode, prisonNumber) : undefined
  if (!person) return { field: 'prisonNumber', messageKey: 'families.match.error.notHere' }
  return { worry, person }
}

/**
 * Issue 14: the first step of matching by hand. A mistyped number would put a family's words on someone else's
 * record, so safer custody first see whom the number finds at the prison (name, date of birth, where on the roll)
 * beside what the family gave, and nothing is raised. Each look is audited, as opening a record is.
 */
export async function personToMatch(deps: FamiliesDeps, actor: Actor, id: string, typedPrisonNumber: string) {
  const { audit, db } = deps
  const found = await worryAndPerson(deps, actor, id, typedPrisonNumber, store.findPersonToConfirm)
  if (isRefusal(found)) return found
  const { worry, person } = found
  await audit.record(db, actor, {
    action: 'family-worry.match-checked',
    personId: person.id,
    establishmentCode: worry.establishmentCode,
    details: { familyWorryId: worry.id },
  })
  return {
    worry: {
      id: worry.id,
      reference: worry.reference,
      establishmentName: worry.establishmentName,
      personName: worry.personName,
      dateOfBirth: worry.dateOfBirth,
      prisonNumber: worry.prisonNumber,
    },
    person: {
      prisonNumber: person.prisonNumber,
      firstName: person.firstName,
      lastName: person.lastName,
      dateOfBirth: person.dateOfBirth,
      wingName: person.wingName,
      cellLabel: person.cellLabel,
    },
  }
}

/**
 * Issue 14: safer custody match a worry to the person by hand, once they have confirmed whom the number finds
 * (`personToMatch`); it becomes a concern, routed at once.
 */
export async function matchByHand(
  deps: FamiliesDeps,
  actor: Actor,
  id: string,
  typedPrisonNumber: string,
): Promise<Outcome> {
  const found = await worryAndPerson(deps, actor, id, typedPrisonNumber, store.findPersonAt)
  if (isRefusal(found)) return found
  const { worry, person } = found
  const matched = await raiseFrom(
    deps,
    worry,
    { ...person, establishmentCode: worry.establishmentCode },
    actor,
    actor.id,
  )
  return matched ? null : { field: 'prisonNumber', messageKey: 'families.match.error.already' }
}
