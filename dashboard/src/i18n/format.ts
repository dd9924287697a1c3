// Pure formatters: the language (and, for tests, the time zone) are parameters, so the
// same output can be checked in Node and seen in the browser.
export type Lang = 'ja' | 'en'

/** BCP 47 locale per language; en-US with a 24-hour clock reads well next to the ja dates. */
export const localeOf: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' }

// Intl formatters are costly to build and a chart redraw formats hundreds of ticks.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>()
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat> (key: string, make: () => T): T {
  let formatter = cache.get(key)
  if (formatter === undefined) {
    formatter = make()
    cache.set(key, formatter)
  }
  return formatter as T
}

/** `2026年11月27日 14:05` / `Nov 27, 2026, 14:05`. */
export function formatDateTime (time: number, lang: Lang, timeZone?: string): string {
  return cached(`dt|${lang}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(localeOf[lang], {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone
  })).format(time)
}

/** A chart tick: the time of day for a window up to two days, the date beyond. */
export function formatTick (time: number, spanMs: number, lang: Lang, timeZone?: string): string {
  const short = spanMs <= 2 * 86_400_000
  return cached(`tick|${lang}|${String(short)}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(localeOf[lang], short
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }
    : { month: 'numeric', day: 'numeric', timeZone })).format(time)
}

/** Fraction digits that suit the magnitude: 0.42, 21.5, 1,234. */
export function formatNumber (value: number, lang: Lang, maxDigits?: number): string {
  const abs = Math.abs(value)
  const digits = maxDigits ?? (abs === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : 2)
  return cached(`n|${lang}|${digits}`, () => new Intl.NumberFormat(localeOf[lang], { maximumFractionDigits: digits })).format(value)
}

/** 0–100 → `70%`. */
export function formatPercent (percent: number, lang: Lang): string {
  return cached(`p|${lang}`, () => new Intl.NumberFormat(localeOf[lang], { style: 'percent', maximumFractionDigits: 0 })).format(percent / 100)
}

/** A value with its unit; Japanese and English both put a thin space before units except %. */
export function withUnit (formatted: string, unit: string): string {
  if (unit === '') return formatted
  return unit === '%' ? `${formatted}%` : `${formatted} ${unit}`
}

/** Picks the first supported language the browser prefers; anything unknown falls back to English. */
export function preferredLanguage (languages: readonly string[]): Lang {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0]
    if (base === 'ja' || base === 'en') return base
  }
  return 'en'
}
