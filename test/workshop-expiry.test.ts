import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReadingStore } from '../server/store/reading-store.ts'
import { SqliteReadingStore } from '../server/store/sqlite/store.ts'
import { type TestHub, startTestHub } from './helpers/hub.ts'

// Issue 12, item 10: the workshop-expiry job could overlap itself. Deleting a room's data can
// take longer than the 30 s check interval; a second run meanwhile found the same workshop
// still due and revoked and deleted every member again. A run during a run now gets that run.
describe('workshop expiry', () => {
  let t: TestHub
  let skipped = 0
  const clock = (): number => Date.now() + skipped
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-expiry-'))
  const deletions: string[] = []
  let release: () => void = () => {}
  let deletionStarted: () => void = () => {}

  beforeAll(async () => {
    const real = new SqliteReadingStore(join(dir, 'readings.db'), 'normal')
    // The real store, with a deletion that waits until the test lets it finish.
    const slow: ReadingStore = new Proxy(real, {
      get (target, property, receiver) {
        if (property === 'deleteMember') {
          return async (member: string) => {
            deletions.push(member)
            deletionStarted()
            await new Promise<void>((resolve) => { release = resolve })
            await target.deleteMember(member)
          }
        }
        const value = Reflect.get(target, property, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
    t = await startTestHub({}, { clock, store: slow })
  })
  afterAll(async () => {
    await t?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('never runs twice at once: one revocation and one deletion per member', async () => {
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Overlap', expiresAt: clock() + 60_000, keepData: false })).body
    const attendee = (await t.api('/api/join', { body: { code: workshop.code, name: 'Slow shop', sector: 'office' } })).body
    const revoked: string[] = []
    const off = t.hub.bus.on('deviceRevoked', (id) => { revoked.push(id) })
    skipped += 120_000
    const started = new Promise<void>((resolve) => { deletionStarted = resolve })
    const first = t.hub.workshopExpiry.runOnce()
    await started
    const second = t.hub.workshopExpiry.runOnce() // as the 30 s timer would, mid-deletion
    release()
    await Promise.all([first, second])
    expect(deletions).toEqual([attendee.member.id])
    expect(revoked).toEqual([attendee.device.id])
    expect(t.hub.registry.workshops.due()).toEqual([])
    off()
  })
})
