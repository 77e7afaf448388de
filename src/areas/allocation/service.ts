import type { Problem } from '../../allocator/index.ts'
import type { Db } from '../../db/database.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import type { PeopleService } from '../people/service.ts'
import { buildProblem, type ProblemOverrides } from './rules.ts'
import * as store from './store.ts'

export type AllocationService = ReturnType<typeof createAllocationService>

export function createAllocationService({ db, clock }: { db: Db; clock: Clock; audit: Audit; people: PeopleService }) {
  return {
    /**
     * R5, R6: the allocator's problem (format 1) for a prison as its records stand, with a scenario's
     * changes applied. Passes the allocator's `parseProblem`. Not audited: it holds prison numbers and
     * protected characteristics, so the callers that show or export it audit that.
     */
    async allocationProblemFor(
      establishmentCode: string,
      overrides: ProblemOverrides = {},
      trx: Db = db,
    ): Promise<Problem> {
      return buildProblem(await store.regimeFacts(trx, establishmentCode), clock.today(), overrides)
    },
  }
}
