import { del, get, post } from '../api/client.ts'
import { type AdminDevice, adminDevicesSchema, adminMembersSchema, deviceCredentialsSchema, tokenSchema } from '../api/schemas.ts'
import { deviceFormats } from '../domain.ts'
import { fmtDate, formatName, t } from '../i18n/index.ts'
import { field, h, replaceChildren, select, table } from '../ui/dom.ts'
import { secretNotice } from '../ui/secret-notice.ts'
import { errorBox, errorMessage, statusBadge } from '../ui/status.ts'

/** The organizer's device list: create for any member, rotate tokens, delete. */
export function devicesPanel () {
  const notice = h('div', { 'aria-live': 'polite' })
  const formSlot = h('div')
  const list = h('div')
  const el = h('section', { class: 'admin-devices', 'aria-labelledby': 'ad-title' },
    h('h2', { id: 'ad-title' }, t('admin.devices')), formSlot, notice, list)

  async function refresh (): Promise<void> {
    try {
      const [{ devices }, { members }] = await Promise.all([get('/api/admin/devices', adminDevicesSchema), get('/api/admin/members', adminMembersSchema)])
      replaceChildren(formSlot, members.length === 0 ? null : createForm(members.map((m) => [m.id, `${m.name} (${m.id})`]), (id, token) => {
        replaceChildren(notice, secretNotice(t('admin.newToken', { id }), token))
        void refresh()
      }))
      render(devices)
    } catch (error) {
      replaceChildren(list, errorBox(error, () => { void refresh() }))
    }
  }

  function render (devices: AdminDevice[]): void {
    replaceChildren(list, devices.length === 0
      ? h('p', { class: 'empty' }, t('admin.noDevices'))
      : table(t('admin.devices'),
        [t('admin.id'), t('admin.name'), t('admin.member'), t('devices.format'), t('me.status'), t('me.lastSeen'), t('common.actions')],
        devices.map((d) => [h('code', null, d.id), d.name, h('code', null, d.member), formatName(d.format),
          statusBadge(d.online === true), d.lastSeen === null ? t('status.never') : fmtDate(d.lastSeen), actions(d)])))
  }

  function actions (device: AdminDevice): HTMLElement {
    const rotate = h('button', { type: 'button' }, t('admin.rotateToken'))
    rotate.addEventListener('click', () => {
      void post(`/api/admin/devices/${encodeURIComponent(device.id)}/token`, {}, tokenSchema)
        .then(({ token }) => replaceChildren(notice, secretNotice(t('admin.newToken', { id: device.id }), token)))
        .catch((error: unknown) => replaceChildren(notice, errorBox(error)))
    })
    const remove = h('button', { type: 'button', class: 'danger' }, t('common.delete'))
    remove.addEventListener('click', () => {
      if (!window.confirm(t('admin.confirmDelete', { id: device.id }))) return
      void del(`/api/admin/devices/${encodeURIComponent(device.id)}`)
        .then(() => { replaceChildren(notice); void refresh() })
        .catch((error: unknown) => replaceChildren(notice, errorBox(error)))
    })
    return h('div', { class: 'actions' }, rotate, remove)
  }

  return { el, refresh }
}

function createForm (members: Array<[string, string]>, onCreated: (id: string, token: string) => void): HTMLElement {
  const member = select(members)
  const name = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' })
  const format = select(deviceFormats.map((f): [string, string] => [f, formatName(f)]), 'json')
  const topic = h('input', { type: 'text', maxlength: 128, autocomplete: 'off', spellcheck: 'false' })
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const form = h('form', { class: 'card' },
    h('h3', null, t('admin.addDevice')),
    h('div', { class: 'control-row' },
      field(t('admin.member'), member), field(t('devices.name'), name), field(t('devices.format'), format), field(t('devices.topic'), topic)),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('common.create')))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    message.hidden = true
    const body = { member: member.value, name: name.value.trim(), format: format.value, ...(topic.value.trim() === '' ? {} : { topic: topic.value.trim() }) }
    void post('/api/admin/devices', body, deviceCredentialsSchema)
      .then((device) => {
        name.value = ''
        topic.value = ''
        onCreated(device.id, device.token)
      })
      .catch((error: unknown) => {
        message.textContent = errorMessage(error)
        message.hidden = false
      })
  })
  return form
}
