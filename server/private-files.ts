import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs'

// The data dir (TSUDOI_DATA_DIR) holds the session-signing key and credential hashes
// (registry.db), the admin token, and every member's raw readings: nobody but the account
// the hub runs as may read it (issue 12, item 7).
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** What ensurePrivateDir did; `tightenedFrom` (the old mode) is worth a log line. */
export interface PrivateDir { created: boolean, tightenedFrom?: number }

/** Creates `dir` (and missing parents) 0700, or takes group and other access away from an existing one. */
export function ensurePrivateDir (dir: string): PrivateDir {
  const existed = existsSync(dir)
  if (!existed) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  const mode = statSync(dir).mode & 0o777
  if (mode === PRIVATE_DIR_MODE) return { created: !existed }
  chmodSync(dir, PRIVATE_DIR_MODE)
  return existed ? { created: false, tightenedFrom: mode } : { created: true }
}

/**
 * Makes sure an SQLite database file is 0600 before SQLite opens it: creates it empty (SQLite
 * takes an empty file for a new database) or tightens it, and tightens its -wal and -shm files
 * when a previous run left them. SQLite creates -wal and -shm with the mode of the database
 * file itself (os_unix.c, findCreateFileMode and unixOpenSharedMemory), so they follow.
 */
export function ensurePrivateDatabaseFile (file: string): void {
  // In-memory and temporary databases (':memory:', '') and URIs have no file of their own here.
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE))
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(path)
}

/** Takes group and other access away from `path`, if it exists and has any. */
export function tighten (path: string): void {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
