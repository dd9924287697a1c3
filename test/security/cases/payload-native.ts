import type { PayloadCase } from './types.ts'

// Tsudoi's own topics (json and plain devices): every field at its extremes.
// `tsudoi/<m>/<d>/telemetry` holds an object of metric → number with an optional `ts`, or an
// array of them; `tsudoi/<m>/<d>/<metric>` a plain number (docs/architecture.md, "The native topics").

const telemetry = (t: { native: string }): string => `${t.native}/telemetry`
const leaf = (name: string) => (t: { native: string }): string => `${t.native}/${name}`
const HOUR = 3_600_000
/** A recent whole second, so ISO forms of it are exact. */
const recent = Math.floor((Date.now() - HOUR) / 1000) * 1000

/** A time of its own for each case that stores one: one series keeps one reading per instant. */
const at = (n: number): number => recent - n * 1000

/** `time` written with a UTC offset of ±hh:mm (or ±hhmm with `basic`). */
function withOffset (time: number, minutes: number, basic = false): string {
  const local = new Date(time + minutes * 60_000).toISOString().slice(0, 19)
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `${local}${sign}${hh}${basic ? '' : ':'}${mm}`
}

const nested = (depth: number, open: string, close: string, inner: string): string => open.repeat(depth) + inner + close.repeat(depth)

/** A temperature of its own for each ts case: two readings of one series at one time are one reading. */
const temperatureOf = (id: string): number => 20 + Number(id.slice('native-'.length)) / 100

const ts = (id: string, title: string, value: unknown, refused: string[], storedAt?: number): PayloadCase => ({
  id,
  title,
  device: 'json',
  topic: telemetry,
  payload: `{"temperature":${temperatureOf(id)},"ts":${typeof value === 'string' && value.startsWith('raw:') ? value.slice(4) : JSON.stringify(value)}}`,
  refused,
  stored: storedAt === undefined ? [] : [['temperature', temperatureOf(id), storedAt]]
})

const value = (id: string, title: string, raw: string, refused: string[], stored: PayloadCase['stored'] = []): PayloadCase => ({
  id, title, device: 'json', topic: telemetry, payload: `{"humidity":50,"probe":${raw}}`, refused, stored: [['humidity', 50], ...(stored as Array<[string, number]>)]
})

export const nativeCases: PayloadCase[] = [
  // ts at its extremes: the hub must refuse with a code, never die formatting the date.
  ts('native-01', 'ts 1e20', 'raw:1e20', ['TIMESTAMP_IN_FUTURE']),
  ts('native-02', 'ts -1e20', 'raw:-1e20', ['TIMESTAMP_TOO_OLD']),
  ts('native-03', 'ts 8.64e15 (the last valid Date)', 'raw:8.64e15', ['TIMESTAMP_IN_FUTURE']),
  ts('native-04', 'ts 8.64e15 + 1', 'raw:8640000000000001', ['TIMESTAMP_IN_FUTURE']),
  ts('native-05', 'ts 1e308', 'raw:1e308', ['TIMESTAMP_IN_FUTURE']),
  ts('native-06', 'ts -0', 'raw:-0', ['TIMESTAMP_TOO_OLD']),
  ts('native-07', 'ts "9999-12-31T23:59:59Z"', '9999-12-31T23:59:59Z', ['TIMESTAMP_IN_FUTURE']),
  ts('native-08', 'ts "+275760-09-13T00:00:00Z" (an expanded year)', '+275760-09-13T00:00:00Z', ['INVALID_TIMESTAMP']),
  ts('native-09', 'ts with offset +99:99', '2026-01-01T00:00:00+99:99', ['INVALID_TIMESTAMP']),
  ts('native-10', 'ts "99999999999999999999" (1e20 as a numeric string)', '99999999999999999999', ['TIMESTAMP_IN_FUTURE']),
  ts('native-11', 'ts "1e20" (exponent in a string)', '1e20', ['INVALID_TIMESTAMP']),
  ts('native-12', 'ts true', true, ['INVALID_TIMESTAMP']),
  ts('native-13', 'ts null', null, ['INVALID_TIMESTAMP']),
  ts('native-14', 'ts {}', {}, ['INVALID_TIMESTAMP']),
  ts('native-15', 'ts []', [], ['INVALID_TIMESTAMP']),
  ts('native-16', 'ts "NaN"', 'NaN', ['INVALID_TIMESTAMP']),
  ts('native-17', 'ts an empty string', '', ['INVALID_TIMESTAMP']),
  ts('native-18', 'ts in ISO with offset +05:45', withOffset(at(18), 345), [], at(18)),
  ts('native-19', 'ts in ISO with offset -12:00', withOffset(at(19), -720), [], at(19)),
  ts('native-20', 'ts in ISO with a basic offset +1400', withOffset(at(20), 840, true), [], at(20)),
  ts('native-21', 'ts a numeric string of epoch ms', String(at(21)), [], at(21)),
  ts('native-22', 'ts a 1000-digit numeric string (Infinity)', '9'.repeat(1000), ['INVALID_TIMESTAMP']),
  ts('native-23', 'ts 2000-01-01T00:00:00Z minus 1 ms', '1999-12-31T23:59:59.999Z', ['TIMESTAMP_TOO_OLD']),
  // Values at their extremes.
  value('native-30', '1e308 for a custom metric (finite: kept)', '1e308', [], [['probe', 1e308]]),
  value('native-31', '-1e308 for a custom metric', '-1e308', [], [['probe', -1e308]]),
  value('native-32', '5e-324 (the smallest double)', '5e-324', [], [['probe', 5e-324]]),
  value('native-33', '-0', '-0', [], [['probe', 0]]),
  value('native-34', '1e309 (JSON gives Infinity)', '1e309', ['NOT_FINITE']),
  value('native-35', '"NaN"', '"NaN"', ['NOT_FINITE']),
  value('native-36', '"Infinity"', '"Infinity"', ['NOT_FINITE']),
  value('native-37', '"-inf"', '"-inf"', ['NOT_FINITE']),
  value('native-38', '"1e400" (Infinity as text)', '"1e400"', ['NOT_FINITE']),
  value('native-39', '"0x10"', '"0x10"', ['NOT_A_NUMBER']),
  value('native-40', 'an empty string', '""', ['NOT_A_NUMBER']),
  value('native-41', 'null', 'null', ['NOT_A_NUMBER']),
  value('native-42', '[1]', '[1]', ['NOT_A_NUMBER']),
  value('native-43', '{"v":1}', '{"v":1}', ['NOT_A_NUMBER']),
  value('native-44', '"12abc"', '"12abc"', ['NOT_A_NUMBER']),
  value('native-45', 'a 1 MB string', JSON.stringify('9'.repeat(1_000_000) + 'x'), ['NOT_A_NUMBER']),
  value('native-46', 'a 1000-digit number (1e999: Infinity)', '1' + '0'.repeat(999), ['NOT_FINITE']),
  value('native-47', 'a lone surrogate string', '"\\ud800"', ['NOT_A_NUMBER']),
  value('native-48', 'objects nested 10,000 deep', nested(10_000, '{"a":', '}', '1'), ['NOT_A_NUMBER']),
  { id: 'native-49', title: '1e20 for temperature', device: 'json', topic: telemetry, payload: '{"temperature":1e20,"humidity":40}', refused: ['OUT_OF_RANGE'], stored: [['humidity', 40]] },
  { id: 'native-50', title: '1e308 for temperature', device: 'json', topic: telemetry, payload: '{"temperature":1e308}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'native-51', title: '-0 for temperature', device: 'json', topic: telemetry, payload: '{"temperature":-0}', refused: [], stored: [['temperature', 0]] },
  // Metric names.
  { id: 'native-60', title: 'a 64-character metric name', device: 'json', topic: telemetry, payload: JSON.stringify({ [`m${'x'.repeat(63)}`]: 1 }), refused: [], stored: [[`m${'x'.repeat(63)}`, 1]] },
  { id: 'native-61', title: 'a 65-character metric name', device: 'json', topic: telemetry, payload: JSON.stringify({ [`m${'x'.repeat(64)}`]: 1, humidity: 41 }), refused: ['INVALID_METRIC_NAME'], stored: [['humidity', 41]] },
  { id: 'native-62', title: 'a 1 MB metric name', device: 'json', topic: telemetry, payload: JSON.stringify({ ['m'.repeat(1_000_000)]: 1 }), refused: ['INVALID_METRIC_NAME'], stored: [] },
  { id: 'native-63', title: 'an emoji metric name', device: 'json', topic: telemetry, payload: '{"🌡️":21,"humidity":42}', refused: ['INVALID_METRIC_NAME'], stored: [['humidity', 42]] },
  { id: 'native-64', title: 'a lone surrogate metric name', device: 'json', topic: telemetry, payload: '{"\\udc00":21}', refused: ['INVALID_METRIC_NAME'], stored: [] },
  { id: 'native-65', title: 'a metric name with a trailing newline', device: 'json', topic: telemetry, payload: '{"temperature\\n":21}', refused: ['INVALID_METRIC_NAME'], stored: [] },
  { id: 'native-66', title: '__proto__ holding a metric', device: 'json', topic: telemetry, payload: '{"__proto__":{"temperature":21},"humidity":43}', refused: ['INVALID_METRIC_NAME'], stored: [['humidity', 43]] },
  { id: 'native-67', title: 'constructor as a metric (a valid custom name)', device: 'json', topic: telemetry, payload: '{"constructor":5}', refused: [], stored: [['constructor', 5]] },
  { id: 'native-68', title: 'a metric named like a catalogue one with a label (temperature__x)', device: 'json', topic: telemetry, payload: '{"temperature__x":500}', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'native-69', title: 'the same key twice (the last one wins)', device: 'json', topic: telemetry, payload: '{"temperature":1,"temperature":2}', refused: [], stored: [['temperature', 2]] },
  // Shapes.
  { id: 'native-70', title: 'an empty payload', device: 'json', topic: telemetry, payload: '', refused: ['INVALID_JSON'], stored: [] },
  { id: 'native-71', title: 'null', device: 'json', topic: telemetry, payload: 'null', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'native-72', title: 'an empty array', device: 'json', topic: telemetry, payload: '[]', refused: ['EMPTY_PAYLOAD'], stored: [] },
  { id: 'native-73', title: 'arrays nested 10,000 deep', device: 'json', topic: telemetry, payload: nested(10_000, '[', ']', ''), refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'native-74', title: 'arrays nested 100,000 deep', device: 'json', topic: telemetry, payload: nested(100_000, '[', ']', ''), refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'native-75', title: 'an array of 100,000 numbers', device: 'json', topic: telemetry, payload: JSON.stringify(Array.from({ length: 100_000 }, (_v, i) => i)), refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'native-76', title: 'an array of 100,000 empty objects', device: 'json', topic: telemetry, payload: `[${Array.from({ length: 100_000 }, () => '{}').join(',')}]`, refused: ['EMPTY_PAYLOAD'], stored: [] },
  { id: 'native-77', title: 'a backlog of 1,000 readings', device: 'json', topic: telemetry, payload: JSON.stringify(Array.from({ length: 1000 }, (_v, i) => ({ backlog: i, ts: recent - 10 * HOUR + i }))), refused: [], stored: Array.from({ length: 1000 }, (_v, i): [string, number, number] => ['backlog', i, recent - 10 * HOUR + i]) },
  { id: 'native-78', title: 'a backlog with one ts of 1e20 among good ones', device: 'json', topic: telemetry, payload: `[{"temperature":1,"ts":1e20},{"temperature":2,"ts":${recent - 2 * HOUR}},"x"]`, refused: ['TIMESTAMP_IN_FUTURE', 'UNKNOWN_SHAPE'], stored: [['temperature', 2, recent - 2 * HOUR]] },
  { id: 'native-79', title: 'a UTF-8 BOM before the JSON', device: 'json', topic: telemetry, payload: '\ufeff{"temperature":20}', refused: ['INVALID_JSON'], stored: [] },
  { id: 'native-80', title: 'binary garbage', device: 'json', topic: telemetry, payload: Buffer.from([0xff, 0x00, 0xfe, 0x7b, 0x22]), refused: ['INVALID_JSON'], stored: [] },
  { id: 'native-81', title: 'invalid UTF-8 inside a key', device: 'json', topic: telemetry, payload: Buffer.concat([Buffer.from('{"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('":1,"humidity":44}')]), refused: ['INVALID_METRIC_NAME'], stored: [['humidity', 44]] },
  { id: 'native-83', title: '1,500 distinct metrics in one payload (cap 1000 a device)', device: 'wide', topic: telemetry, payload: JSON.stringify(Object.fromEntries(Array.from({ length: 1500 }, (_v, i) => [`m${i}`, i]))), refused: ['TOO_MANY_METRICS'], stored: 1000 },
  { id: 'native-84', title: 'an existing metric after the cap keeps flowing', device: 'wide', topic: telemetry, payload: '{"m0":7,"m1499":7}', refused: ['TOO_MANY_METRICS'], stored: [['m0', 7]] },
  // The plain form: tsudoi/<m>/<d>/<metric>.
  { id: 'native-90', title: 'plain "1e308" for temperature', device: 'plain', topic: leaf('temperature'), payload: '1e308', refused: ['OUT_OF_RANGE'], stored: [] },
  { id: 'native-91', title: 'plain "-0"', device: 'plain', topic: leaf('probe'), payload: '-0', refused: [], stored: [['probe', 0]] },
  { id: 'native-92', title: 'plain with spaces around', device: 'plain', topic: leaf('temperature'), payload: '  21.5\n', refused: [], stored: [['temperature', 21.5]] },
  { id: 'native-93', title: 'plain empty', device: 'plain', topic: leaf('temperature'), payload: '', refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'native-94', title: 'plain JSON object', device: 'plain', topic: leaf('temperature'), payload: '{"v":1}', refused: ['NOT_A_NUMBER'], stored: [] },
  { id: 'native-95', title: 'plain on __proto__', device: 'plain', topic: leaf('__proto__'), payload: '1', refused: ['INVALID_METRIC_NAME'], stored: [] },
  { id: 'native-96', title: 'plain on constructor', device: 'plain', topic: leaf('constructor'), payload: '3', refused: [], stored: [['constructor', 3]] },
  { id: 'native-97', title: 'plain on a 65-character metric', device: 'plain', topic: leaf(`m${'x'.repeat(64)}`), payload: '1', refused: ['INVALID_METRIC_NAME'], stored: [] },
  { id: 'native-98', title: 'plain on an emoji metric', device: 'plain', topic: leaf('🌡'), payload: '1', refused: ['INVALID_METRIC_NAME'], stored: [] },
  { id: 'native-99', title: 'status neither online nor offline', device: 'plain', topic: leaf('status'), payload: 'maybe', refused: ['UNKNOWN_SHAPE'], stored: [] },
  { id: 'native-100', title: 'a multi-level topic in its own tree (routed, not a reading)', device: 'plain', topic: leaf('cmd/led'), payload: 'on', refused: [], stored: [] },
  { id: 'native-101', title: 'another member\'s telemetry topic', device: 'json', topic: () => 'tsudoi/hx-canary/hx-canary-d1/telemetry', payload: '{"canary":-1}', refused: ['TOPIC_NOT_ALLOWED'], stored: [] },
  { id: 'native-102', title: 'a sibling device\'s telemetry topic', device: 'plain', topic: () => 'tsudoi/hx/hx-json/telemetry', payload: '{"temperature":1}', refused: ['TOPIC_NOT_ALLOWED'], stored: [] }
]
