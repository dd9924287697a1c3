// Bundles the dashboard into dashboard/dist/ (index.html, app.js, app.css), which the hub
// serves at `/` under a CSP without inline scripts or styles. Prints the bundle size and
// fails above the budget (README.md: 150 KB gzip).
import { realpathSync } from 'node:fs'
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))
const dist = `${here}dist`
const BUDGET_GZIP = 150 * 1024

/** Builds into a scratch folder and renames files into place, so a hub serving dist/ never sends half a file. */
export async function buildDashboard ({ quiet = false } = {}) {
  const scratch = `${here}.dist-${process.pid}-${Date.now()}`
  await mkdir(scratch, { recursive: true })
  try {
    await build({
      entryPoints: [{ in: `${here}src/main.ts`, out: 'app' }, { in: `${here}src/app.css`, out: 'app' }],
      outdir: scratch,
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
      legalComments: 'none',
      logLevel: 'warning'
    })
    for (const file of ['index.html', 'favicon.svg']) await copyFile(`${here}src/${file}`, `${scratch}/${file}`)
    await mkdir(dist, { recursive: true })
    const sizes = {}
    for (const file of ['index.html', 'favicon.svg', 'app.js', 'app.css']) {
      const bytes = await readFile(`${scratch}/${file}`)
      sizes[file] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
      await rename(`${scratch}/${file}`, `${dist}/${file}`)
    }
    const total = Object.values(sizes).reduce((sum, s) => ({ raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip }), { raw: 0, gzip: 0 })
    if (!quiet) {
      for (const [file, s] of Object.entries(sizes)) console.log(`  ${file.padEnd(11)} ${kb(s.raw).padStart(9)} raw  ${kb(s.gzip).padStart(9)} gzip`)
      console.log(`dashboard bundle: ${kb(total.raw)} raw, ${kb(total.gzip)} gzip (budget ${kb(BUDGET_GZIP)} gzip) → ${dist}`)
    }
    if (total.gzip > BUDGET_GZIP) throw new Error(`dashboard bundle is ${kb(total.gzip)} gzip, over the ${kb(BUDGET_GZIP)} budget`)
    return { dist, sizes, total }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

// Run as a script (npm run build:dashboard), not when imported by the browser tests.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildDashboard()
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  }
}
