import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chartColours as colour, contrastRatio, relativeLuminance } from './chart-colours.ts'

describe('contrastRatio', () => {
  it('is 21 for black on white, 1 for a colour on itself, and the same either way round', () => {
    assert.equal(contrastRatio('#000000', '#ffffff'), 21)
    assert.equal(contrastRatio('#1d70b8', '#1d70b8'), 1)
    assert.equal(contrastRatio('#ffffff', '#505a5f'), contrastRatio('#505a5f', '#ffffff'))
  })

  it('follows WCAG’s relative luminance, with its linear part for the darkest channels', () => {
    assert.equal(relativeLuminance('#ffffff'), 1)
    assert.equal(relativeLuminance('#000000'), 0)
    assert.equal(relativeLuminance('#0a0a0a'), 10 / 255 / 12.92)
    assert.throws(() => relativeLuminance('blue'))
  })
})

describe('the chart colours', () => {
  // Each pair a reader has to tell apart, the WCAG 2.2 minimum it must meet and the ratio it has.
  const pairs: { what: string; foreground: string; against: string; minimum: number; ratio: number }[] = [
    {
      what: 'titles, names and figures on the page (1.4.3)',
      foreground: colour.text,
      against: colour.background,
      minimum: 4.5,
      ratio: 19.59,
    },
    {
      what: 'axis labels on the page (1.4.3)',
      foreground: colour.secondaryText,
      against: colour.background,
      minimum: 4.5,
      ratio: 7.07,
    },
    { what: 'gridlines on the page', foreground: colour.gridline, against: colour.background, minimum: 3, ratio: 3.27 },
    {
      what: 'a trend’s line and dots, a scenario’s bar, on the page',
      foreground: colour.data,
      against: colour.background,
      minimum: 3,
      ratio: 5.17,
    },
    {
      what: 'today’s bar outline on the page',
      foreground: colour.todayOutline,
      against: colour.background,
      minimum: 3,
      ratio: 19.59,
    },
    {
      what: 'today’s bar beside a scenario’s bar',
      foreground: colour.todayOutline,
      against: colour.data,
      minimum: 3,
      ratio: 3.79,
    },
    {
      what: 'the spread line over a scenario’s bar',
      foreground: colour.mark,
      against: colour.data,
      minimum: 3,
      ratio: 3.79,
    },
    {
      what: 'the spread line over today’s bar',
      foreground: colour.mark,
      against: colour.todayFill,
      minimum: 3,
      ratio: 19.59,
    },
    {
      what: 'the spread line past the end of a bar',
      foreground: colour.mark,
      against: colour.background,
      minimum: 3,
      ratio: 19.59,
    },
    {
      what: 'a target’s line on the page',
      foreground: colour.mark,
      against: colour.background,
      minimum: 3,
      ratio: 19.59,
    },
    {
      what: 'a target’s line beside the trend’s line',
      foreground: colour.mark,
      against: colour.data,
      minimum: 3,
      ratio: 3.79,
    },
  ]
  for (const pair of pairs)
    it(`${pair.what}: ${pair.foreground} against ${pair.against} is ${pair.ratio}:1, at least ${pair.minimum}:1`, () => {
      const ratio = contrastRatio(pair.foreground, pair.against)
      assert.equal(Math.round(ratio * 100) / 100, pair.ratio)
      assert.ok(ratio >= pair.minimum)
    })
})
