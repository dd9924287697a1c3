import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  DESKTOP, type DashboardHub, HOUR, PHONE, type Watched, noHorizontalScroll, pixelsOfColour, publish, screenshot, watchedPage, withHubAndBrowser
} from './fixture.ts'
import { sleep } from '../helpers/hub.ts'

// A member's pages in a real Chromium against a real hub: signing in, its devices and live
// data, comparisons, onboarding — and that nothing of another member ever reaches the browser.
const ME_VERMILLION: [number, number, number] = [213, 94, 0]

describe('member pages (browser)', () => {
  let t: DashboardHub
  let browser: Browser
  let context: BrowserContext
  let watched: Watched
  let page: Page

  withHubAndBrowser(async (started) => {
    ({ t, browser } = started)
    context = await browser.newContext(DESKTOP)
    watched = await watchedPage(context)
    page = watched.page
  })

  it('signs in with the access key form; the key becomes an HttpOnly cookie, never browser storage', async () => {
    const me = t.member('rest-1')
    await page.goto(`${t.hub.httpUrl}/#/me`)
    await page.getByRole('heading', { name: '事業者としてログイン' }).waitFor()
    await page.getByLabel('アクセスキー').fill('tsk_wrong')
    await page.getByRole('button', { name: 'ログイン' }).click()
    expect(await page.getByRole('alert').textContent()).toBe('キーまたはトークンが正しくありません')
    watched.problems.length = 0 // the browser logs that refused POST; it was meant to fail

    await page.getByLabel('アクセスキー').fill(me.accessKey)
    await page.getByRole('button', { name: 'ログイン' }).click()
    await page.getByRole('heading', { level: 1, name: '自社のデータ' }).waitFor()
    expect(await page.locator('header .who').textContent()).toBe('食堂いちばん としてログイン中')

    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)
    expect(storage).not.toContain(me.accessKey)
    const cookies = await context.cookies()
    expect(cookies.find((c) => c.name === 'tsudoi_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
  })

  it('shows its device with status, last seen and battery, and charts per metric', async () => {
    const row = page.locator('table.devices tbody tr')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.locator('td').first().textContent()).toBe('食堂いちばん センサーrest-1-sensor')
    expect(await row.locator('td').nth(1).textContent()).toBe('オフライン')
    expect(await row.locator('td').nth(2).textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/)
    await expect.poll(() => page.locator('figure.chart-card canvas[data-points]').count()).toBe(2)
    expect(await page.locator('figure.chart-card h3').allTextContents()).toEqual(['電力使用量', '温度'])
    expect(Number(await page.locator('figure.chart-card canvas').first().getAttribute('data-points'))).toBeGreaterThan(40)
    // The CSV link downloads the member's own readings of the chosen window.
    expect(await page.getByRole('link', { name: 'CSV をダウンロード' }).getAttribute('href')).toBe('/api/me/readings.csv?from=-24h&limit=10000')
    await screenshot(page, 'me-ja')
  })

  it('shows a live reading within a few seconds of an MQTT publish, without refetching', async () => {
    // A history reading leaves the sliding one-hour window at :10 and :40 past the hour; the
    // expected minimum is read once below, so the test must not straddle one of those instants.
    await sleep(msUntilPastWindowEdge(Date.now(), 30_000))
    await page.getByText('1時間', { exact: true }).click()
    // The fixture's last history readings are 20 and 50 minutes before the hour, so whether the
    // last hour holds any (all below 22 °C) depends on the time of day: the live ones are higher.
    const lowest = /^過去1時間の温度: (?:この期間のデータはありません。|最新 [\d.]+ °C、最小 ([\d.]+ °C)、最大 [\d.]+ °C。)$/
    await expect.poll(() => page.locator('figure.chart-card[data-metric="temperature"] .chart-summary').textContent()).toMatch(lowest)
    const history = lowest.exec(await page.locator('figure.chart-card[data-metric="temperature"] .chart-summary').textContent() ?? '')![1]
    await expect.poll(() => page.locator('.live-status').textContent()).toBe('ライブ更新中')
    let seriesRequests = 0
    page.on('request', (request) => { if (request.url().includes('/api/me/series')) seriesRequests++ })

    const client = await publish(t.hub.mqttUrl, t.member('rest-1'), { temperature: 31.5 }, true)
    try {
      const summary = page.locator('figure.chart-card[data-metric="temperature"] .chart-summary')
      // The window slides while this runs: on a loaded machine a history reading may leave it,
      // so the minimum can only have risen since it was read — never above the live value.
      const withLive = (latest: string, max: string) => async (): Promise<boolean> => {
        const text = await summary.textContent() ?? ''
        const match = new RegExp(`^過去1時間の温度: 最新 ${latest} °C、最小 ([\\d.]+) °C、最大 ${max} °C。$`).exec(text)
        const low = Number(match?.[1])
        return match !== null && low >= (history === undefined ? 31.5 : parseFloat(history)) && low <= 31.5
      }
      await expect.poll(withLive('31.5', '31.5'), { timeout: 5000 }).toBe(true)
      const row = page.locator('table.devices tbody tr')
      await expect.poll(() => row.locator('td').nth(1).textContent(), { timeout: 5000 }).toBe('オンライン')
      // A second reading lands in the same one-minute bucket: the chart updates in place.
      await client.publishAsync(t.member('rest-1').device.topic, JSON.stringify({ temperature: 32.5 }), { qos: 1 })
      await expect.poll(withLive('32', '32.5'), { timeout: 5000 }).toBe(true)
      expect(seriesRequests).toBe(0)
      // Battery is reported as a metric; the device table shows the latest.
      await client.publishAsync(t.member('rest-1').device.topic, JSON.stringify({ battery: 87 }), { qos: 1 })
      await expect.poll(() => row.locator('td').nth(3).textContent(), { timeout: 5000 }).toBe('87%')
      await screenshot(page, 'me-live')
    } finally {
      await client.endAsync()
    }
  })

  it('shows a custom window and links its CSV to the same window', async () => {
    await page.getByText('期間を指定', { exact: true }).click()
    const local = (time: number): string => new Date(time - new Date(time).getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
    const to = Date.now() - 2 * HOUR
    const from = to - 6 * HOUR
    await page.getByLabel('開始').fill(local(from))
    await page.getByLabel('終了').fill(local(to))
    await page.getByRole('button', { name: '表示' }).click()
    const summary = page.locator('figure.chart-card[data-metric="power"] .chart-summary')
    await expect.poll(() => summary.textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d〜\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\dの電力使用量: 最新 [\d,]+ W、/)
    const href = await page.getByRole('link', { name: 'CSV をダウンロード' }).getAttribute('href')
    expect(href).toMatch(/^\/api\/me\/readings\.csv\?from=\d+&to=\d+&limit=10000$/)
    // The link downloads CSV for this member, signed in by the cookie alone.
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!)
    expect(csv.split('\r\n')[0]).toBe('time,device,metric,value') // RFC 4180: CRLF
    expect(csv).toContain(',rest-1-sensor,power,')
  })

  it('compares with its peers: the mean and its interval, its own line and a plain-language standing', async () => {
    await page.getByRole('link', { name: '比較' }).click()
    await page.getByRole('heading', { level: 1, name: '同業との比較' }).waitFor()
    // Defaults: the member's own sector, the first comparable metric, the last 24 h.
    expect(await page.getByLabel('業種').inputValue()).toBe('restaurant')
    expect(await page.getByLabel('指標').inputValue()).toBe('power')
    const card = page.locator('figure.chart-card')
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 10_000 }).toBe('ready')
    const canvas = card.locator('canvas')
    // Five restaurants: a mean and its interval per shown hour, no median below 10 members.
    expect(Number(await canvas.getAttribute('data-mean-points'))).toBeGreaterThan(10)
    expect(Number(await canvas.getAttribute('data-interval-points'))).toBeGreaterThan(10)
    expect(Number(await canvas.getAttribute('data-me-points'))).toBeGreaterThan(20)
    expect(await pixelsOfColour(page, 'figure.chart-card canvas', ME_VERMILLION)).toBeGreaterThan(100)
    // rest-1 uses the least power of the five restaurants; with no quantile published for five
    // (server/compare/caller-view.ts), its standing is against the published mean, which the
    // peers' permanent factors (a new random key for every hub) move by at most about 19 %.
    const standing = /^この期間、電力使用量は同業の飲食店の平均より(\d+)%少ない$/.exec(await page.locator('.standing').textContent() ?? '')
    expect(Number(standing?.[1])).toBeGreaterThan(0)
    expect(await card.locator('.chart-summary').textContent()).toMatch(/^過去24時間の電力使用量\(飲食店\): 最新の平均 [\d,]+ W\(90%区間 [\d,]+ W〜[\d,]+ W。中央値は10事業者から表示\)。 自社の最新値は [\d,]+ W。$/)
    await screenshot(page, 'compare-ja')

    // Per seat: the figures are divided by each member's seats.
    await page.getByLabel('換算').selectOption('seat')
    await expect.poll(() => card.locator('h3').textContent()).toBe('電力使用量 — 飲食店 (1 席あたり)')
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 10_000 }).toBe('ready')
    await expect.poll(() => card.locator('.chart-summary').textContent()).toMatch(/最新の平均 \d{1,3}(\.\d)? W/)
  })

  it('shows a sector with fewer than k members as a gap, with the reason', async () => {
    await page.getByLabel('換算').selectOption('none')
    await page.getByLabel('業種').selectOption('accommodation')
    const card = page.locator('figure.chart-card')
    await expect.poll(() => card.locator('h3').textContent()).toBe('電力使用量 — 宿泊業')
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 10_000 }).toBe('ready')
    expect(await card.locator('.gap-reason').textContent()).toBe('参加事業者が3未満のため非表示')
    expect(await card.locator('.chart-gap').isVisible()).toBe(true)
    expect(await card.locator('canvas').getAttribute('data-mean-points')).toBe('0')
    expect(await card.locator('.chart-summary').textContent()).toBe('過去24時間の電力使用量(宿泊業): 表示できる集計値はありません。')
    await screenshot(page, 'compare-suppressed')
  })

  it('adds a device, shows its MQTT settings and working examples, and the reasons of refused payloads', async () => {
    await page.getByRole('link', { name: '機器' }).click()
    await page.getByRole('heading', { level: 1, name: '機器の追加と設定' }).waitFor()
    await page.getByLabel('名前').fill('冷蔵庫センサー')
    await page.getByRole('button', { name: '機器を追加' }).click()
    const created = page.locator('.created')
    await created.getByRole('heading', { name: '機器「冷蔵庫センサー」を追加しました。トークンはこの画面で一度だけ表示されます。' }).waitFor()
    // A native (JSON) device: the hub's sketch and command line, in tabs.
    expect(await created.getByRole('tab').allTextContents()).toEqual(['Arduino / ESP32', 'mosquitto_pub'])
    const sketch = await created.locator('pre.sketch').textContent() ?? ''
    await created.getByRole('tab', { name: 'mosquitto_pub' }).click()
    const cli = await created.locator('pre.cli').textContent() ?? ''
    const port = new URL(t.hub.mqttUrl).port
    expect(cli).toMatch(new RegExp(`^mosquitto_pub -h 127\\.0\\.0\\.1 -p ${port} `))
    const username = /-u '([^']+)'/.exec(cli)![1]!
    const token = /-P '([^']+)'/.exec(cli)![1]!
    const topic = /-t '([^']+)'/.exec(cli)![1]!
    expect(topic).toBe(`tsudoi/rest-1/${username}/telemetry`)
    expect(sketch).toContain('#include <PubSubClient.h>')
    expect(sketch).toContain(`const char* TOKEN = "${token}";`)
    expect(sketch).toContain(`const int MQTT_PORT = ${port};`)
    await screenshot(page, 'devices-created')

    // The settings shown are the real ones: a device using them gets in, and a bad payload's
    // reason appears on the page.
    const device = { ...t.member('rest-1'), device: { id: username, name: '', token, topic } }
    await publish(t.hub.mqttUrl, device, { temperature: 'hot' })
    const refusal = page.locator('table tbody tr', { hasText: username })
    await refusal.first().waitFor({ timeout: 5000 })
    expect(await refusal.first().locator('td').nth(2).textContent()).toBe('値が数値ではありませんNOT_A_NUMBER')
    await screenshot(page, 'devices-errors')
  })

  it('never shows another member\'s id, name or raw value, on any page or in any response', async () => {
    await page.goto(`${t.hub.httpUrl}/#/`)
    await expect.poll(() => page.locator('figure.chart-card[data-state="ready"]').count(), { timeout: 10_000 }).toBe(4)
    const html = await page.content()
    const traffic = await watched.traffic()
    // Numbers are matched whole (21.15 must not match inside 121.153).
    const numbers = new Set([...`${html}\n${traffic}`.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => m[0]))
    const leaks: string[] = []
    for (const other of t.members.filter((m) => m.id !== 'rest-1')) {
      for (const secret of [other.id, other.name, other.device.id, other.device.name]) {
        if (html.includes(secret)) leaks.push(`page shows ${secret}`)
        if (traffic.includes(secret)) leaks.push(`traffic holds ${secret}`)
      }
      for (const value of other.raw) if (numbers.has(value)) leaks.push(`${other.id} raw value ${value}`)
    }
    expect(leaks).toEqual([])
    // The check would catch a leak: the member's own raw values are in its own responses.
    expect(traffic).toContain(t.member('rest-1').raw[0])
    expect(watched.problems).toEqual([])
  })

  it('signs in from a #key= link once and removes the key from the address bar', async () => {
    const other = await browser.newContext({ locale: 'ja-JP' })
    const p = await other.newPage()
    const key = t.member('rest-2').accessKey
    await p.goto(`${t.hub.httpUrl}/#key=${key}`)
    await p.getByRole('heading', { level: 1, name: '自社のデータ' }).waitFor()
    expect(p.url()).toBe(`${t.hub.httpUrl}/#/me`)
    expect(await p.locator('header .who').textContent()).toBe('Secret Bistro Deux としてログイン中')
    // The key was replaced in history, not pushed: going back does not bring it back.
    await p.goBack()
    expect(p.url()).not.toContain(key)
    await other.close()
  })

  it('fits a 360-px phone on every member page', async () => {
    const phone = await browser.newContext(PHONE)
    const p = await phone.newPage()
    await p.goto(`${t.hub.httpUrl}/#key=${t.member('rest-1').accessKey}`)
    await p.getByRole('heading', { level: 1, name: '自社のデータ' }).waitFor()
    await expect.poll(() => p.locator('figure.chart-card canvas[data-points]').count()).toBe(3) // + battery, sent live above
    for (const [hash, name, ready] of [
      ['#/me', 'me', 'figure.chart-card canvas[data-points]'],
      ['#/compare', 'compare', 'figure.chart-card[data-state="ready"]'],
      ['#/devices', 'devices', 'details.card']
    ] as const) {
      await p.goto(`${t.hub.httpUrl}/${hash}`)
      await p.locator(ready).first().waitFor()
      if (hash === '#/devices') await p.locator('details.card summary').first().click()
      expect(await noHorizontalScroll(p), hash).toBe(true)
      await screenshot(p, `${name}-phone`)
    }
    await phone.close()
  })
})

/** How long to wait so that no fixture reading (at :10 and :40 past each hour) leaves the last hour within `margin` ms. */
function msUntilPastWindowEdge (now: number, margin: number): number {
  const intoHour = now % HOUR
  for (const edge of [10, 40, 70].map((minute) => minute * 60_000)) {
    const until = edge - intoHour
    if (until >= 0 && until < margin) return until + 1000
  }
  return 0
}
