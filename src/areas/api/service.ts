import type { ApiCallers } from '../../platform/api-callers.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { ApiTokenIssuerConfig } from '../../config.ts'
import type { ApiDeps } from './deps.ts'
import { createExternalIssuer } from './external-issuer.ts'
import * as clients from './clients.ts'
import * as tokens from './tokens.ts'

export type { ApiDeps } from './deps.ts'

/**
 * Issue 15: the systems that may call Waymark's API, and the tokens it issues them (client credentials, in
 * the embedded mode). The API's own routes live with the areas whose records they serve; platform checks
 * each call's token through `callers`.
 */
const apiUseCases = {
  addClient: clients.addClient,
  addExternalClient: clients.addExternalClient,
  listClients: clients.listClients,
  revokeClient: clients.revokeClient,
  issueToken: tokens.issueToken,
  publishedKeys: tokens.publishedKeys,
}

export type ApiService = Bound<ApiDeps, typeof apiUseCases> & { callers: ApiCallers }

export function createApiService(
  deps: PlatformDeps & { issuer: string; externalIssuer?: ApiTokenIssuerConfig | null },
): ApiService {
  const withKeys: ApiDeps = {
    ...deps,
    keys: {},
    externalIssuer: deps.externalIssuer ? createExternalIssuer(deps.externalIssuer) : null,
  }
  return {
    ...bindUseCases(withKeys, apiUseCases),
    callers: {
      resolve: (token, headers) => tokens.callerOfToken(withKeys, token, headers),
      recordCall: (caller, call) => tokens.recordCall(withKeys, caller, call),
    },
  }
}
