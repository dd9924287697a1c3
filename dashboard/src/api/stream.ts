import type * as z from 'zod/mini'
import { type CommunityEvent, type ReadingEvent, type Refusal, communityEvent, deviceEvent, readingEvent, refusalSchema } from './schemas.ts'

// One EventSource for the whole app (browsers allow ~6 connections per host over HTTP/1.1,
// so one per chart would starve the API calls). EventSource reconnects by itself after a
// network error, honouring the hub's `retry:`; it gives up only when the hub answers with
// an error status, and then we open a new one after a back-off.
export interface StreamEvents {
  reading: ReadingEvent
  device: z.infer<typeof deviceEvent>
  community: CommunityEvent
  refusal: Refusal
  status: 'open' | 'reconnecting'
}

type Listener<E extends keyof StreamEvents> = (data: StreamEvents[E]) => void
const schemas = { reading: readingEvent, device: deviceEvent, community: communityEvent, refusal: refusalSchema } as const

export class LiveStream {
  private source: EventSource | undefined
  private retryTimer: number | undefined
  private retryMs = 1000
  /** The last connection state, for a view that appears after the event. */
  state: StreamEvents['status'] = 'reconnecting'
  private readonly listeners: { [E in keyof StreamEvents]: Set<Listener<E>> } = {
    reading: new Set(), device: new Set(), community: new Set(), refusal: new Set(), status: new Set()
  }

  constructor (private readonly url = '/api/stream') {}

  /** (Re)opens the stream; call again after signing in or out, since the cookie decides what it carries. */
  open (): void {
    this.close()
    // A new connection carries the session of now: until it opens, nothing of it has arrived.
    if (this.state === 'open') this.emit('status', 'reconnecting')
    const source = new EventSource(this.url)
    this.source = source
    source.onopen = () => {
      this.retryMs = 1000
      this.emit('status', 'open')
    }
    source.onerror = () => {
      this.emit('status', 'reconnecting')
      if (source.readyState === EventSource.CLOSED) this.scheduleRetry()
    }
    for (const name of Object.keys(schemas) as Array<keyof typeof schemas>) {
      source.addEventListener(name, (event) => this.dispatch(name, (event as MessageEvent<string>).data))
    }
  }

  close (): void {
    window.clearTimeout(this.retryTimer)
    this.source?.close()
    this.source = undefined
  }

  on<E extends keyof StreamEvents> (event: E, listener: Listener<E>): () => void {
    this.listeners[event].add(listener)
    return () => { this.listeners[event].delete(listener) }
  }

  private dispatch (name: keyof typeof schemas, text: string): void {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return
    }
    const parsed = schemas[name].safeParse(json)
    if (parsed.success) this.emit(name, parsed.data as StreamEvents[typeof name])
  }

  private emit<E extends keyof StreamEvents> (event: E, data: StreamEvents[E]): void {
    if (event === 'status') this.state = data as StreamEvents['status']
    // A listener that throws (a chart torn down mid-update) must not silence the others.
    for (const listener of this.listeners[event]) {
      try {
        listener(data)
      } catch (error) {
        console.error(`live ${event} listener failed`, error)
      }
    }
  }

  private scheduleRetry (): void {
    window.clearTimeout(this.retryTimer)
    this.retryTimer = window.setTimeout(() => this.open(), this.retryMs)
    this.retryMs = Math.min(this.retryMs * 2, 30_000)
  }
}
