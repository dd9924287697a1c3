import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DESKTOP, type DashboardHub, type Watched, noHorizontalScroll, publish, screenshot, watchedPage, withHubAndBrowser } from './fixture.ts'

// The organizer's console in a real Chromium against a real hub.
describe('organizer page (browser)', () => {
  let t: DashboardHub
  let browser: Browser
  let context: BrowserContext
  let watched: Watched
  let page: Page

  withHubAndBrowser(async (started) => {
    ({ t, browser } = started)
    // One refused payload, so health has a reason to show.
    await publish(t.hub.mqttUrl, t.member('ryokan-1'), { temperature: 999 })
    context = await browser.newContext(DESKTOP)
    watched = await watchedPage(context)
    page = watched.page
    page.on('dialog', (dialog) => { void dialog.accept() })
  })

  it('signs in with the admin token and lists members, devices and hub health', async () => {
    await page.goto(`${t.hub.httpUrl}/#/admin`)
    await page.getByRole('heading', { name: '主催者としてログイン' }).waitFor()
    // A newcomer learns where the token is without leaving the page.
    expect(await page.getByText(/data\/admin-token/).textContent()).toContain('TSUDOI_ADMIN_TOKEN')
    await page.getByLabel('管理トークン').fill(t.hub.adminToken)
    await page.getByRole('button', { name: 'ログイン' }).click()
    await page.getByRole('heading', { level: 1, name: '主催者' }).waitFor()
    expect(await page.locator('header .who').textContent()).toBe('主催者としてログイン中')

    const members = page.locator('.admin-members table tbody tr')
    await expect.poll(() => members.count()).toBe(7)
    expect(await members.first().locator('td').allTextContents()).toEqual(
      ['rest-1', '食堂いちばん', '飲食店', 'はい', '80', '30', '—', '1', 'アクセスキーを再発行削除'])
    await expect.poll(() => page.locator('.admin-devices table tbody tr').count()).toBe(7)

    const health = page.locator('.health')
    await expect.poll(() => health.locator('dd').first().textContent()).toBe('正常')
    expect(await health.locator('dt').allTextContents()).toEqual(['状態', '保存先', '稼働時間', 'オンラインの機器', '直近1分の測定数'])
    expect(await health.locator('table tbody tr').first().locator('td').allTextContents()).toEqual(['値がその指標の有効範囲外です OUT_OF_RANGE', '1'])
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'admin-ja')
  })

  it('creates a member, shows its access key and a one-time sign-in link that works', async () => {
    const form = page.locator('.admin-members form')
    await form.getByLabel('名前').fill('鮮魚店うみ')
    await form.getByLabel('業種').selectOption('retail')
    await form.getByLabel('床面積(m²)').fill('45')
    await form.getByRole('button', { name: '作成' }).click()
    const notice = page.locator('.admin-members .secret')
    await notice.waitFor()
    const [key, link] = await notice.locator('code').allTextContents()
    expect(key).toMatch(/^tsk_/)
    expect(link).toBe(`${t.hub.httpUrl}/#key=${encodeURIComponent(key!)}`)
    await expect.poll(() => page.locator('.admin-members table tbody tr').count()).toBe(8)

    const visitor = await browser.newContext({ locale: 'ja-JP' })
    const p = await visitor.newPage()
    await p.goto(link!)
    await p.getByRole('heading', { level: 1, name: '自社のデータ' }).waitFor()
    expect(await p.locator('header .who').textContent()).toBe('鮮魚店うみ としてログイン中')
    expect(await p.locator('.empty').first().textContent()).toBe('まだ機器が登録されていません。「機器」ページから追加できます。')
    await visitor.close()
  })

  it('adds a device for a member, rotates its token and deletes it', async () => {
    const form = page.locator('.admin-devices form')
    await form.getByLabel('事業者').selectOption('rest-2')
    await form.getByLabel('名前').fill('Freezer')
    await form.getByRole('button', { name: '作成' }).click()
    const notice = page.locator('.admin-devices .secret')
    await notice.waitFor()
    const first = await notice.locator('code').first().textContent()
    expect(first).toMatch(/^tsd_/)
    const row = page.locator('.admin-devices table tbody tr', { hasText: 'Freezer' })
    await row.waitFor()
    const id = await row.locator('td').first().textContent()

    await row.getByRole('button', { name: 'トークンを再発行' }).click()
    await expect.poll(() => notice.locator('h3').textContent()).toBe(`機器「${id}」の新しいトークン(一度だけ表示されます)`)
    const second = await notice.locator('code').first().textContent()
    expect(second).toMatch(/^tsd_/)
    expect(second).not.toBe(first)

    await row.getByRole('button', { name: '削除' }).click()
    await expect.poll(() => page.locator('.admin-devices table tbody tr', { hasText: 'Freezer' }).count()).toBe(0)
    expect(watched.problems).toEqual([])
  })

  it('creates a workshop, lists its code and join URL, toggles what outlives it, and prints its QR on one page', async () => {
    const workshops = async (): Promise<Array<{ name: string, keepMembers: boolean, keepData: boolean }>> =>
      (await (await fetch(`${t.hub.httpUrl}/api/admin/workshops`, { headers: { authorization: `Bearer ${t.hub.adminToken}` } })).json()).workshops
    const section = page.locator('.admin-workshops')
    expect(await section.locator('.empty').textContent()).toBe('まだワークショップがありません。')
    expect(await section.locator('.hint').first().textContent()).toContain('TSUDOI_PUBLIC_URL')
    const form = section.locator('form')
    await form.getByLabel('名前').fill('港町 IoT ワークショップ')
    await form.getByLabel('参加数の上限(任意)').fill('25')
    await form.getByLabel('参加者の業種(任意)').selectOption('fishery')
    await form.getByRole('button', { name: '作成' }).click()
    const row = section.locator('table tbody tr', { hasText: '港町 IoT ワークショップ' })
    await row.waitFor()
    const cells = await row.locator('td').allTextContents()
    const code = cells[1]!
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
    expect(await section.locator('.success').textContent()).toBe(`ワークショップ「港町 IoT ワークショップ」を作成しました。参加コード: ${code}`)
    expect(cells[0]).toBe('港町 IoT ワークショップ 漁業')
    expect(cells[2]).toBe('0 / 25')
    expect(cells[3]).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d\d:00$/)
    expect(cells[4]).toBe(`${t.hub.httpUrl}/#/join/${code}コピー`)

    // What outlives the workshop: saved at once (PATCH), as the hub reports.
    const keepMembers = row.getByRole('checkbox', { name: '終了後も参加者を残す: 港町 IoT ワークショップ' })
    const keepData = row.getByRole('checkbox', { name: '終了後もデータを残す: 港町 IoT ワークショップ' })
    expect([await keepMembers.isChecked(), await keepData.isChecked()]).toEqual([false, true])
    await keepMembers.check()
    await expect.poll(async () => (await workshops())[0]).toMatchObject({ keepMembers: true, keepData: true })
    await keepData.uncheck()
    await expect.poll(async () => (await workshops())[0]).toMatchObject({ keepMembers: true, keepData: false })
    await screenshot(page, 'admin-workshops')

    // Chromium's PDF has one page object per page; the long organizer page needs several.
    const pdfPages = async (): Promise<number> =>
      (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0
    expect(await pdfPages()).toBeGreaterThan(1)

    // The printable sheet: the hub's QR image (sent the organizer's cookie), the code, the address.
    await row.getByRole('link', { name: 'QR コードを印刷' }).click()
    await page.getByRole('heading', { level: 1, name: '港町 IoT ワークショップ' }).waitFor()
    const qr = page.locator('img.qr')
    await expect.poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
    expect(await qr.getAttribute('alt')).toBe(`参加用 QR コード(${t.hub.httpUrl}/#/join/${code})`)
    expect(await page.locator('.sheet-code strong').textContent()).toBe(code)
    expect(await page.locator('.sheet-url').textContent()).toBe(`${t.hub.httpUrl}/#/join/${code}`)
    await screenshot(page, 'workshop-sheet')
    // Printed, it is the sheet alone on one A4 page.
    expect(await pdfPages()).toBe(1)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header.site-header').isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: '印刷' }).isVisible()).toBe(false)
    await screenshot(page, 'workshop-sheet-print')
    await page.emulateMedia({ media: 'screen' })
    await page.getByRole('link', { name: '主催者ページに戻る' }).click()
    await page.getByRole('heading', { level: 1, name: '主催者' }).waitFor()
    expect(watched.problems).toEqual([])
  })

  it('fits a 360-px phone (tables scroll inside their own box)', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.reload()
    await expect.poll(() => page.locator('.admin-members table tbody tr').count()).toBe(8)
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'admin-phone')
  })
})
