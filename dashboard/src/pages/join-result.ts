import { get, query } from '../api/client.ts'
import { type Joined, type ReadingEvent, readingsSchema } from '../api/schemas.ts'
import { type AppContext, Disposer } from '../context.ts'
import { capitalize, errorText, fmtDate, fmtValue, metricName, t } from '../i18n/index.ts'
import { createdSetup, deviceSetup, firmwares } from '../ui/device-setup.ts'
import { h, replaceChildren } from '../ui/dom.ts'
import { secretNotice } from '../ui/secret-notice.ts'

/** What a join left in this tab's memory: the hub's answer, and the first readings once they came. */
export interface JoinMemory {
  code: string
  result: Joined
  /** The readings of the device's first payload (one event per metric, all with one time). */
  first?: ReadingEvent[]
  signInError?: string
}

type PanelState = 'connecting' | 'waiting' | 'connected' | 'received'

/** After joining: the access key once, the set-up for the attendee's device, and the first-reading panel. */
export function joinResult (ctx: AppContext, memory: JoinMemory): { el: HTMLElement, dispose: () => void } {
  const { result } = memory
  const disposer = new Disposer()
  const el = h('div', { class: 'join-result' },
    h('section', { class: 'card success', 'aria-labelledby': 'join-done' },
      h('h2', { id: 'join-done' }, t('join.done', { workshop: result.workshop.name })),
      h('p', null, t('join.doneDetail', { name: result.member.name, date: fmtDate(result.workshop.expiresAt) }))),
    memory.signInError === undefined ? null : h('p', { class: 'error', role: 'alert' }, t('join.signInFailed', { message: memory.signInError })),
    secretNotice(t('join.keyTitle'), result.member.accessKey, true, t('join.keyNote')),
    firstReadingPanel(ctx, memory, disposer),
    h('section', { class: 'card join-setup', 'aria-labelledby': 'join-setup' },
      h('h2', { id: 'join-setup' }, t('join.setupTitle')),
      h('p', null, t('join.setupIntro')),
      deviceSetup(createdSetup(result.device, firmwares))),
    h('p', null, h('a', { href: '#/me', class: 'button' }, t('join.toMe'))))
  return { el, dispose: () => disposer.dispose() }
}

/**
 * "Waiting for your first reading…" until the device's first payload arrives on the member's
 * stream, then green with its values. A phone that slept, or a stream that was still opening
 * when the device sent, misses the event: each time the stream (re)opens, the latest stored
 * reading of the device is asked for once.
 */
function firstReadingPanel (ctx: AppContext, memory: JoinMemory, disposer: Disposer): HTMLElement {
  const deviceId = memory.result.device.id
  const title = h('p', { class: 'first-reading-title' })
  const detail = h('div', { class: 'first-reading-detail' })
  const problem = h('p', { class: 'first-reading-problem', hidden: true })
  const panel = h('section', { class: 'card first-reading', role: 'status' },
    h('span', { class: 'signal', 'aria-hidden': 'true' }),
    h('div', { class: 'first-reading-text' }, title, detail, problem))

  let state: PanelState = 'connecting'
  const show = (next: PanelState): void => {
    state = next
    panel.dataset.state = next
    title.textContent = next === 'received' ? t('join.received') : t('join.waiting')
    replaceChildren(detail, next === 'received'
      ? h('ul', { class: 'first-values' }, ...(memory.first ?? []).map((r) =>
        h('li', { 'data-metric': r.metric }, t('join.readingValue', { metric: capitalize(metricName(r.metric)), value: fmtValue(r.value, r.metric) }))))
      : h('p', { class: 'hint' }, next === 'connected' ? t('join.deviceConnected') : t('join.waitingHint')))
  }

  const receive = (reading: ReadingEvent): void => {
    if (reading.device !== deviceId) return
    const first = memory.first
    if (first === undefined) memory.first = [reading]
    else if (first[0]!.time === reading.time && !first.some((r) => r.metric === reading.metric)) first.push(reading)
    else return
    show('received')
  }

  async function catchUp (): Promise<void> {
    try {
      const { readings } = await get(`/api/me/readings${query({ device: deviceId, limit: 20 })}`, readingsSchema)
      const latest = readings[0]?.time
      if (disposer.disposed || latest === undefined || memory.first !== undefined) return
      for (const reading of readings.filter((r) => r.time === latest).reverse()) receive(reading)
    } catch {
      // Not signed in or offline: the stream still brings the next reading.
    }
  }

  const listening = ctx.session.role === 'member'
  const initial: PanelState = memory.first !== undefined ? 'received' : listening && ctx.stream.state === 'open' ? 'waiting' : 'connecting'
  show(initial)
  if (initial === 'waiting') void catchUp()

  disposer.add(ctx.stream.on('status', (status) => {
    if (state === 'received') return
    if (status === 'reconnecting') show('connecting')
    else if (listening) {
      show('waiting')
      void catchUp()
    }
  }))
  disposer.add(ctx.stream.on('reading', receive))
  disposer.add(ctx.stream.on('device', (device) => {
    if (device.id === deviceId && device.online && state === 'waiting') show('connected')
  }))
  disposer.add(ctx.stream.on('refusal', (refusal) => {
    if (refusal.device !== deviceId) return
    problem.textContent = t('join.refused', { reason: errorText(refusal.code), topic: refusal.topic })
    problem.hidden = false
  }))
  return panel
}
