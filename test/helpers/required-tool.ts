import { existsSync } from 'node:fs'

/**
 * Whether a system tool a test drives (Debian's mosquitto_pub, chromium…) is installed. Under
 * CI=true a missing one fails the run — the suite must never pass by skipping — and locally the
 * test skips loudly, naming the package to install (.ci/run installs them all).
 */
export function toolAvailable (path: string, debianPackage: string): boolean {
  if (existsSync(path)) return true
  const why = `${path} is missing (Debian: apt-get install ${debianPackage})`
  if (process.env.CI === 'true') throw new Error(`a test needs ${path} and cannot run in CI without it: ${why}`)
  console.warn(`\n!!! SKIPPING tests that need ${path}: ${why} !!!\n`)
  return false
}
