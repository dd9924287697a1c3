import { del, get, post } from '../api/client.ts'
import { type AlertEvent, type AlertRule, alertEventsSchema, alertRulesSchema, createdAlertRuleSchema, meSchema } from '../api/schemas.ts'
import { type AppContext, Disposer, type Page } from '../context.ts'
import { type MessageKey, fmtDate, fmtNumber, metricName, t } from '../i18n/index.ts'
import { field, h, replaceChildren, select, table } from '../ui/dom.ts'
import { secretNotice } from '../ui/secret-notice.ts'
import { signInForm } from '../ui/sign-in.ts'
import { errorBox, errorMessage, loading } from '../ui/status.ts'

// `#/alerts`: a member's alert rules (docs/alerts.md), what they did lately, and "I'm on it".
// Phone first: one column of cards and a short table; every control is a labelled field.

const conditionTypes = ['above', 'below', 'rate', 'battery', 'silent', 'offline'] as const
const channelTypes = ['webhook', 'email', 'line', 'mqtt'] as const
const needsMetric = (type: string): boolean => type === 'above' || type === 'below' || type === 'rate' || type === 'silent'
const needsValue = (type: string): boolean => type === 'above' || type === 'below' || type === 'rate' || type === 'battery'

export function alertsPage (ctx: AppContext): Page {
  if (ctx.session.role !== 'member') {
    return { el: h('div', { class: 'page alerts' }, h('h1', null, t('alerts.title')), signInForm('member', ctx.refreshSession)), dispose: () => {} }
  }
  const disposer = new Disposer()
  const created = h('div', { class: 'created', 'aria-live': 'polite' })
  const rules = h('div', null, loading())
  const events = h('div', null, loading())
  const devices = select([['', t('alerts.allDevices')]], '')
  const el = h('div', { class: 'page alerts' },
    h('h1', null, t('alerts.title')),
    addForm(devices, (name, secret) => {
      // The signing key matters only to a webhook; it is shown once, then never again.
      replaceChildren(created, h('section', { class: 'card success' }, h('h2', null, t('alerts.created', { name })), secret === undefined ? null : secretNotice(t('alerts.secret'), secret)))
      void refresh()
    }),
    created,
    h('section', { 'aria-labelledby': 'alerts-rules' }, h('h2', { id: 'alerts-rules' }, t('alerts.rules')), rules),
    h('section', { 'aria-labelledby': 'alerts-events' }, h('h2', { id: 'alerts-events' }, t('alerts.events')), events))

  async function refresh (): Promise<void> {
    try {
      const [list, history] = await Promise.all([get('/api/me/alerts', alertRulesSchema), get('/api/me/alerts/events?limit=30', alertEventsSchema)])
      if (disposer.disposed) return
      replaceChildren(rules, list.rules.length === 0 ? h('p', { class: 'empty' }, t('alerts.noRules')) : h('div', { class: 'alert-list' }, ...list.rules.map(ruleCard)))
      replaceChildren(events, eventTable(history.events, new Map(list.rules.map((r) => [r.id, r]))))
    } catch (error) {
      replaceChildren(rules, errorBox(error, () => { void refresh() }))
    }
  }

  function ruleCard (rule: AlertRule): HTMLElement {
    const remove = h('button', { type: 'button', class: 'link-button' }, t('alerts.delete'))
    remove.addEventListener('click', () => { void del(`/api/me/alerts/${encodeURIComponent(rule.id)}`).then(refresh, () => refresh()) })
    return h('article', { class: 'card alert-rule', 'data-state': rule.state },
      h('h3', null, rule.name, ' ', stateBadge(rule)),
      h('p', null, describe(rule)),
      h('p', { class: 'hint' }, rule.channels.map((c) => t(`alerts.channel.${c.type}` as MessageKey)).join(' · ')),
      remove)
  }

  function eventTable (list: AlertEvent[], byId: Map<string, AlertRule>): HTMLElement {
    if (list.length === 0) return h('p', { class: 'empty' }, t('alerts.noEvents'))
    return table(t('alerts.events'), [t('alerts.time'), t('alerts.name'), t('alerts.kind'), t('alerts.deliveries'), ''], list.map((event) => {
      const rule = byId.get(event.rule)
      // Only the alert that is firing now, and not yet acknowledged, can be acknowledged.
      const canAck = event.kind === 'fired' && rule?.state === 'firing' && !rule.acknowledged && list.find((e) => e.rule === event.rule && e.device === event.device) === event
      const ack = canAck ? h('button', { type: 'button' }, t('alerts.ack')) : null
      ack?.addEventListener('click', () => {
        ack.disabled = true
        void post(`/api/me/alerts/events/${encodeURIComponent(event.id)}/ack`, undefined, null).then(refresh, () => refresh())
      })
      return [fmtDate(event.time), event.name,
        `${t(`alerts.kind.${event.kind}` as MessageKey)} · ${event.device}${event.value === null ? '' : ` = ${fmtNumber(event.value)}`}`,
        event.deliveries.map((d) => `${t(`alerts.channel.${d.channel}` as MessageKey)}: ${t(`alerts.delivery.${d.status}` as MessageKey)}`).join(', '),
        ack]
    }), 'data alert-events')
  }

  void get('/api/me', meSchema).then((me) => {
    for (const device of me.devices) devices.append(h('option', { value: device.id }, device.name))
  }, () => {})
  // A reading or a device going offline may have moved a rule: look again when the stream says so.
  let pending: ReturnType<typeof setTimeout> | undefined
  const soon = (): void => { pending ??= setTimeout(() => { pending = undefined; void refresh() }, 1000) }
  disposer.add(ctx.stream.on('device', soon))
  disposer.add(ctx.stream.on('reading', soon))
  disposer.add(() => clearTimeout(pending))
  void refresh()
  return { el, dispose: () => disposer.dispose() }
}

function stateBadge (rule: AlertRule): HTMLElement {
  const label = rule.state === 'firing' && rule.acknowledged ? `${t('alerts.state.firing')} · ${t('alerts.acknowledged')}` : t(`alerts.state.${rule.state}`)
  return h('span', { class: `badge alert-${rule.state}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), label)
}

function describe (rule: AlertRule): string {
  const { type, value, minutes } = rule.condition
  const what = rule.metric === null ? '' : `${metricName(rule.metric)} `
  const threshold = value === null ? '' : ` ${fmtNumber(value)}`
  const duration = minutes > 0 ? ` · ${fmtNumber(minutes)} min` : ''
  return `${rule.device ?? t('alerts.allDevices')}: ${what}${t(`alerts.type.${type}` as MessageKey)}${threshold}${duration}`
}

function addForm (devices: HTMLSelectElement, onCreated: (name: string, secret: string | undefined) => void): HTMLElement {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 200, autocomplete: 'off' })
  const type = select(conditionTypes.map((c): [string, string] => [c, t(`alerts.type.${c}`)]), 'above')
  const metric = h('input', { type: 'text', name: 'metric', maxlength: 64, autocomplete: 'off', spellcheck: 'false', value: 'temperature' })
  const value = h('input', { type: 'number', name: 'value', step: 'any', inputmode: 'decimal' })
  const minutes = h('input', { type: 'number', name: 'minutes', step: 'any', min: 0, value: '0', inputmode: 'decimal' })
  const channel = select(channelTypes.map((c): [string, string] => [c, t(`alerts.channel.${c}`)]), 'webhook')
  const target = h('input', { type: 'text', name: 'target', maxlength: 2048, autocomplete: 'off', spellcheck: 'false' })
  const fields = { metric: field(t('alerts.metric'), metric), value: field(t('alerts.value'), value), target: field(t('alerts.target'), target) }
  const sync = (): void => {
    fields.metric.hidden = !needsMetric(type.value)
    fields.value.hidden = !needsValue(type.value)
    fields.target.hidden = channel.value === 'mqtt'
  }
  type.addEventListener('change', sync)
  channel.addEventListener('change', sync)
  sync()
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'primary' }, t('alerts.add'))
  const form = h('form', { class: 'card add-alert' },
    h('h2', null, t('alerts.add')),
    h('div', { class: 'control-row' }, field(t('alerts.name'), name), field(t('alerts.device'), devices), field(t('alerts.condition'), type)),
    h('div', { class: 'control-row' }, fields.metric, fields.value, field(t('alerts.minutes'), minutes)),
    h('div', { class: 'control-row' }, field(t('alerts.channel'), channel), fields.target),
    message, submit)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit.disabled = true
    message.hidden = true
    const to = target.value.trim()
    const channels = [channel.value === 'mqtt' ? { type: 'mqtt' } : channel.value === 'webhook' ? { type: 'webhook', url: to } : { type: channel.value, to }]
    const body = {
      name: name.value.trim(),
      ...(devices.value === '' ? {} : { device: devices.value }),
      ...(needsMetric(type.value) ? { metric: metric.value.trim() } : {}),
      condition: { type: type.value, ...(needsValue(type.value) ? { value: Number(value.value) } : {}), minutes: Number(minutes.value || 0) },
      channels
    }
    void post('/api/me/alerts', body, createdAlertRuleSchema)
      .then((rule) => {
        form.reset()
        sync()
        onCreated(rule.name, channels.some((c) => c.type === 'webhook') ? rule.secret : undefined)
      })
      .catch((error: unknown) => {
        message.textContent = errorMessage(error)
        message.hidden = false
      })
      .finally(() => { submit.disabled = false })
  })
  return form
}
