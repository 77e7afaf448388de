/** S1: a worry about themselves or someone else, raised by a person in custody, and what became of it. */
import { isRefusal, type Refusal } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PageAsked } from '../../platform/pagination.ts'
import { self, type MyViewDeps } from './deps.ts'
import { concernFromWorry, whoTheWorryIsAbout, type DangerAnswer } from './rules.ts'

export type WorryInput = {
  about: 'me' | 'someone-else'
  firstName: string
  lastName: string
  wing: string
  whatIsHappening: string
  danger: DangerAnswer
}

export const WORRY_MAX = 1000

/**
 * S1: a worry about themselves or someone else becomes a concern raised by a person in custody, sent at once
 * to safer custody and the responsible officer. Someone else is found by the name (and wing) typed.
 */
export async function raiseWorry(deps: MyViewDeps, actor: Actor, input: WorryInput): Promise<Refusal[]> {
  const { people, concerns } = deps
  const me = self(actor)
  const problems: Refusal[] = []
  const what = input.whatIsHappening.trim()
  if (what === '') problems.push({ field: 'whatIsHappening', messageKey: 'my.worry.error.what' })
  if (what.length > WORRY_MAX)
    problems.push({ field: 'whatIsHappening', messageKey: 'my.worry.error.tooLong', values: { max: WORRY_MAX } })
  let prisonNumber = me.prisonNumber
  if (input.about === 'someone-else') {
    if (input.firstName.trim() === '') problems.push({ field: 'firstName', messageKey: 'my.worry.error.firstName' })
    if (input.lastName.trim() === '') problems.push({ field: 'lastName', messageKey: 'my.worry.error.lastName' })
    if (problems.length > 0) return problems
    const matches = await people.findByNameAt(actor.establishmentCode, input.firstName, input.lastName)
    const them = whoTheWorryIsAbout(matches, input.wing)
    if (!them) return [{ field: 'lastName', messageKey: 'my.worry.error.notFound' }]
    prisonNumber = them.prisonNumber
  }
  if (problems.length > 0) return problems
  const outcome = await concerns.raiseConcern(actor, prisonNumber, {
    whatHappened: what,
    ...concernFromWorry(input.danger),
    isSensitive: false,
    peerSupporterId: null,
  })
  if (isRefusal(outcome)) return [{ field: 'whatIsHappening', messageKey: 'my.worry.error.what' }]
  return []
}

/** What happened to the worries they raised: sent, read, acted on (what was done only where theirs to know). */
export async function worries(deps: MyViewDeps, actor: Actor, asked: PageAsked = {}) {
  const { concerns } = deps
  self(actor)
  return concerns.listRaisedByPerson(actor, asked)
}
