import type { Db } from '../db/database.ts'
import type { Audit } from './audit.ts'
import type { Clock } from './clock.ts'

/**
 * Issue 12: an area's service is a set of use cases, each a plain function of `(deps, actor, input…)` in a
 * module named in the prison's words (`care-plans/reviews.ts`, `journey/handovers.ts`). The area's
 * `service.ts` lists them once and binds them to its dependencies here, so that callers keep calling
 * `service.holdReview(actor, …)` and a use case can be read, and tested, on its own.
 */

/**
 * What every area's use cases are given by the platform, before the other areas' parts: the database, the
 * prison's clock and the audit trail, each built once in app.ts.
 */
export type PlatformDeps = { db: Db; clock: Clock; audit: Audit }

/** Any function whose first argument is the area's dependencies. */
type UseCaseOf<Deps> = (deps: Deps, ...args: never) => unknown

/** The service's face: each use case with its dependencies already given. */
export type Bound<Deps, UseCases extends Record<string, UseCaseOf<Deps>>> = {
  [Name in keyof UseCases]: UseCases[Name] extends (deps: Deps, ...args: infer Args) => infer Result
    ? (...args: Args) => Result
    : never
}

/** The use cases of many modules as one list: each module's exports, as a spread of them all would type them. */
type Merged<Modules extends readonly object[]> = Modules extends readonly [infer First, ...infer Rest extends object[]]
  ? First & Merged<Rest>
  : unknown

/**
 * A service's use cases when the service is its modules (`import * as sessions from './sessions.ts'`): every
 * export of each module, as one list for `bindUseCases`. A spread (`{ ...sessions, ...allocation }`) would let a
 * name two modules export quietly become the last one's; this refuses it, when the service is built, naming it.
 * So every export of such a module is a use case of `(deps, …)`: a helper they share lives in `deps.ts`.
 */
export function useCasesOf<const Modules extends readonly object[]>(
  ...modules: Modules
): { [Name in keyof Merged<Modules>]: Merged<Modules>[Name] } {
  const useCases: Record<string, unknown> = {}
  for (const module of modules)
    for (const [name, useCase] of Object.entries(module)) {
      if (Object.hasOwn(useCases, name)) throw new Error(`Two modules of use cases both export ${name}: rename one`)
      useCases[name] = useCase
    }
  return useCases as { [Name in keyof Merged<Modules>]: Merged<Modules>[Name] }
}

export function bindUseCases<Deps, UseCases extends Record<string, UseCaseOf<Deps>>>(
  deps: Deps,
  useCases: UseCases,
): Bound<Deps, UseCases> {
  const bound: Record<string, (...args: unknown[]) => unknown> = {}
  for (const [name, useCase] of Object.entries(useCases))
    bound[name] = (...args: unknown[]) => (useCase as (deps: Deps, ...rest: unknown[]) => unknown)(deps, ...args)
  return bound as Bound<Deps, UseCases>
}
