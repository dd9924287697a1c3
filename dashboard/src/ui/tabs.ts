import { h, uid } from './dom.ts'

export interface Tab { id: string, label: string, panel: HTMLElement }

/**
 * Tabs as the WAI-ARIA Authoring Practices describe them (w3.org/WAI/ARIA/apg/patterns/tabs):
 * one tab stop for the list (roving tabindex), arrow keys, Home and End move between tabs and
 * select them; hidden panels are `hidden`, so they are out of the reading order too.
 */
export function tabs (label: string, items: readonly Tab[], selected = 0): HTMLElement {
  const base = uid('tabs')
  const buttons = items.map((item, i) => h('button', {
    type: 'button', role: 'tab', id: `${base}-tab-${i}`, 'aria-controls': `${base}-panel-${i}`, 'data-tab': item.id
  }, item.label))
  const panels = items.map((item, i) => h('div', {
    role: 'tabpanel', id: `${base}-panel-${i}`, 'aria-labelledby': `${base}-tab-${i}`, class: 'tab-panel', 'data-tab': item.id
  }, item.panel))

  const show = (index: number, focus: boolean): void => {
    buttons.forEach((button, i) => {
      button.setAttribute('aria-selected', String(i === index))
      button.tabIndex = i === index ? 0 : -1
    })
    panels.forEach((panel, i) => { panel.hidden = i !== index })
    if (focus) buttons[index]?.focus()
  }
  buttons.forEach((button, i) => button.addEventListener('click', () => show(i, false)))

  const list = h('div', { role: 'tablist', 'aria-label': label, class: 'tablist' }, ...buttons)
  list.addEventListener('keydown', (event) => {
    const current = buttons.findIndex((button) => button === document.activeElement)
    if (current < 0) return
    const last = buttons.length - 1
    const moves: Record<string, number> = { ArrowRight: current === last ? 0 : current + 1, ArrowLeft: current === 0 ? last : current - 1, Home: 0, End: last }
    const next = moves[event.key]
    if (next === undefined) return
    event.preventDefault()
    show(next, true)
  })
  show(Math.min(Math.max(selected, 0), items.length - 1), false)
  return h('div', { class: 'tabs' }, list, ...panels)
}
