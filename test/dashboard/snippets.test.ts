import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { arduinoSketch, mosquittoPub } from '../../dashboard/src/pages/snippets.ts'

const settings = { host: 'hub.local', port: 1883, username: 'cafe-1-sensor', password: "tsd_a'b", topic: 'tsudoi/cafe-1/cafe-1-sensor/telemetry' }

describe('device examples', () => {
  it('builds a mosquitto_pub command that a POSIX shell passes through verbatim', () => {
    expect(mosquittoPub(settings)).toBe([
      'mosquitto_pub',
      "-h 'hub.local'",
      '-p 1883',
      "-i 'cafe-1-sensor'",
      "-u 'cafe-1-sensor'",
      "-P 'tsd_a'\\''b'",
      "-t 'tsudoi/cafe-1/cafe-1-sensor/telemetry'",
      '-q 1',
      `-m '{"temperature": 21.5}'`
    ].join(' \\\n  '))
  })

  it('survives a real POSIX shell with quotes, backslashes, $ and backticks in the secret', () => {
    // The command as a member pastes it, run by /bin/sh with mosquitto_pub standing in as a
    // function that prints the arguments it received, one per line.
    const hostile = { ...settings, password: 'tsd_a\'b"c\\d$HOME`id`e', topic: 'tsudoi/cafe-1/cafe-1-sensor/telemetry' }
    const received = execFileSync('/bin/sh', ['-c', `mosquitto_pub () { printf '%s\\n' "$@"; }\n${mosquittoPub(hostile)}`], { encoding: 'utf8' })
    expect(received.split('\n').slice(0, -1)).toEqual([
      '-h', 'hub.local', '-p', '1883', '-i', 'cafe-1-sensor', '-u', 'cafe-1-sensor', '-P', 'tsd_a\'b"c\\d$HOME`id`e',
      '-t', 'tsudoi/cafe-1/cafe-1-sensor/telemetry', '-q', '1', '-m', '{"temperature": 21.5}'
    ])
  })

  it('fills an ESP32 PubSubClient sketch with the settings, as C string literals', () => {
    const sketch = arduinoSketch(settings, { wifi: 'Wi-Fi', publish: 'every 30 s', will: 'last will' })
    expect(sketch).toContain('#include <PubSubClient.h>')
    expect(sketch).toContain('const char* MQTT_HOST = "hub.local";')
    expect(sketch).toContain('const int MQTT_PORT = 1883;')
    expect(sketch).toContain('const char* DEVICE_ID = "cafe-1-sensor";')
    expect(sketch).toContain('const char* DEVICE_TOKEN = "tsd_a\'b";')
    expect(sketch).toContain('const char* TOPIC = "tsudoi/cafe-1/cafe-1-sensor/telemetry";')
    expect(sketch).toContain('const char* STATUS_TOPIC = "tsudoi/cafe-1/cafe-1-sensor/status";')
    expect(sketch).toContain('mqtt.connect(DEVICE_ID, DEVICE_ID, DEVICE_TOKEN, STATUS_TOPIC, 1, true, "offline")')
    expect(sketch).toContain('// last will')
  })
})
