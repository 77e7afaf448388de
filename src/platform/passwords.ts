import { argon2, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** How much work an argon2id hash takes to make, and so to check: memory in KiB, passes and lanes. */
export type PasswordHashCost = { memoryKib: number; passes: number; parallelism: number }
/** OWASP's second recommended argon2id setting: 19 MiB, 2 passes, 1 lane. What every hash Waymark makes costs. */
export const PASSWORD_HASH_COST: PasswordHashCost = { memoryKib: 19_456, passes: 2, parallelism: 1 }
const TAG_LENGTH = 32

function derive(password: string, salt: Buffer, memory: number, passes: number, parallelism: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    argon2(
      'argon2id',
      { message: password, nonce: salt, memory, passes, parallelism, tagLength: TAG_LENGTH },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  )
}

/**
 * Returns the PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, which carries its own parameters. Waymark
 * always hashes at `PASSWORD_HASH_COST`; only the tests' builders of accounts pass a cheaper cost, so that
 * their thousands of sign-ins check the password as production does without paying 19 MiB each.
 */
export async function hashPassword(password: string, cost: PasswordHashCost = PASSWORD_HASH_COST): Promise<string> {
  const { memoryKib, passes, parallelism } = cost
  const salt = randomBytes(16)
  const key = await derive(password, salt, memoryKib, passes, parallelism)
  return `$argon2id$v=19$m=${memoryKib},t=${passes},p=${parallelism}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = PHC.exec(stored)
  if (!parts) return false
  const [, memory, passes, parallelism, salt, hash] = parts
  const expected = Buffer.from(hash, 'base64url')
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    Number(memory),
    Number(passes),
    Number(parallelism),
  )
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A hash to check against when the username is unknown, so a wrong name takes as long as a wrong password. */
export const decoyPasswordHash = hashPassword(randomBytes(12).toString('hex'))

/** NCSC: length over rules. Long enough to be a passphrase; short enough to type on a wing PC. */
export const PASSWORD_MIN = 12
/**
 * A person in custody's own view holds their timetable and worries, not others' records, and many read with
 * difficulty: a rule they can meet is 8 characters, two or three short words, still never a common password.
 */
export const PERSON_PASSWORD_MIN = 8
export const PASSWORD_MAX = 256

let common: Set<string> | undefined
/** The 49,000 most common passwords (zxcvbn-ts's list, shipped with Waymark): loaded the first time it is asked. */
async function commonPasswords(): Promise<Set<string>> {
  common ??= new Set((await import('@zxcvbn-ts/language-common')).dictionary['passwords-common'])
  return common
}

/**
 * Issue 13: a new password as NCSC advises: at least 12 characters, no composition rules, no expiry, and
 * refused when it is a common or breached password (or one with digits added to the end of one), or holds
 * the username. Null when it will do, or the message key that says why not.
 */
export async function newPasswordProblem(
  password: string,
  username: string,
  minimum: number = PASSWORD_MIN,
): Promise<string | null> {
  if (password.length < minimum) return 'passwords.error.tooShort'
  if (password.length > PASSWORD_MAX) return 'passwords.error.tooLong'
  const lowered = password.toLowerCase()
  if (username && lowered.includes(username.toLowerCase())) return 'passwords.error.username'
  const list = await commonPasswords()
  if (list.has(lowered) || list.has(lowered.replace(/[\d\W_]+$/, ''))) return 'passwords.error.common'
  return null
}

/** Letters and digits no one misreads from a screen or a slip (no 0 and o, no 1, l and i). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789'

/**
 * Issue 13: a one-time password or code to read aloud or copy from a slip: groups of four readable
 * characters, `3wta-yq8k-zjsj-nw8v` (four groups, about 79 bits; two for a slip's 7-day code, 40 bits, which
 * the sign-in delay and limits guard).
 */
export function readableCode(groups = 4): string {
  return Array.from({ length: groups }, () =>
    Array.from({ length: 4 }, () => READABLE[randomInt(READABLE.length)]).join(''),
  ).join('-')
}
