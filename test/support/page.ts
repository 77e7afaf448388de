import { parse, type HTMLElement } from 'node-html-parser'

/**
 * A page as its reader meets it, for route tests: headings, the error summary, fields by their label, tables
 * by their caption, links and buttons by their name. Tests ask these rather than match the markup, so a
 * change of class or attribute order breaks no test, and a test says what the person sees.
 */
export type Page = ReturnType<typeof readPage>

/** Text as a reader sees it: entities decoded, white space folded, hidden text left in (as a screen reader). */
export const textOf = (element: HTMLElement | null | undefined): string =>
  (element?.textContent ?? '').replace(/\s+/g, ' ').trim()

export function readPage(html: string) {
  const root = parse(html)
  const main = root.querySelector('main') ?? root

  /** The accessible name of a control: its label, aria-label or aria-labelledby, or a button's own text. */
  const nameOf = (element: HTMLElement): string => {
    const labelled = element.getAttribute('aria-labelledby')
    if (labelled)
      return labelled
        .split(/\s+/)
        .map((id) => textOf(root.getElementById(id)))
        .join(' ')
    const aria = element.getAttribute('aria-label')
    if (aria) return aria
    const id = element.getAttribute('id')
    const label = id ? root.querySelector(`label[for="${id}"]`) : null
    if (label) return textOf(label)
    return textOf(element) || (element.getAttribute('value') ?? '')
  }
  const matches = (text: string, name: string | RegExp) => (typeof name === 'string' ? text === name : name.test(text))
  const controls = (selector: string) => main.querySelectorAll(selector)
  const one = (found: HTMLElement[], what: string): HTMLElement => {
    if (found.length !== 1) throw new Error(`Expected one ${what}, found ${found.length}`)
    return found[0]
  }

  const errors = () =>
    root
      .querySelectorAll('.govuk-error-summary__list a')
      .map((link) => ({ text: textOf(link), href: link.getAttribute('href') ?? '' }))

  return {
    root,
    /** The page's title, as the browser tab shows it. */
    title: textOf(root.querySelector('title')),
    /** The text of `main`, folded: for a phrase anywhere on the page. */
    text: textOf(main),
    /** The text of the page's h1 (or of the first heading of a level). */
    heading: (level = 1) => textOf(main.querySelector(`h${level}`)),
    /** Every heading's text of a level, in order. */
    headings: (level = 2) => main.querySelectorAll(`h${level}`).map(textOf),
    /** The GOV.UK error summary's items, each with the field it links to; empty when there is none. */
    /** The GOV.UK error summary's items, each with the field it links to; empty when there is none. */
    errors,
    /** Only the messages of the error summary, in order: for a test that checks what was said, not where it leads. */
    errorTexts: () => errors().map((error) => error.text),
    /** The message beside a field (GOV.UK's error message, without its visually hidden "Error:"). */
    fieldError: (id: string) => textOf(root.querySelector(`#${id}-error`)).replace(/^Error:\s*|^Gwall:\s*/, ''),
    /** The hint GOV.UK shows under a field's label, by the field's id; '' when there is none. */
    hint: (id: string) => textOf(root.querySelector(`#${id}-hint`)),
    /** The value a field holds as the page was sent: an input's value, a textarea's text, the chosen option. */
    valueOf: (label: string | RegExp) => {
      const field = one(
        controls('input, textarea, select').filter((element) => matches(nameOf(element), label)),
        `field labelled ${String(label)}`,
      )
      if (field.tagName === 'TEXTAREA') return field.textContent.replace(/^\n/, '')
      if (field.tagName === 'SELECT') return field.querySelector('option[selected]')?.getAttribute('value') ?? ''
      return field.getAttribute('value') ?? ''
    },
    /** The choices a select offers, by its label, in order: each option's text and value. */
    options: (label: string | RegExp) =>
      one(
        controls('select').filter((element) => matches(nameOf(element), label)),
        `select labelled ${String(label)}`,
      )
        .querySelectorAll('option')
        .map((option) => ({ text: textOf(option), value: option.getAttribute('value') ?? '' })),
    /** The value of the field with this name as the page was sent (for fields a test names by the form's key). */
    valueOfField: (name: string) => {
      const field = one(controls(`[name="${name}"]`), `field named ${name}`)
      if (field.tagName === 'TEXTAREA') return field.textContent.replace(/^\n/, '')
      return field.getAttribute('value') ?? ''
    },
    /** Whether any form on the page posts to this address. */
    hasForm: (action: string) => controls(`form[action="${action}"]`).length > 0,
    /** Whether a radio or checkbox with this label is checked. */
    isChecked: (label: string | RegExp) =>
      one(
        controls('input[type="radio"], input[type="checkbox"]').filter((element) => matches(nameOf(element), label)),
        `choice labelled ${String(label)}`,
      ).hasAttribute('checked'),
    /** A link's address by its text (or accessible name); throws unless exactly one matches. */
    link: (name: string | RegExp) =>
      one(
        controls('a').filter((element) => matches(nameOf(element), name)),
        `link named ${String(name)}`,
      ).getAttribute('href') ?? '',
    /** Every link's text and address, for a list of them. */
    links: () => controls('a').map((link) => ({ text: nameOf(link), href: link.getAttribute('href') ?? '' })),
    /**
     * Every address the whole page (header, navigation and footer too) links or posts to: each link's href and
     * each form's action, for what must lead nowhere, e.g. no link to anyone's record.
     */
    addresses: () => [
      ...root.querySelectorAll('a[href]').map((link) => link.getAttribute('href') ?? ''),
      ...root.querySelectorAll('form[action]').map((form) => form.getAttribute('action') ?? ''),
    ],
    /**
     * Whether the whole document holds this anywhere, in its text (title, header and footer included) or in
     * an attribute's value (an address, a field's value, a label for a screen reader): for what must be
     * nowhere on the page, such as a person's name.
     */
    mentions: (needle: string | RegExp) =>
      [textOf(root), ...root.querySelectorAll('*').flatMap((element) => Object.values(element.attributes))].some(
        (text) => (typeof needle === 'string' ? text.includes(needle) : needle.test(text)),
      ),
    /** The accessible name of every image (an element of role img, such as a chart) in main, in order. */
    images: () => controls('[role="img"]').map(nameOf),
    /** The unit GOV.UK shows after a field (its suffix, such as "%"), by the field's label; '' when there is none. */
    suffixOf: (label: string | RegExp) =>
      textOf(
        one(
          controls('input').filter((element) => matches(nameOf(element), label)),
          `field labelled ${String(label)}`,
        )
          .closest('.govuk-input__wrapper')
          ?.querySelector('.govuk-input__suffix'),
      ),
    /** The values checked among the radios or checkboxes of this form name, for choices whose labels repeat (one per row). */
    chosen: (name: string) =>
      controls(`input[name="${name}"]`)
        .filter((element) => element.hasAttribute('checked'))
        .map((element) => element.getAttribute('value') ?? ''),
    /** What pressing the button with this accessible name sends: its form name and value ('' when it has none). */
    button: (label: string | RegExp) => {
      const button = one(
        controls('button, input[type="submit"]').filter((element) => matches(nameOf(element), label)),
        `button named ${String(label)}`,
      )
      return { name: button.getAttribute('name') ?? '', value: button.getAttribute('value') ?? '' }
    },
    /** Whether a button (or submit input) with this name is on the page. */
    hasButton: (name: string | RegExp) =>
      controls('button, input[type="submit"]').some((element) => matches(nameOf(element), name)),
    /** A table's rows as cell texts, header row first, found by its caption (or the only table). */
    table: (caption?: string | RegExp) => {
      const tables = controls('table')
      const table =
        caption === undefined
          ? one(tables, 'table')
          : one(
              tables.filter((element) => matches(textOf(element.querySelector('caption')), caption)),
              `table captioned ${String(caption)}`,
            )
      return table.querySelectorAll('tr').map((row) => row.querySelectorAll('th, td').map(textOf))
    },
    /** Every list item's text in main, in order: for lists that are not tables, such as a person's worries. */
    items: () => controls('li').map(textOf),
    /** The text of each status message in main (role status, read out when it changes), such as a count of results. */
    statuses: () => controls('[role="status"]').map(textOf),
    /** The name of each link the page marks as where the reader is (aria-current="page"), header included. */
    currentPages: () => root.querySelectorAll('a[aria-current="page"]').map(nameOf),
    /** The address of each style sheet the page loads, in order. */
    stylesheets: () => root.querySelectorAll('link[rel="stylesheet"]').map((link) => link.getAttribute('href') ?? ''),
    /** A GOV.UK summary list's rows as key and value texts. */
    summary: () =>
      Object.fromEntries(
        controls('.govuk-summary-list__row').map((row) => [
          textOf(row.querySelector('.govuk-summary-list__key')),
          textOf(row.querySelector('.govuk-summary-list__value')),
        ]),
      ),
    /**
     * Each text someone wrote in a box of several lines, as the browser shows it in its span (white-space:
     * pre-line): their line breaks kept, the spaces at each line's ends (a macro's indent) dropped, and
     * entities decoded once, so markup typed into the box reads back as the very characters typed.
     */
    ownLines: () =>
      controls('.waymark-own-lines').map((span) =>
        span.textContent
          .split('\n')
          .map((line) => line.replace(/[ \t]+/g, ' ').trim())
          .join('\n'),
      ),
    /** The texts of tags (GOV.UK's coloured labels), with their colour: `['Overdue', 'red']`. */
    tags: () =>
      controls('.govuk-tag').map((tag) => [
        textOf(tag),
        /govuk-tag--(\w+)/.exec(tag.getAttribute('class') ?? '')?.[1] ?? 'default',
      ]),
    /** The texts of MOJ badges on the whole page (header included), with their colour: `['Open ACCT care plan', 'red']`. */
    badges: () =>
      root
        .querySelectorAll('.moj-badge')
        .map((badge) => [textOf(badge), /moj-badge--(\w+)/.exec(badge.getAttribute('class') ?? '')?.[1] ?? 'default']),
    /** The text of the GOV.UK notification banner (a success message after a form), or ''. */
    banner: () => textOf(root.querySelector('.govuk-notification-banner')),
    /** The page's language, from the html element. */
    language: root.querySelector('html')?.getAttribute('lang') ?? '',
    /**
     * Every word a reader or a screen reader meets on the whole page (title, header, navigation and footer too):
     * its text, scripts left out, and each label given only to a screen reader (aria-label). For a page that
     * must be wholly in one language.
     */
    words: () => {
      const readable = parse(html)
      for (const script of readable.querySelectorAll('script')) script.remove()
      const labels = readable.querySelectorAll('[aria-label]').map((element) => element.getAttribute('aria-label'))
      return [textOf(readable), ...labels].join(' ')
    },
  }
}

/**
 * The page's header (who is signed in, the prison they are working in, signing out) read as a page of its own:
 * a page's fields and links are read in main, so the header's are read through this.
 */
export function headerOf(page: Page): Page {
  const header = page.root.querySelector('header')
  if (!header) throw new Error('Expected a header, found none')
  return readPage(`<main>${header.outerHTML}</main>`)
}

/**
 * A region of the page (a section named by its heading, through aria-labelledby or its first heading, or a
 * region named by aria-label, such as a table that scrolls within itself) read as a page of its own, for a
 * page of many like parts: the figure and target of one measure among twelve.
 */
export function regionOf(page: Page, name: string | RegExp): Page {
  const named = (section: HTMLElement) => {
    // As a browser names it: aria-labelledby first, then aria-label, then (for a section) its first heading.
    const labelled = section.getAttribute('aria-labelledby')
    const text = labelled
      ? labelled
          .split(/\s+/)
          .map((id) => textOf(page.root.getElementById(id)))
          .join(' ')
      : (section.getAttribute('aria-label') ?? textOf(section.querySelector('h1, h2, h3, h4, h5, h6')))
    return typeof name === 'string' ? text === name : name.test(text)
  }
  const found = page.root.querySelectorAll('main section, main [role="region"]').filter(named)
  if (found.length !== 1) throw new Error(`Expected one region named ${String(name)}, found ${found.length}`)
  return readPage(`<main>${found[0].outerHTML}</main>`)
}
