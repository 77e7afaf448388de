/**
 * The colours of the server-drawn SVG charts (measures' trends, scenarios' comparison), in one place so that
 * `chart-colours.test.ts` can hold each to WCAG 2.2: 4.5:1 for text (1.4.3) and 3:1 for the graphics a
 * reader needs (1.4.11), against the white page and against whatever they are drawn over. axe cannot work out
 * the background of SVG text and leaves it to be checked by hand: this is that check.
 */
export const chartColours = {
  /** The page behind every chart (GOV.UK's white). */
  background: '#ffffff',
  /** Titles, names and the figures printed beside bars. */
  text: '#0b0c0c',
  /** Axis labels: the months, the ticks. */
  secondaryText: '#505a5f',
  /** The lines a value is read against. */
  gridline: '#8a8f91',
  /** A trend's line and dots; a scenario's bar. */
  data: '#1d70b8',
  /** Today's bar in the comparison: an outline, so the spread line over it keeps its contrast. */
  todayOutline: '#0b0c0c',
  todayFill: '#ffffff',
  /** The 10th to 90th percentile line over a bar, and a target's dashed line. */
  mark: '#0b0c0c',
} as const

export type ChartColours = typeof chartColours

/** WCAG 2.2's relative luminance of an sRGB colour written #rrggbb. */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!match) throw new Error(`Not a #rrggbb colour: ${hex}`)
  const [red, green, blue] = match.slice(1).map((pair) => {
    const channel = parseInt(pair, 16) / 255
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue
}

/** WCAG 2.2's contrast ratio of two colours, from 1 (the same) to 21 (black on white). */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a)
  return (lighter + 0.05) / (darker + 0.05)
}
