// MQTT strings [MQTT-1.5.3]: a receiver MUST close the connection on ill-formed UTF-8
// (including encoded surrogates) [MQTT-1.5.3-1] and on U+0000 [MQTT-1.5.3-2]. aedes 1.2.0 (through
// mqtt-packet) decodes every string with Buffer#toString, which turns each ill-formed sequence into
// U+FFFD and keeps U+0000, and checks neither. So a decoded string holding U+FFFD stands for bytes
// that were not UTF-8 — or for a U+FFFD the client really sent, which no device has a reason to
// put in a topic or client id; both are refused.

export function wellFormedMqttString (text: string): boolean {
  return !text.includes('\u0000') && !text.includes('\uFFFD')
}
