import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { Result as AxeViolation } from 'axe-core'
import type axe from 'axe-core'
import { buildApp, createServices, type Services } from '../../src/app.ts'
import type { DatabaseHandle, Db } from '../../src/db/database.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { seedDemoEstate } from '../../src/demo/seed.ts'
import { deliverEvents, testConfig } from './app.ts'
import type { Config } from '../../src/config.ts'
import { testEngines } from './database.ts'
import { openDemoSnapshot } from './demo-snapshot.ts'

/**
 * Debian's headless build of Chromium (package chromium-headless-shell, from the same source as chromium): the
 * same Blink and V8 without the desktop browser's windows, tab strip and GPU process, so a journey takes about
 * a third less CPU (raise-a-concern alone: 24 s and 18.5 s of CPU, against 31 s and 25 s in Debian's chromium).
 * Debian's full chromium where the shell is not installed; CHROMIUM_PATH chooses another.
 */
const chromiumPath =
  process.env.CHROMIUM_PATH ??
  (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium')
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Set E2E_SCREENSHOTS=/tmp/shots to keep a full-page screenshot of every page a journey checks. */
const screenshotDirectory = process.env.E2E_SCREENSHOTS

export type Journey = {
  baseUrl: string
  db: Db
  /** Every JSON line the server logged, at debug level, so a test can prove what it never wrote. */
  logLines: string[]
  browser: Browser
  /** Delivers the events waiting for their listeners, as `waymark serve`'s worker does every few seconds. */
  deliverEvents: () => Promise<number>
  /**
   * A fresh browser profile: its own cookies, English until the user chooses otherwise; with JavaScript off
   * for a journey that must work without it (axe cannot run there: check the same pages in a second profile).
   */
  newPage: (options?: { javaScriptEnabled?: boolean }) => Promise<{ context: BrowserContext; page: Page }>
  /** Script errors, Content Security Policy refusals and failed assets seen on any page so far. */
  pageProblems: string[]
  close: () => Promise<void>
}

/** The size of HMP Northgate in every journey's demo estate. */
export const journeyPeopleAtFirst = 120

/**
 * A real Waymark for one journey file: an in-memory PGlite (the migrated copy integration tests load) with
 * the demo estate (a small male local prison to keep it quick), the app listening on a free port, and one
 * Chromium. With `snapshot`, the estate comes from a dump seeded once (see `openDemoSnapshot`): use it
 * unless the journey checks what the demo seeds as of the moment it runs. Call `close` in `after`.
 */
export async function startJourney(
  options: {
    peopleAtFirst?: number
    snapshot?: boolean
    /** Settings beyond the journey's own (an identity provider's, say). */
    config?: Partial<Config>
    /** A port chosen in advance, where the address must be known before Waymark starts (PUBLIC_URL). */
    port?: number
  } = {},
): Promise<Journey> {
  const peopleAtFirst = options.peopleAtFirst ?? journeyPeopleAtFirst
  // Each size is a dump of its own, seeded once per run: one size keeps it to one.
  if (options.snapshot && peopleAtFirst !== journeyPeopleAtFirst)
    throw new Error(`A journey on the demo snapshot has ${journeyPeopleAtFirst} people at first, not ${peopleAtFirst}`)
  // Chromium starts while PGlite loads, the slowest part of the setup.
  const launching = chromium.launch({ executablePath: chromiumPath, args: chromiumArgs }).then(
    (browser) => ({ browser }),
    (error: unknown) => ({ error }),
  )
  const logLines: string[] = []
  let handle: DatabaseHandle | undefined
  let app: FastifyInstance | undefined
  let services: Services | undefined
  try {
    const demo = { seed: 1, today: systemClock.today(), peopleAtFirst }
    if (options.snapshot) handle = await openDemoSnapshot(demo)
    else {
      handle = await testEngines()
        .find((engine) => engine.name === 'PGlite')!
        .open()
      await seedDemoEstate(handle.db, { ...demo, environment: 'test' })
    }
    services = createServices({ db: handle.db })
    app = await buildApp({
      db: handle.db,
      services,
      // Debug, not production’s info: personal data written at any level an operator might turn on fails the check.
      config: testConfig({ logLevel: 'debug', signInAttemptsPerMinute: 100, ...options.config }),
      logStream: { write: (line) => void logLines.push(line) },
    })
    await app.listen({ port: options.port ?? 0, host: '127.0.0.1' })
  } catch (error) {
    const launched = await launching
    if ('browser' in launched) await launched.browser.close()
    await app?.close()
    await handle?.close()
    throw error
  }
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const launched = await launching
  if ('error' in launched) {
    await app.close()
    await handle.close()
    throw new Error(`Cannot start Chromium at ${chromiumPath} (apt-get install -y chromium-headless-shell)`, {
      cause: launched.error,
    })
  }
  const { browser } = launched
  // Narrowed once here: closures do not keep the narrowing of a `let`.
  const server = app
  const database = handle
  const theServices = services

  const pageProblems: string[] = []
  const contexts: BrowserContext[] = []
  return {
    baseUrl,
    db: database.db,
    logLines,
    browser,
    pageProblems,
    deliverEvents: () => deliverEvents(theServices),
    newPage: async (options = {}) => {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: 'en-GB',
        javaScriptEnabled: options.javaScriptEnabled ?? true,
      })
      contexts.push(context)
      const page = await context.newPage()
      page.on('pageerror', (error) => pageProblems.push(`${page.url()}: script error: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
          pageProblems.push(`${page.url()}: ${message.text()}`)
      })
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'document' && response.status() >= 400)
          pageProblems.push(`${page.url()}: ${response.status()} for ${response.url()}`)
      })
      page.on('requestfailed', (request) => {
        const reason = request.failure()?.errorText ?? 'failed'
        // A request cut short by the next navigation is the browser moving on, not a fault of the page.
        if (reason !== 'net::ERR_ABORTED') pageProblems.push(`${page.url()}: ${reason} for ${request.url()}`)
      })
      return { context, page }
    },
    close: async () => {
      for (const context of contexts) await context.close()
      await browser.close()
      await server.close()
      await database.close()
    },
  }
}

/**
 * Runs axe-core on the page as it stands and fails on any serious or critical violation, naming each rule
 * and the elements it found. The app's CSP forbids inline script, so axe goes in through the DevTools
 * protocol (`page.evaluate`), which the page's CSP does not govern: the page is tested with its real CSP.
 */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  await takeScreenshot(page, name)
  const hasAxe = await page.evaluate(() => 'axe' in window)
  if (!hasAxe) await page.evaluate(axeSource)
  // Only violations are asked for and only the blocking ones come back: axe then skips describing every node
  // that passed, and the browser does not send the whole result over the DevTools protocol (the sign-in
  // journey, 25 checks, went from 17.4 s to 14.5 s).
  const blocking = await page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    })
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(({ id, impact, help, helpUrl, nodes }) => ({
        id,
        impact,
        help,
        helpUrl,
        nodes: nodes.map((node) => ({ target: node.target })),
      }))
  })
  assert.equal(blocking.length, 0, `axe found on ${name} (${page.url()}):\n${blocking.map(describe).join('\n')}`)
}

function describe(
  violation: Pick<AxeViolation, 'id' | 'impact' | 'help' | 'helpUrl'> & { nodes: { target: unknown[] }[] },
): string {
  const targets = violation.nodes.map((node) => `      ${node.target.join(' ')}`).join('\n')
  return `  ${violation.impact}: ${violation.id}: ${violation.help} (${violation.helpUrl})\n${targets}`
}

/**
 * Fails if the page's visible text, or the labels a screen reader reads out, has a straight apostrophe or
 * quotation mark: GOV.UK style, as HMPPS services check it, uses ’ and “ ”.
 */
export async function checkTypography(page: Page, name: string): Promise<void> {
  const texts = await page.evaluate(() => {
    const labels = Array.from(document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')).flatMap(
      (element) =>
        ['aria-label', 'title', 'alt', 'placeholder']
          .map((attribute) => element.getAttribute(attribute))
          .filter((value): value is string => Boolean(value)),
    )
    return [document.title, ...document.body.innerText.split('\n'), ...labels]
  })
  const straight = texts.filter((text) => /['"]/.test(text))
  assert.deepEqual(straight, [], `straight apostrophes or quotes on ${name} (${page.url()}); use ’ or “ ”`)
}

/** Signs a member of staff in with the demo password, as they would at the sign-in page, and waits to be in. */
export async function signInAsStaff(page: Page, username: string): Promise<void> {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill('demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

/**
 * The page a change redirected to, once its banner says what was done. The notice comes with the redirect
 * (platform/notices.ts), never in the address, so waiting for it is waiting for the redirect to land, even back
 * on the page the form was on.
 */
export async function noticeShown(page: Page, notice: string | RegExp): Promise<void> {
  await page.locator('.govuk-notification-banner').filter({ hasText: notice }).waitFor()
  assert.equal(new URL(page.url()).searchParams.has('done'), false, `what was done is in the address ${page.url()}`)
}

/** Opens a page as a user would: its part of the service from the menu, then the page among that part's pages. */
export async function openFromMenu(page: Page, section: string, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: section, exact: true }).click()
  await page.waitForLoadState()
  const pages = page.getByRole('navigation', { name: `Pages in ${section}` })
  if ((await pages.count()) > 0) await pages.getByRole('link', { name, exact: true }).click()
  await page.waitForLoadState()
}

/** Both checks every journey runs on every page it visits. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await checkAccessibility(page, name)
  await checkTypography(page, name)
}

/**
 * A page read on a phone (375 px) is no wider than the phone: a wide table scrolls inside its own region
 * instead of pushing the page sideways. The page goes back to the width it had.
 */
export async function checkFitsPhone(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()
  await page.setViewportSize({ width: 375, height: 800 })
  try {
    const { width, widest } = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      // What pushes the page wider, outside the regions that scroll on their own, to say in the failure.
      widest: [...document.querySelectorAll('body *')]
        .filter((element) => element.getBoundingClientRect().right > 376 && !element.closest('.waymark-table-scroll'))
        .slice(-3)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
    }))
    assert.ok(width <= 375, `${name} is ${width} pixels wide on a 375-pixel phone (${widest.join(', ')})`)
  } finally {
    if (before) await page.setViewportSize(before)
  }
}

async function takeScreenshot(page: Page, name: string) {
  if (!screenshotDirectory) return
  mkdirSync(screenshotDirectory, { recursive: true })
  const file = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`
  await page.screenshot({ path: path.join(screenshotDirectory, file), fullPage: true })
}
