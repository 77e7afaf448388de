import type { Db } from '../../db/database.ts'
import type { EventListener } from '../../platform/events.ts'
import type { Sweep } from '../../platform/jobs.ts'
import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { FamiliesDeps } from './deps.ts'
import * as escalation from './escalation.ts'
import * as matching from './matching.ts'
import * as saferCustody from './safer-custody.ts'
import * as store from './store.ts'
import * as worries from './worries.ts'

export type { FamiliesDeps, RaiseOutcome, WorryForm } from './deps.ts'

/**
 * Issue 14: what the safer custody dashboard asks of families, built before the concerns service (which the
 * families service itself needs to raise a concern): a count of the worries still to match, from families'
 * own records alone.
 */
export function createFamilyWorryCounts({ db }: { db: Db }) {
  return { countToMatch: (establishmentCode: string) => store.countToMatch(db, establishmentCode) }
}

/**
 * The families area's use cases (issue 12): the public page's worries and their follow-up, matching a worry
 * to a person, and what safer custody do with the worries at their prison.
 */
const familiesUseCases = {
  publicPage: worries.publicPage,
  raiseWorry: worries.raiseWorry,
  followUp: worries.followUp,
  listWorries: saferCustody.listWorries,
  viewWorry: saferCustody.viewWorry,
  personToMatch: matching.personToMatch,
  matchByHand: matching.matchByHand,
  linkToCarePlan: saferCustody.linkToCarePlan,
  setFamilyStatus: saferCustody.setFamilyStatus,
  markMalicious: saferCustody.markMalicious,
  closeNotHeldHere: saferCustody.closeNotHeldHere,
  savePhoneLine: saferCustody.savePhoneLine,
}

export type FamiliesService = Bound<FamiliesDeps, typeof familiesUseCases> & {
  /** Issue 14: the worker routes each worry taken from the public page (app.ts registers these). */
  listeners: EventListener<'family-worry.received'>[]
  /** F1: the sweep the background worker runs every minute, escalating worries no one has matched in time. */
  escalationSweep: Sweep
}

export function createFamiliesService(deps: FamiliesDeps): FamiliesService {
  return {
    listeners: [matching.worryReceived(deps)],
    escalationSweep: {
      name: 'families.escalate',
      everySeconds: 60,
      run: async (now) => {
        await escalation.escalateUnmatched(deps, now)
      },
    },
    ...bindUseCases(deps, familiesUseCases),
  }
}
