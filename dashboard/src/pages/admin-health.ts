import { get } from '../api/client.ts'
import { type Health, healthSchema } from '../api/schemas.ts'
import { errorText, fmtNumber, t, tDynamic } from '../i18n/index.ts'
import { h, replaceChildren, table } from '../ui/dom.ts'
import { errorBox } from '../ui/status.ts'

/** Hub health for the organizer: load, the durable queue, and refusals by reason. */
export function healthPanel () {
  const body = h('div')
  const el = h('section', { class: 'card health', 'aria-labelledby': 'health-title' }, h('h2', { id: 'health-title' }, t('admin.health')), body)

  async function refresh (): Promise<void> {
    try {
      render(await get('/api/health', healthSchema))
    } catch (error) {
      replaceChildren(body, errorBox(error, () => { void refresh() }))
    }
  }

  function render (health: Health): void {
    const days = Math.floor(health.uptimeS / 86_400)
    const hours = Math.floor((health.uptimeS % 86_400) / 3600)
    const minutes = Math.floor((health.uptimeS % 3600) / 60)
    const facts: Array<[string, string]> = [
      [t('health.status'), tDynamic(`health.state.${health.status}`, health.status)],
      [t('health.store'), health.store],
      [t('health.uptime'), t('health.uptimeValue', { days, hours, minutes })],
      [t('health.devicesOnline'), fmtNumber(health.devicesOnline, 0)],
      [t('health.readingsLastMinute'), fmtNumber(health.readingsLastMinute, 0)]
    ]
    if (health.queue !== undefined) facts.push([t('health.queue'), fmtNumber(health.queue.depth, 0)])
    const refused = Object.entries(health.refused ?? {}).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a)
    replaceChildren(body,
      h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', null, term), h('dd', { 'data-fact': term }, value)])),
      refused.length === 0
        ? h('p', { class: 'empty' }, t('health.noRefused'))
        : table(t('health.refused'), [t('devices.reason'), t('health.count')], refused.map(([code, n]) =>
          [h('span', null, errorText(code), ' ', h('small', { class: 'code-name' }, code)), fmtNumber(n, 0)])))
  }

  return { el, refresh }
}
