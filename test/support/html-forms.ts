/**
 * The forms on a page as a browser would submit them, read from its HTML: enough of an HTML reader for the
 * markup Waymark's templates write (GOV.UK Frontend's inputs, radios, checkboxes, selects and textareas),
 * not a general parser.
 */
export type HtmlField = {
  name: string
  kind: 'hidden' | 'text' | 'number' | 'radio' | 'checkbox' | 'select' | 'textarea' | 'other'
  /** What a browser sends untouched: the value typed in, checked or selected ('' when nothing is). */
  value: string
  /** For radios, checkboxes and selects: every value offered. */
  options: string[]
  maxLength: number | null
}

export type HtmlForm = { action: string; method: string; fields: HtmlField[] }

const attribute = (tag: string, name: string): string | null => {
  const match = new RegExp(`\\s${name}(?:="([^"]*)"|(?=[\\s/>]))`, 'i').exec(tag)
  return match ? decodeEntities(match[1] ?? '') : null
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_whole, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_whole, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

export function formsOn(html: string): HtmlForm[] {
  const forms: HtmlForm[] = []
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, open = '', body = ''] = match
    forms.push({
      action: attribute(open, 'action') ?? '',
      method: (attribute(open, 'method') ?? 'get').toLowerCase(),
      fields: fieldsOf(body),
    })
  }
  return forms
}

function fieldsOf(body: string): HtmlField[] {
  const byName = new Map<string, HtmlField>()
  const field = (name: string, kind: HtmlField['kind'], maxLength: number | null) => {
    let known = byName.get(name)
    if (!known) byName.set(name, (known = { name, kind, value: '', options: [], maxLength }))
    return known
  }
  const maxLengthOf = (tag: string) => {
    const text = attribute(tag, 'maxlength') ?? attribute(tag, 'data-maxlength')
    return text ? Number(text) : null
  }
  for (const match of body.matchAll(/<(input|textarea|select)\b([^>]*)>([\s\S]*?<\/\1>)?/gi)) {
    const [, element = '', tag = '', inner = ''] = match
    const name = attribute(tag, 'name')
    if (!name || attribute(tag, 'disabled') !== null) continue
    if (element.toLowerCase() === 'textarea') {
      field(name, 'textarea', maxLengthOf(tag)).value = decodeEntities(inner.replace(/<\/textarea>$/i, ''))
      continue
    }
    if (element.toLowerCase() === 'select') {
      const select = field(name, 'select', null)
      for (const option of inner.matchAll(/<option\b([^>]*)>([^<]*)/gi)) {
        const value = attribute(option[1] ?? '', 'value') ?? decodeEntities((option[2] ?? '').trim())
        select.options.push(value)
        if (attribute(option[1] ?? '', 'selected') !== null) select.value = value
      }
      if (!select.value) select.value = select.options[0] ?? ''
      continue
    }
    const type = (attribute(tag, 'type') ?? 'text').toLowerCase()
    const value = attribute(tag, 'value') ?? ''
    if (type === 'radio' || type === 'checkbox') {
      const choice = field(name, type, null)
      choice.options.push(value || 'on')
      if (attribute(tag, 'checked') !== null) choice.value = value || 'on'
    } else if (type === 'submit' || type === 'button') {
      if (value) field(name, 'other', null).value = value
    } else {
      const kind =
        type === 'hidden'
          ? 'hidden'
          : type === 'number' || attribute(tag, 'inputmode') === 'numeric'
            ? 'number'
            : 'text'
      field(name, kind, maxLengthOf(tag)).value = value
    }
  }
  return [...byName.values()]
}
