import { t } from '../i18n/index.ts'
import { copyValue } from './copy.ts'
import { h } from './dom.ts'

/**
 * A secret the hub returns once (a new access key, a device token). It is shown on screen
 * and never stored; for an access key, a one-time sign-in link (`#key=`) is offered too.
 */
export function secretNotice (title: string, secret: string, signInLink = false, note?: string): HTMLElement {
  const link = signInLink ? `${location.origin}${location.pathname}#key=${encodeURIComponent(secret)}` : undefined
  const el = h('div', { class: 'card secret', role: 'status', tabindex: -1 },
    h('h3', null, title),
    note === undefined ? null : h('p', { class: 'secret-note' }, note),
    copyValue(secret),
    link === undefined ? null : h('p', null, h('span', null, `${t('admin.signInLink')}: `), copyValue(link)))
  queueMicrotask(() => el.focus())
  return el
}
