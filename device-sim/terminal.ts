import type { SimEvent } from './simulation.ts'
import type { StatusLine } from './status.ts'

// What the two commands that run a simulation in a terminal (cli.ts, demo.ts) share.

type Provisioned = Extract<SimEvent, { type: 'provisioned' }>

/**
 * Ctrl-C or SIGTERM says `message` above the status line and aborts the returned signal; a
 * second one exits at once. `release` takes the handlers off again.
 *
 * A terminal's Ctrl-C goes to the whole process group: under `npm run demo` the process gets it
 * from the terminal and once more from tsx, which relays its own copy to its child. Signals
 * within `sameWithinMs` of the first are that one Ctrl-C, not a second.
 */
export function stopOnSignals (line: StatusLine, message: string, sameWithinMs = 1000, now: () => number = () => performance.now()): { signal: AbortSignal, release: () => void } {
  const controller = new AbortController()
  let first: number | undefined
  const stop = (): void => {
    if (first !== undefined) {
      if (now() - first > sameWithinMs) process.exit(130) // a second Ctrl-C means now
      return
    }
    first = now()
    line.note(message)
    controller.abort()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }
  }
}

/** Shows the simulation's status and warnings on the line; what to say once provisioned is each command's own. */
export function showEvents (line: StatusLine, onProvisioned: (event: Provisioned) => void): (event: SimEvent) => void {
  return (event) => {
    if (event.type === 'status') line.update(event.status)
    else if (event.type === 'warning') line.note(`warning: ${event.message}`)
    else if (event.type === 'provisioned') onProvisioned(event)
  }
}
