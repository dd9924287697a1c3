// A client id belongs to one device (issue 12, item 3). MQTT lets the newest CONNECT with a
// client id take the session of that id [MQTT-3.1.4-2]: the older connection is closed and,
// with clean session 0, its subscriptions and queued QoS 1/2 messages go to the newcomer. In a
// hub shared by many members that would let any device kick another off and read its queue,
// just by guessing its client id — and the set-up texts make them guessable.
//
// Two ways out: refuse a client id another device already uses (CONNACK 2, "identifier
// rejected"), or give each device its own space of client ids. Tsudoi does the second. Real
// firmware picks client ids the member does not choose and cannot easily change: Tasmota
// `DVES_<last 3 MAC bytes>` (collisions between members are expected in a hub of hundreds of
// plugs), ESPHome its node name (`living-room` in two shops), scripts `mqttjs_…` or an empty id.
// Refusing would lock the second such device out, first come, first served — a squatter could
// even claim a victim's id before it connects. Namespaced, every device keeps whatever id its
// firmware sends; a device reconnecting with its own id still takes over its own session, as
// MQTT promises; two devices never meet.
//
// The id aedes keys sessions, wills and persistence on is `<device id>/<client id>`: device ids
// are slugs ([a-z0-9-], server/registry/ids.ts) and cannot contain `/`, so no two devices'
// spaces overlap whatever client ids they send.

export function namespacedClientId (deviceId: string, clientId: string): string {
  return `${deviceId}/${clientId}`
}
