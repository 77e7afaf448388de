import { argon2, randomBytes, timingSafeEqual } from 'node:crypto'

// OWASP's second recommended argon2id setting: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB = 19_456
const PASSES = 2
const PARALLELISM = 1
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

/** Returns the PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, which carries its own parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, MEMORY_KIB, PASSES, PARALLELISM)
  return `$argon2id$v=19$m=${MEMORY_KIB},t=${PASSES},p=${PARALLELISM}$${salt.toString('base64url')}$${key.toString('base64url')}`
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
