// The only way the dashboard builds DOM. Text goes in as text nodes (never innerHTML) and
// `style` is refused, because the hub's CSP forbids inline styles and every value from the
// API must stay inert text.
type Child = Node | string | null | undefined | false
type Attrs = Record<string, string | number | boolean | undefined>

export function h<K extends keyof HTMLElementTagNameMap> (
  tag: K, attrs: Attrs | null = null, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue
    if (name === 'style') throw new Error('inline styles are blocked by the CSP; use a class')
    el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, ...children)
  return el
}

export function append (parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  }
}

export function replaceChildren (parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, ...children)
}

let ids = 0
/** A document-unique id for label/aria wiring. */
export const uid = (prefix: string): string => `${prefix}-${++ids}`

/** A table with a header row; its caption is for screen readers (a visible heading precedes every table). */
export function table (caption: string, headers: readonly string[], rows: readonly Child[][], className = 'data'): HTMLElement {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h('table', { class: className },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, ...headers.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((cell) => h('td', null, cell)))))))
}

/** A labelled form field; the label is wired to the control so both click and screen readers work. */
export function field (label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = control.id === '' ? uid('f') : control.id
  control.id = id
  const hintEl = hint === undefined ? null : h('p', { class: 'hint', id: `${id}-hint` }, hint)
  if (hintEl !== null) control.setAttribute('aria-describedby', hintEl.id)
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl)
}

export function select (options: ReadonlyArray<readonly [value: string, label: string]>, value?: string, attrs: Attrs = {}): HTMLSelectElement {
  const el = h('select', attrs, ...options.map(([v, label]) => h('option', { value: v }, label)))
  if (value !== undefined) el.value = value
  return el
}

/** Resolves after the next paint, so what was just inserted shows before heavier work (charts) starts. */
export const afterPaint = (): Promise<void> =>
  new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
