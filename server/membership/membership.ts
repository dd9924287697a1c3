import type { EventBus } from '../event-bus.ts'
import { TsudoiError } from '../errors.ts'
import type { Registry } from '../registry/registry.ts'
import type { ReadingStore } from '../store/reading-store.ts'

export interface MembershipDeps {
  registry: Registry
  store: ReadingStore
  bus: EventBus
  /** Resolves once every reading already acknowledged has reached the store (the group committer is idle). */
  settled: () => Promise<void>
}

/**
 * The life cycle of members and devices, in one place for the admin API and the workshop
 * expiry job, so that each ends the same way whoever asks.
 *
 * Removing a member with its readings, in this order:
 *   1. the registry row goes (with its devices' credentials and its dashboard sessions), and the
 *      devices' open connections are closed: nothing new can arrive for it;
 *   2. readings acknowledged just before are let through the group commit;
 *   3. its readings are purged (embedded store, or InfluxDB and the durable queue).
 * A purge that fails leaves a member that no longer exists with readings: the same request again
 * finds no member and purges what is left, so a retry always finishes the job (it used to answer
 * 404 and leave the readings with no way to delete them).
 */
export class Membership {
  constructor (private readonly deps: MembershipDeps) {}

  async removeMember (id: string, options: { purge: boolean }): Promise<void> {
    const { registry, store } = this.deps
    if (registry.member(id) === undefined) {
      if (!options.purge) throw new TsudoiError('NOT_FOUND', `member ${id} not found`)
      await store.deleteMember(id) // a retry: the member went, its readings may not have
      return
    }
    const devices = registry.devices(id)
    registry.deleteMember(id)
    for (const device of devices) this.deps.bus.emit('deviceRevoked', device.id)
    if (options.purge) await this.purge(id)
  }

  removeDevice (id: string): void {
    this.deps.registry.deleteDevice(id)
    this.deps.bus.emit('deviceRevoked', id)
  }

  rotateDeviceToken (id: string): string {
    const token = this.deps.registry.rotateDeviceToken(id)
    this.deps.bus.emit('deviceRevoked', id)
    return token
  }

  /**
   * A workshop member who is not kept at expiry: its credentials stop working (the registry
   * refuses members of an expired workshop), its connections close, and unless the organizer
   * keeps the data, its readings go. Safe to run again after a failure.
   */
  async endWorkshopMember (id: string, options: { keepData: boolean }): Promise<void> {
    for (const device of this.deps.registry.devices(id)) this.deps.bus.emit('deviceRevoked', device.id)
    if (!options.keepData) await this.purge(id)
  }

  private async purge (member: string): Promise<void> {
    await this.deps.settled()
    await this.deps.store.deleteMember(member)
  }
}
