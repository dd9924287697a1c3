import { describe, expect, it, vi } from 'vitest'
import { deviceFormats as dashboardFormats, sectors as dashboardSectors } from '../../dashboard/src/domain.ts'
import { en } from '../../dashboard/src/i18n/en.ts'
import { formatDateTime, formatNumber, formatPercent, formatTick, preferredLanguage, withUnit } from '../../dashboard/src/i18n/format.ts'
import { setLanguage, unitOf } from '../../dashboard/src/i18n/index.ts'
import { ja } from '../../dashboard/src/i18n/ja.ts'
import { errorCatalogue } from '../../server/errors.ts'
import { metricCatalog } from '../../server/domain/metric-catalog.ts'
import { deviceFormats } from '../../server/domain/device-formats.ts'
import { sectors } from '../../server/domain/sectors.ts'

const catalogues = { ja, en } as Record<string, Record<string, string>>
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()

describe('message catalogues', () => {
  it('have exactly the same keys in Japanese and English', () => {
    const jaKeys = Object.keys(ja).sort()
    const enKeys = Object.keys(en).sort()
    expect(jaKeys.filter((key) => !(key in en)), 'missing in en.ts').toEqual([])
    expect(enKeys.filter((key) => !(key in ja)), 'missing in ja.ts').toEqual([])
  })

  it('use the same placeholders for a key in both languages, and no empty message', () => {
    for (const key of Object.keys(ja) as Array<keyof typeof ja>) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ja[key]))
      // A unit symbol may be empty (pH has none); nothing else may.
      if (!key.startsWith('unitSymbol.')) {
        expect(ja[key].trim(), key).not.toBe('')
        expect(en[key].trim(), key).not.toBe('')
      }
    }
  })

  it.each(Object.keys(catalogues))('%s names every sector, device format, catalogued metric and error code of the hub', (lang) => {
    const messages = catalogues[lang]!
    const wanted = [
      ...sectors.map((s) => `sector.${s}`),
      ...deviceFormats.map((f) => `format.${f}`),
      ...Object.keys(metricCatalog).map((m) => `metric.${m}`),
      ...Object.keys(errorCatalogue).map((code) => `error.${code}`)
    ]
    expect(wanted.filter((key) => !(key in messages))).toEqual([])
  })

  it('writes each catalogued metric with the hub\'s own unit — one unit table — as each language writes it', () => {
    vi.stubGlobal('document', { documentElement: {} })
    try {
      for (const lang of ['en', 'ja'] as const) {
        setLanguage(lang)
        for (const [metric, spec] of Object.entries(metricCatalog)) {
          const written = spec.unit === 'pH' ? '' : lang === 'ja' && spec.unit === 'L/min' ? 'L/分' : spec.unit
          expect(unitOf(metric), `${lang} ${metric}`).toBe(written)
          // A labelled series keeps its metric's unit; a custom metric the unit the hub reports.
          expect(unitOf(`${metric}__fridge`), `${lang} ${metric}__fridge`).toBe(written)
        }
        expect(unitOf('custom_thing', 'rpm')).toBe('rpm')
        expect(unitOf('constructor')).toBe('')
      }
      expect(Object.keys(ja).filter((key) => key.startsWith('unit.'))).toEqual([])
    } finally {
      setLanguage('ja')
      vi.unstubAllGlobals()
    }
  })

  it('offers the hub\'s sectors and device formats in its forms', () => {
    expect([...dashboardSectors]).toEqual([...sectors])
    expect([...dashboardFormats]).toEqual([...deviceFormats])
  })

  it('states the suppression reason with k filled in', () => {
    expect(ja['chart.suppressed'].replace('{k}', '3')).toBe('参加事業者が3未満のため非表示')
  })
})

describe('formatting', () => {
  const time = Date.UTC(2026, 10, 27, 5, 5) // 14:05 in Tokyo

  it('writes dates the Japanese way in Japanese and the US way in English, on a 24-hour clock', () => {
    expect(formatDateTime(time, 'ja', 'Asia/Tokyo')).toBe('2026年11月27日 14:05')
    expect(formatDateTime(time, 'en', 'Asia/Tokyo')).toBe('Nov 27, 2026, 14:05')
    expect(formatDateTime(time, 'en', 'UTC')).toBe('Nov 27, 2026, 05:05')
  })

  it('labels chart ticks with the time for a day, the date for longer windows', () => {
    expect(formatTick(time, 86_400_000, 'ja', 'Asia/Tokyo')).toBe('14:05')
    expect(formatTick(time, 7 * 86_400_000, 'ja', 'Asia/Tokyo')).toBe('11/27')
    expect(formatTick(time, 7 * 86_400_000, 'en', 'Asia/Tokyo')).toBe('11/27')
  })

  it('groups thousands and picks fraction digits by magnitude', () => {
    expect(formatNumber(12345.678, 'ja')).toBe('12,346')
    expect(formatNumber(21.54, 'ja')).toBe('21.5')
    expect(formatNumber(0.4567, 'en')).toBe('0.46')
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5')
    expect(formatNumber(0, 'en')).toBe('0')
  })

  it('writes percentages and units', () => {
    expect(formatPercent(70, 'ja')).toBe('70%')
    expect(formatPercent(33.4, 'en')).toBe('33%')
    expect(withUnit('21.5', '°C')).toBe('21.5 °C')
    expect(withUnit('48', '%')).toBe('48%')
    expect(withUnit('7.1', '')).toBe('7.1')
  })

  it('prefers Japanese when the browser does, English otherwise', () => {
    expect(preferredLanguage(['ja-JP', 'en-US'])).toBe('ja')
    expect(preferredLanguage(['ja'])).toBe('ja')
    expect(preferredLanguage(['en-GB', 'ja'])).toBe('en')
    expect(preferredLanguage(['fr-FR', 'ja-JP'])).toBe('ja')
    expect(preferredLanguage(['fr-FR', 'de'])).toBe('en')
    expect(preferredLanguage([])).toBe('en')
  })
})
