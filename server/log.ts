import { pino, type Logger } from 'pino'

// One structured logger for the whole hub; every part takes a namespaced child
// (`tsudoi:ingest`, `tsudoi:broker`, …) so a reader can filter by concern.
export type Log = Logger

export function createRootLogger (level: string): Log {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime })
}

export function child (root: Log, namespace: string): Log {
  return root.child({ ns: `tsudoi:${namespace}` })
}
