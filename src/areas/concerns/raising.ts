/** S1: raising a concern: finding the person, the form, and a concern raised by staff, the person, or family. */
import { type Outcome } from '../../platform/forms.ts'
import type { ConcernUrgency } from '../../db/schema.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { namesIn, WHAT_HAPPENED_MAX } from './rules.ts'
import { recordAndRoute } from './routing.ts'
import type { ConcernAlongside, ConcernPerson, ConcernsDeps, PersonToRaiseAbout, RaiseInput } from './deps.ts'

/** The current peer supporters at the user's prison, by name, for the "on behalf of" choice. */
async function peerSupporterChoices(deps: ConcernsDeps, actor: Actor) {
  const { peerSupporters } = deps
  const { wings } = await peerSupporters.viewPeerSupporters(actor)
  return wings
    .flatMap((wing) =>
      wing.supporters.map((supporter) => ({
        id: supporter.id,
        name: `${supporter.lastName}, ${supporter.firstName}`,
        scheme: supporter.scheme,
        wingName: wing.name,
      })),
    )
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** S1: the person a prison number typed on the raise-a-concern page belongs to, if they are at the user's prisons. */
/**
 * S1, need-to-know: who a concern is about, from their prison number, or their first and last names in full
 * at the prison the user is working in. Never part of a name: partner workers and monitors hold no roll,
 * and this form must not become one.
 */
export async function findPeopleToRaiseAbout(
  deps: ConcernsDeps,
  actor: Actor,
  typed: string,
): Promise<PersonToRaiseAbout[]> {
  const { people } = deps
  try {
    const person = await people.findPersonOrThrow(actor, typed)
    return [{ prisonNumber: person.prisonNumber, firstName: person.firstName, lastName: person.lastName }]
  } catch (error) {
    if (!(error instanceof NotFound)) throw error
  }
  const found = new Map<string, PersonToRaiseAbout>()
  for (const { firstName, lastName } of namesIn(typed))
    for (const person of await people.findByNameAt(actor.establishmentCode, firstName, lastName))
      found.set(person.prisonNumber, person)
  return [...found.values()].sort((a, b) => a.prisonNumber.localeCompare(b.prisonNumber))
}

/** S1: what the raise-a-concern page needs: the person, and the peer supporters a concern may come from. */
export async function raiseForm(deps: ConcernsDeps, actor: Actor, prisonNumber: string) {
  const { people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  return { person, peerSupporters: await peerSupporterChoices(deps, actor) }
}

/**
 * S1: records a concern and, in the same transaction, tells the person's responsible officer and the
 * safer custody leads at their prison. Returns who was told, or a refusal that wrote nothing.
 */
export async function raiseConcern(
  deps: ConcernsDeps,
  actor: Actor,
  prisonNumber: string,
  input: RaiseInput,
): Promise<Outcome<{ concernId: string; responsibleName: string | null; leads: number }>> {
  const { people, peerSupporters } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  if (input.whatHappened.trim() === '')
    return { field: 'whatHappened', messageKey: 'concerns.raise.error.whatHappened' }
  if (input.whatHappened.length > WHAT_HAPPENED_MAX)
    return {
      field: 'whatHappened',
      messageKey: 'concerns.raise.error.whatHappenedLength',
      values: { max: WHAT_HAPPENED_MAX },
    }
  if (input.peerSupporterId !== null) {
    try {
      await peerSupporters.findCurrentOrThrow(actor, input.peerSupporterId)
    } catch (error) {
      if (error instanceof NotFound)
        return { field: 'peerSupporterId', messageKey: 'concerns.raise.error.peerSupporter' }
      throw error
    }
  }
  const routed = await recordAndRoute(
    deps,
    person,
    {
      // C1: a person in custody raising a worry through their own view is its raiser, not a member of staff.
      raisedBy: actor.person ? null : actor.id,
      raisedByPersonAccountId: actor.person ? actor.id : null,
      peerSupporterId: input.peerSupporterId,
      whatHappened: input.whatHappened.trim(),
      urgency: input.urgency,
      safeNow: input.safeNow,
      isSensitive: input.isSensitive,
      indicatesSelfHarmRisk: input.indicatesSelfHarmRisk ?? false,
    },
    actor,
  )
  // With nothing alongside to refuse it, a concern is always written.
  const { concernId, responsibleName, leads } = routed!
  return { concernId, responsibleName, leads }
}

/**
 * Issue 14: a worry from family or friends, matched to the person it is about, becomes a concern raised by
 * them and routed as every concern is. Who they are stays with the family worry; the concern points to it.
 * The family worry claims itself and records the match in the concern's own transaction: null when the
 * claim fails (matched already), and nothing is written.
 */
export async function raiseFromFamily(
  deps: ConcernsDeps,
  person: ConcernPerson,
  input: {
    familyWorryId: string
    /** The family asked that the person is not told who raised it: the concern says so to those acting on it. */
    askedNotNamed: boolean
    whatHappened: string
    urgency: ConcernUrgency
    indicatesSelfHarmRisk: boolean
  },
  by: { id: string | null; username: string },
  alongside: ConcernAlongside,
) {
  return recordAndRoute(
    deps,
    person,
    {
      raisedBy: null,
      raisedByPersonAccountId: null,
      familyWorryId: input.familyWorryId,
      familyAskedNotNamed: input.askedNotNamed,
      peerSupporterId: null,
      whatHappened: input.whatHappened,
      urgency: input.urgency,
      // Family and friends are not there to see: whether the person is safe now is for staff to find out.
      safeNow: 'not-sure',
      isSensitive: false,
      indicatesSelfHarmRisk: input.indicatesSelfHarmRisk,
    },
    by,
    alongside,
  )
}
