import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { ThreadedSqliteStore } from '../../server/store/sqlite/threaded-store.ts'
import { readingStoreContract } from './reading-store.contract.ts'

// The embedded store as the hub runs it: writes on a worker thread, reads on the main thread.
const dir = mkdtempSync(join(tmpdir(), 'tsudoi-sqlite-threaded-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

readingStoreContract('ThreadedSqliteStore', {
  async create () {
    const store = new ThreadedSqliteStore({ file: join(dir, `readings-${++n}.db`), synchronous: 'normal' })
    await store.open()
    return store
  }
})
