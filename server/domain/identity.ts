import type { DeviceFormat } from './device-formats.ts'

/** What the broker knows of a connection once it has logged in: its identity comes from here, never from a topic. */
export interface DeviceIdentity {
  id: string
  member: string
  sector: string
  format: DeviceFormat
  /** The firmware's own topic name (Tasmota `Topic`, ESPHome `topic_prefix`, …); the device id by default. */
  topic: string
}
