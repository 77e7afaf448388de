import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import * as acting from './acting.ts'
import type { ConcernLinksDeps, ConcernsDeps } from './deps.ts'
import * as escalation from './escalation.ts'
import { handingOnListeners } from './handing-on.ts'
import * as feedback from './feedback.ts'
import * as figures from './figures.ts'
import * as forSystems from './for-systems.ts'
import * as links from './links.ts'
import * as lists from './lists.ts'
import * as raising from './raising.ts'

export type {
  ActInput,
  CarePlansForConcerns,
  ConcernAlongside,
  ConcernLinksDeps,
  ConcernListState,
  ConcernPerson,
  ConcernsDeps,
  FamilyWorriesForConcerns,
  JourneyForConcerns,
  NotificationsForConcerns,
  PeerSupportersForConcerns,
  PersonToRaiseAbout,
  RaiseInput,
  StaffForConcerns,
} from './deps.ts'

/** S3, J3: what care plans and a transfer's handover ask of concerns, inside their own transactions. */
const concernLinkUseCases = useCasesOf(links)

export type ConcernLinks = Bound<ConcernLinksDeps, typeof concernLinkUseCases>

/**
 * S3, J3: what other areas ask of concerns inside their own work: the concern a care plan is opened from, and
 * the open concerns a transfer's handover carries. It needs only concerns' own records and the audit, so
 * app.ts builds it before care plans and journey, which the concerns service itself draws on (the dashboard's
 * care plan counts, who is responsible for the person): neither side needs the other built later.
 */
export function createConcernLinks(deps: ConcernLinksDeps): ConcernLinks {
  return bindUseCases(deps, concernLinkUseCases)
}

/**
 * The concerns area's use cases (issue 12), one module for each part of the work: raising (and routing) a
 * concern, acting on one, the lists, feedback to the raiser, escalation, the dashboard's figures, the list for
 * other systems, and (S3, J3) what care plans and a transfer's handover ask of concerns, built before them
 * (createConcernLinks). Every export of these modules is a use case of `(deps, …)`, so the service is the modules
 * themselves.
 */
const concernsUseCases = useCasesOf(escalation, raising, acting, lists, forSystems, feedback, figures, links)

export type ConcernsService = Bound<ConcernsDeps, typeof concernsUseCases> & {
  /** S1: the escalation sweep the background worker runs every minute. */
  escalationSweep: { name: string; everySeconds: number; run: (now: Date) => Promise<void> }
  /** S1: a concern still to act on goes to whoever is responsible now, when a dedicated officer's allocation ends or starts. */
  listeners: ReturnType<typeof handingOnListeners>
}

export function createConcernsService(deps: ConcernsDeps): ConcernsService {
  return {
    ...bindUseCases(deps, concernsUseCases),
    listeners: handingOnListeners(deps),
    /** S1: the escalation sweep the background worker runs every minute. */
    escalationSweep: {
      name: 'concerns.escalate',
      everySeconds: 60,
      run: async (now: Date): Promise<void> => {
        await escalation.escalateDue(deps, now)
      },
    },
  }
}
