import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { buildDashboard } from '../../dashboard/build.mjs'
import { loadConfig } from '../../server/config.ts'
import { createHub } from '../../server/hub.ts'

// A real hub with a small community, for the dashboard's browser tests:
// - five restaurants (floor area and seats given): rest-1 … rest-5. rest-3…5 reported only in
//   the last 12 hours, so the first 12 hours of the restaurant comparison have 2 members and
//   are suppressed, the last 12 have 5 (a mean and its interval: no median under 10 members);
// - two ryokan (accommodation): never k members, so every accommodation bucket is suppressed,
//   and in the last 12 hours "all sectors" too (secondary suppression: all − restaurants
//   would be the two ryokan); in the first 12, "all" holds 4 and is shown.
// The hub releases every closed hour at once (no grace): comparisons are served from releases.
// Each member sends two readings per hour whose values nobody else may ever see (`raw`); only
// the hourly means reach the comparison.
export const HOUR = 3_600_000
export const SCREENSHOTS = join(process.cwd(), 'test-results')

export interface TestMember {
  id: string
  name: string
  sector: string
  accessKey: string
  device: { id: string, name: string, token: string, topic: string }
  /** Every value this member published, as JSON prints it. */
  raw: string[]
}

const plan = [
  { id: 'rest-1', name: '食堂いちばん', sector: 'restaurant', hours: 24, floorArea: 80, seats: 30 },
  { id: 'rest-2', name: 'Secret Bistro Deux', sector: 'restaurant', hours: 24, floorArea: 120, seats: 50 },
  { id: 'rest-3', name: '喫茶みつば', sector: 'restaurant', hours: 12, floorArea: 40, seats: 16 },
  { id: 'rest-4', name: 'Ramen Yotsuya', sector: 'restaurant', hours: 12, floorArea: 60, seats: 20 },
  { id: 'rest-5', name: 'Cafe Itsutsu', sector: 'restaurant', hours: 12, floorArea: 95, seats: 36 },
  { id: 'ryokan-1', name: '旅館ひのき', sector: 'accommodation', hours: 24, rooms: 12 },
  { id: 'ryokan-2', name: 'Onsen Futaba', sector: 'accommodation', hours: 24, rooms: 8 }
] as const

const round3 = (x: number): number => Number(x.toFixed(3))

export async function startDashboardHub () {
  await buildDashboard({ quiet: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-dash-'))
  const hub = createHub(loadConfig({
    TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_LOG_LEVEL: 'silent',
    TSUDOI_RELEASE_GRACE: '0s'
  }))
  await hub.start()
  // The admin API's JSON, read for a few known fields (accessKey, token, mqtt.topic) below.
  const admin = async (path: string, body?: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(`${hub.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
    return response.json()
  }

  const members: TestMember[] = []
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR
  for (const [i, p] of plan.entries()) {
    const { hours, ...fields } = p
    const m = await admin('/api/admin/members', fields)
    const d = await admin('/api/admin/devices', { member: p.id, name: `${p.name} センサー`, id: `${p.id}-sensor` })
    const readings: Array<Record<string, number>> = []
    // Hour buckets before the current one: the current hour stays free for live readings.
    for (let h = 1; h <= hours; h++) {
      const start = thisHour - h * HOUR
      const temperature = 19 + i * 0.9 + (h % 5) * 0.4
      const power = 900 + i * 173 + (h % 7) * 31
      for (const [offset, sign] of [[10, -1], [40, 1]] as const) {
        readings.push({ ts: start + offset * 60_000, temperature: round3(temperature + sign * 0.137 * (i + 1)), power: round3(power + sign * 11.713 * (i + 1)) })
      }
    }
    members.push({
      id: p.id, name: p.name, sector: p.sector, accessKey: m.accessKey,
      device: { id: d.id, name: d.name, token: d.token, topic: d.mqtt.topic },
      raw: readings.flatMap((r) => [String(r.temperature), String(r.power)])
    })
    await publish(hub.mqttUrl, members[members.length - 1]!, readings)
  }
  await hub.releaser.runOnce()

  return {
    hub,
    members,
    member: (id: string): TestMember => members.find((m) => m.id === id)!,
    stop: async () => {
      await hub.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export type DashboardHub = Awaited<ReturnType<typeof startDashboardHub>>

/** Publishes as the member's device (QoS 1: resolved once the hub has the readings durably). */
export async function publish (mqttUrl: string, member: TestMember, payload: unknown, keepOpen = false): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync(mqttUrl, { username: member.device.id, password: member.device.token, clientId: `${member.device.id}-${Date.now()}`, reconnectPeriod: 0 })
  await client.publishAsync(member.device.topic, JSON.stringify(payload), { qos: 1 })
  if (!keepOpen) await client.endAsync()
  return client
}

/** The screens the tests look through: an organizer's or member's desktop, and an attendee's phone. */
export const DESKTOP: BrowserContextOptions = { locale: 'ja-JP', viewport: { width: 1280, height: 900 } }
export const PHONE: BrowserContextOptions = { locale: 'ja-JP', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

export interface HubAndBrowser { t: DashboardHub, browser: Browser }

/**
 * The hooks of every browser test file: before its tests, the seeded hub and a headless
 * Chromium (building and seeding take a while), handed to `ready`, which may open more; after
 * them, both closed, however far the start got.
 */
export function withHubAndBrowser (ready: (started: HubAndBrowser) => void | Promise<void>): void {
  let t: DashboardHub | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    t = await startDashboardHub()
    browser = await launchBrowser()
    await ready({ t, browser })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await t?.stop()
  })
}

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchBrowser (): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
  })
}

export interface Watched {
  page: Page
  /** Console errors and CSP violations seen so far. */
  problems: string[]
  /** Bodies of every API response (JSON, CSV) and every live-stream event the page received. */
  traffic: () => Promise<string>
}

/**
 * A page that records what a privacy or CSP check needs: API response bodies, the data of
 * every SSE event (EventSource wrapped by an init script, which the CSP does not apply to),
 * console errors and securitypolicyviolation events.
 */
export async function watchedPage (context: BrowserContext): Promise<Watched> {
  const page = await context.newPage()
  const problems: string[] = []
  const bodies: Array<Promise<string>> = []
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __sse: string[] }).__sse = seen
    const Original = window.EventSource
    window.EventSource = class extends Original {
      constructor (url: string | URL, init?: EventSourceInit) {
        super(url, init)
        for (const name of ['reading', 'device', 'community', 'refusal']) {
          this.addEventListener(name, (event) => seen.push((event as MessageEvent<string>).data))
        }
      }
    }
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`))
  })
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()) })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? ''
    if (!response.url().includes('/api/') || type.includes('event-stream')) return
    bodies.push(response.text().catch(() => ''))
  })
  return {
    page,
    problems,
    traffic: async () => [...await Promise.all(bodies), ...await page.evaluate(() => (window as unknown as { __sse: string[] }).__sse)].join('\n')
  }
}

export async function screenshot (page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** True when nothing on the page is wider than the viewport (no horizontal scrolling). */
export const noHorizontalScroll = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)

/** Pixels of a canvas close to an RGB colour (each channel within `tolerance`): proof a line was actually drawn. */
export const pixelsOfColour = (page: Page, selector: string, rgb: [number, number, number], tolerance = 30): Promise<number> =>
  page.locator(selector).first().evaluate((canvas, [r, g, b, tolerance]: [number, number, number, number]) => {
    const c = canvas as HTMLCanvasElement
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - r) < tolerance && Math.abs(data[i + 1]! - g) < tolerance && Math.abs(data[i + 2]! - b) < tolerance && data[i + 3]! > 200) n++
    }
    return n
  }, [...rgb, tolerance] as [number, number, number, number])
