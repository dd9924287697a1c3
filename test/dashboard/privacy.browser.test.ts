import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { type DashboardHub, PHONE, noHorizontalScroll, screenshot, watchedPage, withHubAndBrowser } from './fixture.ts'

// Issue 13: the dashboard states what anonymity promises, in Japanese and English, and the
// pages that show comparisons link to it.
describe('privacy page (browser)', () => {
  let t: DashboardHub
  let browser: Browser
  withHubAndBrowser((started) => { ({ t, browser } = started) })

  it('is linked from the community page and states the promise, its mechanism, consent and its limits in Japanese', async () => {
    const context = await browser.newContext(PHONE)
    const { page, problems } = await watchedPage(context)
    await page.goto(`${t.hub.httpUrl}/`)
    await page.getByRole('link', { name: '匿名性が約束すること' }).first().click()
    await page.getByRole('heading', { level: 1, name: '匿名性が約束すること・しないこと' }).waitFor()
    expect(await page.locator('.page.privacy h2').allTextContents()).toEqual(['約束すること', '守り方', '共有をやめたとき', '約束しないこと'])
    expect(await page.locator('.page.privacy').textContent()).toContain('±p % 以内で推定することはできません')
    expect(await page.locator('.page.privacy').textContent()).toContain('差分プライバシーではありません')
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'privacy-ja-phone')
    expect(problems).toEqual([])
    await context.close()
  })

  it('reads in English for an English browser, linked from the compare page', async () => {
    const context = await browser.newContext({ locale: 'en-GB' })
    const page = await context.newPage()
    await page.goto(`${t.hub.httpUrl}/#/compare`)
    await page.getByRole('link', { name: 'What anonymity promises' }).click()
    await page.getByRole('heading', { level: 1, name: 'What anonymity does and does not promise' }).waitFor()
    expect(await page.locator('.page.privacy').textContent()).toContain('to within ±p %')
    await context.close()
  })
})
