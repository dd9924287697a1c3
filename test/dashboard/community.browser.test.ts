import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  DESKTOP, type DashboardHub, PHONE, noHorizontalScroll, pixelsOfColour, publish, screenshot, watchedPage, withHubAndBrowser
} from './fixture.ts'

// The public community page and the projector mode, in a real Chromium against a real hub.
/** The mean's line; chart text is #1a1a1a, so only the line comes within 12 of pure black. */
const MEAN_BLACK: [number, number, number] = [0, 0, 0]

describe('community page (browser)', () => {
  let t: DashboardHub
  let browser: Browser

  withHubAndBrowser((started) => { ({ t, browser } = started) })

  it('shows the community in Japanese: counts, sectors, and each comparison drawn with its summary', async () => {
    const context = await browser.newContext(DESKTOP)
    // How fast the first view is usable is measured by the bench (bench/, dashboard section), not asserted here.

    const { page, problems } = await watchedPage(context)
    await page.goto(`${t.hub.httpUrl}/`)
    await page.getByRole('heading', { level: 1, name: 'コミュニティ' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja')

    const stat = (name: string) => page.locator(`[data-stat="${name}"] .stat-value`)
    await expect.poll(() => stat('members').textContent()).toBe('7')
    await expect.poll(() => stat('readingsPerMinute').textContent()).toMatch(/^\d[\d,]*$/)
    expect(await page.locator('[data-stat="devicesOnline"] .stat-label').textContent()).toBe('オンラインの機器')
    expect(await page.locator('.sector-list li').allTextContents()).toEqual(['飲食店5 事業者'])
    expect(await page.locator('.sectors .hint').textContent()).toBe('ほか 2 事業者(参加事業者が3未満の業種は人数を表示しません)')

    // GET /api/community lists power and temperature, for all sectors and for restaurants.
    const cards = page.locator('figure.chart-card')
    await expect.poll(() => cards.count()).toBe(4)
    await expect.poll(() => page.locator('figure.chart-card[data-state="ready"]').count(), { timeout: 10_000 }).toBe(4)
    expect(await cards.locator('h3').allTextContents()).toEqual(['電力使用量 — 全業種', '電力使用量 — 飲食店', '温度 — 全業種', '温度 — 飲食店'])

    const restaurantTemperature = page.locator('figure.chart-card').nth(3)
    const canvas = restaurantTemperature.locator('canvas')
    // Five restaurants: each shown release is a mean with the interval for the true mean
    // (dotted edges); no median or quartiles below 10 members (docs/privacy.md).
    expect(Number(await canvas.getAttribute('data-mean-points'))).toBe(12)
    expect(Number(await canvas.getAttribute('data-interval-points'))).toBe(12)
    expect(Number(await canvas.getAttribute('data-median-points'))).toBe(0)
    expect(Number(await canvas.getAttribute('data-band-points'))).toBe(0)
    // The legend names only what is drawn: no "interquartile range" or median without them.
    expect(await canvas.getAttribute('data-legend')).toBe('平均の90%区間|平均')
    expect(await pixelsOfColour(page, 'figure.chart-card:nth-child(4) canvas', MEAN_BLACK, 12)).toBeGreaterThan(200)
    // The text summary sits next to the chart, and the canvas points to it.
    const summary = restaurantTemperature.locator('.chart-summary')
    expect(await summary.textContent()).toMatch(/^過去24時間の温度\(飲食店\): 最新の平均 [\d.]+ °C\(90%区間 [\d.]+ °C〜[\d.]+ °C。中央値は10事業者から表示\)。$/)
    expect(await canvas.getAttribute('aria-describedby')).toBe(await summary.getAttribute('id'))
    expect(await restaurantTemperature.locator('.chart-members').textContent()).toBe('参加事業者数: 最新の表示区間 5–9、最大 5–9')
    // The first 12 hours had only two restaurants: gaps, with the reason (the open hour is not released yet, not a gap).
    const gap = restaurantTemperature.locator('.chart-gap')
    expect(await gap.isVisible()).toBe(true)
    expect(await gap.locator('.gap-reason').textContent()).toBe('参加事業者が3未満のため非表示')
    expect(await gap.locator('.gap-count').textContent()).toMatch(/^\(1[12] \/ 2[45] 区間\)$/)

    await screenshot(page, 'community-ja')
    expect(problems).toEqual([])
    await context.close()
  })

  it('ticks the readings-per-minute counter live from the stream', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' })
    const { page } = await watchedPage(context)
    await page.goto(`${t.hub.httpUrl}/`)
    const counter = page.locator('[data-stat="readingsPerMinute"] .stat-value')
    await expect.poll(() => counter.textContent()).toMatch(/^\d+$/)
    const before = Number(await counter.textContent())
    await publish(t.hub.mqttUrl, t.member('rest-2'), { temperature: 22, power: 1200, humidity: 40 })
    // The hub sends community counts every 5 s.
    await expect.poll(async () => Number(await counter.textContent()), { timeout: 8000 }).toBeGreaterThanOrEqual(before + 3)
    await context.close()
  })

  it('switches to English and remembers the choice', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' })
    const { page, problems } = await watchedPage(context)
    await page.goto(`${t.hub.httpUrl}/`)
    await page.getByRole('heading', { level: 1, name: 'コミュニティ' }).waitFor()
    await page.getByRole('combobox', { name: '言語' }).selectOption('en')
    await page.getByRole('heading', { level: 1, name: 'Community' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Community' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await expect.poll(() => page.locator('figure.chart-card[data-state="ready"]').count(), { timeout: 10_000 }).toBe(4)
    expect(await page.locator('figure.chart-card .gap-reason').first().textContent()).toBe('Hidden: fewer than 3 contributing members')
    expect(await page.locator('.sector-list li').allTextContents()).toEqual(['Restaurants5 members'])
    await screenshot(page, 'community-en')
    expect(problems).toEqual([])
    await context.close()
  })

  it('picks English for a browser that does not prefer Japanese', async () => {
    const context = await browser.newContext({ locale: 'en-GB' })
    const page = await context.newPage()
    await page.goto(`${t.hub.httpUrl}/`)
    await page.getByRole('heading', { level: 1, name: 'Community' }).waitFor()
    await context.close()
  })

  it('projector mode: full screen layout, large type, rotating views, live counts', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1920, height: 1080 } })
    const { page, problems } = await watchedPage(context)
    await page.goto(`${t.hub.httpUrl}/?display=1`)
    await page.locator('body.projector .stage .slide').first().waitFor()
    const position = page.locator('.projector-tools .position')
    await expect.poll(() => position.textContent()).toBe('1 / 5')
    expect(await page.locator('.slide:not([hidden]) .sectors').isVisible()).toBe(true)
    const valueSize = await page.locator('.stat-value').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    expect(valueSize).toBeGreaterThanOrEqual(64)
    await screenshot(page, 'projector-1')
    // Arrow keys step through; the rotation also moves on by itself every 8 s.
    await page.keyboard.press('ArrowRight')
    expect(await position.textContent()).toBe('2 / 5')
    await expect.poll(() => page.locator('.slide:not([hidden]) figure.chart-card').getAttribute('data-state'), { timeout: 10_000 }).toBe('ready')
    await page.waitForTimeout(300)
    await screenshot(page, 'projector-2')
    await expect.poll(() => position.textContent(), { timeout: 10_000 }).toBe('3 / 5')
    // Everything fits the screen: no scrolling on a projector.
    expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true)
    expect(await noHorizontalScroll(page)).toBe(true)
    expect(problems).toEqual([])
    await context.close()
  })

  it('fits a 360-px phone without horizontal scrolling, and works from the keyboard', async () => {
    const context = await browser.newContext(PHONE)
    const { page, problems } = await watchedPage(context)
    await page.goto(`${t.hub.httpUrl}/`)
    await expect.poll(() => page.locator('figure.chart-card[data-state="ready"]').count(), { timeout: 10_000 }).toBe(4)
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'community-phone')

    // Keyboard: the skip link comes first and moves focus to the content; every nav link is a
    // real link that takes focus with a visible ring.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')
    const compareLink = page.getByRole('link', { name: '比較' })
    await compareLink.focus()
    expect(await compareLink.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: '同業との比較' }).waitFor()
    expect(problems).toEqual([])
    await context.close()
  })
})
