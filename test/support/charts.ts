import { chartColours } from '../../src/platform/chart-colours.ts'

/**
 * The fill and stroke colours of a page's SVG charts that are not `chartColours`, whose contrast is checked:
 * an empty list when every chart keeps to them.
 */
export function chartColoursUnchecked(body: string): string[] {
  const checked = new Set<string>(Object.values(chartColours))
  const charts = body.match(/<svg role="img" aria-labelledby=[\s\S]*?<\/svg>/g) ?? []
  const used = charts.flatMap((chart) => [...chart.matchAll(/(?:fill|stroke)="([^"]*)"/g)].map((match) => match[1]))
  return [...new Set(used)].filter((colour) => colour !== 'none' && !checked.has(colour))
}
