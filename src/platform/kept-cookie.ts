import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'

/**
 * A value kept in the browser between two requests of one task, never in the database: a sign-in on its way
 * to the identity provider, a one-time password or a slip's code on its way to the page that shows it.
 * Signed (a changed cookie reads as none), HttpOnly, limited to the addresses that read it and to minutes.
 */
export function keepInCookie(
  reply: FastifyReply,
  name: string,
  value: unknown,
  options: { path: string; maxAgeSeconds: number; secure: boolean; sameSite: 'lax' | 'strict' },
): void {
  reply.setCookie(name, JSON.stringify(value), {
    path: options.path,
    httpOnly: true,
    sameSite: options.sameSite,
    secure: options.secure,
    signed: true,
    maxAge: options.maxAgeSeconds,
  })
}

/** What `keepInCookie` kept, as the schema reads it: null when there is none, it was changed, or it is not that. */
export function readKeptCookie<Schema extends z.ZodType>(
  request: FastifyRequest,
  name: string,
  schema: Schema,
): z.infer<Schema> | null {
  const kept = request.cookies[name]
  const unsigned = kept ? request.unsignCookie(kept) : null
  if (!unsigned?.valid || !unsigned.value) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(unsigned.value)
  } catch {
    return null
  }
  const result = schema.safeParse(parsed)
  return result.success ? result.data : null
}
