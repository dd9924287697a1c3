import { Worker } from 'node:worker_threads'
import { TsudoiError } from '../../errors.ts'

// Requests from the main thread to a store's worker thread (worker-serve.ts on the other side),
// each answered once, by id.

export type WorkerReply =
  | { id: number, ok: true, value?: unknown }
  | { id: number, ok: false, message: string }
  | { ready: true }

interface Pending { resolve: (value: unknown) => void, reject: (error: Error) => void }

export class WorkerChannel<Request extends { op: string }> {
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private failure: Error | undefined

  private constructor (private readonly worker: Worker, private readonly label: string) {}

  /** Starts `module` (a .ts file URL) on a worker thread with `data`, once it says it is ready. */
  static async start<Request extends { op: string }> (module: URL, data: object, label: string): Promise<WorkerChannel<Request>> {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { ...data, module: module.href } })
    const channel = new WorkerChannel<Request>(worker, label)
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerReply) => {
        if ('ready' in message) return resolve()
        const pending = channel.pending.get(message.id)
        channel.pending.delete(message.id)
        if (message.ok) pending?.resolve(message.value)
        else pending?.reject(new TsudoiError('STORE_UNAVAILABLE', message.message))
      })
      worker.once('error', (error) => {
        // Nothing is acknowledged after this: every waiting and later request fails.
        channel.failure = error
        for (const pending of channel.pending.values()) pending.reject(error)
        channel.pending.clear()
        reject(error)
      })
    })
    return channel
  }

  /** Sends a request (moving `transfer`'s buffers, not copying them) and resolves with the worker's answer. */
  request (request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(new TsudoiError('STORE_UNAVAILABLE', `the ${this.label} stopped: ${this.failure.message}`))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...request, id }, transfer)
    })
  }

  /** Lets the worker finish what it was asked (its `close` op), then ends the thread. */
  async close (): Promise<void> {
    if (this.failure === undefined) await this.request({ op: 'close' } as unknown as Request)
    await this.worker.terminate()
  }
}
