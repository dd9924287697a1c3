import mqtt from 'mqtt'
import type { Browser, BrowserContext } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { type DashboardHub, HOUR, PHONE, noHorizontalScroll, screenshot, watchedPage, withHubAndBrowser } from './fixture.ts'

// An attendee joins a workshop from the QR code on a phone (360×740, Japanese), in a real
// Chromium against a real hub, and a real MQTT client using the credentials the page shows
// turns the page green (issue 7, "Workshop onboarding").
describe('workshop join on a phone (browser)', () => {
  let t: DashboardHub
  let browser: Browser
  const phone = (): Promise<BrowserContext> => browser.newContext(PHONE)

  /** The organizer's API, as the CLI or the organizer page would call it. */
  const admin = async (method: string, path: string, body?: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(`${t.hub.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.hub.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
    return response.json()
  }

  withHubAndBrowser((started) => { ({ t, browser } = started) })

  it('joins from the QR link, shows the key once and the set-up, and turns green on the first reading', async () => {
    const workshop = await admin('POST', '/api/admin/workshops', { name: '海辺の IoT 勉強会', expiresAt: Date.now() + 3 * HOUR, maxJoins: 20, sector: 'fishery' })
    expect(workshop.joinUrl).toBe(`${t.hub.httpUrl}/#/join/${workshop.code}`)
    const context = await phone()
    const { page, problems } = await watchedPage(context)
    await page.goto(workshop.joinUrl)
    await page.getByRole('heading', { level: 1, name: 'ワークショップに参加' }).waitFor()
    await page.getByRole('heading', { level: 2, name: '海辺の IoT 勉強会' }).waitFor()
    expect(await page.locator('.workshop-facts p').last().textContent()).toMatch(/^受付は \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d まで$/)
    // The workshop's sector is preselected; the attendee may change it.
    expect(await page.getByLabel('業種').inputValue()).toBe('fishery')
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'join-form-phone')

    await page.getByLabel('事業者名').fill('網元まるよし')
    await page.getByRole('button', { name: '参加する' }).click()
    await page.getByRole('heading', { level: 2, name: '「海辺の IoT 勉強会」に参加しました' }).waitFor()

    // Signed in by an HttpOnly cookie; the access key is on screen once and nowhere in storage.
    expect(await page.locator('header .who').textContent()).toBe('網元まるよし としてログイン中')
    const notice = page.locator('.secret')
    expect(await notice.locator('h3').textContent()).toBe('アクセスキー — 必ず保存してください')
    expect(await notice.locator('.secret-note').textContent()).toMatch(/^このキーは今この画面で一度だけ表示されます。/)
    const key = await notice.locator('code').first().textContent() ?? ''
    expect(key).toMatch(/^tsk_/)
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)
    expect(storage).not.toContain(key)
    expect((await context.cookies()).find((c) => c.name === 'tsudoi_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' })

    // The waiting panel, listening on the member's own stream.
    const panel = page.locator('.first-reading')
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 10_000 }).toBe('waiting')
    expect(await panel.locator('.first-reading-title').textContent()).toBe('最初のデータを待っています…')

    // The hub's set-up for five kinds of firmware, each with a copy button.
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Tasmota', 'ESPHome', 'Shelly', 'Arduino / ESP32', 'mosquitto_pub'])
    expect(await page.locator('.tab-panel .copy-block').count()).toBe(5)
    expect(await page.locator('.tab-panel button.copy').count()).toBe(5)
    expect(await page.locator('pre.tasmota').isVisible()).toBe(true)
    expect(await page.locator('pre.tasmota').textContent()).toMatch(/^Backlog MqttHost 127\.0\.0\.1; MqttPort \d+; MqttUser \S+; MqttPassword tsd_\S+; Topic \S+;/)
    await page.getByRole('tab', { name: 'ESPHome' }).click()
    expect(await page.locator('pre.esphome').isVisible()).toBe(true)
    expect(await page.locator('pre.tasmota').isVisible()).toBe(false)
    expect(await page.locator('pre.esphome').textContent()).toMatch(/^mqtt:\n {2}broker: 127\.0\.0\.1\n/)
    await page.getByRole('tab', { name: 'Shelly' }).click()
    expect(await page.locator('pre.shelly').textContent()).toContain('Settings → MQTT')
    await page.getByRole('tab', { name: 'Arduino / ESP32' }).click()
    expect(await page.locator('pre.sketch').textContent()).toContain('#include <PubSubClient.h>')
    await page.getByRole('tab', { name: 'mosquitto_pub' }).click()
    await page.locator('pre.cli').waitFor()
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'join-waiting-phone')

    // Read the credentials off the page, as an attendee copying them would, and check that
    // the settings list says the same as the command.
    const cli = await page.locator('pre.cli').textContent() ?? ''
    const [, host, port] = /-h (\S+) -p (\d+)/.exec(cli)!
    const username = /-u '([^']+)'/.exec(cli)![1]!
    const password = /-P '([^']+)'/.exec(cli)![1]!
    const topic = /-t '([^']+)'/.exec(cli)![1]!
    expect(port).toBe(new URL(t.hub.mqttUrl).port)
    const settings = await page.locator('dl.settings dd').allTextContents()
    for (const value of [host!, username, password, topic]) expect(settings.some((dd) => dd.startsWith(value))).toBe(true)

    const client = await mqtt.connectAsync(`mqtt://${host}:${port}`, { username, password, clientId: username, reconnectPeriod: 0 })
    try {
      await client.publishAsync(topic, JSON.stringify({ temperature: 22.5 }), { qos: 1 })
      await expect.poll(() => panel.getAttribute('data-state'), { timeout: 5000 }).toBe('received')
    } finally {
      await client.endAsync()
    }
    expect(await panel.locator('.first-reading-title').textContent()).toBe('最初のデータが届きました')
    expect(await panel.locator('.first-values li').allTextContents()).toEqual(['温度:22.5 °C'])
    expect(await panel.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe('rgb(0, 112, 79)')
    await panel.scrollIntoViewIfNeeded()
    await screenshot(page, 'join-received-phone')

    // A language switch redraws the page from memory: still the result (no second join), still green.
    await page.getByLabel('言語').selectOption('en')
    await page.getByRole('heading', { level: 2, name: 'You have joined “海辺の IoT 勉強会”' }).waitFor()
    expect(await panel.locator('.first-values li').allTextContents()).toEqual(['Temperature: 22.5 °C'])
    expect((await admin('GET', '/api/admin/workshops')).workshops.find((w: { id: string }) => w.id === workshop.id).joins).toBe(1)
    expect(problems).toEqual([])
    await context.close()
  })

  it('says so when the code is unknown, the workshop has ended or is full, or joins are rate limited', async () => {
    const context = await phone()
    const { page } = await watchedPage(context)

    await page.goto(`${t.hub.httpUrl}/#/join/zzzzzz`)
    const message = page.locator('[data-code]')
    await expect.poll(() => message.textContent()).toBe('この参加コードは見つかりません。コードを確かめて、もう一度入力してください。')
    expect(await message.getAttribute('data-code')).toBe('NOT_FOUND')
    // The attendee can type the code read aloud in the room instead.
    expect(await page.getByLabel('参加コード').inputValue()).toBe('ZZZZZZ')
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'join-unknown-phone')

    const ended = await admin('POST', '/api/admin/workshops', { name: '先週の勉強会', expiresAt: Date.now() + HOUR })
    await admin('PATCH', `/api/admin/workshops/${ended.id}`, { expiresAt: Date.now() - 60_000 })
    await page.goto(ended.joinUrl)
    await expect.poll(() => message.textContent()).toBe('このワークショップは終了しました。')
    expect(await page.getByRole('button', { name: '参加する' }).count()).toBe(0)
    await screenshot(page, 'join-ended-phone')

    const full = await admin('POST', '/api/admin/workshops', { name: '満員の勉強会', expiresAt: Date.now() + HOUR, maxJoins: 1 })
    const first = await fetch(`${t.hub.httpUrl}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: full.code, name: '先着の店' }) })
    expect(first.status).toBe(201)
    await page.goto(full.joinUrl)
    await expect.poll(() => message.textContent()).toBe('このワークショップは定員に達しました。主催者に声をかけてください。')

    // The form was open, and the workshop ended before the attendee pressed Join: 410.
    const closing = await admin('POST', '/api/admin/workshops', { name: '閉会間際の勉強会', expiresAt: Date.now() + HOUR, sector: 'retail' })
    await page.goto(closing.joinUrl)
    await page.getByLabel('事業者名').fill('遅れて来た店')
    await admin('PATCH', `/api/admin/workshops/${closing.id}`, { expiresAt: Date.now() - 1000 })
    await page.getByRole('button', { name: '参加する' }).click()
    await expect.poll(() => page.locator('.form-error').textContent()).toBe('このワークショップは終了しました。')
    expect(await page.locator('.form-error').getAttribute('data-code')).toBe('GONE')

    // Too many joins from one address: the room's allowance is spent first (the browser shares
    // the test's address, 127.0.0.1), so the page meets the hub's own 429.
    const open = await admin('POST', '/api/admin/workshops', { name: '混雑した勉強会', expiresAt: Date.now() + HOUR })
    let spent = 0
    for (let status = 0; status !== 429 && spent < 200; spent++) {
      status = (await fetch(`${t.hub.httpUrl}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: open.code, name: `Filler ${spent}` }) })).status
    }
    expect(spent).toBeLessThan(200)
    await page.goto(open.joinUrl)
    await page.getByLabel('事業者名').fill('急ぎの店')
    await page.getByLabel('業種').selectOption('office')
    await page.getByRole('button', { name: '参加する' }).click()
    await expect.poll(() => page.locator('.form-error').textContent()).toBe('短い時間に参加が集中しています。1分ほど待ってから、もう一度「参加する」を押してください。')
    expect(await page.getByRole('button', { name: '参加する' }).isEnabled()).toBe(true)
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'join-rate-limited-phone')
    await context.close()
  })
})
