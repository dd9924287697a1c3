import { del, get, post } from '../api/client.ts'
import { type AdminMember, accessKeySchema, adminMembersSchema, createdMemberSchema } from '../api/schemas.ts'
import { sectors } from '../domain.ts'
import { fmtNumber, sectorName, t } from '../i18n/index.ts'
import { field, h, replaceChildren, select, table } from '../ui/dom.ts'
import { secretNotice } from '../ui/secret-notice.ts'
import { errorBox, errorMessage } from '../ui/status.ts'

/** The organizer's member list: create, rotate access keys, delete. */
export function membersPanel (onChange: () => void) {
  const notice = h('div', { 'aria-live': 'polite' })
  const list = h('div')
  const el = h('section', { class: 'admin-members', 'aria-labelledby': 'am-title' },
    h('h2', { id: 'am-title' }, t('admin.members')),
    createForm((id, accessKey) => {
      replaceChildren(notice, secretNotice(t('admin.newKey', { id }), accessKey, true))
      void refresh()
      onChange()
    }),
    notice, list)

  let members: AdminMember[] = []
  async function refresh (): Promise<void> {
    try {
      members = (await get('/api/admin/members', adminMembersSchema)).members
      render()
    } catch (error) {
      replaceChildren(list, errorBox(error, () => { void refresh() }))
    }
  }

  function render (): void {
    if (members.length === 0) {
      replaceChildren(list, h('p', { class: 'empty' }, t('admin.noMembers')))
      return
    }
    const figure = (n: number | null | undefined): string => typeof n === 'number' ? fmtNumber(n) : t('common.none')
    replaceChildren(list, table(t('admin.members'),
      [t('admin.id'), t('admin.name'), t('admin.sector'), t('admin.sharing'), t('admin.floorArea'), t('admin.seats'), t('admin.rooms'), t('admin.devices'), t('common.actions')],
      members.map((m) => [h('code', null, m.id), m.name, sectorName(m.sector), m.sharing ? t('common.yes') : t('common.no'),
        figure(m.floorArea), figure(m.seats), figure(m.rooms), figure(m.devices), actions(m)])))
  }

  function actions (member: AdminMember): HTMLElement {
    const rotate = h('button', { type: 'button' }, t('admin.rotateKey'))
    rotate.addEventListener('click', () => {
      void post(`/api/admin/members/${encodeURIComponent(member.id)}/access-key`, {}, accessKeySchema)
        .then(({ accessKey }) => replaceChildren(notice, secretNotice(t('admin.newKey', { id: member.id }), accessKey, true)))
        .catch((error: unknown) => replaceChildren(notice, errorBox(error)))
    })
    const remove = h('button', { type: 'button', class: 'danger' }, t('common.delete'))
    remove.addEventListener('click', () => {
      if (!window.confirm(t('admin.confirmDelete', { id: member.id }))) return
      void del(`/api/admin/members/${encodeURIComponent(member.id)}`)
        .then(() => { replaceChildren(notice); void refresh(); onChange() })
        .catch((error: unknown) => replaceChildren(notice, errorBox(error)))
    })
    return h('div', { class: 'actions' }, rotate, remove)
  }

  return { el, refresh }
}

function createForm (onCreated: (id: string, accessKey: string) => void): HTMLElement {
  const name = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' })
  const sector = select(sectors.map((s): [string, string] => [s, sectorName(s)]), 'restaurant')
  const number = (step: string): HTMLInputElement => h('input', { type: 'number', min: 1, step, inputmode: 'decimal' })
  const floorArea = number('any')
  const seats = number('1')
  const rooms = number('1')
  const sharing = h('input', { type: 'checkbox', checked: true })
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const form = h('form', { class: 'card' },
    h('h3', null, t('admin.addMember')),
    h('div', { class: 'control-row' },
      field(t('admin.name'), name), field(t('admin.sector'), sector),
      field(t('admin.floorArea'), floorArea), field(t('admin.seats'), seats), field(t('admin.rooms'), rooms),
      h('label', { class: 'check' }, sharing, h('span', null, t('admin.sharing')))),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('common.create')))
  const optional = (input: HTMLInputElement): number | undefined => input.value === '' ? undefined : Number(input.value)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    message.hidden = true
    const body = { name: name.value.trim(), sector: sector.value, sharing: sharing.checked, floorArea: optional(floorArea), seats: optional(seats), rooms: optional(rooms) }
    void post('/api/admin/members', body, createdMemberSchema)
      .then((member) => {
        form.reset()
        sharing.checked = true
        onCreated(member.id, member.accessKey)
      })
      .catch((error: unknown) => {
        message.textContent = errorMessage(error)
        message.hidden = false
      })
  })
  return form
}
