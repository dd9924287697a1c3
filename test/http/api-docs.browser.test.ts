import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../dashboard/fixture.ts'
import { type TestHub, startTestHub } from '../helpers/hub.ts'

// Swagger UI at /api/docs, in Debian's headless Chromium against a real hub: it renders the
// operations of /api/openapi.json from assets the hub serves itself. Every request the page
// makes is intercepted: one that would leave the hub (a CDN, validator.swagger.io, a font)
// is recorded and refused, so the page must work offline, as on a workshop's LAN.

describe('API docs page (browser)', () => {
  let t: TestHub
  let browser: Browser

  beforeAll(async () => {
    t = await startTestHub()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.stop()
  })

  it('lists the routes, signed out, with nothing fetched from anywhere but the hub', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const hubOrigin = new URL(t.hub.httpUrl).origin
    const elsewhere: string[] = []
    const fromHub: string[] = []
    await context.route('**/*', async (route) => {
      const url = route.request().url()
      if (url.startsWith(`${hubOrigin}/`) || url.startsWith('data:')) {
        fromHub.push(new URL(url).pathname)
        return route.continue()
      }
      elsewhere.push(url)
      return route.abort()
    })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()) })

    await page.goto(`${t.hub.httpUrl}/api/docs`)
    await page.locator('.opblock').first().waitFor()
    const paths = await page.locator('.opblock .opblock-summary-path').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-path')))
    const methods = await page.locator('.opblock .opblock-summary-method').allTextContents()
    // An operation with two tags (the live stream: member and community) is shown under each.
    const operations = [...new Set(methods.map((method, i) => `${method} ${paths[i]}`))].sort()

    const document = (await t.api('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> }
    const expected = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)).sort()
    expect(operations).toEqual(expected)
    expect(operations).toEqual(expect.arrayContaining(['GET /api/compare', 'POST /api/join', 'GET /api/me/readings', 'POST /api/admin/members']))
    expect(await page.locator('.info .title').textContent()).toMatch(/^Tsudoi HTTP API/)

    // The page's script, styles and the document itself all came from the hub.
    expect(fromHub).toEqual(expect.arrayContaining(['/api/docs/static/swagger-ui-bundle.js', '/api/docs/static/swagger-ui.css', '/api/docs/json']))
    expect(elsewhere).toEqual([])
    expect(problems).toEqual([])
    await context.close()
  })
})
