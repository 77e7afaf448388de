import * as client from 'openid-client'
import type { OidcConfig } from '../config.ts'

/** What a sign-in at the provider carries from its start to its return: kept in a signed, httpOnly cookie. */
export type PendingSignIn = { state: string; nonce: string; codeVerifier: string; returnTo: string }

/** Why a return from the provider was refused: the page says what to do, the audit says which. */
export class OidcRefusal extends Error {
  readonly reason: 'no-pending-sign-in' | 'provider-error' | 'invalid-response' | 'no-username'
  constructor(reason: OidcRefusal['reason']) {
    super(reason)
    this.reason = reason
  }
}

/**
 * Issue 13: staff sign-in through an OpenID Connect provider (HMPPS Auth, Entra ID), with `openid-client`:
 * the authorization code flow with PKCE, state and nonce, the provider found by discovery, and the ID token
 * checked in full (issuer, audience, expiry, nonce, and its signature by the provider's published keys).
 * Discovery is asked once and kept; a failed one is asked again at the next sign-in.
 */
export function createOidc(settings: OidcConfig, publicUrl: string) {
  const issuer = new URL(settings.issuer)
  // Plain HTTP only for a provider on this machine (the tests' own): anywhere else it must be HTTPS.
  const onThisMachine = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname)
  let discovered: Promise<client.Configuration> | undefined
  const configuration = () => {
    discovered ??= client
      // HTTP Basic at the token endpoint: the method OpenID Connect assumes, HMPPS Auth's and Entra ID's.
      .discovery(issuer, settings.clientId, undefined, client.ClientSecretBasic(settings.clientSecret), {
        execute: onThisMachine && issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        discovered = undefined
        throw error
      })
    return discovered
  }
  const redirectUri = `${publicUrl}/sign-in/callback`

  return {
    providerName: settings.providerName,

    /** The provider's sign-in address, and what to keep until the person comes back. */
    async start(returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
      const codeVerifier = client.randomPKCECodeVerifier()
      const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier, returnTo }
      const url = client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      })
      return { url, pending }
    },

    /**
     * The person is back from the provider at `currentUrl`: exchange the code and check the ID token against
     * what was kept at the start. The username from the configured claim, or a refusal.
     */
    async finish(currentUrl: URL, pending: PendingSignIn | null): Promise<{ username: string }> {
      if (!pending) throw new OidcRefusal('no-pending-sign-in')
      if (currentUrl.searchParams.has('error')) throw new OidcRefusal('provider-error')
      let username: unknown
      try {
        const found = await configuration()
        const tokens = await client.authorizationCodeGrant(found, currentUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        })
        const claims = tokens.claims()!
        username = claims[settings.usernameClaim]
        // Some providers put profile claims in the ID token (Entra ID), others only at the UserInfo endpoint.
        if (username === undefined && found.serverMetadata().userinfo_endpoint)
          username = (await client.fetchUserInfo(found, tokens.access_token, claims.sub))[settings.usernameClaim]
      } catch {
        throw new OidcRefusal('invalid-response')
      }
      if (typeof username !== 'string' || username.trim() === '') throw new OidcRefusal('no-username')
      return { username }
    },

    /** Where to end the provider's own session (RP-initiated logout), or null when it offers none. */
    async endSessionUrl(): Promise<URL | null> {
      const found = await configuration()
      if (!found.serverMetadata().end_session_endpoint) return null
      return client.buildEndSessionUrl(found, {
        client_id: settings.clientId,
        post_logout_redirect_uri: `${publicUrl}/sign-in?signedOut=1`,
      })
    },
  }
}

export type Oidc = ReturnType<typeof createOidc>
