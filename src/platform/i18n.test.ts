import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { allMessages } from '../app.ts'
import { cohorts, disabilities, ethnicities, religions, sexes, sexualOrientations } from '../areas/people/rules.ts'
import { createTranslator, defineMessages, languages, MissingTranslation } from './i18n.ts'
import { roles } from './permissions.ts'

const sourceDirectory = path.resolve(import.meta.dirname, '..')

function filesUnder(directory: string, ending: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(ending) && !name.endsWith(`.test${ending}`))
    .map((name) => path.join(directory, name))
}

function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
}

const translator = createTranslator(allMessages, { strict: true })
const known = new Set(Object.keys(translator.catalogues.en))

describe('the English and Welsh catalogues', () => {
  allMessages.forEach((messages, index) => {
    const sample = Object.keys(messages.en)[0]
    describe(`catalogue ${index + 1} (${sample?.split('.')[0]}…)`, () => {
      it('has the same keys in English and Welsh', () => {
        assert.deepEqual(Object.keys(messages.cy).sort(), Object.keys(messages.en).sort())
      })

      it('has no empty text in either language', () => {
        for (const language of languages)
          for (const [key, text] of Object.entries(messages[language]))
            assert.ok(text.trim().length > 0, `${language} text for ${key} is empty`)
      })

      it('keeps the same {placeholders} in the Welsh as in the English', () => {
        const welsh: Record<string, string> = messages.cy
        for (const [key, text] of Object.entries(messages.en))
          assert.deepEqual(placeholdersOf(welsh[key] ?? ''), placeholdersOf(text), `placeholders of ${key}`)
      })
    })
  })

  it('defines each key in one catalogue only', () => {
    assert.doesNotThrow(() => createTranslator(allMessages, { strict: true }))
  })

  it('has a Welsh catalogue that is not a copy of the English', () => {
    const same = [...known].filter((key) => translator.catalogues.cy[key] === translator.catalogues.en[key])
    // Proper names (Waymark, Beta) read the same in both; anything more means an untranslated catalogue.
    assert.ok(same.length < known.size / 10, `untranslated: ${same.join(', ')}`)
  })
})

describe('message keys used in the code', () => {
  it('exist for every t(…) with a literal key in a template', () => {
    const templates = filesUnder(sourceDirectory, '.njk')
    assert.ok(templates.length >= 5, 'found the templates')
    const used = templates.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'\s*[,)]/g)].map(
        (match) => `${path.relative(sourceDirectory, file)}: ${match[1]}`,
      ),
    )
    assert.ok(used.length >= 30, `found the keys (${used.length})`)
    assert.deepEqual(
      used.filter((entry) => !known.has(entry.split(': ')[1])),
      [],
    )
  })

  it('exist for every t(…), messageKey and tab key written in the TypeScript', () => {
    const missing: string[] = []
    const patterns = [/\bt\(\s*'([^']+)'/g, /\bmessageKey:\s*'([^']+)'/g, /\bkey:\s*'([^']+)'/g]
    for (const file of filesUnder(sourceDirectory, '.ts')) {
      if (file.includes(`${path.sep}allocator${path.sep}`)) continue
      const text = readFileSync(file, 'utf8')
      for (const pattern of patterns)
        for (const match of text.matchAll(pattern))
          if (!known.has(match[1])) missing.push(`${path.relative(sourceDirectory, file)}: ${match[1]}`)
    }
    assert.deepEqual(missing, [])
  })

  it('exist for the keys the templates build from a value: roles, error pages and sign-in notices', () => {
    const built = [
      ...roles.map((role) => `role.${role}`),
      ...[400, 403, 404, 429, 500].flatMap((status) => [`error.${status}.title`, `error.${status}.body`]),
      'signIn.expired',
      'signIn.signedOut',
    ]
    assert.deepEqual(
      built.filter((key) => !known.has(key)),
      [],
    )
  })

  it('exist for every code a person’s record can hold', () => {
    const built = [
      ...cohorts.map((code) => `cohort.${code}`),
      ...sexes.map((code) => `sex.${code}`),
      ...ethnicities.map((code) => `ethnicity.${code}`),
      ...religions.map((code) => `religion.${code}`),
      ...disabilities.map((code) => `disability.${code}`),
      ...sexualOrientations.map((code) => `sexualOrientation.${code}`),
    ]
    assert.deepEqual(
      built.filter((key) => !known.has(key)),
      [],
    )
  })
})

describe('createTranslator', () => {
  const messages = defineMessages(
    { 'test.greeting': 'Hello {name}, you have {count} people' },
    { 'test.greeting': 'Helo {name}, mae gennych {count} o bobl' },
  )

  it('fills in the values a message names, in the language asked for', () => {
    const t = createTranslator([messages], { strict: true })
    assert.equal(t.forLanguage('en')('test.greeting', { name: 'Sam', count: 3 }), 'Hello Sam, you have 3 people')
    assert.equal(t.forLanguage('cy')('test.greeting', { name: 'Sam', count: 3 }), 'Helo Sam, mae gennych 3 o bobl')
  })

  it('leaves a placeholder in place when no value is given for it', () => {
    const t = createTranslator([messages], { strict: true })
    assert.equal(t.forLanguage('en')('test.greeting', { name: 'Sam' }), 'Hello Sam, you have {count} people')
  })

  it('throws on an unknown key in development and tests', () => {
    const t = createTranslator([messages], { strict: true })
    assert.throws(() => t.forLanguage('cy')('test.missing'), MissingTranslation)
  })

  it('shows the key itself for an unknown key in production rather than failing the page', () => {
    const t = createTranslator([messages], { strict: false })
    assert.equal(t.forLanguage('en')('test.missing'), 'test.missing')
  })

  it('refuses two catalogues that define the same key', () => {
    assert.throws(() => createTranslator([messages, messages], { strict: true }), /test\.greeting is defined twice/)
  })
})

describe('plurals', () => {
  const translator = createTranslator(
    [
      defineMessages(
        { 'test.people.one': '1 person', 'test.people.other': '{count} people' },
        { 'test.people.one': '1 person', 'test.people.other': '{count} o bobl' },
      ),
      defineMessages({ 'test.only.other': '{count} of {what}' }, { 'test.only.other': '{count} o {what}' }),
    ],
    { strict: true },
  )

  it('chooses the form by the number, with the number as {count}', () => {
    const plural = translator.pluralFor('en')
    assert.equal(plural('test.people', 1), '1 person')
    assert.equal(plural('test.people', 0), '0 people')
    assert.equal(plural('test.people', 2), '2 people')
    assert.equal(plural('test.people', 1.5), '1.5 people')
  })

  it('follows Welsh rules, falling back to other for the forms a catalogue leaves out (two, few, many)', () => {
    const plural = translator.pluralFor('cy')
    assert.equal(plural('test.people', 1), '1 person')
    assert.equal(plural('test.people', 2), '2 o bobl')
    assert.equal(plural('test.people', 3), '3 o bobl')
    assert.equal(plural('test.people', 6), '6 o bobl')
    assert.equal(plural('test.only', 1, { what: 'bobl' }), '1 o bobl')
  })
})

describe('a count of one', () => {
  const translator = createTranslator(allMessages, { strict: true })
  const [en, cy] = [translator.pluralFor('en'), translator.pluralFor('cy')]
  const t = translator.forLanguage('en')

  it('is said in the singular where a page counts', () => {
    assert.deepEqual(
      [
        en('carePlans.lists.count', 1),
        en('carePlans.closure.sinceArrival', 1),
        en('concerns.minutes', 1),
        en('concerns.hours', 1),
        en('keywork.statistics.pastFirstContact', 1),
        en('keywork.wing.showOfficers', 1),
        en('keywork.flags.count', 1),
      ],
      [
        '1 care plan',
        'The person arrived on transfer 1 day ago: a plan is not closed in the first week without a reason',
        '1 minute',
        '1 hour',
        'Past the first contact threshold (1 day) with no session',
        'Show the officer',
        '1 person with a wellbeing flag.',
      ],
    )
    assert.equal(en('carePlans.lists.count', 2), '2 care plans')
    // Welsh keeps the noun singular after any number.
    assert.deepEqual([cy('carePlans.lists.count', 3), cy('concerns.minutes', 15)], ['3 cynllun gofal', '15 munud'])
  })

  it('is worded without a plural noun where a message takes a number alone', () => {
    const one = { person: 'A1234BC', group: 'ENG/a', capacity: 1, size: 1, minimum: 2 }
    assert.equal(t('allocation.refusal.full', one), 'Cannot add A1234BC to ENG/a: the group is full (room for 1)')
    assert.equal(
      t('allocation.refusal.belowMinimum', one),
      'Cannot remove A1234BC from ENG/a: it would fall to 1, below its minimum of 2',
    )
    assert.equal(
      t('costing.package.per.time-out-of-cell', { hours: 1, people: 10 }),
      'group sessions of 1 h for a group of 10',
    )
  })
})
