import { get, patch, post } from '../api/client.ts'
import { type Workshop, workshopSchema, workshopsSchema } from '../api/schemas.ts'
import { sectors } from '../domain.ts'
import { fmtDate, fmtNumber, sectorName, t } from '../i18n/index.ts'
import { copyValue } from '../ui/copy.ts'
import { field, h, replaceChildren, select, table } from '../ui/dom.ts'
import { errorBox, errorMessage } from '../ui/status.ts'

const HOUR = 3_600_000

/** The organizer's workshops: create a join code, see its joins, print its QR, choose what outlives it. */
export function workshopsPanel () {
  const notice = h('div', { 'aria-live': 'polite' })
  const list = h('div')
  const el = h('section', { class: 'admin-workshops', 'aria-labelledby': 'aw-title' },
    h('h2', { id: 'aw-title' }, t('workshops.title')),
    h('p', { class: 'hint' }, t('workshops.urlHint')),
    createForm((workshop) => {
      replaceChildren(notice, h('p', { class: 'card success', role: 'status' }, t('workshops.created', { name: workshop.name, code: workshop.code })))
      void refresh()
    }),
    notice, list)

  let shown = ''
  /** `background`: a periodic look at the join counts; the table is redrawn only when they changed, and not while in use. */
  async function refresh (background = false): Promise<void> {
    if (background && list.contains(document.activeElement)) return
    try {
      const { workshops } = await get('/api/admin/workshops', workshopsSchema)
      const text = JSON.stringify(workshops)
      if (background && text === shown) return
      shown = text
      render(workshops)
    } catch (error) {
      if (background) return
      replaceChildren(list, errorBox(error, () => { void refresh() }))
    }
  }

  function render (workshops: Workshop[]): void {
    replaceChildren(list, workshops.length === 0
      ? h('p', { class: 'empty' }, t('workshops.none'))
      : table(t('workshops.title'),
        [t('workshops.name'), t('workshops.code'), t('workshops.joins'), t('workshops.expires'), t('workshops.joinUrl'),
          t('workshops.keepMembers'), t('workshops.keepData'), t('common.actions')],
        workshops.map((w) => [
          h('span', { class: 'ws-name' }, h('strong', null, w.name), w.sector === null ? null : h('small', { class: 'code-name' }, ` ${sectorName(w.sector)}`)),
          h('code', { class: 'join-code' }, w.code),
          w.maxJoins === null ? fmtNumber(w.joins, 0) : t('workshops.joinsOf', { joins: fmtNumber(w.joins, 0), max: fmtNumber(w.maxJoins, 0) }),
          h('span', { class: 'ws-date' }, fmtDate(w.expiresAt), w.ended ? h('span', { class: 'badge offline' }, ` ${t('workshops.ended')}`) : null),
          w.joinUrl === undefined ? t('common.none') : h('span', { class: 'ws-url' }, copyValue(w.joinUrl)),
          toggle(w, 'keepMembers'),
          toggle(w, 'keepData'),
          h('a', { class: 'button', href: `#/workshop/${encodeURIComponent(w.id)}` }, t('workshops.print'))
        ]), 'data workshops'))
  }

  /** keepMembers / keepData take effect at expiry, so they can change until then. */
  function toggle (workshop: Workshop, flag: 'keepMembers' | 'keepData'): HTMLElement {
    const box = h('input', { type: 'checkbox', checked: workshop[flag], disabled: workshop.ended, 'aria-label': `${t(`workshops.${flag}`)}: ${workshop.name}` })
    box.addEventListener('change', () => {
      box.disabled = true
      void patch(`/api/admin/workshops/${encodeURIComponent(workshop.id)}`, { [flag]: box.checked }, workshopSchema)
        .then((updated) => {
          workshop[flag] = updated[flag]
          box.checked = updated[flag]
          replaceChildren(notice)
        })
        .catch((error: unknown) => {
          box.checked = workshop[flag]
          replaceChildren(notice, errorBox(error))
        })
        .finally(() => { box.disabled = false })
    })
    return h('span', { class: 'check' }, box)
  }

  return { el, refresh }
}

/** `YYYY-MM-DDTHH:MM` in local time, what a datetime-local input holds. */
const localInput = (time: number): string => new Date(time - new Date(time).getTimezoneOffset() * 60_000).toISOString().slice(0, 16)

function createForm (onCreated: (workshop: Workshop) => void): HTMLElement {
  const name = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' })
  // A workshop usually lasts an afternoon: the default end is three hours on, on the hour.
  const expires = h('input', { type: 'datetime-local', required: true, value: localInput(Math.ceil(Date.now() / HOUR) * HOUR + 3 * HOUR) })
  const maxJoins = h('input', { type: 'number', min: 1, max: 10_000, step: 1, inputmode: 'numeric' })
  const sector = select([['', t('workshops.anySector')], ...sectors.map((s): [string, string] => [s, sectorName(s)])], '')
  const keepMembers = h('input', { type: 'checkbox' })
  const keepData = h('input', { type: 'checkbox', checked: true })
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const form = h('form', { class: 'card' },
    h('h3', null, t('workshops.add')),
    h('div', { class: 'control-row' },
      field(t('workshops.name'), name), field(t('workshops.expires'), expires),
      field(t('workshops.maxJoins'), maxJoins), field(t('workshops.sector'), sector)),
    h('div', { class: 'control-row' },
      h('label', { class: 'check' }, keepMembers, h('span', null, t('workshops.keepMembers'))),
      h('label', { class: 'check' }, keepData, h('span', null, t('workshops.keepData')))),
    h('p', { class: 'hint' }, t('workshops.keepHint')),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('common.create')))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    message.hidden = true
    const body = {
      name: name.value.trim(),
      expiresAt: new Date(expires.value).getTime(),
      keepMembers: keepMembers.checked,
      keepData: keepData.checked,
      ...(maxJoins.value === '' ? {} : { maxJoins: Number(maxJoins.value) }),
      ...(sector.value === '' ? {} : { sector: sector.value })
    }
    void post('/api/admin/workshops', body, workshopSchema)
      .then((workshop) => {
        name.value = ''
        maxJoins.value = ''
        onCreated(workshop)
      })
      .catch((error: unknown) => {
        message.textContent = errorMessage(error)
        message.hidden = false
      })
  })
  return form
}
