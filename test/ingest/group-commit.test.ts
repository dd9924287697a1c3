import { describe, expect, it } from 'vitest'
import { GroupCommitter } from '../../server/ingest/group-commit.ts'
import type { Reading } from '../../server/domain/reading.ts'

const reading = (value: number): Reading => ({ time: value, member: 'm', device: 'd', sector: 'retail', metric: 'power', value })

/** Timers the test fires by hand. */
function manualTimers () {
  const due: Array<() => void> = []
  return { timers: { setTimeout: (fn: () => void) => { due.push(fn) }, now: () => 0 }, fire: () => due.splice(0).forEach((fn) => fn()) }
}

describe('group commit', () => {
  it('writes what arrives within the window as one batch and answers in arrival order', async () => {
    const writes: number[][] = []
    const { timers, fire } = manualTimers()
    const committer = new GroupCommitter(async (batch) => { writes.push(batch.map((r) => r.value)) }, 5, () => {}, 1000, timers)
    const answered: number[] = []
    committer.submit([reading(1), reading(2)], () => answered.push(1))
    committer.submit([], () => answered.push(2))
    committer.submit([reading(3)], () => answered.push(3))
    expect(writes).toEqual([])
    fire()
    await committer.idle()
    expect(writes).toEqual([[1, 2, 3]])
    expect(answered).toEqual([1, 2, 3])
  })

  it('does not answer before the write has finished', async () => {
    let finish!: () => void
    const { timers, fire } = manualTimers()
    const committer = new GroupCommitter(() => new Promise<void>((resolve) => { finish = resolve }), 5, () => {}, 1000, timers)
    let answered = false
    committer.submit([reading(1)], () => { answered = true })
    fire()
    await Promise.resolve()
    expect(answered).toBe(false)
    finish()
    await committer.idle()
    expect(answered).toBe(true)
  })

  it('gathers what arrives during a write into the next batch', async () => {
    const writes: number[][] = []
    let finish!: () => void
    const { timers, fire } = manualTimers()
    const committer = new GroupCommitter(async (batch) => {
      writes.push(batch.map((r) => r.value))
      if (writes.length === 1) await new Promise<void>((resolve) => { finish = resolve })
    }, 5, () => {}, 1000, timers)
    committer.submit([reading(1)], () => {})
    fire()
    await Promise.resolve()
    committer.submit([reading(2)], () => {})
    committer.submit([reading(3)], () => {})
    finish()
    await committer.idle()
    expect(writes).toEqual([[1], [2, 3]])
  })

  it('passes a failed write\'s error to every waiter of that batch, and recovers', async () => {
    let fail = true
    const { timers, fire } = manualTimers()
    const committer = new GroupCommitter(async () => { if (fail) throw new Error('disk full') }, 5, () => {}, 1000, timers)
    const results: Array<string | null> = []
    committer.submit([reading(1)], (e) => results.push(e?.message ?? null))
    committer.submit([reading(2)], (e) => results.push(e?.message ?? null))
    fire()
    await committer.idle()
    fail = false
    committer.submit([reading(3)], (e) => results.push(e?.message ?? null))
    fire()
    await committer.idle()
    expect(results).toEqual(['disk full', 'disk full', null])
  })

  it('flushes at once when a batch reaches its maximum size', async () => {
    const writes: number[] = []
    const { timers } = manualTimers()
    const committer = new GroupCommitter(async (batch) => { writes.push(batch.length) }, 1000, () => {}, 3, timers)
    committer.submit([reading(1), reading(2), reading(3)], () => {})
    await committer.idle()
    expect(writes).toEqual([3])
  })
})
