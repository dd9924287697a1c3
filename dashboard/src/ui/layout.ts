import { del } from '../api/client.ts'
import type { AppContext } from '../context.ts'
import { type Lang, type MessageKey, language, languages, setLanguage, t } from '../i18n/index.ts'
import { h, select } from './dom.ts'

export interface NavItem { hash: string, label: MessageKey, when: (ctx: AppContext) => boolean }

// Everyone sees the community and compare pages; the rest only once signed in as whom they need.
export const navItems: NavItem[] = [
  { hash: '#/', label: 'nav.community', when: () => true },
  { hash: '#/me', label: 'nav.me', when: (ctx) => ctx.session.role !== 'admin' },
  { hash: '#/compare', label: 'nav.compare', when: () => true },
  { hash: '#/devices', label: 'nav.devices', when: (ctx) => ctx.session.role === 'member' },
  { hash: '#/alerts', label: 'nav.alerts', when: (ctx) => ctx.session.role === 'member' },
  { hash: '#/admin', label: 'nav.admin', when: (ctx) => ctx.session.role !== 'member' }
]

/** The header: brand, navigation (current page marked for screen readers), language, session. */
export function header (ctx: AppContext, currentHash: string): HTMLElement {
  const links = navItems.filter((item) => item.when(ctx)).map((item) =>
    h('li', null, h('a', { href: item.hash, 'aria-current': item.hash === currentHash ? 'page' : undefined }, t(item.label))))

  const lang = select(languages.map((code): [string, string] => [code, t(`lang.${code}`)]), language(), { 'aria-label': t('nav.language'), class: 'lang' })
  lang.addEventListener('change', () => setLanguage(lang.value as Lang))

  const who = ctx.session.role === 'member' && ctx.session.member !== undefined
    ? t('session.member', { name: ctx.session.member.name })
    : ctx.session.role === 'admin' ? t('session.admin') : undefined
  const signOut = who === undefined ? null : h('button', { type: 'button', class: 'link-button' }, t('nav.signOut'))
  signOut?.addEventListener('click', () => {
    void del('/api/session').finally(() => {
      location.hash = '#/'
      void ctx.refreshSession()
    })
  })

  // The skip link must not change the hash: the hash is the router's.
  const skip = h('a', { class: 'skip', href: '#main' }, t('app.skip'))
  skip.addEventListener('click', (event) => {
    event.preventDefault()
    document.getElementById('main')?.focus()
  })

  return h('header', { class: 'site-header' },
    skip,
    h('div', { class: 'brand-row' },
      h('a', { class: 'brand', href: '#/' }, t('app.title')),
      h('div', { class: 'header-tools' },
        liveStatus(ctx.stream.state),
        who === undefined ? null : h('span', { class: 'who' }, who),
        signOut,
        h('a', { class: 'projector-link', href: '?display=1' }, t('nav.projector')),
        lang)),
    h('nav', { 'aria-label': t('nav.label') }, h('ul', null, ...links)))
}

/** "Live" or "Reconnecting…", as text and a dot; main.ts keeps it current from the stream. */
export function liveStatus (state: 'open' | 'reconnecting'): HTMLElement {
  return h('span', { class: `live-status ${state}`, role: 'status' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), state === 'open' ? t('live.connected') : t('live.reconnecting'))
}
