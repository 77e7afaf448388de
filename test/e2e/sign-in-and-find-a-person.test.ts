import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, startJourney, type Journey } from '../support/browser.ts'

type KnownPerson = {
  prisonNumber: string
  firstName: string
  lastName: string
  establishmentCode: string
  wingCode: string | null
}

const wrongPassword = 'not-the-password-4117'

describe('signing in and finding a person on the roll', () => {
  let journey: Journey
  let page: Page
  let everyone: KnownPerson[]
  let northgate: KnownPerson[]
  let surname: string
  let sought: KnownPerson
  const typedSearches: string[] = []
  const sessionTokens: string[] = []

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page } = await journey.newPage())
    everyone = await journey.db
      .selectFrom('person as p')
      .leftJoin('cell as c', 'c.id', 'p.cell_id')
      .leftJoin('wing as w', 'w.id', 'c.wing_id')
      .select([
        'p.prison_number as prisonNumber',
        'p.first_name as firstName',
        'p.last_name as lastName',
        'p.establishment_code as establishmentCode',
        'w.code as wingCode',
      ])
      .execute()
    northgate = everyone.filter((person) => person.establishmentCode === 'NHI')
    surname = mostCommon(northgate.map((person) => person.lastName))
    sought = northgate.find((person) => person.lastName !== surname && person.wingCode)!
  })
  after(async () => {
    await journey?.close()
  })

  it('sends someone who is not signed in to the sign-in page', async () => {
    await page.goto('/roll')
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    assert.equal(await heading(page), 'Sign in to Waymark')
    assert.equal(await fieldErrors(page), 0, 'no field is marked in error before the form is sent')
    await checkPage(page, 'sign-in')
  })

  it('keeps the username and says what is wrong when the password is wrong', async () => {
    await page.getByLabel('Username').fill('demo.officer')
    await page.getByLabel('Password', { exact: true }).fill(wrongPassword)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: Sign in to Waymark/)
    const summary = page.getByRole('alert')
    assert.match(await summary.innerText(), /There is a problem/)
    assert.match(await summary.innerText(), /The username or password is not right/)
    assert.equal(await page.getByLabel('Username').inputValue(), 'demo.officer')
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '')
    assert.equal(await fieldErrors(page), 1, 'the message is given once, beside the username')
    await checkPage(page, 'sign-in with wrong password')
  })

  it('signs a prison officer in and returns them to the roll of their establishment', async () => {
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/roll')
    assert.equal(await heading(page), 'Roll: HMP Northgate')
    assert.equal(await status(page), `${northgate.length} people`)
    const session = (await page.context().cookies()).find((cookie) => cookie.name === 'waymark_session')
    assert.ok(session, 'signing in sets a session cookie')
    sessionTokens.push(session.value)
    await checkPage(page, 'roll')
  })

  it('finds everyone whose name contains the surname searched for, and no one else', async () => {
    await search(page, surname)
    const expected = northgate.filter((person) => matches(person, surname))
    assert.ok(expected.length > 1, 'the demo estate has a surname shared by several people')
    assert.equal(await status(page), `${expected.length} people`)
    assert.deepEqual((await rollPrisonNumbers(page)).sort(), expected.map((person) => person.prisonNumber).sort())
    await checkPage(page, 'roll searched by surname')
  })

  it('finds one person by prison number, typed in lower case', async () => {
    await search(page, sought.prisonNumber.toLowerCase())
    assert.equal(await status(page), '1 person')
    assert.deepEqual(await rollPrisonNumbers(page), [sought.prisonNumber])
  })

  it('shows only the people on the chosen wing', async () => {
    await page.getByLabel('Name or prison number').fill('')
    await page.getByLabel('Wing').selectOption({ label: 'C wing' })
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('wing') === 'C')
    const onWing = northgate.filter((person) => person.wingCode === 'C')
    assert.ok(onWing.length > 0, 'the demo estate has people on C wing')
    assert.equal(await status(page), onWing.length === 1 ? '1 person' : `${onWing.length} people`)
    assert.deepEqual((await rollPrisonNumbers(page)).sort(), onWing.map((person) => person.prisonNumber).sort())
    for (const location of await rollColumn(page, 'Location')) assert.match(location, /^C wing, C-/)
    await checkPage(page, 'roll filtered by wing')
  })

  it('pages through the whole roll, 50 people at a time', async () => {
    await page.getByLabel('Wing').selectOption({ label: 'All wings' })
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('wing') === '')
    const seen: string[] = []
    const pages = Math.ceil(northgate.length / 50)
    for (let number = 1; number <= pages; number++) {
      const pagination = page.getByRole('navigation', { name: 'Pages of the roll' })
      assert.equal(await pagination.locator('[aria-current="page"]').innerText(), String(number))
      const onPage = await rollPrisonNumbers(page)
      assert.equal(onPage.length, number < pages ? 50 : northgate.length - 50 * (pages - 1))
      seen.push(...onPage)
      if (number === 2) await checkPage(page, 'roll page 2')
      if (number < pages) {
        await pagination.getByRole('link', { name: /Next/ }).click()
        await page.waitForURL(new RegExp(`page=${number + 1}`))
      }
    }
    assert.deepEqual(seen.sort(), northgate.map((person) => person.prisonNumber).sort())
  })

  it('opens a person from the roll', async () => {
    await search(page, sought.lastName)
    await page.getByRole('link', { name: `${sought.lastName}, ${sought.firstName}` }).click()
    await page.waitForURL(`**/people/${sought.prisonNumber}`)
    assert.equal(await heading(page), `${sought.lastName}, ${sought.firstName}`)
    const facts = await page.locator('main').innerText()
    assert.match(facts, new RegExp(sought.prisonNumber))
    assert.match(facts, /Date of birth/)
    assert.match(facts, /HMP Northgate/)
    await checkPage(page, 'person')
  })

  it('shows the person in Welsh after choosing Cymraeg, and in English again after choosing English', async () => {
    await page.getByRole('link', { name: 'Cymraeg' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'cy')
    assert.equal(new URL(page.url()).pathname, `/people/${sought.prisonNumber}`)
    assert.equal(await heading(page), `${sought.lastName}, ${sought.firstName}`)
    assert.match(await page.locator('main').innerText(), /Dyddiad geni/)
    assert.ok(await page.getByRole('button', { name: 'Allgofnodi' }).isVisible())
    await checkPage(page, 'person in Welsh')

    await page.getByRole('link', { name: 'English' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    assert.equal(new URL(page.url()).pathname, `/people/${sought.prisonNumber}`)
    assert.match(await page.locator('main').innerText(), /Date of birth/)
  })

  it('gives Page not found for a person at another establishment, by direct address', async () => {
    const elsewhere = everyone.find((person) => person.establishmentCode === 'EWI')!
    const response = await page.goto(`/people/${elsewhere.prisonNumber}`)
    assert.equal(response?.status(), 404)
    assert.equal(await heading(page), 'Page not found')
    const text = await page.locator('body').innerText()
    assert.doesNotMatch(text, new RegExp(elsewhere.lastName))
    assert.doesNotMatch(text, /HMP Elmwood/)
    await checkPage(page, 'person at another establishment')
  })

  it('signs out, and the roll then asks for sign-in again', async () => {
    await page.goto('/roll')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL('**/sign-in?signedOut=1')
    assert.match(await page.locator('main').innerText(), /You have signed out/)
    await checkPage(page, 'signed out')
    await page.goto('/roll')
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    assert.equal(await heading(page), 'Sign in to Waymark')
  })

  it('met no script error, refused script or missing asset on any page', () => {
    assert.deepEqual(journey.pageProblems, [])
  })

  describe('the server log of the journey', () => {
    it('has a line for each request, naming the route and not the address', () => {
      const routes = journey.logLines.map((line) => (JSON.parse(line) as { req?: { route?: string } }).req?.route)
      assert.ok(routes.includes('/people/:prisonNumber'), 'the person page was logged by its route')
      assert.ok(routes.includes('/roll'), 'the roll was logged by its route')
    })

    it('holds no name or prison number of anyone in custody, no search typed, password or session token', () => {
      const log = journey.logLines.join('\n').toLowerCase()
      const leaks = [
        ...everyone.flatMap((person) => [
          `${person.firstName} ${person.lastName}`,
          `${person.lastName}, ${person.firstName}`,
          `${person.lastName},${person.firstName}`,
          person.prisonNumber,
        ]),
        ...typedSearches,
        wrongPassword,
        ...sessionTokens,
      ].filter((secret) => log.includes(secret.toLowerCase()))
      assert.deepEqual(leaks, [])
    })
  })

  async function search(page: Page, term: string) {
    typedSearches.push(term)
    await page.getByLabel('Name or prison number').fill(term)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('search') === term)
  }
})

function matches(person: KnownPerson, term: string): boolean {
  const needle = term.toLowerCase()
  return [person.prisonNumber, person.firstName, person.lastName].some((value) => value.toLowerCase().includes(needle))
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]
}

async function heading(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim()
}

/** GOV.UK error messages begin with a visually hidden “Error:” that screen readers announce with the field. */
async function fieldErrors(page: Page): Promise<number> {
  return page.getByRole('main').getByText('Error:', { exact: true }).count()
}

async function status(page: Page): Promise<string> {
  return (await page.getByRole('status').innerText()).split('·')[0].trim()
}

/** One column of the roll table, found by its header; a row's inner text has its cells separated by tabs. */
async function rollColumn(page: Page, header: string): Promise<string[]> {
  const [headings, ...rows] = (await page.getByRole('table').getByRole('row').allInnerTexts()).map((row) =>
    row.split('\t').map((cell) => cell.trim()),
  )
  const column = headings?.indexOf(header) ?? -1
  assert.ok(column >= 0, `the roll has a ${header} column`)
  return rows.map((cells) => cells[column])
}

async function rollPrisonNumbers(page: Page): Promise<string[]> {
  return rollColumn(page, 'Prison number')
}
