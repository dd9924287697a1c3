import { type AppContext, Disposer, type Page } from '../context.ts'
import { t } from '../i18n/index.ts'
import { h } from '../ui/dom.ts'
import { signInForm } from '../ui/sign-in.ts'
import { devicesPanel } from './admin-devices.ts'
import { healthPanel } from './admin-health.ts'
import { membersPanel } from './admin-members.ts'
import { workshopsPanel } from './admin-workshops.ts'

const HEALTH_EVERY_MS = 5000

/** `#/admin`: the organizer's console, behind the admin token. */
export function adminPage (ctx: AppContext): Page {
  if (ctx.session.role !== 'admin') {
    return { el: h('div', { class: 'page admin' }, h('h1', null, t('admin.title')), signInForm('admin', ctx.refreshSession)), dispose: () => {} }
  }
  const disposer = new Disposer()
  const health = healthPanel()
  const devices = devicesPanel()
  // A new or deleted member changes the device form's member list (and deletes its devices).
  const members = membersPanel(() => { void devices.refresh() })
  const workshops = workshopsPanel()
  const el = h('div', { class: 'page admin' }, h('h1', null, t('admin.title')), health.el, members.el, devices.el, workshops.el)
  void health.refresh()
  void workshops.refresh()
  void members.refresh()
  void devices.refresh()
  // Health, and the join counts of workshops while attendees are joining.
  const timer = window.setInterval(() => {
    void health.refresh()
    void workshops.refresh(true)
  }, HEALTH_EVERY_MS)
  disposer.add(() => window.clearInterval(timer))
  return { el, dispose: () => disposer.dispose() }
}
