import { z } from 'zod'
import type { Translate } from '../../platform/i18n.ts'
import type { NavigationItem } from '../../platform/navigation.ts'
import { equalityCsvRows, protectedText, type EqualityRow } from './rules.ts'
import { characteristicKeys, type EqualityService, type MeasureKey } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { toCsv } from '../../platform/csv.ts'
import { sendDownload } from '../../platform/downloads.ts'

export const equalityNavigation: readonly NavigationItem[] = [
  { messageKey: 'equality.navigation', href: '/equality', permission: 'equality.view' },
]

const Query = z.object({
  characteristic: z
    .enum(characteristicKeys as unknown as [string, ...string[]])
    .optional()
    .catch(undefined),
})

/** A group's name in the reader's language: an age band as it is, a code by the words the person record uses. */
function groupName(t: Translate, characteristic: string, group: string): string {
  if (characteristic === 'ageBand') return group
  if (characteristic === 'ethnicGroup') return t(`equality.ethnicGroup.${group}`)
  const prefix = characteristic === 'ethnicity' ? 'ethnicity' : characteristic
  const key = `${prefix}.${group}`
  try {
    return t(key)
  } catch {
    return group
  }
}

function shown(t: Translate, kind: string, measure: MeasureKey, row: EqualityRow) {
  const figure = (value: number | null) =>
    value === null
      ? t('equality.withheld')
      : kind === 'proportion'
        ? `${(value * 100).toFixed(1)}%`
        : value.toFixed(measure === 'feedbackScore' ? 2 : 1)
  const count = (value: EqualityRow['people']) =>
    protectedText(value, {
      fewerThanFive: t('equality.fewerThanFive'),
      allButFewerThanFive: t('equality.allButFewerThanFive'),
      withheld: t('equality.withheld'),
    })
  return {
    people: count(row.people),
    count: count(row.count),
    rate: figure(row.rate),
    comparatorRate: figure(row.comparatorRate),
    index: row.relativeRate
      ? t('equality.index', {
          index: row.relativeRate.index.toFixed(2),
          lower: row.relativeRate.lower.toFixed(2),
          upper: row.relativeRate.upper.toFixed(2),
        })
      : t('equality.withheld'),
    flagged: row.flagged,
    above: row.relativeRate ? row.relativeRate.index > 1 : false,
  }
}

/** M3: equality of access and outcomes, one characteristic at a time, and all of it as CSV. */
export function registerEqualityRoutes(app: AreaRoutes, { equality }: { equality: EqualityService }) {
  app.get(
    '/equality',
    { schema: { querystring: Query }, config: { permission: 'equality.view' } },
    async (request, reply) => {
      const { characteristic = 'ageBand' } = request.query
      const figures = await equality.figures(actorOf(request))
      const t = request.t
      const chosen = figures.characteristics.find((entry) => entry.code === characteristic)!
      return reply.page('equality/views/equality.njk', {
        figures,
        characteristic,
        tabs: figures.characteristics.map((entry) => ({
          code: entry.code,
          text: t(`equality.characteristic.${entry.code}`),
          href: `/equality?characteristic=${entry.code}`,
          active: entry.code === characteristic,
        })),
        measures: chosen.measures.map((measure) => ({
          code: measure.code,
          kind: measure.kind,
          rows: measure.rows.map((row) => ({
            group: groupName(t, characteristic, row.group),
            ...shown(t, measure.kind, measure.code, row),
          })),
        })),
      })
    },
  )

  app.get('/equality.csv', { config: { permission: 'equality.view' } }, async (request, reply) => {
    const figures = await equality.figures(actorOf(request))
    const rows = figures.characteristics.flatMap((characteristic) =>
      characteristic.measures.flatMap((measure) =>
        measure.rows.map((row) => ({ ...row, characteristic: characteristic.code, measure: measure.code })),
      ),
    )
    return sendDownload(
      reply,
      `equality-${actorOf(request).establishmentCode}.csv`,
      toCsv(...headerAndRows(equalityCsvRows(rows))),
    )
  })
}

const headerAndRows = ([header, ...rows]: string[][]): [string[], string[][]] => [header ?? [], rows]
