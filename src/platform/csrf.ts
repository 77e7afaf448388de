import type { FastifyReply } from 'fastify'

/** Where @fastify/csrf-protection keeps the secret that every form's token is made from. */
export const CSRF_COOKIE = 'waymark_csrf'

/**
 * At sign-in and sign-out: a token minted before (on a shared PC, by whoever used it last, or planted by an
 * attacker) must not work after. Forgetting the secret makes the next page mint a new one.
 */
export function renewCsrfSecret(reply: FastifyReply): void {
  reply.clearCookie(CSRF_COOKIE, { path: '/' })
}
