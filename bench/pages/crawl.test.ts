import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { firstFitting, linksIn, routeMatcher } from './crawl.ts'

describe('bench:pages finds a page for each route', () => {
  it('fits an address to a route one segment per parameter', () => {
    assert.ok(routeMatcher('/people/:prisonNumber/journey').test('/people/A1234BC/journey'))
    assert.ok(!routeMatcher('/people/:prisonNumber').test('/people/A1234BC/journey'))
    assert.ok(!routeMatcher('/care-plans.csv').test('/care-plansXcsv'), 'a dot in a route is a dot')
  })

  it('follows the links inside Waymark only, unescaped and without their fragment', () => {
    const html =
      '<a href="/roll?page=2&amp;search=ab">next</a><a href="https://gov.uk">out</a>' +
      '<a href="/people/A1#tabs">p</a><link href="/assets/app.css"><a href="//evil.example">x</a>'
    assert.deepEqual(linksIn(html), ['/roll?page=2&search=ab', '/people/A1'])
  })

  it('takes the first address that fits, judging the path without its query', () => {
    const links = ['/concerns?status=open', '/concerns/c-1', '/concerns/c-2']
    assert.equal(firstFitting('/concerns/:id', links), '/concerns/c-1')
    assert.equal(firstFitting('/handovers/:handoverId', links), undefined)
  })
})
