import { createHash } from 'node:crypto'
import type { PayloadCase, TopicContext } from './types.ts'

// Firmware formats (docs/formats.md): every field the decoders read, at its extremes, and
// keys that name Object.prototype's members (a decoder table looked up with them must not
// find a function). Firmware readings carry the hub's receive time.

const digest = (text: string): string => createHash('sha1').update(text).digest('hex').slice(0, 6)
const nested = (depth: number, inner: string): string => '{"a":'.repeat(depth) + inner + '}'.repeat(depth)

const tele = (leaf: string) => (t: TopicContext): string => `tele/${t.topic}/${leaf}`
const sub = (rest: string) => (t: TopicContext): string => `${t.topic}/${rest}`
const sensor = (body: unknown): string => JSON.stringify(body)

export const tasmotaCases: PayloadCase[] = [
  { id: 'tasmota-01', title: 'a valid SENSOR', device: 'tasmota', topic: tele('SENSOR'), payload: sensor({ AM2301: { Temperature: 21.5, Humidity: 40 }, TempUnit: 'C' }), refused: [], stored: [['temperature', 21.5], ['humidity', 40]] },
  { id: 'tasmota-02', title: 'Temperature 1e308', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"Temperature":1e308,"Humidity":41}}', refused: ['OUT_OF_RANGE'], stored: [['humidity', 41]] },
  { id: 'tasmota-03', title: 'Temperature 1e308 in °F', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"Temperature":1e308},"TempUnit":"F"}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'tasmota-04', title: 'Temperature -0', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"Temperature":-0}}', refused: [], stored: [['temperature', 0]] },
  { id: 'tasmota-05', title: 'Temperature "NaN"', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"Temperature":"NaN"}}', refused: ['NOT_FINITE'], stored: [] },
  { id: 'tasmota-06', title: 'Temperature a lone surrogate', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"Temperature":"\\ud800"}}', refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'tasmota-07', title: 'TempUnit an object', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"Temperature":20,"Humidity":42},"TempUnit":{"x":1}}', refused: ['UNKNOWN_SHAPE'], stored: [['humidity', 42]] },
  { id: 'tasmota-08', title: 'TempUnit "__proto__"', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"Temperature":20},"TempUnit":"__proto__"}', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'tasmota-09', title: 'PressureUnit "constructor"', device: 'tasmota', topic: tele('SENSOR'), payload: '{"BME280":{"Pressure":1000,"Humidity":43},"PressureUnit":"constructor"}', refused: ['UNKNOWN_SHAPE'], stored: [['humidity', 43]] },
  { id: 'tasmota-10', title: 'a sensor field named constructor', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"constructor":1,"Temperature":20}}', refused: [], stored: [['temperature', 20]] },
  { id: 'tasmota-11', title: 'a sensor field named toString', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"toString":1,"Temperature":20}}', refused: [], stored: [['temperature', 20]] },
  { id: 'tasmota-12', title: 'a sensor field named __proto__', device: 'tasmota', topic: tele('SENSOR'), payload: '{"AM2301":{"__proto__":1,"Temperature":20}}', refused: [], stored: [['temperature', 20]] },
  { id: 'tasmota-13', title: 'an ENERGY field named hasOwnProperty', device: 'tasmota', topic: tele('SENSOR'), payload: '{"ENERGY":{"hasOwnProperty":1,"Power":15}}', refused: [], stored: [['power', 15]] },
  { id: 'tasmota-14', title: 'a Power array of 100,000 channels', device: 'tasmota', topic: tele('SENSOR'), payload: sensor({ ENERGY: { Power: Array.from({ length: 100_000 }, () => 1), Voltage: 230 } }), refused: ['UNKNOWN_SHAPE'], stored: [['voltage', 230]] },
  { id: 'tasmota-15', title: 'a Power array of two channels', device: 'tasmota', topic: tele('SENSOR'), payload: '{"ENERGY":{"Power":[52,5]}}', refused: [], stored: [['power__energy_1', 52], ['power__energy_2', 5]] },
  { id: 'tasmota-16', title: 'a Power array of objects', device: 'tasmota', topic: tele('SENSOR'), payload: '{"ENERGY":{"Power":[{"a":1},[2]]}}', refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'tasmota-17', title: 'objects nested 10,000 deep', device: 'tasmota', topic: tele('SENSOR'), payload: `{"X":${nested(10_000, '1')}}`, refused: [], stored: [] },
  { id: 'tasmota-18', title: 'a sensor named in kanji next to another', device: 'tasmota', topic: tele('SENSOR'), payload: '{"温度計":{"Temperature":20},"DS18B20":{"Temperature":21}}', refused: [], stored: [[`temperature__${digest('温度計')}`, 20], ['temperature__ds18b20', 21]] },
  {
    id: 'tasmota-19',
    title: 'a 200-character sensor name next to another',
    device: 'tasmota',
    topic: tele('SENSOR'),
    payload: sensor({ ['A'.repeat(200)]: { Temperature: 20 }, DS18B20: { Temperature: 21 } }),
    refused: [],
    stored: [[`temperature__${'a'.repeat(44)}_${digest('a'.repeat(200))}`, 20], ['temperature__ds18b20', 21]]
  },
  { id: 'tasmota-20', title: 'STATE Wifi.Signal -1e308', device: 'tasmota', topic: tele('STATE'), payload: '{"Wifi":{"Signal":-1e308}}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'tasmota-21', title: 'STATE Wifi.Signal as text', device: 'tasmota', topic: tele('STATE'), payload: '{"Wifi":{"Signal":"-60"}}', refused: [], stored: [['rssi', -60]] },
  { id: 'tasmota-22', title: 'STATE not JSON', device: 'tasmota', topic: tele('STATE'), payload: '{"Wifi":', refused: ['INVALID_JSON'], stored: [] },
  { id: 'tasmota-23', title: 'STATE an array', device: 'tasmota', topic: tele('STATE'), payload: '[]', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'tasmota-24', title: 'LWT neither Online nor Offline', device: 'tasmota', topic: tele('LWT'), payload: 'Sideways', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'tasmota-25', title: 'STATUS10 whose StatusSNS is a number', device: 'tasmota', topic: (t) => `stat/${t.topic}/STATUS10`, payload: '{"StatusSNS":5}', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'tasmota-26', title: 'STATUS10 with a sensor', device: 'tasmota', topic: (t) => `stat/${t.topic}/STATUS10`, payload: '{"StatusSNS":{"SHT3X":{"Temperature":22}}}', refused: [], stored: [['temperature', 22]] },
  { id: 'tasmota-27', title: 'SENSOR a 100,000-key object', device: 'tasmota', topic: tele('SENSOR'), payload: sensor(Object.fromEntries(Array.from({ length: 100_000 }, (_v, i) => [`K${i}`, i]))), refused: [], stored: [] },
  { id: 'tasmota-28', title: 'a publish to its own command topic', device: 'tasmota', topic: (t) => `cmnd/${t.topic}/POWER`, payload: 'OFF', refused: ['TOPIC_NOT_ALLOWED'], stored: [] },
  { id: 'tasmota-29', title: 'another Tasmota\'s SENSOR topic', device: 'tasmota', topic: () => 'tele/hx-victim-plug/SENSOR', payload: '{"AM2301":{"Temperature":20}}', refused: ['TOPIC_NOT_ALLOWED'], stored: [] },
  { id: 'tasmota-30', title: 'a deeper topic in its own tree (routed, not a reading)', device: 'tasmota', topic: tele('SENSOR/extra'), payload: '{}', refused: [], stored: [] },
  { id: 'tasmota-31', title: '5,000 sensors of one kind (cap 1000 metrics a device)', device: 'widetas', topic: tele('SENSOR'), payload: sensor(Object.fromEntries(Array.from({ length: 5000 }, (_v, i) => [`S${i}`, { Temperature: 20 }]))), refused: ['TOO_MANY_METRICS'], stored: 1000 }
]

export const esphomeCases: PayloadCase[] = [
  { id: 'esphome-01', title: 'a valid state', device: 'esphome', topic: sub('sensor/temperature/state'), payload: '21.5', refused: [], stored: [['temperature', 21.5]] },
  { id: 'esphome-02', title: 'nan', device: 'esphome', topic: sub('sensor/temperature/state'), payload: 'nan', refused: ['NOT_FINITE'], stored: [] },
  { id: 'esphome-03', title: '1e308 for temperature', device: 'esphome', topic: sub('sensor/temperature/state'), payload: '1e308', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'esphome-04', title: '-0', device: 'esphome', topic: sub('sensor/temperature/state'), payload: '-0', refused: [], stored: [['temperature', 0]] },
  { id: 'esphome-05', title: '1e308 for a custom sensor', device: 'esphome', topic: sub('sensor/uptime/state'), payload: '1e308', refused: [], stored: [['uptime', 1e308]] },
  { id: 'esphome-06', title: 'a 100-character object id', device: 'esphome', topic: sub(`sensor/${'q'.repeat(100)}/state`), payload: '1', refused: [], stored: [['q'.repeat(40), 1]] },
  { id: 'esphome-07', title: 'an emoji object id', device: 'esphome', topic: sub('sensor/🌡/state'), payload: '2', refused: [], stored: [[`sensor_${digest('🌡')}`, 2]] },
  { id: 'esphome-08', title: 'object id __proto__', device: 'esphome', topic: sub('sensor/__proto__/state'), payload: '3', refused: [], stored: [['proto', 3]] },
  { id: 'esphome-09', title: 'object id constructor', device: 'esphome', topic: sub('sensor/constructor/state'), payload: '4', refused: [], stored: [['constructor', 4]] },
  { id: 'esphome-10', title: 'an empty object id (routed, not a reading)', device: 'esphome', topic: sub('sensor//state'), payload: '1', refused: [], stored: [] },
  { id: 'esphome-11', title: 'status neither online nor offline', device: 'esphome', topic: sub('status'), payload: 'maybe', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'esphome-12', title: 'a 1 MB state', device: 'esphome', topic: sub('sensor/temperature/state'), payload: '9'.repeat(1_000_000), refused: ['NOT_FINITE'], stored: [] },
  { id: 'esphome-13', title: 'a hex state', device: 'esphome', topic: sub('sensor/temperature/state'), payload: '0x1F', refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'esphome-14', title: 'a state that is not UTF-8', device: 'esphome', topic: sub('sensor/temperature/state'), payload: Buffer.from([0x32, 0xed, 0xa0, 0x80]), refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'esphome-15', title: '-1e308 on a sensor whose config was just removed', device: 'esphome', before: [{ topic: (t) => `homeassistant/sensor/${t.topic}/kelvin/config`, payload: '' }], topic: sub('sensor/temperature_kelvin/state'), payload: '-1e308', refused: ['OUT_OF_RANGE'], stored: [] },
  {
    id: 'esphome-16',
    title: 'a discovery config whose state topic is another member\'s',
    device: 'esphome',
    topic: (t) => `homeassistant/sensor/${t.topic}/steal/config`,
    payload: JSON.stringify({ state_topic: 'tele/hx-victim-plug/SENSOR', device_class: 'temperature', unit_of_measurement: '°C' }),
    refused: ['TOPIC_NOT_ALLOWED'],
    stored: []
  },
  {
    id: 'esphome-17',
    title: 'a device config announcing 300 entities',
    device: 'esphome',
    topic: (t) => `homeassistant/device/${t.topic}/config`,
    payload: JSON.stringify({ '~': 'hx-esp', cmps: Object.fromEntries(Array.from({ length: 300 }, (_v, i) => [`c${i}`, { p: 'sensor', stat_t: `~/sensor/c${i}/state`, unit_of_meas: '°C', dev_cla: 'temperature' }])) }),
    refused: ['UNKNOWN_SHAPE'],
    stored: []
  },
  { id: 'esphome-18', title: 'a discovery config nested 10,000 deep (no state topic)', device: 'esphome', topic: (t) => `homeassistant/sensor/${t.topic}/deep/config`, payload: nested(10_000, '1'), refused: ['UNKNOWN_SHAPE'], stored: [] }
]

export const shellyCases: PayloadCase[] = [
  { id: 'shelly-01', title: 'a valid switch status', device: 'shelly', topic: sub('status/switch:0'), payload: '{"apower":12.5,"voltage":230,"aenergy":{"total":1234.5}}', refused: [], stored: [['power', 12.5], ['voltage', 230], ['energy', 1.2345]] },
  { id: 'shelly-02', title: 'component constructor', device: 'shelly', topic: sub('status/constructor'), payload: '{"apower":1}', refused: [], stored: [] },
  { id: 'shelly-03', title: 'component toString:1', device: 'shelly', topic: sub('status/toString:1'), payload: '{"apower":1}', refused: [], stored: [] },
  { id: 'shelly-04', title: 'component __proto__', device: 'shelly', topic: sub('status/__proto__'), payload: '{"apower":1}', refused: [], stored: [] },
  { id: 'shelly-05', title: 'NotifyStatus with a constructor component', device: 'shelly', topic: sub('events/rpc'), payload: '{"method":"NotifyStatus","params":{"constructor":{"apower":1},"switch:0":{"apower":2}}}', refused: [], stored: [['power', 2]] },
  { id: 'shelly-06', title: 'NotifyStatus with a __proto__ component', device: 'shelly', topic: sub('events/rpc'), payload: '{"method":"NotifyStatus","params":{"__proto__":{"apower":1},"switch:0":{"apower":3}}}', refused: [], stored: [['power', 3]] },
  { id: 'shelly-07', title: 'apower 1e308', device: 'shelly', topic: sub('status/switch:0'), payload: '{"apower":1e308,"voltage":231}', refused: ['OUT_OF_RANGE'], stored: [['voltage', 231]] },
  { id: 'shelly-08', title: 'aenergy.total 1e308 Wh', device: 'shelly', topic: sub('status/switch:0'), payload: '{"aenergy":{"total":1e308}}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'shelly-09', title: 'aenergy.total -0', device: 'shelly', topic: sub('status/switch:0'), payload: '{"aenergy":{"total":-0}}', refused: [], stored: [['energy', 0]] },
  { id: 'shelly-10', title: 'temperature.tC "1e20"', device: 'shelly', topic: sub('status/temperature:0'), payload: '{"tC":"1e20"}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'shelly-11', title: 'instance id 1e308', device: 'shelly', topic: sub('status/switch:1e308'), payload: '{"apower":1}', refused: [], stored: [['power__switch_1e308', 1]] },
  { id: 'shelly-12', title: 'a 100-digit instance id', device: 'shelly', topic: sub(`status/switch:${'9'.repeat(100)}`), payload: '{"apower":1}', refused: [], stored: [[`power__switch_${'9'.repeat(43)}_${digest(`switch_${'9'.repeat(100)}`)}`, 1]] },
  { id: 'shelly-13', title: 'online neither true nor false', device: 'shelly', topic: sub('online'), payload: 'yes', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'shelly-14', title: 'an RPC notification with a numeric method', device: 'shelly', topic: sub('events/rpc'), payload: '{"method":5}', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'shelly-15', title: 'NotifyStatus with params an array', device: 'shelly', topic: sub('events/rpc'), payload: '{"method":"NotifyStatus","params":[]}', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'shelly-16', title: 'aenergy nested 10,000 deep', device: 'shelly', topic: sub('status/switch:0'), payload: `{"aenergy":{"total":${nested(10_000, '1')}}}`, refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'shelly-17', title: 'a status that is an array', device: 'shelly', topic: sub('status/switch:0'), payload: '[1]', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'shelly-18', title: 'a deeper status topic (routed, not a reading)', device: 'shelly', topic: sub('status/sys/extra'), payload: '{}', refused: [], stored: [] }
]

export const zigbeeCases: PayloadCase[] = [
  { id: 'zigbee-01', title: 'a valid state', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"temperature":4.5,"humidity":60,"linkquality":90}', refused: [], stored: [['temperature__kitchen', 4.5], ['humidity__kitchen', 60]] },
  { id: 'zigbee-02', title: 'a key named constructor', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"constructor":1,"temperature":5}', refused: [], stored: [['temperature__kitchen', 5]] },
  { id: 'zigbee-03', title: 'a key named __proto__', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"__proto__":{"temperature":1},"temperature":6}', refused: [], stored: [['temperature__kitchen', 6]] },
  { id: 'zigbee-04', title: 'a key named toString only', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"toString":1}', refused: [], stored: [] },
  { id: 'zigbee-05', title: 'a friendly name in kanji', device: 'zigbee2mqtt', topic: sub('温室'), payload: '{"temperature":20}', refused: [], stored: [[`temperature__${digest('温室')}`, 20]] },
  { id: 'zigbee-06', title: 'a 100-character friendly name', device: 'zigbee2mqtt', topic: sub('n'.repeat(100)), payload: '{"temperature":20}', refused: [], stored: [[`temperature__${'n'.repeat(44)}_${digest('n'.repeat(100))}`, 20]] },
  { id: 'zigbee-07', title: 'voltage 1e308 mV', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"voltage":1e308}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'zigbee-08', title: 'battery "1e20"', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"battery":"1e20"}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'zigbee-09', title: 'battery "-0"', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"battery":"-0"}', refused: [], stored: [['battery__kitchen', 0]] },
  { id: 'zigbee-10', title: 'bridge/state neither online nor offline', device: 'zigbee2mqtt', topic: sub('bridge/state'), payload: 'maybe', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'zigbee-11', title: 'availability with an object state', device: 'zigbee2mqtt', topic: sub('kitchen/availability'), payload: '{"state":{"x":1}}', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'zigbee-12', title: 'a state that is an array', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '[1,2]', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'zigbee-13', title: 'temperature nested 10,000 deep', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: `{"temperature":${nested(10_000, '1')}}`, refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'zigbee-14', title: 'a 100,000-key state', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: sensor(Object.fromEntries(Array.from({ length: 100_000 }, (_v, i) => [`k${i}`, i]))), refused: [], stored: [] },
  { id: 'zigbee-15', title: 'an empty state (a removed device)', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '', refused: [], stored: [] },
  { id: 'zigbee-16', title: 'a /set command', device: 'zigbee2mqtt', topic: sub('kitchen/set'), payload: '{"state":"ON"}', refused: [], stored: [] },
  { id: 'zigbee-17', title: 'the bare base topic (routed, not a reading)', device: 'zigbee2mqtt', topic: (t) => t.topic, payload: '{}', refused: [], stored: [] },
  { id: 'zigbee-18', title: 'a state with a lone surrogate key and value', device: 'zigbee2mqtt', topic: sub('kitchen'), payload: '{"\\ud800":1,"temperature":"\\udc00"}', refused: ['NOT_A_NUMBER'], stored: [] }
]

const config = (object: string, body: unknown) => ({ topic: (t: TopicContext) => `homeassistant/sensor/${t.topic}/${object}/config`, payload: JSON.stringify(body) })

export const homeassistantCases: PayloadCase[] = [
  { id: 'homeassistant-01', title: 'a °F sensor', device: 'homeassistant', before: [config('f', { state_topic: 'hx-ha/f', device_class: 'temperature', unit_of_measurement: '°F' })], topic: sub('f'), payload: '212', refused: [], stored: [['temperature', 100]] },
  { id: 'homeassistant-02', title: 'a K sensor at -1e308', device: 'homeassistant', before: [config('k', { state_topic: 'hx-ha/k', device_class: 'temperature', unit_of_measurement: 'K' })], topic: sub('k'), payload: '-1e308', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'homeassistant-03', title: 'unit toString', device: 'homeassistant', before: [config('ts', { state_topic: 'hx-ha/ts', device_class: 'temperature', unit_of_measurement: 'toString' })], topic: sub('ts'), payload: '20', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'homeassistant-04', title: 'unit constructor', device: 'homeassistant', before: [config('ctor', { state_topic: 'hx-ha/ctor', device_class: 'temperature', unit_of_measurement: 'constructor' })], topic: sub('ctor'), payload: '20', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'homeassistant-05', title: 'device class constructor (named after it, a custom metric)', device: 'homeassistant', before: [config('dc', { state_topic: 'hx-ha/dc', device_class: 'constructor', state_class: 'measurement' })], topic: sub('dc'), payload: '7', refused: [], stored: [['constructor', 7]] },
  { id: 'homeassistant-06', title: 'device class __proto__ and unit hasOwnProperty', device: 'homeassistant', before: [config('pr', { state_topic: 'hx-ha/pr', device_class: '__proto__', unit_of_measurement: 'hasOwnProperty' })], topic: sub('pr'), payload: '8', refused: [], stored: [['proto', 8]] },
  { id: 'homeassistant-07', title: 'a state topic of another member', device: 'homeassistant', topic: (t) => `homeassistant/sensor/${t.topic}/steal/config`, payload: JSON.stringify({ state_topic: 'tsudoi/hx-canary/hx-canary-d1/telemetry', unit_of_measurement: '°C' }), refused: ['TOPIC_NOT_ALLOWED'], stored: [] },
  { id: 'homeassistant-08', title: 'a config that is not JSON', device: 'homeassistant', topic: (t) => `homeassistant/sensor/${t.topic}/bad/config`, payload: '{', refused: ['INVALID_JSON'], stored: [] },
  { id: 'homeassistant-09', title: 'a config that is an array', device: 'homeassistant', topic: (t) => `homeassistant/sensor/${t.topic}/arr/config`, payload: '[]', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'homeassistant-10', title: 'a 100,000-character state topic', device: 'homeassistant', topic: (t) => `homeassistant/sensor/${t.topic}/long/config`, payload: JSON.stringify({ state_topic: `hx-ha/${'l'.repeat(100_000)}`, unit_of_measurement: '°C' }), refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'homeassistant-11', title: 'a template with brackets', device: 'homeassistant', before: [config('br', { state_topic: 'hx-ha/br', unit_of_measurement: '°C', value_template: "{{ value_json['t'] }}" })], topic: sub('br'), payload: '{"t":20}', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'homeassistant-12', title: 'a template path through __proto__', device: 'homeassistant', before: [config('pp', { state_topic: 'hx-ha/pp', device_class: 'humidity', value_template: '{{ value_json.__proto__.h }}' })], topic: sub('pp'), payload: '{"h":50}', refused: ['EMPTY_PAYLOAD'], stored: [] },
  { id: 'homeassistant-13', title: 'a template path through constructor', device: 'homeassistant', before: [config('cp', { state_topic: 'hx-ha/cp', device_class: 'humidity', value_template: '{{ value_json.constructor.name }}' })], topic: sub('cp'), payload: '{}', refused: ['EMPTY_PAYLOAD'], stored: [] },
  { id: 'homeassistant-14', title: 'a state nested 10,000 deep', device: 'homeassistant', before: [config('deep', { state_topic: 'hx-ha/deep', device_class: 'humidity', value_template: '{{ value_json.a.a }}' })], topic: sub('deep'), payload: nested(10_000, '1'), refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'homeassistant-15', title: 'an emoji entity name', device: 'homeassistant', before: [config('emoji', { state_topic: 'hx-ha/emoji', name: '🌡🌡', state_class: 'measurement' })], topic: sub('emoji'), payload: '3', refused: [], stored: [[`sensor_${digest('🌡🌡')}`, 3]] },
  {
    id: 'homeassistant-17',
    title: 'a base topic ~ holding $\' (a replacement pattern of String.replace)',
    device: 'homeassistant',
    before: [config('dollar', { '~': "hx-ha/a$'", stat_t: '~/b', dev_cla: 'temperature', unit_of_meas: '°C', name: 'dollar' })],
    topic: () => "hx-ha/a$'/b",
    payload: '21',
    refused: [],
    stored: [['temperature__dollar', 21]]
  },
  { id: 'homeassistant-18', title: 'a config whose __proto__ holds a state topic', device: 'homeassistant', topic: (t) => `homeassistant/sensor/${t.topic}/proto/config`, payload: '{"__proto__":{"state_topic":"hx-ha/proto"},"unit_of_measurement":"°C","name":"protoent"}', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'homeassistant-16', title: 'a 1 MB config', device: 'homeassistant', topic: (t) => `homeassistant/sensor/${t.topic}/big/config`, payload: JSON.stringify({ state_topic: 'hx-ha/big', unit_of_measurement: '°C', pad: 'p'.repeat(1_000_000) }), refused: [], stored: [] }
]

export const autoCases: PayloadCase[] = [
  { id: 'auto-01', title: 'a Tasmota SENSOR', device: 'auto', topic: tele('SENSOR'), payload: '{"SHT3X":{"Temperature":19}}', refused: [], stored: [['temperature', 19]] },
  { id: 'auto-02', title: 'a Shelly status', device: 'auto', topic: sub('status/switch:0'), payload: '{"apower":9}', refused: [], stored: [['power', 9]] },
  { id: 'auto-03', title: 'an ESPHome nan', device: 'auto', topic: sub('sensor/temperature/state'), payload: 'nan', refused: ['NOT_FINITE'], stored: [] },
  { id: 'auto-04', title: 'a Shelly component constructor', device: 'auto', topic: sub('status/constructor'), payload: '{}', refused: [], stored: [] },
  { id: 'auto-05', title: 'a Tasmota field toString', device: 'auto', topic: tele('SENSOR'), payload: '{"X":{"toString":5}}', refused: [], stored: [] },
  { id: 'auto-06', title: 'a Tasmota SENSOR with ts 1e20 (firmware times are not used)', device: 'auto', topic: tele('SENSOR'), payload: '{"Time":1e20,"ts":1e20,"SHT3X":{"Humidity":45}}', refused: [], stored: [['humidity', 45]] }
]

export const firmwareCases: PayloadCase[] = [...tasmotaCases, ...esphomeCases, ...shellyCases, ...zigbeeCases, ...homeassistantCases, ...autoCases]
