import { get } from '../api/client.ts'
import { type Community, type CommunityEvent, communitySchema } from '../api/schemas.ts'
import type { LiveStream } from '../api/stream.ts'
import type { Disposer } from '../context.ts'
import { fmtNumber, sectorName, t } from '../i18n/index.ts'
import { comparisonCard } from '../ui/comparison-card.ts'
import { h } from '../ui/dom.ts'

// The pieces of the community view shared by the page and the projector.
let early: Promise<Community> | undefined

/** Starts GET /api/community while the session is still being read, so the first view needs one round trip less. */
export function prefetchCommunity (): void {
  early = get('/api/community', communitySchema)
  early.catch(() => {})
}

export function fetchCommunity (): Promise<Community> {
  const prefetched = early
  early = undefined
  return prefetched ?? get('/api/community', communitySchema)
}

const DAY_MS = 86_400_000
const COMPARE_BUCKET = '1h'
const REFRESH_MS = 60_000

type ComparisonCard = ReturnType<typeof comparisonCard>

/** A card per comparable metric and sector, over the past 24 h, sliding to "now" on each refresh. */
export function communityCards (community: Community): ComparisonCard[] {
  const to = Date.now()
  return community.comparable.map((pair) => comparisonCard({
    params: { metric: pair.metric, sector: pair.sector, from: to - DAY_MS, to, bucket: COMPARE_BUCKET },
    rangeLabel: t('range.past24h'),
    slide: DAY_MS
  }))
}

/** Fetches each card (once it is on the page) now and every minute, until the page is left. */
export function keepFresh (cards: ComparisonCard[], disposer: Disposer): void {
  for (const card of cards) {
    void card.refresh()
    disposer.add(card.destroy)
  }
  const timer = window.setInterval(() => { for (const card of cards) void card.refresh() }, REFRESH_MS)
  disposer.add(() => window.clearInterval(timer))
}

/** The three headline counters: filled from GET /api/community, then ticking from the stream's `community` event. */
export function statsPanel (stream: LiveStream) {
  const value = (): HTMLElement => h('span', { class: 'stat-value' }, '…')
  const members = value()
  const online = value()
  const perMinute = value()
  const stat = (label: string, el: HTMLElement, name: string): HTMLElement =>
    h('div', { class: 'stat', 'data-stat': name }, h('span', { class: 'stat-label' }, label), el)
  const el = h('div', { class: 'stats' },
    stat(t('community.members'), members, 'members'),
    stat(t('community.devicesOnline'), online, 'devicesOnline'),
    stat(t('community.readingsPerMinute'), perMinute, 'readingsPerMinute'))

  const apply = (event: Pick<CommunityEvent, 'devicesOnline' | 'readingsLastMinute'>): void => {
    online.textContent = fmtNumber(event.devicesOnline, 0)
    perMinute.textContent = fmtNumber(event.readingsLastMinute, 0)
  }
  return {
    el,
    setCommunity: (c: Community): void => {
      members.textContent = fmtNumber(c.members.total, 0)
      apply(c)
    },
    off: stream.on('community', apply)
  }
}

/** Members per sector, as text and a <meter> (a bar without inline styles). */
export function sectorPanel (community: Community): HTMLElement {
  const entries = Object.entries(community.members.bySector).sort(([, a], [, b]) => b - a)
  const max = Math.max(1, ...entries.map(([, n]) => n))
  const hidden = community.members.total - entries.reduce((sum, [, n]) => sum + n, 0)
  return h('section', { class: 'card sectors', 'aria-labelledby': 'sectors-title' },
    h('h2', { id: 'sectors-title' }, t('community.bySector')),
    h('ul', { class: 'sector-list' }, ...entries.map(([sector, count]) => h('li', null,
      h('span', { class: 'sector-name' }, sectorName(sector)),
      h('meter', { min: 0, max, value: count, 'aria-hidden': 'true' }),
      h('span', { class: 'sector-count' }, t('community.sectorCount', { count }))))),
    hidden > 0 ? h('p', { class: 'hint' }, t('community.hiddenSectors', { count: hidden, k: community.k })) : null)
}
