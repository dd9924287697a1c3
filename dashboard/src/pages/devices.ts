import { get, post } from '../api/client.ts'
import { type DeviceCredentials, type Refusal, deviceCredentialsSchema, errorsSchema, meSchema } from '../api/schemas.ts'
import { type AppContext, Disposer, type Page } from '../context.ts'
import { deviceFormats } from '../domain.ts'
import { errorText, fmtDate, formatName, t } from '../i18n/index.ts'
import { createdSetup, deviceSetup } from '../ui/device-setup.ts'
import { field, h, replaceChildren, select, table } from '../ui/dom.ts'
import { signInForm } from '../ui/sign-in.ts'
import { errorBox, errorMessage, loading } from '../ui/status.ts'

/** `#/devices`: add a device, see how to connect it, and why the hub refused its last payloads. */
export function devicesPage (ctx: AppContext): Page {
  if (ctx.session.role !== 'member') {
    return { el: h('div', { class: 'page devices' }, h('h1', null, t('devices.title')), signInForm('member', ctx.refreshSession)), dispose: () => {} }
  }
  const disposer = new Disposer()
  const created = h('div', { class: 'created', 'aria-live': 'polite' })
  const existing = h('div', null, loading())
  const refusals = h('div', null, loading())
  const el = h('div', { class: 'page devices' },
    h('h1', null, t('devices.title')),
    addForm((device) => {
      replaceChildren(created, h('section', { class: 'card success' },
        h('h2', { tabindex: -1 }, t('devices.created', { name: device.name })),
        deviceSetup(createdSetup(device))))
      created.querySelector<HTMLElement>('h2')?.focus()
      void loadDevices()
    }),
    created,
    h('section', { 'aria-labelledby': 'dev-existing' }, h('h2', { id: 'dev-existing' }, t('devices.existing')), existing),
    h('section', { 'aria-labelledby': 'dev-errors' }, h('h2', { id: 'dev-errors' }, t('devices.errors')), refusals))

  async function loadDevices (): Promise<void> {
    try {
      const me = await get('/api/me', meSchema)
      if (disposer.disposed) return
      replaceChildren(existing, me.devices.length === 0
        ? h('p', { class: 'empty' }, t('me.noDevices'))
        : h('div', { class: 'device-list' }, ...me.devices.map((device) => h('details', { class: 'card' },
          h('summary', null, h('strong', null, device.name), ' ', h('code', null, device.id)),
          deviceSetup({
            host: me.mqtt.host, port: me.mqtt.port, wsUrl: me.mqtt.wsUrl, username: device.id,
            password: t('devices.tokenPlaceholder'), topic: `tsudoi/${me.member.id}/${device.id}/telemetry`, format: device.format
          })))))
    } catch (error) {
      replaceChildren(existing, errorBox(error, () => { void loadDevices() }))
    }
  }

  let shown: Refusal[] = []
  const renderRefusals = (): void => replaceChildren(refusals, shown.length === 0
    ? h('p', { class: 'empty' }, t('devices.noErrors'))
    : table(t('devices.errors'), [t('devices.time'), t('me.device'), t('devices.reason'), t('devices.topicCol')],
      shown.map((r) => [fmtDate(r.time), h('code', null, r.device),
        h('span', null, errorText(r.code), h('br'), h('small', { class: 'code-name' }, r.code)),
        h('code', null, r.topic)])))

  async function loadRefusals (): Promise<void> {
    try {
      shown = (await get('/api/me/errors', errorsSchema)).errors.slice(0, 20)
      if (!disposer.disposed) renderRefusals()
    } catch (error) {
      replaceChildren(refusals, errorBox(error, () => { void loadRefusals() }))
    }
  }
  disposer.add(ctx.stream.on('refusal', (refusal) => {
    shown = [refusal, ...shown].slice(0, 20)
    renderRefusals()
  }))

  void loadDevices()
  void loadRefusals()
  return { el, dispose: () => disposer.dispose() }
}

function addForm (onCreated: (device: DeviceCredentials) => void): HTMLElement {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 200, autocomplete: 'off' })
  const format = select(deviceFormats.map((f): [string, string] => [f, formatName(f)]), 'json')
  const topic = h('input', { type: 'text', name: 'topic', maxlength: 128, autocomplete: 'off', spellcheck: 'false' })
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'primary' }, t('devices.add'))
  const form = h('form', { class: 'card add-device' },
    h('h2', null, t('devices.add')),
    h('div', { class: 'control-row' }, field(t('devices.name'), name), field(t('devices.format'), format), field(t('devices.topic'), topic)),
    message, submit)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit.disabled = true
    message.hidden = true
    const body = { name: name.value.trim(), format: format.value, ...(topic.value.trim() === '' ? {} : { topic: topic.value.trim() }) }
    void post('/api/me/devices', body, deviceCredentialsSchema)
      .then((device) => {
        form.reset()
        onCreated(device)
      })
      .catch((error: unknown) => {
        message.textContent = errorMessage(error)
        message.hidden = false
      })
      .finally(() => { submit.disabled = false })
  })
  return form
}
