import { firmwareFormat } from './firmware.ts'

// A device that describes itself only through Home Assistant MQTT discovery (OpenMQTTGateway,
// rtl_433, ebusd, a hand-written sketch…). https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery
// Its own topics are everything under its `topic`; which of them carry readings, and what
// they measure, it says in its discovery configs (learned in discovery.ts, read in
// learned-state.ts). A topic of its own it did not announce holds no reading: it is routed, not read.
export const homeassistantFormat = firmwareFormat({
  publish: (device) => [`${device.topic}/#`],
  subscribe: (device) => [`${device.topic}/#`],
  decode: () => null
})
