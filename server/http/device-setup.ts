import type { DeviceFormat } from '../domain/device-formats.ts'
import type { MqttEndpoints } from './context.ts'

export interface SetupDevice { id: string, member: string, token: string, topic: string, format?: DeviceFormat }

/**
 * Copy-paste set-up for the firmware an attendee is likely to hold, filled in with the hub's
 * address and the device's credentials. Each block follows its firmware's own documentation:
 * Tasmota console commands (tasmota.github.io/docs/MQTT), the ESPHome `mqtt:` component
 * (esphome.io/components/mqtt), Shelly Gen2 MQTT settings (shelly-api-docs, Mqtt.SetConfig),
 * an Arduino/ESP32 sketch with PubSubClient, and a mosquitto_pub line; for a Zigbee2MQTT
 * bridge, the `mqtt:` section of its configuration.yaml
 * (zigbee2mqtt.io/guide/configuration/mqtt.html).
 * `device.topic` is the device's own topic (server/domain/topic-trees.ts): never a shared
 * default such as Zigbee2MQTT's `zigbee2mqtt`, which every member's bridge would otherwise use.
 */
export function deviceSetup (device: SetupDevice, mqtt: MqttEndpoints) {
  const telemetry = `tsudoi/${device.member}/${device.id}/telemetry`
  const status = `tsudoi/${device.member}/${device.id}/status`
  return {
    mosquittoPub: `mosquitto_pub -h ${mqtt.host} -p ${mqtt.port} -u '${device.id}' -P '${device.token}' -q 1 -t '${telemetry}' -m '{"temperature": 21.5}'`,
    tasmota: [
      `Backlog MqttHost ${mqtt.host}; MqttPort ${mqtt.port}; MqttUser ${device.id}; MqttPassword ${device.token}; Topic ${device.topic}; FullTopic %prefix%/%topic%/; TelePeriod 60`
    ].join('\n'),
    esphome: [
      'mqtt:',
      `  broker: ${mqtt.host}`,
      `  port: ${mqtt.port}`,
      `  username: ${device.id}`,
      `  password: "${device.token}"`,
      `  topic_prefix: ${device.topic}`,
      '  discovery: true'
    ].join('\n'),
    shelly: [
      'Settings → MQTT: enable',
      `Server: ${mqtt.host}:${mqtt.port}`,
      `Client ID / MQTT prefix: ${device.topic}`,
      `Username: ${device.id}`,
      `Password: ${device.token}`,
      'RPC status notifications over MQTT: on; Generic status update over MQTT: on'
    ].join('\n'),
    arduino: arduinoSketch(device, mqtt, telemetry, status),
    ...(device.format === 'zigbee2mqtt' ? { zigbee2mqtt: zigbee2mqttConfig(device, mqtt) } : {})
  }
}

function zigbee2mqttConfig (device: SetupDevice, mqtt: MqttEndpoints): string {
  return [
    '# configuration.yaml: replace the mqtt: section',
    'mqtt:',
    `  base_topic: ${device.topic}`,
    `  server: mqtt://${mqtt.host}:${mqtt.port}`,
    `  user: ${device.id}`,
    `  password: "${device.token}"`
  ].join('\n')
}

function arduinoSketch (device: SetupDevice, mqtt: MqttEndpoints, telemetry: string, status: string): string {
  return `// ESP32 + PubSubClient: publishes a reading every minute to Tsudoi.
#include <WiFi.h>
#include <PubSubClient.h>

const char* WIFI_SSID = "your-wifi";
const char* WIFI_PASSWORD = "your-password";
const char* MQTT_HOST = "${mqtt.host}";
const int MQTT_PORT = ${mqtt.port};
const char* DEVICE_ID = "${device.id}";
const char* TOKEN = "${device.token}";

WiFiClient net;
PubSubClient mqtt(net);

void connect() {
  while (!mqtt.connected()) {
    // Last Will: the hub shows the device offline if it drops off.
    if (!mqtt.connect(DEVICE_ID, DEVICE_ID, TOKEN, "${status}", 1, true, "offline")) { delay(2000); continue; }
    mqtt.publish("${status}", "online", true);
  }
}

void setup() {
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  while (WiFi.status() != WL_CONNECTED) delay(500);
  mqtt.setServer(MQTT_HOST, MQTT_PORT);
}

void loop() {
  connect();
  mqtt.loop();
  static unsigned long last = 0;
  if (millis() - last > 60000) {
    last = millis();
    float temperature = temperatureRead(); // replace with your sensor
    char payload[64];
    snprintf(payload, sizeof payload, "{\\"temperature\\": %.2f}", temperature);
    mqtt.publish("${telemetry}", payload);
  }
}
`
}
