import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

// The project runs on the Node.js these machines have (20) and on the current LTS lines (22,
// 24): no installed package may declare an `engines.node` that leaves one of them out
// (`npm ci` warns EBADENGINE, and such a package may use APIs the older Node lacks).
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[], dev?: boolean }> }
// The oldest of each line is what vitest's bundler (rolldown) needs: 20.19 and 22.13.
const SUPPORTED = ['20.19.0', '20.20.2', '22.13.0', '22.21.0', '24.0.0', '24.11.0']

describe('Node.js versions', () => {
  it('the project declares 20, 22 and 24', () => {
    for (const version of SUPPORTED) expect(semver.satisfies(version, pkg.engines.node), version).toBe(true)
  })

  it('no package in the lock file excludes one of them', () => {
    const excluding = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
      if (path === '' || range === undefined) return []
      const left = SUPPORTED.filter((version) => !semver.satisfies(version, range))
      return left.length === 0 ? [] : [`${path} (engines.node ${range}) excludes ${left.join(', ')}`]
    })
    expect(excluding).toEqual([])
  })
})
