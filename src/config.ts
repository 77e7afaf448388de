import { isIP } from 'node:net'
import { z } from 'zod'

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

/** proxy-addr's names for whole ranges, which Fastify accepts beside addresses. */
const namedRanges = ['loopback', 'linklocal', 'uniquelocal']

function isAddressOrRange(entry: string): boolean {
  if (namedRanges.includes(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (!family || rest.length > 0) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * Whose X-Forwarded-For to believe: nobody when unset, the nearest N proxies for a hop count, or the proxies at
 * these addresses. Never everyone: a client that may name its own address escapes every limit kept by address.
 */
const trustProxySetting = z
  .string()
  .trim()
  .transform((value, context): number | string[] => {
    if (/^\d+$/.test(value)) {
      const hops = Number(value)
      if (hops >= 1 && hops <= 10) return hops
    } else {
      const entries = value.split(',').map((entry) => entry.trim())
      if (entries.every((entry) => entry !== '' && isAddressOrRange(entry))) return entries
    }
    context.addIssue({
      code: 'custom',
      message:
        'must be the number of proxies in front of Waymark (1 to 10) or a comma-separated list of their addresses or CIDR ranges; leave it unset to trust no proxy',
    })
    return z.NEVER
  })

/**
 * The address of a server whose word Waymark takes: HTTPS, or plain HTTP only on this machine (a test's own),
 * where nothing on the network can change what it answers.
 */
function serverAddress(description: string) {
  return z
    .string()
    .trim()
    .url(`must be ${description}`)
    .refine((value) => {
      const url = URL.parse(value)
      return !url || url.protocol === 'https:' || (url.protocol === 'http:' && onThisMachine(url.hostname))
    }, `must be ${description} (plain http only for localhost)`)
}

function onThisMachine(hostname: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(hostname)
}

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset to use the embedded database)')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_IDLE_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).int().min(1).max(1440).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number({ message: 'must be a number of hours' }).int().min(1).max(72).default(12),
  SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number({ message: 'must be a whole number' }).int().min(1).default(10),
  API_CALLS_PER_MINUTE: z.coerce.number({ message: 'must be a whole number' }).int().min(1).default(1200),
  SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: z.coerce
    .number({ message: 'must be a whole number' })
    .int()
    .min(1)
    .default(300),
  TRUST_PROXY: trustProxySetting.optional(),
  COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SECURE_COOKIES: booleanFlag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url('must be the address people use, for example https://waymark.example.gov.uk').optional(),
  OIDC_ISSUER: z.string().url('must be the identity provider’s issuer address, https://…').optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
  OIDC_PROVIDER_NAME: z.string().min(1).max(60).default('your organisation’s account'),
  LOCAL_SIGN_IN: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  API_TOKEN_ISSUER: serverAddress('the issuer (`iss`) of the tokens other systems bring, https://…').optional(),
  API_TOKEN_JWKS_URL: serverAddress('the address of the issuer’s public keys (JWKS), https://…').optional(),
  API_TOKEN_AUDIENCE: z.string().trim().min(1).optional(),
})

/** Staff sign-in through an OpenID Connect provider (HMPPS Auth, Entra ID), found by discovery. */
export type OidcConfig = {
  issuer: string
  clientId: string
  clientSecret: string
  /** The ID token claim matched to a Waymark username. */
  usernameClaim: string
  /** "Sign in with …" on the sign-in page. */
  providerName: string
}

/**
 * Issue 15: the OAuth 2 server (HMPPS Auth, or another) whose access tokens the API accepts beside Waymark's
 * own: checked against its published keys, for the clients an administrator registered with their prisons.
 */
export type ApiTokenIssuerConfig = {
  /** The tokens' `iss`, exactly as the server writes it. */
  issuer: string
  /** Null: found by the issuer's discovery document, or `/.well-known/jwks.json` below the issuer. */
  jwksUrl: string | null
  /** Null: the tokens' `aud` is not checked (HMPPS Auth's client tokens name no audience). */
  audience: string | null
}

export type Config = {
  environment: 'development' | 'test' | 'production'
  host: string
  port: number
  /** Unset means the embedded PGlite database in `dataDirectory`. */
  databaseUrl: string | undefined
  dataDirectory: string
  sessionIdleMinutes: number
  sessionAbsoluteHours: number
  /** Sign-in attempts a minute from one address for one username: a person's own typing. */
  signInAttemptsPerMinute: number
  /** Issue 15: how many calls a minute one API client may make before it is told to wait (429). */
  apiCallsPerMinute: number
  /**
   * Sign-in attempts a minute from one address for all usernames together: a whole prison's shift change
   * behind its one address stays well under it; one machine trying many usernames does not.
   */
  signInAttemptsPerAddressPerMinute: number
  /** Unset (false): trust no proxy; a number: that many proxies in front; a list: proxies at those addresses. */
  trustProxy: false | number | string[]
  cookieSecret: string
  secureCookies: boolean
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** The address people use, without a trailing slash; the identity provider returns them to it. */
  publicUrl: string
  /** Null: staff sign in with Waymark's own passwords only. */
  oidc: OidcConfig | null
  /** Off: staff sign in through the identity provider only (people in custody keep their own sign-in). */
  localSignIn: boolean
  /** Null: the API accepts only the tokens Waymark issues itself. */
  apiTokenIssuer: ApiTokenIssuerConfig | null
}

export class ConfigError extends Error {}

/** Reads the environment once at start; a bad value stops the start with a message naming the variable. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = ConfigSchema.safeParse(present)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Waymark cannot start: these environment variables are not valid\n${problems.join('\n')}`)
  }
  const values = parsed.data
  const production = values.NODE_ENV === 'production'
  if (production && !values.COOKIE_SECRET)
    throw new ConfigError('Waymark cannot start: COOKIE_SECRET must be set (32 characters or more) in production')
  if (values.OIDC_ISSUER && (!values.OIDC_CLIENT_ID || !values.OIDC_CLIENT_SECRET))
    throw new ConfigError('Waymark cannot start: OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET as well')
  if (values.LOCAL_SIGN_IN === 'off' && !values.OIDC_ISSUER)
    throw new ConfigError('Waymark cannot start: LOCAL_SIGN_IN=off leaves no way to sign in unless OIDC_ISSUER is set')
  if (!values.API_TOKEN_ISSUER && (values.API_TOKEN_JWKS_URL || values.API_TOKEN_AUDIENCE))
    throw new ConfigError(
      'Waymark cannot start: API_TOKEN_JWKS_URL and API_TOKEN_AUDIENCE describe an issuer: set API_TOKEN_ISSUER too',
    )
  const publicUrl = (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '')
  // Waymark's own tokens name PUBLIC_URL as their issuer: an external issuer of that name could not be told apart.
  if (values.API_TOKEN_ISSUER && values.API_TOKEN_ISSUER.replace(/\/+$/, '') === publicUrl)
    throw new ConfigError(
      'Waymark cannot start: API_TOKEN_ISSUER is Waymark’s own address (PUBLIC_URL); leave it unset to use only Waymark’s own tokens',
    )
  return {
    environment: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    dataDirectory: values.DATA_DIR,
    sessionIdleMinutes: values.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: values.SESSION_ABSOLUTE_HOURS,
    signInAttemptsPerMinute: values.SIGN_IN_ATTEMPTS_PER_MINUTE,
    apiCallsPerMinute: values.API_CALLS_PER_MINUTE,
    signInAttemptsPerAddressPerMinute: values.SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE,
    trustProxy: values.TRUST_PROXY ?? false,
    // Outside production a fixed secret is harmless: it signs only the CSRF cookie of a local demo.
    cookieSecret: values.COOKIE_SECRET ?? 'waymark-development-cookie-secret-not-for-production',
    secureCookies: values.SECURE_COOKIES ?? production,
    logLevel: values.LOG_LEVEL,
    publicUrl,
    oidc: values.OIDC_ISSUER
      ? {
          issuer: values.OIDC_ISSUER,
          clientId: values.OIDC_CLIENT_ID!,
          clientSecret: values.OIDC_CLIENT_SECRET!,
          usernameClaim: values.OIDC_USERNAME_CLAIM,
          providerName: values.OIDC_PROVIDER_NAME,
        }
      : null,
    localSignIn: values.LOCAL_SIGN_IN === 'on',
    apiTokenIssuer: values.API_TOKEN_ISSUER
      ? {
          issuer: values.API_TOKEN_ISSUER,
          jwksUrl: values.API_TOKEN_JWKS_URL ?? null,
          audience: values.API_TOKEN_AUDIENCE ?? null,
        }
      : null,
  }
}
