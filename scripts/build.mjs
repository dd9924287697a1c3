// `npm run build`: everything `npm start` runs, as JavaScript — the dashboard bundle, then the
// hub, its worker threads, the CLI and the simulator compiled by tsc into build/ with the
// source's layout (tsconfig.build.json), plus the files tsc does not emit. Incremental: a second
// build with nothing changed takes a few seconds.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDashboard } from '../dashboard/build.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const quiet = process.argv.includes('--quiet')

await buildDashboard({ quiet })
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root })
} catch {
  console.error('build: the hub did not compile (TypeScript errors above)')
  process.exit(1)
}
// Worker entry points are plain .mjs (server/store/worker/worker-entry.mjs); the hub serves the
// dashboard from ../../dashboard/dist beside server/http/, so build/ gets its own copy.
for (const file of readdirSync(join(root, 'server'), { recursive: true }).filter((f) => f.endsWith('.mjs'))) {
  mkdirSync(dirname(join(root, 'build/server', file)), { recursive: true })
  cpSync(join(root, 'server', file), join(root, 'build/server', file))
}
cpSync(join(root, 'dashboard/dist'), join(root, 'build/dashboard/dist'), { recursive: true })
if (!quiet) console.log('hub compiled → build/ (npm start runs build/server/main.js)')
