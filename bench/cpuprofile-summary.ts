import { readFileSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

// Summarises a V8 .cpuprofile (node --cpu-prof) by self time: the top functions, and the same
// time grouped by where the code lives (a package in node_modules, a folder of server/, node
// internals, GC, idle). Usage: npx tsx bench/cpuprofile-summary.ts <file.cpuprofile>… [--top 25]
// (`npm run bench -- --profile` writes the hub's profiles to bench/results/profiles/.)
// Line numbers are given for plain JavaScript only: TypeScript run through tsx is profiled as
// its transpiled output, whose lines do not match the source.

interface CallFrame { functionName: string, url: string, lineNumber: number, columnNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame }
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

function where (url: string): string {
  if (url === '') return '(native / V8)'
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules) return modules[1]!
  if (url.startsWith('node:')) return 'node internals'
  const local = /\/(server|bench|dashboard|device-sim)\/(?:([^/]+)\/)?/.exec(url)
  if (local) return local[2] !== undefined && !local[2].includes('.') ? `${local[1]}/${local[2]}` : local[1]!
  return url.replace(/^file:\/\//, '')
}

export function summarizeProfile (file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  // Self time: each sample's time delta belongs to the function on top of the stack.
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0)))
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const functions = new Map<string, number>()
  const places = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName
    const shortUrl = frame.url.replace(/^file:\/\/.*?\/(node_modules|server|bench|dashboard)\//, '$1/')
    const line = frame.url.endsWith('.ts') ? '' : `:${frame.lineNumber + 1}`
    const key = frame.url === '' ? name : `${name}  ${shortUrl}${line}`
    functions.set(key, (functions.get(key) ?? 0) + us)
    const place = frame.url === '' && name.startsWith('(') ? name : where(frame.url)
    places.set(place, (places.get(place) ?? 0) + us)
  }
  const row = (us: number, label: string): string => `${(us / 1000).toFixed(0).padStart(8)} ms ${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${label}`
  return [
    `${file}: ${(totalUs / 1e6).toFixed(1)} s sampled`,
    '',
    `Top ${top} functions by self time:`,
    ...[...functions].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, us]) => row(us, key)),
    '',
    'Self time by where the code lives:',
    ...[...places].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, us]) => row(us, key))
  ].join('\n')
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } })
  if (positionals.length === 0) {
    console.error('usage: npx tsx bench/cpuprofile-summary.ts <file.cpuprofile>… [--top N]')
    process.exit(64)
  }
  for (const file of positionals) console.log(`${summarizeProfile(file, Number(values.top))}\n`)
}
