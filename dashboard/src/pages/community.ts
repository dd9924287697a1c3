import type { AppContext, Page } from '../context.ts'
import { Disposer } from '../context.ts'
import { t } from '../i18n/index.ts'
import { afterPaint, h, replaceChildren } from '../ui/dom.ts'
import { errorBox, loading } from '../ui/status.ts'
import { communityCards, fetchCommunity, keepFresh, sectorPanel, statsPanel } from './community-data.ts'
import { privacyLink } from './privacy.ts'

/** `#/`: open to everyone. Counts tick live; each comparable metric gets its peer band over 24 h. */
export function communityPage (ctx: AppContext): Page {
  const disposer = new Disposer()
  const stats = statsPanel(ctx.stream)
  disposer.add(stats.off)
  const sectors = h('div', { class: 'sectors-slot' }, loading())
  const charts = h('div', { class: 'chart-grid' })
  const el = h('div', { class: 'page community' },
    h('h1', null, t('community.title')),
    h('p', { class: 'intro' }, t('community.intro'), ' ', privacyLink()),
    stats.el,
    sectors,
    h('section', { 'aria-labelledby': 'comparisons-title' },
      h('h2', { id: 'comparisons-title' }, t('community.comparisons')),
      charts))

  async function load (): Promise<void> {
    try {
      const community = await fetchCommunity()
      if (disposer.disposed) return
      stats.setCommunity(community)
      replaceChildren(sectors, sectorPanel(community))
      // Counters and sectors first; building four charts takes a while on a slow phone.
      await afterPaint()
      if (disposer.disposed) return
      if (community.comparable.length === 0) {
        replaceChildren(charts, h('p', { class: 'empty' }, t('community.noComparable')))
        return
      }
      const cards = communityCards(community)
      replaceChildren(charts, ...cards.map((card) => card.el))
      keepFresh(cards, disposer)
    } catch (error) {
      replaceChildren(sectors, errorBox(error, () => { void load() }))
    }
  }
  void load()
  return { el, dispose: () => disposer.dispose() }
}
