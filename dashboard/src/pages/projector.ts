import { setChartScale } from '../charts/setup.ts'
import { type AppContext, Disposer, type Page } from '../context.ts'
import { t } from '../i18n/index.ts'
import { h, replaceChildren } from '../ui/dom.ts'
import { errorBox, loading } from '../ui/status.ts'
import { communityCards, fetchCommunity, keepFresh, sectorPanel, statsPanel } from './community-data.ts'

const ROTATE_MS = 8000

/**
 * `/?display=1`: the community view for a room. The live counters stay on top; below them the
 * sector overview and each comparison take turns. Arrow keys step through by hand.
 */
export function projectorPage (ctx: AppContext): Page {
  setChartScale(true)
  const disposer = new Disposer()
  disposer.add(() => setChartScale(false))
  const stats = statsPanel(ctx.stream)
  disposer.add(stats.off)
  const stage = h('div', { class: 'stage' }, loading())
  const position = h('span', { class: 'position', 'aria-live': 'off' })
  const fullscreen = h('button', { type: 'button' }, t('projector.fullscreen'))
  fullscreen.addEventListener('click', () => { void document.documentElement.requestFullscreen?.().catch(() => {}) })
  const el = h('div', { class: 'page projector-page' },
    h('header', { class: 'projector-bar' },
      h('h1', null, t('app.title')),
      h('div', { class: 'projector-tools' }, position, fullscreen, h('a', { href: location.pathname, class: 'button' }, t('projector.exit')))),
    stats.el, stage)

  let slides: HTMLElement[] = []
  let current = 0
  const showSlide = (index: number): void => {
    if (slides.length === 0) return
    current = (index + slides.length) % slides.length
    slides.forEach((slide, i) => { slide.hidden = i !== current })
    position.textContent = `${current + 1} / ${slides.length}`
  }
  const rotate = window.setInterval(() => showSlide(current + 1), ROTATE_MS)
  disposer.add(() => window.clearInterval(rotate))
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowRight') showSlide(current + 1)
    if (event.key === 'ArrowLeft') showSlide(current - 1)
  }
  window.addEventListener('keydown', onKey)
  disposer.add(() => window.removeEventListener('keydown', onKey))

  async function load (): Promise<void> {
    try {
      const community = await fetchCommunity()
      if (disposer.disposed) return
      stats.setCommunity(community)
      const cards = communityCards(community)
      slides = [h('div', { class: 'slide' }, h('p', { class: 'intro' }, t('community.intro')), sectorPanel(community)), ...cards.map((card) => h('div', { class: 'slide' }, card.el))]
      replaceChildren(stage, ...slides)
      showSlide(0)
      keepFresh(cards, disposer)
    } catch (error) {
      replaceChildren(stage, errorBox(error, () => { void load() }))
    }
  }
  void load()
  return { el, dispose: () => disposer.dispose() }
}
