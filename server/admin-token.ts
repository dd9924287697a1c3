import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tighten } from './private-files.ts'
import { newSecret } from './registry/credentials.ts'

/**
 * The organizer's token: TSUDOI_ADMIN_TOKEN when set; otherwise generated on first start
 * and kept in the data dir (mode 0600) so it survives restarts. `generated` tells the
 * entry point to print it, once.
 */
export function resolveAdminToken (dataDir: string, fromEnv: string | undefined): { token: string, generated: boolean } {
  if (fromEnv !== undefined) return { token: fromEnv, generated: false }
  const file = join(dataDir, 'admin-token')
  if (existsSync(file)) {
    tighten(file)
    return { token: readFileSync(file, 'utf8').trim(), generated: false }
  }
  const token = newSecret('tsa')
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return { token, generated: true }
}
