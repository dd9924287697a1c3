import { parentPort } from 'node:worker_threads'
import type { WorkerReply } from './worker-channel.ts'

/**
 * The worker's side of WorkerChannel: answers each request with what `handle` returns (or the
 * error it throws), one at a time in arrival order, and says when it is ready. After the
 * `close` op is answered the port closes.
 */
export function serveRequests<Request extends { op: string, id: number }> (handle: (request: Request) => unknown): void {
  const port = parentPort!
  const reply = (message: WorkerReply): void => port.postMessage(message)
  let queue = Promise.resolve()
  port.on('message', (request: Request) => {
    queue = queue.then(async () => {
      try {
        const value = await handle(request)
        reply(value === undefined ? { id: request.id, ok: true } : { id: request.id, ok: true, value })
      } catch (error) {
        reply({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) })
      }
      if (request.op === 'close') port.close()
    })
  })
  reply({ ready: true })
}
