import { canonicalOf, metricCatalog } from '../../../server/domain/metric-catalog.ts'
import { en } from './en.ts'
import { type Lang, formatDateTime, formatNumber, formatPercent, localeOf, preferredLanguage, withUnit } from './format.ts'
import { type MessageKey, type Messages, ja } from './ja.ts'

export type { Lang, MessageKey }
export const catalogues: Record<Lang, Messages> = { ja, en }
export const languages: readonly Lang[] = ['ja', 'en']

// Only the language choice is remembered in the browser (never a key or a token).
const STORAGE_KEY = 'tsudoi.lang'
let current: Lang = 'ja'
const listeners = new Set<(lang: Lang) => void>()

export function initLanguage (): Lang {
  const stored = safeStorage()?.getItem(STORAGE_KEY)
  current = stored === 'ja' || stored === 'en' ? stored : preferredLanguage(navigator.languages)
  document.documentElement.lang = current
  return current
}

export function setLanguage (lang: Lang): void {
  current = lang
  safeStorage()?.setItem(STORAGE_KEY, lang)
  document.documentElement.lang = lang
  for (const listener of listeners) listener(lang)
}

export const language = (): Lang => current

export function onLanguageChange (listener: (lang: Lang) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The message for a key with `{name}` placeholders filled in. */
export function t (key: MessageKey, vars: Record<string, string | number> = {}): string {
  return catalogues[current][key].replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = vars[name]
    return value === undefined ? match : typeof value === 'number' ? formatNumber(value, current) : value
  })
}

/** For keys built from data (sector, metric, error code): falls back when the catalogue has none. */
export function tDynamic (key: string, fallback: string): string {
  return key in ja ? catalogues[current][key as MessageKey] : fallback
}

/** Sentence case for a title or a sentence that starts with a name ("power use" → "Power use"); Japanese is unchanged. */
export const capitalize = (text: string): string => text.charAt(0).toLocaleUpperCase(localeOf[current]) + text.slice(1)

export const sectorName = (sector: string): string => tDynamic(`sector.${sector}`, sector)
export const metricName = (metric: string): string => tDynamic(`metric.${metric}`, metric.replaceAll('_', ' '))
export const formatName = (format: string): string => tDynamic(`format.${format}`, format)
/**
 * The unit of the hub's own metric catalogue — the one unit table — written as this language
 * writes it (ja: L/分); a custom metric keeps the unit the hub reports (usually none).
 */
export function unitOf (metric: string, reported = ''): string {
  const canonical = canonicalOf(metric)
  const unit = Object.hasOwn(metricCatalog, canonical) ? metricCatalog[canonical]!.unit : reported
  return tDynamic(`unitSymbol.${unit}`, unit)
}
export const errorText = (code: string): string => tDynamic(`error.${code}`, catalogues[current]['error.UNEXPECTED'])

export const fmtDate = (time: number): string => formatDateTime(time, current)
export const fmtNumber = (value: number, digits?: number): string => formatNumber(value, current, digits)
export const fmtPercent = (percent: number): string => formatPercent(percent, current)
export const fmtValue = (value: number, metric: string, unit?: string): string => withUnit(formatNumber(value, current), unitOf(metric, unit))

function safeStorage (): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined // storage disabled (private mode, sandboxed iframe): the choice just isn't remembered
  }
}
