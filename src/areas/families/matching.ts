/**
 * Issue 14: a worry matched to the person it is about, by the worker without doubt or by safer custody by
 * hand, becomes a concern raised by family or friends.
 */
import { type Outcome } from '../../platform/forms.ts'
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
        return Boolean(locked && !locked.personId && !locked.maliciousAt)
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

/** Issue 14: safer custody match a worry to the person by hand; it becomes a concern, routed at once. */
export async function matchByHand(
  deps: FamiliesDeps,
  actor: Actor,
  id: string,
  typedPrisonNumber: string,
): Promise<Outcome> {
  const { db } = deps
  const worry = await findVisible(deps, actor, id)
  if (worry.personId) return { field: 'prisonNumber', messageKey: 'families.match.error.already' }
  if (worry.maliciousAt) return { field: 'prisonNumber', messageKey: 'families.match.error.malicious' }
  const prisonNumber = prisonNumberOf(typedPrisonNumber)
  const person = prisonNumber ? await store.findPersonAt(db, worry.establishmentCode, prisonNumber) : undefined
  if (!person) return { field: 'prisonNumber', messageKey: 'families.match.error.notHere' }
  const matched = await raiseFrom(
    deps,
    worry,
    { ...person, establishmentCode: worry.establishmentCode },
    actor,
    actor.id,
  )
  return matched ? null : { field: 'prisonNumber', messageKey: 'families.match.error.already' }
}
