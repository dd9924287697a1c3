import { ApiError, get } from '../api/client.ts'
import { type Workshop, workshopsSchema } from '../api/schemas.ts'
import { type AppContext, Disposer, type Page } from '../context.ts'
import { fmtDate, t } from '../i18n/index.ts'
import { h, replaceChildren } from '../ui/dom.ts'
import { signInForm } from '../ui/sign-in.ts'
import { errorBox, loading } from '../ui/status.ts'

/**
 * `#/workshop/<id>`: a workshop's join QR code as a sheet to print and put on the tables —
 * the code, the address and three steps. The print stylesheet (app.css, `@media print`) keeps
 * only the sheet and fits it on one page. The QR image is the hub's (GET …/qr.svg); the
 * organizer's session cookie goes with it, since it is same-origin.
 */
export function workshopSheetPage (ctx: AppContext, id: string): Page {
  if (ctx.session.role !== 'admin') {
    return { el: h('div', { class: 'page' }, h('h1', null, t('sheet.title')), signInForm('admin', ctx.refreshSession)), dispose: () => {} }
  }
  const disposer = new Disposer()
  const body = h('div', null, loading())
  const print = h('button', { type: 'button', class: 'primary' }, t('sheet.print'))
  print.addEventListener('click', () => window.print())
  const el = h('div', { class: 'page workshop-sheet' },
    h('div', { class: 'sheet-tools no-print' }, h('a', { href: '#/admin', class: 'button' }, t('sheet.back')), print),
    body)

  async function load (): Promise<void> {
    try {
      const workshop = (await get('/api/admin/workshops', workshopsSchema)).workshops.find((w) => w.id === id)
      if (disposer.disposed) return
      if (workshop === undefined) throw new ApiError('NOT_FOUND', 404, `workshop ${id} not found`)
      replaceChildren(body, sheet(workshop))
    } catch (error) {
      replaceChildren(body, errorBox(error, () => { void load() }))
    }
  }
  void load()
  return { el, dispose: () => disposer.dispose() }
}

function sheet (workshop: Workshop): HTMLElement {
  const url = workshop.joinUrl ?? `${location.origin}${location.pathname}#/join/${workshop.code}`
  return h('article', { class: 'qr-sheet', 'aria-labelledby': 'sheet-name' },
    h('p', { class: 'sheet-kicker' }, t('sheet.kicker')),
    h('h1', { id: 'sheet-name' }, workshop.name),
    h('img', { class: 'qr', src: `/api/admin/workshops/${encodeURIComponent(workshop.id)}/qr.svg`, alt: t('sheet.qrAlt', { url }), width: 600, height: 600 }),
    h('p', { class: 'sheet-url' }, url),
    h('p', { class: 'sheet-code' }, t('sheet.code'), ' ', h('strong', null, workshop.code)),
    h('ol', { class: 'sheet-steps' }, h('li', null, t('sheet.step1')), h('li', null, t('sheet.step2')), h('li', null, t('sheet.step3'))),
    h('p', { class: 'hint' }, t('sheet.until', { date: fmtDate(workshop.expiresAt) })))
}
