import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { SqliteReadingStore } from '../../server/store/sqlite/store.ts'
import { readingStoreContract } from './reading-store.contract.ts'

const dir = mkdtempSync(join(tmpdir(), 'tsudoi-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

readingStoreContract('SqliteReadingStore', {
  async create () {
    // synchronous=normal: the contract is about results, not fsync; it keeps the suite fast.
    const store = new SqliteReadingStore(join(dir, `readings-${++n}.db`), 'normal')
    await store.open()
    return store
  }
})
