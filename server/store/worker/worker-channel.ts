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
  private closing = false
  private readonly failureListeners: Array<(error: Error) => void> = []

  private constructor (private readonly worker: Worker, private readonly label: string) {}

  /** Starts `module` (a .ts file URL) on a worker thread with `data`, once it says it is ready. */
  static async start<Request extends { op: string }> (module: URL, data: object, label: string): Promise<WorkerChannel<Request>> {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { ...data, module: module.href } })
    const channel = new WorkerChannel<Request>(worker, label)
    await new Promise<void>((resolve, reject) => {
      channel.onFailure(reject)
      worker.on('message', (message: WorkerReply) => {
        if ('ready' in message) return resolve()
        const pending = channel.pending.get(message.id)
        channel.pending.delete(message.id)
        if (message.ok) pending?.resolve(message.value)
        else pending?.reject(new TsudoiError('STORE_UNAVAILABLE', message.message))
      })
      // A thread that throws, exits or cannot read a message answers nothing more: without
      // these, the requests it held — appends whose PUBACKs wait on them — would wait forever
      // (issue 12, item 10).
      worker.once('error', (error) => channel.fail(error))
      worker.on('messageerror', (error) => channel.fail(error))
      // An exit while closing is the one expected; it still answers whatever was left waiting.
      worker.once('exit', (code) => channel.fail(new Error(`the thread exited with code ${code}`), !channel.closing))
    })
    channel.failureListeners.splice(0) // start's own listener: later failures are the owner's
    return channel
  }

  /** Whether the thread has stopped answering (it threw or exited); every request then fails at once. */
  get failed (): boolean {
    return this.failure !== undefined
  }

  /** Called once if the thread stops answering. */
  onFailure (listener: (error: Error) => void): void {
    this.failureListeners.push(listener)
  }

  /** Sends a request (moving `transfer`'s buffers, not copying them) and resolves with the worker's answer. */
  request (request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(this.unavailable())
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...request, id }, transfer)
    })
  }

  /** Lets the worker finish what it was asked (its `close` op), then ends the thread. */
  async close (): Promise<void> {
    this.closing = true
    if (this.failure === undefined) await this.request({ op: 'close' } as unknown as Request)
    await this.worker.terminate()
  }

  /** Ends the thread at once, as a crash would (for tests of what follows one). */
  async kill (): Promise<void> {
    await this.worker.terminate()
  }

  /** Nothing is answered after this: every waiting and later request fails with STORE_UNAVAILABLE. */
  private fail (error: Error, notify = true): void {
    if (this.failure !== undefined) return
    this.failure = error
    const unavailable = this.unavailable()
    for (const pending of this.pending.values()) pending.reject(unavailable)
    this.pending.clear()
    if (notify) for (const listener of this.failureListeners) listener(error)
  }

  private unavailable (): TsudoiError {
    return new TsudoiError('STORE_UNAVAILABLE', `the ${this.label} stopped: ${this.failure?.message ?? 'unknown'}`)
  }
}
