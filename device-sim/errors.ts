// Why a simulation could not run at all. The CLI exits non-zero on each (2), and the demo
// and tests match on the code.
export type SimulationErrorCode = 'INVALID_OPTIONS' | 'STATE_FILE' | 'PROVISION_FAILED' | 'NO_CREDENTIALS' | 'CONNECT_FAILED'

export class SimulationError extends Error {
  constructor (readonly code: SimulationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SimulationError'
  }
}
