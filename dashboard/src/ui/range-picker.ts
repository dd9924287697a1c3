import { type MessageKey, t } from '../i18n/index.ts'
import { field, h, uid } from './dom.ts'

// The time windows a page can show. Preset windows end now (and so update live); a custom
// window is fixed.
export const presets = ['1h', '24h', '7d', '30d'] as const
export type Preset = typeof presets[number]
const PRESET_MS: Record<Preset, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 }
const PAST_LABEL: Record<Preset, MessageKey> = { '1h': 'range.past1h', '24h': 'range.past24h', '7d': 'range.past7d', '30d': 'range.past30d' }

export type Range = { kind: 'preset', preset: Preset } | { kind: 'custom', from: number, to: number }

export interface Window { from: number, to: number, live: boolean }

export function windowOf (range: Range, now = Date.now()): Window {
  return range.kind === 'preset'
    ? { from: now - PRESET_MS[range.preset], to: now, live: true }
    : { from: range.from, to: range.to, live: false }
}

export function rangeLabel (range: Range, formatDate: (time: number) => string): string {
  return range.kind === 'preset' ? t(PAST_LABEL[range.preset]) : t('range.between', { from: formatDate(range.from), to: formatDate(range.to) })
}

/** A radio group of presets plus "custom" with two datetime-local fields; real inputs, so keyboard works. */
export function rangePicker (initial: Range, onChange: (range: Range) => void): HTMLElement {
  const name = uid('range')
  const options = [...presets, 'custom' as const]
  const radios = options.map((value) => {
    const input = h('input', { type: 'radio', name, value, checked: initial.kind === 'preset' ? initial.preset === value : value === 'custom' })
    return { value, input, label: h('label', { class: 'chip' }, input, h('span', null, t(`range.${value}`))) }
  })
  const fromInput = h('input', { type: 'datetime-local' })
  const toInput = h('input', { type: 'datetime-local' })
  const now = Date.now()
  fromInput.value = toLocalInput(initial.kind === 'custom' ? initial.from : now - 86_400_000)
  toInput.value = toLocalInput(initial.kind === 'custom' ? initial.to : now)
  const apply = h('button', { type: 'submit' }, t('range.apply'))
  const custom = h('form', { class: 'custom-range', hidden: initial.kind !== 'custom' },
    field(t('range.from'), fromInput), field(t('range.to'), toInput), apply)

  for (const { value, input } of radios) {
    input.addEventListener('change', () => {
      if (!input.checked) return
      custom.hidden = value !== 'custom'
      if (value !== 'custom') onChange({ kind: 'preset', preset: value })
    })
  }
  custom.addEventListener('submit', (event) => {
    event.preventDefault()
    const from = new Date(fromInput.value).getTime()
    const to = new Date(toInput.value).getTime()
    if (Number.isFinite(from) && Number.isFinite(to) && from < to) onChange({ kind: 'custom', from, to })
  })

  return h('fieldset', { class: 'range-picker' },
    h('legend', null, t('range.label')),
    h('div', { class: 'chips' }, ...radios.map((r) => r.label)),
    custom)
}

/** datetime-local wants local time without a zone: 2026-11-27T14:05. */
function toLocalInput (time: number): string {
  const d = new Date(time - new Date(time).getTimezoneOffset() * 60_000)
  return d.toISOString().slice(0, 16)
}
