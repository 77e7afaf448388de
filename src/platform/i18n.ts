/**
 * One translation function for every user-facing string. Each area keeps its own English and Welsh
 * catalogues (`messages.ts`), declared with `defineMessages` so the type checker refuses a Welsh catalogue
 * that lacks an English key; `i18n.test.ts` checks the same at run time for every catalogue.
 */
export const languages = ['en', 'cy'] as const
export type Language = (typeof languages)[number]

export const languageNames: Record<Language, string> = { en: 'English', cy: 'Cymraeg' }

export type Catalogue = Readonly<Record<string, string>>
export type Messages<Keys extends string = string> = { en: Record<Keys, string>; cy: Record<Keys, string> }

export function defineMessages<const English extends Record<string, string>>(
  en: English,
  cy: Record<keyof English, string>,
): Messages<Extract<keyof English, string>> {
  return { en, cy }
}

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'cy'
}

export type Translate = (key: string, values?: Record<string, string | number>) => string

/**
 * A message that depends on a number: `plural('roll.count', 3)` reads `roll.count.other`, and `roll.count.one`
 * for 1, by the language's own plural rules (Welsh has zero, one, two, few, many and other). A catalogue gives
 * the forms its language needs; a form it leaves out falls back to `other`. `{count}` is the number.
 */
export type Plural = (key: string, count: number, values?: Record<string, string | number>) => string

export type Translator = {
  forLanguage: (language: Language) => Translate
  pluralFor: (language: Language) => Plural
  catalogues: Record<Language, Catalogue>
}

export class MissingTranslation extends Error {}

/** `strict` throws on an unknown key (development and tests); in production the key itself is shown. */
export function createTranslator(all: readonly Messages[], options: { strict: boolean }): Translator {
  const catalogues: Record<Language, Record<string, string>> = { en: {}, cy: {} }
  for (const messages of all) {
    for (const language of languages) {
      for (const [key, text] of Object.entries(messages[language])) {
        if (key in catalogues[language]) throw new Error(`Message key ${key} is defined twice`)
        catalogues[language][key] = text
      }
    }
  }
  const forLanguage = (language: Language): Translate => {
    const catalogue = catalogues[language]
    return (key, values) => {
      const text = catalogue[key]
      if (text === undefined) {
        if (options.strict) throw new MissingTranslation(`No ${language} text for message key "${key}"`)
        return key
      }
      if (!values) return text
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
    }
  }
  const rules: Record<Language, Intl.PluralRules> = {
    en: new Intl.PluralRules('en-GB'),
    cy: new Intl.PluralRules('cy'),
  }
  const pluralFor = (language: Language): Plural => {
    const t = forLanguage(language)
    return (key, count, values = {}) => {
      const form = `${key}.${rules[language].select(count)}`
      return t(form in catalogues[language] ? form : `${key}.other`, { count, ...values })
    }
  }
  return { forLanguage, pluralFor, catalogues }
}
