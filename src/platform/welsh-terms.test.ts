import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allMessages } from '../app.ts'

/**
 * Issue 18: the Welsh guide (`../shared/design/WELSH.md`) gives one term for each idea and, beside it, the
 * words a Welsh reader would stumble on or misread. None of the "not" column appears in a Welsh catalogue.
 */
const notTheseWords: readonly { not: RegExp; use: string; why: string }[] = [
  { not: /swyddog(ion)? penodol/i, use: 'swyddog penodedig', why: '"a specific officer", not a dedicated one' },
  { not: /\b(c|g|ch|ngh)yflwyniad|(c|g|ch|ngh)ynefino/i, use: 'cyfnod sefydlu; swyddog sefydlu', why: 'induction' },
  { not: /(c|g|ch|ngh)yfoedion/i, use: 'cymheiriaid', why: 'peer' },
  { not: /\b(c|ch|g|ngh)ofrestru\b/i, use: 'sgwrs wirio', why: 'a wellbeing check-in; cofrestru is "sign in"' },
  { not: /\bh?erlid/i, use: 'holi eto', why: 'to chase a handover; erlid is "persecute"' },
  { not: /neilltuo/i, use: 'dyrannu', why: 'allocate' },
  { not: /asesydd/i, use: 'aseswr', why: 'assessor' },
  {
    not: /(?<!ffigurau )diogelwch yn y ddalfa/i,
    use: 'tîm y ddalfa fwy diogel',
    why: 'safer custody, the team; "safety in custody" is the subject of the figures only',
  },
  { not: /\b(tîm|arweinydd|arweinwyr) dalfa/i, use: 'tîm y ddalfa fwy diogel', why: 'safer custody, with its article' },
  { not: /ar y gofrestr/i, use: 'ar y rhestr', why: 'on the roll; cofrestr is the attendance register' },
  {
    not: /(?<!Carfanau )(rhai|pobl) na ddylid eu cymysgu|na ddylent gymysgu/i,
    use: 'gwaharddiad cymysgu',
    why: 'non-association, one term in place of four phrasings',
  },
  {
    not: /well ganddo\b/i,
    use: 'mae’n well ganddynt beidio â dweud',
    why: 'prefers not to say, on a women’s estate too',
  },
]

describe('the Welsh catalogues, against the guide', () => {
  it('use none of the words the guide says not to', () => {
    const found: string[] = []
    for (const messages of allMessages)
      for (const [key, text] of Object.entries(messages.cy))
        for (const { not, use, why } of notTheseWords)
          if (not.test(text)) found.push(`${key}: "${text}" has ${String(not)} (${why}): use ${use}`)
    assert.deepEqual(found, [])
  })

  it('call a handover a pecyn trosglwyddo, never the same word as the transfer it goes with', () => {
    const unlike: string[] = []
    for (const messages of allMessages) {
      const cy: Record<string, string> = messages.cy
      for (const [key, english] of Object.entries(messages.en))
        if (/\bhandovers?\b/i.test(english) && !/[pb]ecyn(nau)? trosglwyddo/i.test(cy[key] ?? ''))
          unlike.push(`${key}: "${cy[key]}"`)
    }
    assert.deepEqual(unlike, [])
  })

  it('answer an "Ai …?" question (is it this?) with Ie or Nage, as Welsh does', () => {
    const cy = Object.assign({}, ...allMessages.map((messages) => messages.cy)) as Record<string, string>
    const wrong = Object.keys(cy)
      .filter((key) => key.startsWith('regime.question.') && cy[key].startsWith('Ai '))
      .map((key) => key.replace('regime.question.', 'regime.answer.'))
      .filter((answer) => cy[`${answer}.yes`] !== 'Ie' || cy[`${answer}.no`] !== 'Nage')
    assert.deepEqual(wrong, [])
  })

  it('answer a "Did you…?" with Do or Naddo, not Ydw or Na', () => {
    const cy = Object.assign({}, ...allMessages.map((messages) => messages.cy)) as Record<string, string>
    assert.deepEqual([cy['carePlans.yes'], cy['carePlans.no']], ['Do', 'Naddo'])
  })
})
