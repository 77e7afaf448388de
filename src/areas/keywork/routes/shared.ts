import { z } from 'zod'
import type { Language, Translate } from '../../../platform/i18n.ts'
import { officerLabelIn, type KeyworkPolicy, type WellbeingFlag } from '../rules.ts'
import type { KeyworkService } from '../service.ts'
import { doneNotices } from '../../../platform/notices.ts'

/** What each part of key work's routes is given: the service, from app.ts. */
export type KeyworkRoutesOptions = { keywork: KeyworkService }

export function labelled(policy: KeyworkPolicy, language: Language) {
  const label = officerLabelIn(language, policy)
  return { label, labelTitle: label.charAt(0).toUpperCase() + label.slice(1) }
}

/** The text of each flag, for the pages: why, and what to do about it. */
export function flagTexts(t: Translate, flags: readonly WellbeingFlag[]): string[] {
  return flags.map((flag) => {
    if (flag.kind === 'drop')
      return t('keywork.flag.drop', { scale: t(`keywork.scale.${flag.scale}`), from: flag.from, to: flag.to })
    if (flag.kind === 'low-run') return t('keywork.flag.low-run', { scale: t(`keywork.scale.${flag.scale}`) })
    return t('keywork.flag.missed-sessions', { days: flag.days })
  })
}

export const Whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const noticeOf = doneNotices({
  allocated: 'keywork.allocate.done',
  deallocated: 'keywork.deallocate.done',
  specialist: 'keywork.specialist.done',
  'change-requested': 'keywork.changeRequest.done',
  saved: 'keywork.settings.saved',
  decided: 'keywork.changeRequests.done',
  session: 'keywork.session.done',
  meeting: 'keywork.meeting.done',
})
