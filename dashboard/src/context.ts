import type { Session } from './api/schemas.ts'
import type { LiveStream } from './api/stream.ts'

// What every page gets. Pages build their DOM synchronously (a loading state at once, so the
// first view is usable immediately) and fill it in as answers arrive.
export interface AppContext {
  session: Session
  stream: LiveStream
  /** Re-reads the session after signing in or out, reopens the stream, re-renders. */
  refreshSession: () => Promise<void>
  /**
   * Takes a session this page has just opened (an attendee joining a workshop): reopens the
   * stream and redraws the header, but keeps the page, which shows a secret only once.
   */
  adoptSession: (session: Session) => void
}

export interface Page {
  el: HTMLElement
  /** Stops timers, stream listeners and charts when the page is left. */
  dispose: () => void
}

/** `param` is what follows the route in the hash: the code of `#/join/AB12CD`. */
export type PageFactory = (ctx: AppContext, param: string) => Page

/** Collects cleanups so a page's dispose is one call, whatever it set up. */
export class Disposer {
  private readonly cleanups: Array<() => void> = []
  private done = false

  add (cleanup: () => void): void {
    if (this.done) cleanup()
    else this.cleanups.push(cleanup)
  }

  get disposed (): boolean {
    return this.done
  }

  dispose (): void {
    this.done = true
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        cleanup()
      } catch (error) {
        console.error('cleanup failed', error)
      }
    }
  }
}
