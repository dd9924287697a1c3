import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where the organizer's token comes from, for every command-line tool (`tsudoi`, `tsudoi-sim`):
 * a flag, else TSUDOI_ADMIN_TOKEN, else the file the hub writes on first start
 * (server/admin-token.ts) in TSUDOI_DATA_DIR (./data by default). Undefined when none is found;
 * `describeTokenSources` says where it looked.
 */
export function organizerToken (flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (flag !== undefined && flag !== '') return flag
  if (env.TSUDOI_ADMIN_TOKEN !== undefined && env.TSUDOI_ADMIN_TOKEN !== '') return env.TSUDOI_ADMIN_TOKEN
  const file = tokenFile(env)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}

export function tokenFile (env: Record<string, string | undefined>): string {
  return join(env.TSUDOI_DATA_DIR ?? './data', 'admin-token')
}

export function describeTokenSources (flagName: string, env: Record<string, string | undefined>): string {
  return `no organizer token: pass ${flagName}, set TSUDOI_ADMIN_TOKEN, or run from the hub's directory (looked for ${tokenFile(env)})`
}
