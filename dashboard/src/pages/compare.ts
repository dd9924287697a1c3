import { type Per, perOptions } from '../api/compare.ts'
import { get } from '../api/client.ts'
import { ALL_SECTORS, communitySchema, metricsSchema } from '../api/schemas.ts'
import { type AppContext, Disposer, type Page } from '../context.ts'
import { sectors } from '../domain.ts'
import { type MessageKey, capitalize, fmtDate, metricName, sectorName, t } from '../i18n/index.ts'
import { comparisonCard, sectorLabel } from '../ui/comparison-card.ts'
import { field, h, replaceChildren, select } from '../ui/dom.ts'
import { type Range, rangeLabel, rangePicker, windowOf } from '../ui/range-picker.ts'
import { errorBox, loading } from '../ui/status.ts'
import { standingSentence } from './compare-summary.ts'
import { privacyLink } from './privacy.ts'

const PER_LABEL: Record<Per | 'none', MessageKey> = { none: 'norm.none', m2: 'norm.floorArea', seat: 'norm.seats', room: 'norm.rooms' }

/** Comparisons come on the release grid only (docs/privacy.md): hours up to two days, days up to ten weeks, then weeks. */
function releaseBucketFor (spanMs: number): '1h' | '1d' | '1w' {
  const day = 86_400_000
  return spanMs <= 2 * day ? '1h' : spanMs <= 70 * day ? '1d' : '1w'
}

interface Choice { metric: string, sector: string, per: Per | 'none', range: Range }
let remembered: Partial<Choice> = {}

/** `#/compare`: the peer band for a chosen metric, sector, window and normalisation, and — signed in — the member's own line and standing. */
export function comparePage (ctx: AppContext): Page {
  const disposer = new Disposer()
  const member = ctx.session.role === 'member' ? ctx.session.member : undefined
  const controls = h('div', { class: 'controls' }, loading())
  const result = h('div', { class: 'compare-result' })
  const sentence = h('p', { class: 'standing', 'aria-live': 'polite', hidden: true })
  const el = h('div', { class: 'page compare' },
    h('h1', null, t('compare.title')),
    member === undefined ? h('p', { class: 'hint' }, t('compare.signInHint')) : null,
    // Issue 13: say what the figures are, and that a consent change does not rewrite the past.
    h('p', { class: 'hint privacy-note' }, t('compare.privacyNote'), ' ', privacyLink()),
    controls, sentence, result)

  let card: ReturnType<typeof comparisonCard> | undefined
  disposer.add(() => card?.destroy())
  // Preset windows end now; the hub caches its store answer for 5 s, a minute is plenty.
  const timer = window.setInterval(() => { void card?.refresh() }, 60_000)
  disposer.add(() => window.clearInterval(timer))

  function show (choice: Choice): void {
    remembered = choice
    card?.destroy()
    const window = windowOf(choice.range)
    const sector = choice.sector === ALL_SECTORS ? undefined : choice.sector
    card = comparisonCard({
      params: { metric: choice.metric, sector, from: window.from, to: window.to, bucket: releaseBucketFor(window.to - window.from), per: choice.per === 'none' ? undefined : choice.per },
      rangeLabel: rangeLabel(choice.range, fmtDate),
      slide: window.live ? window.to - window.from : undefined,
      title: `${metricName(choice.metric)} — ${sectorLabel(sector)}${choice.per === 'none' ? '' : ` (${t(PER_LABEL[choice.per])})`}`,
      onData: (comparison) => {
        const text = standingSentence(comparison, choice.metric, sector === undefined ? undefined : sectorName(sector))
        sentence.hidden = text === undefined
        sentence.textContent = text ?? ''
      }
    })
    replaceChildren(result, card.el)
    void card.refresh()
  }

  async function load (): Promise<void> {
    try {
      // Metrics worth offering: those the community can compare, and the member's own.
      const [community, mine] = await Promise.all([
        get('/api/community', communitySchema),
        member === undefined ? Promise.resolve({ metrics: [] }) : get('/api/me/metrics', metricsSchema)
      ])
      if (disposer.disposed) return
      const metrics = [...new Set([...community.comparable.map((p) => p.metric), ...mine.metrics.map((m) => m.metric)])]
      if (metrics.length === 0) {
        replaceChildren(controls, h('p', { class: 'empty' }, t('compare.noMetrics')))
        return
      }
      const initial: Choice = {
        metric: remembered.metric !== undefined && metrics.includes(remembered.metric) ? remembered.metric : metrics[0]!,
        sector: remembered.sector ?? member?.sector ?? ALL_SECTORS,
        per: remembered.per ?? 'none',
        range: remembered.range ?? { kind: 'preset', preset: '24h' }
      }
      replaceChildren(controls, form(metrics, initial, show))
      show(initial)
    } catch (error) {
      replaceChildren(controls, errorBox(error, () => { void load() }))
    }
  }
  void load()
  return { el, dispose: () => disposer.dispose() }
}

function form (metrics: string[], initial: Choice, onChange: (choice: Choice) => void): HTMLElement {
  let choice = initial
  const metric = select(metrics.map((m): [string, string] => [m, capitalize(metricName(m))]), initial.metric)
  const sector = select([[ALL_SECTORS, t('chart.allSectors')], ...sectors.map((s): [string, string] => [s, sectorName(s)])], initial.sector)
  const per = select((['none', ...perOptions] as const).map((p): [string, string] => [p, t(PER_LABEL[p])]), initial.per)
  const changed = (patch: Partial<Choice>): void => {
    choice = { ...choice, ...patch }
    onChange(choice)
  }
  metric.addEventListener('change', () => changed({ metric: metric.value }))
  sector.addEventListener('change', () => changed({ sector: sector.value }))
  per.addEventListener('change', () => changed({ per: per.value as Per | 'none' }))
  return h('div', { class: 'control-row' },
    field(t('compare.metric'), metric),
    field(t('compare.sector'), sector),
    field(t('compare.normalize'), per),
    rangePicker(initial.range, (range) => changed({ range })))
}
