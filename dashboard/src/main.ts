import './charts/setup.ts'
import { get } from './api/client.ts'
import { type Session, sessionSchema } from './api/schemas.ts'
import { LiveStream } from './api/stream.ts'
import type { AppContext, Page } from './context.ts'
import { initLanguage, onLanguageChange, t } from './i18n/index.ts'
import { prefetchCommunity } from './pages/community-data.ts'
import { projectorPage } from './pages/projector.ts'
import { routeOf, routeParam, routes } from './router.ts'
import { h, replaceChildren } from './ui/dom.ts'
import { header, liveStatus } from './ui/layout.ts'
import { signIn } from './ui/sign-in.ts'

const root = document.getElementById('app')!
const stream = new LiveStream()
const ctx: AppContext = { session: { role: 'anonymous' }, stream, refreshSession, adoptSession }
let page: Page | undefined

async function loadSession (): Promise<Session> {
  try {
    return await get('/api/session', sessionSchema)
  } catch {
    return { role: 'anonymous' }
  }
}

async function refreshSession (): Promise<void> {
  ctx.session = await loadSession()
  stream.open()
  render()
}

function adoptSession (session: Session): void {
  ctx.session = session
  stream.open()
  renderHeader()
}

const projector = (): boolean => new URLSearchParams(location.search).get('display') === '1'

function render (): void {
  page?.dispose()
  document.title = t('app.title')
  if (projector()) {
    document.body.classList.add('projector')
    page = projectorPage(ctx)
    replaceChildren(root, page.el)
    return
  }
  const hash = routeOf(location.hash)
  page = routes[hash]!(ctx, routeParam(location.hash))
  const main = h('main', { id: 'main', tabindex: -1 }, page.el)
  replaceChildren(root, header(ctx, hash), main)
}

/** The public views do not depend on who is signed in; only the header does. */
const isPublicView = (): boolean => projector() || routeOf(location.hash) === '#/'

function renderHeader (): void {
  if (projector()) return
  root.querySelector('header.site-header')?.replaceWith(header(ctx, routeOf(location.hash)))
}

/**
 * A sign-in link (`#key=<accessKey>`, handed out by the organizer or as a QR code) is used
 * once: the key leaves the address bar and history before anything else runs, is traded for
 * the session cookie, and the member lands on their page.
 */
async function consumeKeyLink (): Promise<void> {
  const match = /^#key=([^&]+)/.exec(location.hash)
  if (match === null) return
  history.replaceState(null, '', `${location.pathname}${location.search}#/me`)
  try {
    await signIn('member', decodeURIComponent(match[1]!))
  } catch {
    // A stale link: the member page then shows the sign-in form, which says what to do.
  }
}

async function start (): Promise<void> {
  initLanguage()
  await consumeKeyLink()
  if (isPublicView()) {
    // The community page (and the projector) show at once; the header learns the session after.
    prefetchCommunity()
    render()
    ctx.session = await loadSession()
    renderHeader()
  } else {
    // One round trip on localhost first, so a signed-in member never sees a sign-in form flash by.
    ctx.session = await loadSession()
    render()
  }
  stream.open()
  onLanguageChange(render)
  stream.on('status', (state) => { root.querySelector('.live-status')?.replaceWith(liveStatus(state)) })
  window.addEventListener('hashchange', () => {
    if (location.hash.startsWith('#key=')) void consumeKeyLink().then(refreshSession)
    else render()
  })
}

void start()
