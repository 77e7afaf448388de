import type { Translate } from '../../platform/i18n.ts'
import { cohorts, disabilities, religions, sexes } from './rules.ts'

/** The value the allocator's problem gives a characteristic nobody recorded (allocation's `buildProblem`). */
export const notRecorded = 'not recorded'

/** The allocator's problem names the five ethnic groups in words; the equality pages' keys use the census letter. */
const ethnicGroupLetters: Record<string, string> = { White: 'W', Mixed: 'M', Asian: 'A', Black: 'B', Other: 'O' }

/**
 * A cohort or a protected characteristic's value as the person's record words it, in the reader's language:
 * 'M' is 'Male' and 'buddhist' 'Buddhist'. 'not-stated' (the person preferred not to say) and 'not recorded'
 * (nobody asked) stay two different answers. A value the record has no words for (an age band) is shown as it is.
 */
export function characteristicValueText(t: Translate, characteristic: string, value: string): string {
  if (value === notRecorded) return t('person.notRecorded')
  const known = (list: readonly string[], prefix: string) => (list.includes(value) ? t(`${prefix}.${value}`) : value)
  switch (characteristic) {
    case 'cohort':
      return known(cohorts, 'cohort')
    case 'sex':
      return known(sexes, 'sex')
    case 'religion':
      return known(religions, 'religion')
    case 'disability':
      return known(disabilities, 'disability')
    case 'ethnicGroup':
      if (value === 'not-stated') return t('ethnicity.NS')
      return ethnicGroupLetters[value] ? t(`equality.ethnicGroup.${ethnicGroupLetters[value]}`) : value
    default:
      return value
  }
}

/**
 * Rows of a table by characteristic, in the order of their words, with those who preferred not to say and those
 * with nothing recorded last: the reader looks for a group by its name.
 */
export function byCharacteristicText<Row extends { text: string; value: string }>(rows: readonly Row[]): Row[] {
  const last = (row: Row) => (row.value === notRecorded ? 2 : row.value === 'not-stated' ? 1 : 0)
  return [...rows].sort((a, b) => last(a) - last(b) || a.text.localeCompare(b.text))
}
