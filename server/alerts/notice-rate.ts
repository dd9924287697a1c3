// How many notifications one member's rules may send an hour. A member controls its own
// devices, so it can make a value cross a threshold as often as it likes; without a cap the
// hub's SMTP server, LINE channel and outgoing requests would be anyone's to flood with.
// Past the cap, events are still recorded (the member sees them) but their deliveries are
// `suppressed` with the reason.

export const MAX_NOTICES_PER_MEMBER_PER_HOUR = 60
const HOUR = 3_600_000

export class NoticeRate {
  private readonly windows = new Map<string, { start: number, count: number }>()

  constructor (private readonly max = MAX_NOTICES_PER_MEMBER_PER_HOUR) {}

  /** Counts one notification; returns why it may not be sent, or undefined when it may. */
  take (member: string, now: number): string | undefined {
    let window = this.windows.get(member)
    if (window === undefined || now - window.start >= HOUR) this.windows.set(member, window = { start: now, count: 0 })
    if (window.count >= this.max) return `over ${this.max} notifications an hour for this member; not sent`
    window.count++
    return undefined
  }
}
