import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

// The import rule (.dependency-cruiser.cjs, docs/architecture.md "The import rule"), run the
// way `npm run lint:deps` runs it: over the real tree it finds nothing, and over a copy of the
// tree with deliberately wrong imports added it reports each of them, and nothing else.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')

interface Violation { from: string, to: string, rule: { name: string } }
interface Module { source: string, dependencies: Array<{ resolved: string, couldNotResolve: boolean }> }
interface CruiseResult { modules: Module[], summary: { violations: Violation[] } }

/** The arguments of package.json's `lint:deps`, so the test and the script cannot drift apart. */
function lintDepsArgs (): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  const [command, ...args] = (pkg.scripts['lint:deps'] ?? '').split(/\s+/)
  expect(command).toBe('depcruise')
  return args
}

async function cruise (cwd: string): Promise<CruiseResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...lintDepsArgs(), '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 })
  return JSON.parse(stdout) as CruiseResult
}

const edges = (violations: Violation[]): string[] =>
  violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort()

function sourceFiles (dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
}

describe('the import rule', () => {
  it('holds over the real tree, every server and dashboard file cruised', { timeout: 120_000 }, async () => {
    const result = await cruise(ROOT)
    expect(edges(result.summary.violations)).toEqual([])
    // A rule that sees no files passes too: check the cruise read the whole hub and resolved its imports.
    const cruised = new Set(result.modules.map((m) => m.source))
    expect([...sourceFiles('server'), ...sourceFiles('dashboard/src')].filter((file) => !cruised.has(file))).toEqual([])
    const hub = result.modules.find((m) => m.source === 'server/hub.ts')
    expect(hub?.dependencies.some((d) => d.resolved === 'server/http/app.ts' && !d.couldNotResolve)).toBe(true)
  })

  describe('over a copy of the tree with wrong imports added', () => {
    const copy = mkdtempSync(join(tmpdir(), 'tsudoi-architecture-'))
    afterAll(() => rmSync(copy, { recursive: true, force: true }))

    it('reports each wrong import by its rule, and nothing else', { timeout: 120_000 }, async () => {
      for (const path of ['server', 'dashboard/src', 'dashboard/build.mjs', 'device-sim', 'bench', 'scripts', 'test', 'package.json', 'tsconfig.json', '.dependency-cruiser.cjs']) {
        cpSync(join(ROOT, path), join(copy, path), { recursive: true })
      }
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir')
      const wrong: Record<string, string> = {
        // The kernel reaching up into the HTTP side (and so also past the composition root).
        'server/domain/leak.ts': "import { buildHttpApp } from '../http/app.ts'\nexport const app = buildHttpApp\n",
        // The kernel doing I/O.
        'server/domain/reads-files.ts': "import { readFileSync } from 'node:fs'\nexport const read = readFileSync\n",
        // A type-only import still ties the layers: the store may not know the ingest pipeline.
        'server/store/leak.ts': "import type { IngestPipeline } from '../ingest/pipeline.ts'\nexport type P = IngestPipeline\n",
        // ingest/ reaching into the registry, the circle this rule was made to end.
        'server/ingest/leak.ts': "import type { Registry } from '../registry/registry.ts'\nexport type R = Registry\n",
        // The dashboard importing server code, and the contract's values instead of its types.
        'dashboard/src/leak.ts': [
          "import type { Registry } from '../../server/registry/registry.ts'",
          "import { healthSchema } from '../../server/api-schemas/health.ts'",
          'export type R = Registry',
          'export const schema = healthSchema', ''
        ].join('\n'),
        // Allowed: the contract's types.
        'dashboard/src/fine.ts': "import type { Health } from '../../server/api-schemas/health.ts'\nexport type H = Health\n",
        // The composition root imported from inside the hub.
        'server/compare/leak.ts': "import type { Hub } from '../hub.ts'\nexport type H = Hub\n",
        // Two modules importing each other's values; a cycle through a type-only import is fine.
        'server/compare/cycle-a.ts': "import { b } from './cycle-b.ts'\nexport const a = (): number => b + 1\n",
        'server/compare/cycle-b.ts': "import { a } from './cycle-a.ts'\nexport const b = 1\nexport const callA = a\n",
        'server/compare/types-a.ts': "import type { B } from './types-b.ts'\nexport interface A { b?: B }\n",
        'server/compare/types-b.ts': "import type { A } from './types-a.ts'\nexport interface B { a?: A }\n"
      }
      for (const [path, text] of Object.entries(wrong)) writeFileSync(join(copy, path), text)

      const result = await cruise(copy)
      expect(edges(result.summary.violations)).toEqual([
        'dashboard-imports-contract-types-only: dashboard/src/leak.ts → server/api-schemas/health.ts',
        'composition-root-is-not-imported: server/compare/leak.ts → server/hub.ts',
        'dashboard-imports-only-the-api-contract: dashboard/src/leak.ts → server/registry/registry.ts',
        'domain-does-no-io: server/domain/reads-files.ts → fs',
        'domain-imports-no-other-layer: server/domain/leak.ts → server/http/app.ts',
        'http-only-from-the-composition-root: server/domain/leak.ts → server/http/app.ts',
        'ingest-is-below-broker: server/ingest/leak.ts → server/registry/registry.ts',
        'no-runtime-cycle: server/compare/cycle-a.ts → server/compare/cycle-b.ts',
        'store-is-below-ingest: server/store/leak.ts → server/ingest/pipeline.ts'
      ].sort())
    })
  })
})
