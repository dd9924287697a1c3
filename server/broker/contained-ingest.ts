import type { DeviceIdentity } from '../domain/identity.ts'
import type { IngestVerdict } from '../ingest/pipeline.ts'
import type { Refusal } from '../ingest/validate.ts'
import type { Log } from '../log.ts'
import type { HubMetrics } from '../metrics.ts'
import { errorCatalogue } from '../errors.ts'

// Issue 12, item 1: an exception raised while handling one PUBLISH must not leave that packet's
// handler. On aedes' path it would unwind through authorizePublish into the socket's read
// handler; on the fast path through its parse — either way an uncaught exception and the end of
// the process. Contained here, the payload is refused with PROCESSING_FAILED (the device is told
// on its errors topic), the connection is kept, and the acknowledgement still waits its turn.

export interface PublishHandler {
  handle: (device: DeviceIdentity, topic: string, payload: Buffer, qos: number, done: (error: Error | null) => void) => IngestVerdict
}

export interface ContainDeps {
  /** Answers `done` after every publish submitted before it: PUBACKs keep their order [MQTT-4.6.0-2]. */
  committer: { submit: (readings: readonly [], done: (error: Error | null) => void) => void }
  reporter?: { report: (device: DeviceIdentity, topic: string, refusals: readonly Refusal[]) => void }
  metrics: HubMetrics
  log: Log
}

export function containIngest (pipeline: PublishHandler, deps: ContainDeps): PublishHandler {
  const { committer, reporter, metrics, log } = deps
  return {
    handle (device, topic, payload, qos, done) {
      let answered = false
      const answer = (error: Error | null): void => {
        if (answered) return
        answered = true
        done(error)
      }
      try {
        return pipeline.handle(device, topic, payload, qos, answer)
      } catch (error) {
        metrics.handlerFailures.inc({ hook: 'ingest' })
        log.error({ err: error, device: device.id, topic }, 'ingest failed on a payload; refused, connection kept')
        const refusals = [{ code: 'PROCESSING_FAILED' as const, message: errorCatalogue.PROCESSING_FAILED.message }]
        try {
          reporter?.report(device, topic, refusals)
        } catch (reportError) {
          log.error({ err: reportError }, 'could not report PROCESSING_FAILED')
        }
        committer.submit([], () => answer(null))
        return { allowed: false, refusals, kept: 0 }
      }
    }
  }
}
