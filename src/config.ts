import { z } from 'zod'

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

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
  COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SECURE_COOKIES: booleanFlag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Config = {
  environment: 'development' | 'test' | 'production'
  host: string
  port: number
  /** Unset means the embedded PGlite database in `dataDirectory`. */
  databaseUrl: string | undefined
  dataDirectory: string
  sessionIdleMinutes: number
  sessionAbsoluteHours: number
  signInAttemptsPerMinute: number
  cookieSecret: string
  secureCookies: boolean
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
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
  return {
    environment: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    dataDirectory: values.DATA_DIR,
    sessionIdleMinutes: values.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: values.SESSION_ABSOLUTE_HOURS,
    signInAttemptsPerMinute: values.SIGN_IN_ATTEMPTS_PER_MINUTE,
    // Outside production a fixed secret is harmless: it signs only the CSRF cookie of a local demo.
    cookieSecret: values.COOKIE_SECRET ?? 'waymark-development-cookie-secret-not-for-production',
    secureCookies: values.SECURE_COOKIES ?? production,
    logLevel: values.LOG_LEVEL,
  }
}
