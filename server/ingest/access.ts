import { alertsFilter } from '../domain/alert-topics.ts'
import type { DeviceIdentity } from '../domain/identity.ts'
import { filterWithin, matcherFor } from '../domain/topic-filter.ts'
import { formats } from './formats/index.ts'

// The broker's access decisions, publish and subscribe, in one module (docs/security.md,
// "Firmware topics"): a device publishes only inside its own topic trees, and reads only
// inside them or its member's alert states. The trees are its format's (./formats/); the
// broker asks here for SUBSCRIBE, the ingest path (./decode.ts) for every PUBLISH.

/** May this device publish to this topic? */
export function mayPublish (device: DeviceIdentity, topic: string): boolean {
  const format = formats[device.format]
  return matcherFor(format, device, () => format.publishFilters(device))(topic)
}

/** May this device subscribe with this filter? Only to what lies wholly within a tree it may read. */
export function maySubscribe (device: DeviceIdentity, filter: string): boolean {
  return formats[device.format].subscribeFilters(device).some((own) => filterWithin(filter, own)) ||
    // The member's alert states (docs/alerts.md): any of its own devices may read them.
    filterWithin(filter, alertsFilter(device.member))
}
