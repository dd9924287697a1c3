import { t } from '../i18n/index.ts'
import { h } from './dom.ts'

/**
 * A code block with a Copy button. The Clipboard API exists only in secure contexts, and the
 * hub is often reached over plain HTTP on a local network, so the fallback selects the text
 * and uses execCommand('copy').
 */
export function copyBlock (label: string, text: string, className = ''): HTMLElement {
  const code = h('code', null, text)
  const pre = h('pre', { class: `code ${className}`, tabindex: 0, 'aria-label': label }, code)
  const button = h('button', { type: 'button', class: 'copy' }, t('common.copy'))
  const done = h('span', { class: 'copied', role: 'status' })
  button.addEventListener('click', () => {
    void copy(text, code).then((ok) => {
      done.textContent = ok ? t('common.copied') : ''
      window.setTimeout(() => { done.textContent = '' }, 2000)
    })
  })
  return h('div', { class: 'copy-block' }, h('div', { class: 'copy-head' }, h('h4', null, label), button, done), pre)
}

/** A short value (token, topic) with its own copy button. */
export function copyValue (text: string): HTMLElement {
  const code = h('code', { class: 'value' }, text)
  const button = h('button', { type: 'button', class: 'copy small', 'aria-label': `${t('common.copy')}: ${text}` }, t('common.copy'))
  button.addEventListener('click', () => { void copy(text, code) })
  return h('span', { class: 'copy-value' }, code, button)
}

async function copy (text: string, node: Node): Promise<boolean> {
  try {
    if (navigator.clipboard !== undefined && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall through to the selection fallback
  }
  const selection = window.getSelection()
  const range = document.createRange()
  range.selectNodeContents(node)
  selection?.removeAllRanges()
  selection?.addRange(range)
  return document.execCommand('copy')
}
