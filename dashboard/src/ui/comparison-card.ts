import { type CompareParams, fetchComparison } from '../api/compare.ts'
import { ALL_SECTORS, type Comparison } from '../api/schemas.ts'
import { bandChart } from '../charts/band-chart.ts'
import { sectorName, t } from '../i18n/index.ts'
import { errorBox } from './status.ts'

/** The translated name of a comparison's sector, "all sectors" included. */
export const sectorLabel = (sector: string | undefined): string =>
  sector === undefined || sector === ALL_SECTORS ? t('chart.allSectors') : sectorName(sector)

export interface ComparisonCardOptions {
  params: CompareParams
  rangeLabel: string
  /** Moves the window to "now" before each refresh (preset windows). */
  slide?: number
  title?: string
  onData?: (comparison: Comparison) => void
}

/** A band chart that fetches its comparison, and refetches on refresh(). */
export function comparisonCard (options: ComparisonCardOptions) {
  let params = options.params
  const chart = bandChart({
    metric: params.metric, sectorLabel: sectorLabel(params.sector), rangeLabel: options.rangeLabel,
    from: params.from, to: params.to, title: options.title
  })
  let controller: AbortController | undefined
  let errorEl: HTMLElement | undefined

  async function refresh (): Promise<void> {
    if (options.slide !== undefined) {
      const to = Date.now()
      params = { ...params, from: to - options.slide, to }
    }
    controller?.abort()
    controller = new AbortController()
    try {
      const comparison = await fetchComparison(params, controller.signal)
      errorEl?.remove()
      errorEl = undefined
      chart.update(comparison, params.from, params.to)
      chart.el.dataset.state = 'ready'
      options.onData?.(comparison)
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return
      errorEl?.remove()
      errorEl = errorBox(error, () => { void refresh() })
      chart.el.append(errorEl)
      chart.el.dataset.state = 'error'
    }
  }

  return {
    el: chart.el,
    refresh,
    destroy: () => {
      controller?.abort()
      chart.destroy()
    }
  }
}
