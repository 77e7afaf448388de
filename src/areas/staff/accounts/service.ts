import { bindUseCases, useCasesOf, type Bound } from '../../../platform/use-cases.ts'
import * as access from './access.ts'
import type { AccountsDeps } from './deps.ts'
import * as directory from './directory.ts'
import * as newAccounts from './new-accounts.ts'

export type { AccountListQuery, AccountsDeps } from './deps.ts'

/**
 * Issue 13: a prison administers its own accounts. An administrator creates them, gives and takes away roles
 * and prisons, disables and enables them and gives one-time passwords, at the prisons they hold and never
 * beyond what they hold themselves; a partner lead does the same for their own organisation's partners.
 * Every change is audited with who made it. Every export of these modules is a use case of `(deps, …)`.
 */
const accountsUseCases = useCasesOf(directory, newAccounts, access)

export type AccountsService = Bound<AccountsDeps, typeof accountsUseCases>

export function createAccountsService(deps: AccountsDeps): AccountsService {
  return bindUseCases(deps, accountsUseCases)
}
