import type { FastifyReply } from 'fastify'

/**
 * Sends `body` as a file the browser saves under `filename` rather than shows: a CSV (UTF-8) unless `type`
 * says otherwise. The filename is the caller's own (a report's name and an establishment code), never typed.
 */
export function sendDownload(
  reply: FastifyReply,
  filename: string,
  body: string,
  type = 'text/csv; charset=utf-8',
): FastifyReply {
  return reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).send(body)
}
