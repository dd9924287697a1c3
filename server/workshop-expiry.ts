import type { Log } from './log.ts'
import type { Membership } from './membership/membership.ts'
import type { Registry } from './registry/registry.ts'

const CHECK_EVERY_MS = 30_000

/**
 * Carries out the end of workshops: kept members join the community; the others lose their
 * credentials (open sessions closed) and, unless the organizer keeps the data, their readings.
 */
export class WorkshopExpiry {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor (private readonly registry: Registry, private readonly membership: Membership, private readonly log: Log) {}

  start (): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => this.log.error({ err: error }, 'workshop expiry check failed; will retry'))
    }, CHECK_EVERY_MS)
    this.timer.unref()
  }

  stop (): void {
    clearInterval(this.timer)
  }

  /**
   * Ends the workshops that are due. One run at a time: deleting a room's data can outlast
   * the 30 s interval (InfluxDB drops series member by member), and a second run started
   * meanwhile would find the same workshop still due and revoke and delete it again (issue 12,
   * item 10). A call during a run gets that run.
   */
  runOnce (): Promise<void> {
    this.running ??= this.endDue().finally(() => { this.running = undefined })
    return this.running
  }

  private async endDue (): Promise<void> {
    for (const workshop of this.registry.workshops.due()) {
      try {
        const members = this.registry.workshopMembers(workshop.id)
        if (workshop.keepMembers) {
          this.registry.keepWorkshopMembers(workshop.id)
        } else {
          for (const member of members) await this.membership.endWorkshopMember(member.id, { keepData: workshop.keepData })
        }
        this.registry.workshops.markEnded(workshop.id)
        this.log.info({ workshop: workshop.id, members: members.length, keepMembers: workshop.keepMembers, keepData: workshop.keepData }, 'workshop ended')
      } catch (error) {
        this.log.error({ err: error, workshop: workshop.id }, 'could not end workshop; will retry')
      }
    }
  }
}
