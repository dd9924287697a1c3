import type { Page } from '../context.ts'
import { t } from '../i18n/index.ts'
import { h } from '../ui/dom.ts'

// `#/privacy`: what anonymity does and does not promise, in the dashboard's language — the
// same statement as README.md's section of that name; docs/privacy.md has the argument.
const SECTIONS = [
  ['privacy.promiseTitle', 'privacy.promise'],
  ['privacy.howTitle', 'privacy.how'],
  ['privacy.consentTitle', 'privacy.consent'],
  ['privacy.limitsTitle', 'privacy.limits']
] as const

export function privacyPage (): Page {
  const el = h('div', { class: 'page privacy' },
    h('h1', null, t('privacy.title')),
    ...SECTIONS.map(([title, text]) => h('section', null, h('h2', null, t(title)), h('p', null, t(text)))))
  return { el, dispose: () => {} }
}

/** A link to `#/privacy`, for the pages that show comparisons. */
export const privacyLink = (): HTMLElement => h('a', { href: '#/privacy', class: 'privacy-link' }, t('privacy.link'))
