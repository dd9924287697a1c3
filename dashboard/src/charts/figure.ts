import { capitalize, metricName, t } from '../i18n/index.ts'
import { h, uid } from '../ui/dom.ts'

/**
 * The card a chart sits in: its heading, the canvas — an image to assistive technology,
 * described by the visible text summary under it — and whatever else follows the summary.
 */
export function chartFigure (metric: string, title: string, summaryAttrs: Record<string, string>, ...after: HTMLElement[]) {
  const summaryId = uid('summary')
  const canvas = h('canvas', { role: 'img', 'aria-describedby': summaryId, 'aria-label': t('chart.ariaLabel', { metric: metricName(metric) }) })
  const summary = h('p', { class: 'chart-summary', id: summaryId, ...summaryAttrs })
  const el = h('figure', { class: 'chart-card', 'data-metric': metric },
    h('figcaption', null, h('h3', null, capitalize(title))),
    h('div', { class: 'chart-box' }, canvas),
    summary, ...after)
  return { el, canvas, summary }
}
