// The firmware families a device can speak (docs/architecture.md, "The data model"). Each has a decoder
// in server/ingest/formats/; one table there picks it.
export const deviceFormats = ['json', 'plain', 'tasmota', 'esphome', 'shelly', 'zigbee2mqtt', 'homeassistant', 'auto'] as const
export type DeviceFormat = typeof deviceFormats[number]
