import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { z } from 'zod'

// What a --provision run leaves for the next one (`.tsudoi-sim.json`): the credentials the
// hub issued and when the simulated meters started, so a rerun reuses the same members and
// devices and their counters carry on. It holds secrets: written 0600, git-ignored.

const stateSchema = z.object({
  version: z.literal(1),
  /** The hub the credentials belong to. */
  api: z.string().optional(),
  /** Seed → epoch (ms) from which that community's meters count. */
  meterEpochs: z.record(z.string(), z.number()).default({}),
  members: z.record(z.string(), z.object({ name: z.string(), sector: z.string(), accessKey: z.string() })).default({}),
  devices: z.record(z.string(), z.object({ member: z.string(), token: z.string() })).default({})
})

export type SimState = z.infer<typeof stateSchema>

export const emptyState = (api?: string): SimState => ({ version: 1, api, meterEpochs: {}, members: {}, devices: {} })

export class StateFileError extends Error {
  constructor (readonly file: string, message: string) {
    super(`state file ${file}: ${message}`)
    this.name = 'StateFileError'
  }
}

export function loadState (file: string): SimState {
  if (!existsSync(file)) return emptyState()
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new StateFileError(file, `not readable JSON (${(error as Error).message}); delete it to start afresh`)
  }
  const parsed = stateSchema.safeParse(raw)
  if (!parsed.success) throw new StateFileError(file, `unexpected content (${parsed.error.issues[0]?.message ?? 'invalid'}); delete it to start afresh`)
  return parsed.data
}

/** Writes atomically (temporary file, then rename), so an interrupted run never leaves half a file. */
export function saveState (file: string, state: SimState): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
  renameSync(temporary, file)
}
