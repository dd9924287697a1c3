// The one catalogue of errors. Each code is stable (devices and scripts match on it),
// carries its HTTP status, and says what the MQTT side does about it.

type MqttEffect =
  | 'refuse-payload' // reading(s) dropped, reason published to the device's errors topic, connection kept
  | 'refuse-subscription' // SUBACK failure code 0x80 [MQTT-3.9.3], connection kept
  | 'refuse-connection' // CONNACK with a non-zero return code [MQTT-3.2.2-5]
  | 'none'

interface ErrorSpec { status: number, mqtt: MqttEffect, message: string }

export const errorCatalogue = {
  // Ingest refusals (MQTT side). HTTP status given for the API that reports them.
  PAYLOAD_TOO_LARGE: { status: 413, mqtt: 'refuse-payload', message: 'payload is larger than the hub accepts' },
  INVALID_JSON: { status: 400, mqtt: 'refuse-payload', message: 'payload is not valid JSON' },
  UNKNOWN_SHAPE: { status: 400, mqtt: 'refuse-payload', message: 'payload is not an object of metric → number, an array of such objects, or a number' },
  INVALID_METRIC_NAME: { status: 400, mqtt: 'refuse-payload', message: 'metric name must match [a-z][a-z0-9_]{0,63}' },
  NOT_A_NUMBER: { status: 400, mqtt: 'refuse-payload', message: 'value is not a number' },
  NOT_FINITE: { status: 400, mqtt: 'refuse-payload', message: 'value is not finite (NaN or Infinity)' },
  OUT_OF_RANGE: { status: 400, mqtt: 'refuse-payload', message: 'value is outside the valid range of the metric' },
  INVALID_TIMESTAMP: { status: 400, mqtt: 'refuse-payload', message: 'ts is neither epoch milliseconds nor an ISO 8601 date' },
  TIMESTAMP_IN_FUTURE: { status: 400, mqtt: 'refuse-payload', message: 'ts is more than one day in the future' },
  TIMESTAMP_TOO_OLD: { status: 400, mqtt: 'refuse-payload', message: 'ts is before the year 2000' },
  EMPTY_PAYLOAD: { status: 400, mqtt: 'refuse-payload', message: 'payload holds no reading' },
  TOPIC_NOT_ALLOWED: { status: 403, mqtt: 'refuse-payload', message: 'this device may not publish to that topic' },
  TOO_MANY_METRICS: { status: 400, mqtt: 'refuse-payload', message: 'the device already has as many metrics as the hub allows (TSUDOI_MAX_METRICS_PER_DEVICE)' },
  PROCESSING_FAILED: { status: 500, mqtt: 'refuse-payload', message: 'the hub failed while reading this payload; it was refused and the connection kept' },
  UNKNOWN_TOPIC: { status: 400, mqtt: 'refuse-payload', message: 'topic is not one the device\'s format understands' },
  STORE_UNAVAILABLE: { status: 503, mqtt: 'none', message: 'the reading store cannot accept data right now' },
  QUEUE_FULL: { status: 503, mqtt: 'none', message: 'the durable queue is full; acknowledgements are paused' },
  // Connection and subscription refusals.
  BAD_CREDENTIALS: { status: 401, mqtt: 'refuse-connection', message: 'unknown device or wrong token' },
  CLIENT_ID_REQUIRED: { status: 400, mqtt: 'refuse-connection', message: 'an empty client id needs clean session [MQTT-3.1.3-8]' },
  IDENTIFIER_REJECTED: { status: 400, mqtt: 'refuse-connection', message: 'client identifier rejected' },
  TOO_MANY_CONNECTIONS: { status: 429, mqtt: 'refuse-connection', message: 'this device already holds as many connections as the hub allows (TSUDOI_MAX_CONNECTIONS_PER_DEVICE)' },
  CONNECT_RATE_LIMITED: { status: 429, mqtt: 'refuse-connection', message: 'too many new connections from this address (TSUDOI_CONNECT_RATE_PER_ADDRESS)' },
  PACKET_TOO_LARGE: { status: 413, mqtt: 'refuse-connection', message: 'an MQTT packet announced more bytes than the hub accepts for its type; the connection is closed' },
  SUBSCRIPTION_NOT_ALLOWED: { status: 403, mqtt: 'refuse-subscription', message: 'this device may not subscribe to that topic filter' },
  // HTTP API.
  VALIDATION_FAILED: { status: 400, mqtt: 'none', message: 'request is invalid' },
  UNAUTHORIZED: { status: 401, mqtt: 'none', message: 'missing or invalid credentials' },
  FORBIDDEN: { status: 403, mqtt: 'none', message: 'not allowed' },
  NOT_FOUND: { status: 404, mqtt: 'none', message: 'not found' },
  CONFLICT: { status: 409, mqtt: 'none', message: 'already exists' },
  GONE: { status: 410, mqtt: 'none', message: 'no longer available' },
  RATE_LIMITED: { status: 429, mqtt: 'none', message: 'too many requests' },
  INTERNAL: { status: 500, mqtt: 'none', message: 'internal error' }
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof errorCatalogue

/** An error the hub raises on purpose; the HTTP error handler and the ingest path both map it by code. */
export class TsudoiError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details?: unknown

  constructor (code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? errorCatalogue[code].message)
    this.name = 'TsudoiError'
    this.code = code
    this.status = errorCatalogue[code].status
    this.details = details
  }
}
