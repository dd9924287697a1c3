// Copy-and-paste examples filled in with a device's own settings. Pure text builders, so
// test/dashboard/snippets.test.ts can check them; comments inside the sketch are passed in
// translated.
export interface MqttSettings {
  host: string
  port: number
  username: string
  /** The token, or a placeholder when it is no longer known. */
  password: string
  topic: string
}

/** Single quotes for a POSIX shell: nothing inside is expanded. */
const shellQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`
/** A C string literal. */
const cString = (text: string): string => JSON.stringify(text)

export function mosquittoPub (s: MqttSettings): string {
  return [
    'mosquitto_pub',
    `-h ${shellQuote(s.host)}`,
    `-p ${s.port}`,
    `-i ${shellQuote(s.username)}`,
    `-u ${shellQuote(s.username)}`,
    `-P ${shellQuote(s.password)}`,
    `-t ${shellQuote(s.topic)}`,
    '-q 1',
    `-m '{"temperature": 21.5}'`
  ].join(' \\\n  ')
}

export function arduinoSketch (s: MqttSettings, comments: { wifi: string, publish: string, will: string }): string {
  const statusTopic = s.topic.replace(/telemetry$/, 'status')
  return `#include <WiFi.h>
#include <PubSubClient.h>

// ${comments.wifi}
const char* WIFI_SSID = "your-ssid";
const char* WIFI_PASSWORD = "your-password";

const char* MQTT_HOST = ${cString(s.host)};
const int MQTT_PORT = ${s.port};
const char* DEVICE_ID = ${cString(s.username)};
const char* DEVICE_TOKEN = ${cString(s.password)};
const char* TOPIC = ${cString(s.topic)};
const char* STATUS_TOPIC = ${cString(statusTopic)};

WiFiClient net;
PubSubClient mqtt(net);

void connect() {
  while (WiFi.status() != WL_CONNECTED) delay(500);
  while (!mqtt.connected()) {
    // ${comments.will}
    if (!mqtt.connect(DEVICE_ID, DEVICE_ID, DEVICE_TOKEN, STATUS_TOPIC, 1, true, "offline")) delay(2000);
  }
  mqtt.publish(STATUS_TOPIC, "online", true);
}

void setup() {
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  mqtt.setServer(MQTT_HOST, MQTT_PORT);
}

void loop() {
  if (!mqtt.connected()) connect();
  mqtt.loop();
  static unsigned long last = 0;
  if (millis() - last > 30000) {
    last = millis();
    // ${comments.publish}
    float temperature = 21.5;
    char payload[64];
    snprintf(payload, sizeof payload, "{\\"temperature\\": %.2f}", temperature);
    mqtt.publish(TOPIC, payload);
  }
}
`
}
