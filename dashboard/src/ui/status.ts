import { ApiError } from '../api/client.ts'
import { errorText, t } from '../i18n/index.ts'
import { h } from './dom.ts'

// Loading and error states look the same on every page; an error names the hub's stable
// code in the reader's language, never a raw server message.
export const loading = (): HTMLElement => h('p', { class: 'loading', role: 'status' }, t('common.loading'))

export function errorMessage (error: unknown): string {
  if (error instanceof ApiError) return errorText(error.code)
  return errorText('UNEXPECTED')
}

export function errorBox (error: unknown, retry?: () => void): HTMLElement {
  const box = h('div', { class: 'error', role: 'alert' }, h('p', null, t('common.errorWith', { message: errorMessage(error) })))
  if (retry !== undefined) {
    const button = h('button', { type: 'button' }, t('common.retry'))
    button.addEventListener('click', retry)
    box.append(button)
  }
  return box
}

/** "オンライン"/"オフライン" as text plus a shape, so status never rests on colour alone. */
export function statusBadge (online: boolean): HTMLElement {
  return h('span', { class: online ? 'badge online' : 'badge offline' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), online ? t('status.online') : t('status.offline'))
}
