import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from '../lib/hub-process.ts'
import type { ResultLog } from '../lib/results.ts'
import { withSpread } from '../lib/stats.ts'
import type { Report } from '../lib/table.ts'

// Measurement 6: the dashboard's JavaScript size (gzip) and the time until the community page
// has drawn its first chart in headless Chromium, against a hub holding the query data set.

const DIST = join(ROOT, 'dashboard/dist')
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'

/** `npm run build:dashboard`; returns why it could not, if so. */
export function buildDashboard (): string | undefined {
  if (!existsSync(join(ROOT, 'dashboard/build.mjs'))) return 'dashboard/ has no build script'
  const build = spawnSync('npm', ['run', '--silent', 'build:dashboard'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  if (build.status !== 0) return `npm run build:dashboard failed: ${(build.stderr + build.stdout).trim().slice(0, 400)}`
  return undefined
}

export interface BundleSize { files: Array<{ file: string, raw: number, gzip: number }>, jsGzip: number }

export function bundleSize (): BundleSize | undefined {
  if (!existsSync(DIST)) return undefined
  const files = readdirSync(DIST).filter((f) => f.endsWith('.js')).map((file) => {
    const bytes = readFileSync(join(DIST, file))
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
  })
  return { files, jsGzip: files.reduce((sum, f) => sum + f.gzip, 0) }
}

export interface DashboardOutcome { bundle?: BundleSize, firstChartMs: number[], charts: number[], skipped?: string }

/** Times a cold load of `#/` (new browser context each time) until a canvas has a non-zero size. */
export async function firstChart (httpUrl: string, repeats: number): Promise<{ ms: number[], charts: number[] }> {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  const ms: number[] = []
  const charts: number[] = []
  try {
    for (let i = 0; i < repeats + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      await page.goto(`${httpUrl}/#/`, { waitUntil: 'commit' })
      // Measured in the page, from navigation start: no Playwright round trip in the number.
      const handle = await page.waitForFunction(() => {
        const drawn = [...document.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0 && c.getBoundingClientRect().width > 0)
        return drawn.length > 0 ? { at: performance.now(), drawn: drawn.length } : false
      }, undefined, { polling: 'raf', timeout: 30_000 })
      const { at, drawn } = await handle.jsonValue() as { at: number, drawn: number }
      // The first load warms the hub (and the OS page cache); it is not counted.
      if (i > 0) { ms.push(at); charts.push(drawn) }
      await context.close()
    }
  } finally {
    await browser.close()
  }
  return { ms, charts }
}

export async function measureDashboard (httpUrl: string, repeats: number, buildProblem: string | undefined, report: Report, log: ResultLog): Promise<DashboardOutcome> {
  console.log('\n▶ dashboard: bundle size and first chart in headless Chromium')
  if (buildProblem !== undefined) report.notice(`dashboard: ${buildProblem}${existsSync(DIST) ? ' (measuring the dist/ already there)' : ''}`)
  const bundle = bundleSize()
  if (bundle === undefined) {
    report.notice('dashboard skipped: dashboard/dist is not built')
    return { firstChartMs: [], charts: [], skipped: 'not built' }
  }
  if (!existsSync(CHROMIUM)) {
    report.notice(`first-chart time skipped: no Chromium at ${CHROMIUM}`)
    return { bundle, firstChartMs: [], charts: [], skipped: 'no chromium' }
  }
  let timing: { ms: number[], charts: number[] } = { ms: [], charts: [] }
  try {
    timing = await firstChart(httpUrl, repeats)
  } catch (error) {
    report.notice(`first-chart time failed: ${(error as Error).message.split('\n')[0]}`)
  }
  log.write('dashboard', { bundle, firstChartMs: timing.ms, charts: timing.charts })
  report.table('Dashboard', ['measure', 'value'], [
    ...bundle.files.map((f) => [`${f.file} (gzip)`, `${(f.gzip / 1024).toFixed(1)} KB (raw ${(f.raw / 1024).toFixed(1)} KB)`]),
    ['all JS, gzip', `${(bundle.jsGzip / 1024).toFixed(1)} KB`],
    [`community page → first chart drawn, cold context (ms), ${timing.ms.length} loads`, withSpread(timing.ms, 0)],
    ['charts drawn at that moment', withSpread(timing.charts, 0)]
  ])
  return { bundle, firstChartMs: timing.ms, charts: timing.charts }
}
