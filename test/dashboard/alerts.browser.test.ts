import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { type DashboardHub, PHONE, type Watched, noHorizontalScroll, publish, screenshot, watchedPage, withHubAndBrowser } from './fixture.ts'

// The alerts page on a phone, in a real Chromium against a real hub: a member sets up an
// alert, sees it fire from a real MQTT reading, says "I'm on it", and sees only its own.

describe('alerts page (browser, phone)', () => {
  let t: DashboardHub
  let watched: Watched
  let page: Page

  withHubAndBrowser(async (started) => {
    t = started.t
    const context = await started.browser.newContext(PHONE)
    watched = await watchedPage(context)
    page = watched.page
  })

  it('creates an alert from the form; a reading over the threshold shows it firing; "I\'m on it" acknowledges it', async () => {
    const me = t.member('rest-2')
    await page.goto(`${t.hub.httpUrl}/#key=${encodeURIComponent(me.accessKey)}`)
    await page.getByRole('heading', { level: 1, name: '自社のデータ' }).waitFor()
    await page.goto(`${t.hub.httpUrl}/#/alerts`)
    await page.getByRole('heading', { level: 1, name: '警報' }).waitFor()
    // The list loads after the heading: wait for the empty state (isVisible() does not wait and raced it once in CI).
    await page.getByText('警報はまだありません。').waitFor()

    await page.getByLabel('名前').fill('冷蔵庫が温かい')
    await expect.poll(() => page.getByLabel('デバイス').locator('option').allTextContents()).toEqual(['すべてのデバイス', `${me.name} センサー`])
    await page.getByLabel('デバイス').selectOption(me.device.id)
    await page.getByLabel('しきい値').fill('25')
    await page.getByLabel('通知先', { exact: true }).selectOption('mqtt')
    expect(await page.getByLabel('送り先（URL・メールアドレス・LINE ID）').isVisible()).toBe(false)
    await page.getByRole('button', { name: '警報を追加' }).click()
    await page.getByText('警報「冷蔵庫が温かい」を追加しました。Webhook の署名鍵はこの画面で一度だけ表示されます。').waitFor()
    // MQTT only: no webhook, so no signing key to show.
    expect(await page.getByText('Webhook 署名鍵').count()).toBe(0)
    const card = page.locator('article.alert-rule')
    await expect.poll(() => card.locator('h3').textContent()).toBe('冷蔵庫が温かい 正常')
    expect(await card.locator('p').first().textContent()).toBe(`${me.device.id}: 温度 上回ったら 25`)

    await publish(t.hub.mqttUrl, me, { temperature: 31 })
    await expect.poll(() => card.locator('h3').textContent(), { timeout: 10_000 }).toBe('冷蔵庫が温かい 発生中')
    const row = page.locator('table.alert-events tbody tr')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.locator('td').nth(2).textContent()).toBe(`発生 · ${me.device.id} = 31`)
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('MQTT（Home Assistant など）: 送信済み')
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'alerts-phone')

    await page.getByRole('button', { name: '対応中にする' }).click()
    await expect.poll(() => card.locator('h3').textContent()).toBe('冷蔵庫が温かい 発生中 · 対応中')
    expect(await page.getByRole('button', { name: '対応中にする' }).count()).toBe(0)
    // Another member sees none of it.
    const other = await fetch(`${t.hub.httpUrl}/api/me/alerts/events`, { headers: { authorization: `Bearer ${t.member('rest-1').accessKey}` } })
    expect(await other.json()).toEqual({ events: [] })
    expect(watched.problems).toEqual([])
  })
})
