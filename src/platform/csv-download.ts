import type { FastifyReply } from 'fastify'

/**
 * A CSV file (written by `toCsv`) sent for the browser to save rather than show, under the name given: every
 * download (the roll, ACCT alerts, the needs analysis, attendance and equality figures) is UTF-8 text/csv.
 */
export function sendCsvDownload(reply: FastifyReply, filename: string, csv: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv)
}
