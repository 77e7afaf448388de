import { chartColours, type ChartColours } from './chart-colours.ts'

/**
 * The geometry of Waymark's charts, drawn as SVG by `views/charts.njk`: pure numbers and text, so a chart is
 * tested as data and rendered on the server with no script. Every chart stands beside a table of the same
 * figures, for screen readers and for print; its colours are `chartColours`, whose contrast is tested.
 */

/** M1, M2: a point of a 12-month trend: the month ('2026-11') and its figure, if any. */
export type TrendPoint = { month: string; value: number | null }

export type TrendChart = {
  width: number
  height: number
  left: number
  top: number
  plotWidth: number
  plotHeight: number
  /** Consecutive known points joined; a month with no figure breaks the line rather than inventing one. */
  lines: string[]
  dots: { x: number; y: number; month: string; value: number }[]
  months: { x: number; label: string }[]
  ticks: { y: number; value: number }[]
  target: { y: number; value: number } | null
  colours: ChartColours
}

/**
 * M1: the geometry of a 12-month trend, drawn as SVG by the page. The scale starts at nought so a small
 * change does not look like a large one, and reaches above both the highest figure and the target.
 */
export function trendChart(points: readonly TrendPoint[], target: number | null): TrendChart {
  const width = 560
  const height = 220
  const left = 44
  const top = 12
  const plotWidth = width - left - 30
  const plotHeight = height - top - 40
  const known = points.flatMap((point) => (point.value === null ? [] : [point.value]))
  const highest = Math.max(...known, target ?? 0, 0)
  const top10 = niceCeiling(highest)
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0
  const xOf = (index: number) => round(left + index * step)
  const yOf = (value: number) => round(top + plotHeight - (value / top10) * plotHeight)
  const lines: string[] = []
  let current: string[] = []
  points.forEach((point, index) => {
    if (point.value === null) {
      if (current.length) lines.push(current.join(' '))
      current = []
      return
    }
    current.push(`${xOf(index)},${yOf(point.value)}`)
  })
  if (current.length) lines.push(current.join(' '))
  return {
    width,
    height,
    left,
    top,
    plotWidth,
    plotHeight,
    lines: lines.filter((line) => line.includes(' ')),
    dots: points.flatMap((point, index) =>
      point.value === null ? [] : [{ x: xOf(index), y: yOf(point.value), month: point.month, value: point.value }],
    ),
    months: points.map((point, index) => ({ x: xOf(index), label: point.month })),
    ticks: [0, 0.25, 0.5, 0.75, 1].map((share) => ({ y: yOf(top10 * share), value: round(top10 * share) })),
    target: target === null ? null : { y: yOf(target), value: target },
    colours: chartColours,
  }
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten at or above the value (1 for nothing at all). */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const multiple of [1, 2, 2.5, 5, 10]) if (multiple * power >= value) return multiple * power
  return 10 * power
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

/** Arial's advance widths in ems, roughly and on the wide side, to wrap text before it reaches the chart's edge. */
function emsOf(character: string): number {
  if (/[ijlI.,:;'’!| ]/.test(character)) return 0.28
  if (/[frt()[\]-]/.test(character)) return 0.34
  if (/[mwMW%@]/.test(character)) return 0.95
  if (/[A-Z]/.test(character)) return 0.78
  return 0.56
}

/**
 * Text broken into lines no wider than `width` pixels at a font size, between words where it can (a word
 * longer than a line is broken inside it). SVG text does not wrap itself, and text past the edge is cut off.
 */
export function wrapText(text: string, width: number, fontSize: number, options: { bold?: boolean } = {}): string[] {
  const scale = fontSize * (options.bold ? 1.1 : 1)
  const widthOf = (part: string) => [...part].reduce((sum, character) => sum + emsOf(character) * scale, 0)
  const lines: string[] = []
  let line = ''
  for (const word of text.trim().split(/\s+/)) {
    const joined = line ? `${line} ${word}` : word
    if (widthOf(joined) <= width) {
      line = joined
      continue
    }
    if (line) lines.push(line)
    line = ''
    for (const character of word) {
      if (line && widthOf(line + character) > width) {
        lines.push(line)
        line = ''
      }
      line += character
    }
  }
  if (line || lines.length === 0) lines.push(line)
  return lines
}
