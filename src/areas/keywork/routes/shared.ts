import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Language, Translate } from '../../../platform/i18n.ts'
import { officerLabelIn, type KeyworkPolicy, type Refusal, type WellbeingFlag } from '../rules.ts'
import type { KeyworkService } from '../service.ts'
import { doneNotices } from '../../../platform/notices.ts'

/** What each part of key work's routes is given: the service, from app.ts. */
export type KeyworkRoutesOptions = { keywork: KeyworkService }

/** The wing a page of wings shows alone (`?wing=`: its key, as `wingKey` gives it), or none. */
export const WingQuery = z.object({ wing: z.string().max(20).optional().catch(undefined) })

export function labelled(policy: KeyworkPolicy, language: Language) {
  const label = officerLabelIn(language, policy)
  return { label, labelTitle: label.charAt(0).toUpperCase() + label.slice(1) }
}

/**
 * The frame of one of key work's pages of a person's record: the prison's word for the officer, the person's
 * tabs with this page's marked, and the page's own title under the person's name.
 */
export function personPageFrame(
  request: FastifyRequest,
  view: { policy: KeyworkPolicy; person: { prisonNumber: string } },
  tab: string,
  titleKey: string,
) {
  return {
    ...labelled(view.policy, request.language),
    tabs: request.personTabs(view.person.prisonNumber, tab),
    subPageTitle: request.t(titleKey),
  }
}

/** Officers as a page lists them to choose from: any that cannot take the person, with the reason why. */
export function withRefusalTexts<Officer extends { refusal: Refusal | null }>(
  t: Translate,
  officers: readonly Officer[],
) {
  return officers.map((officer) => ({
    ...officer,
    refusalText: officer.refusal ? t(officer.refusal.messageKey, officer.refusal.values) : null,
  }))
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
