import { z } from 'zod'
import { formatDuration, parseDuration } from './domain/duration.ts'
import { MAX_PRIVACY_P, MIN_PRIVACY_P } from './compare/release/perturbation.ts'
import { validTimeZone } from './compare/release/local-grid.ts'

// Every setting the hub reads, in one schema. A bad value stops startup with a message
// that names the variable and what it allows (see formatConfigError).
const port = z.coerce.number().int().min(0).max(65535)
/** A duration as people type it (server/domain/duration.ts: `90s`, `10m`, `1h30m`, `2d`), in ms, within [min, max]. */
const duration = (what: string, min: number, max: number) => z.string().trim().transform((text, ctx) => {
  const ms = parseDuration(text)
  if (ms === undefined || ms < min || ms > max) {
    ctx.addIssue({ code: 'custom', message: `must be ${what}, from ${formatDuration(min)} to ${formatDuration(max)}` })
    return z.NEVER
  }
  return ms
})
const bool = z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no']).transform((v) => ['1', 'true', 'on', 'yes'].includes(v))

export const configSchema = z.object({
  TSUDOI_DATA_DIR: z.string().min(1).default('./data'),
  TSUDOI_HOST: z.string().min(1).default('0.0.0.0'),
  TSUDOI_MQTT_PORT: port.default(1883),
  TSUDOI_HTTP_PORT: port.default(8080),
  // MQTT over TLS: both files (PEM) switch on a listener on TSUDOI_MQTTS_PORT.
  TSUDOI_TLS_CERT: z.string().min(1).optional(),
  TSUDOI_TLS_KEY: z.string().min(1).optional(),
  TSUDOI_MQTTS_PORT: port.default(8883),
  TSUDOI_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TSUDOI_MAX_PAYLOAD: z.coerce.number().int().min(256).max(16 * 1024 * 1024).default(64 * 1024),
  TSUDOI_K_ANONYMITY: z.coerce.number().int().min(3, 'k below 3 would expose individual members').max(1000).default(3),
  TSUDOI_PUBLIC_COMPARISONS: bool.default(true),
  // How long the group committer waits to gather readings into one transaction.
  TSUDOI_COMMIT_WINDOW_MS: z.coerce.number().min(0).max(1000).default(4),
  // fsync every commit (full) or leave it to the OS (normal: survives a crash of the hub, not of the machine).
  TSUDOI_SYNC: z.enum(['full', 'normal']).default('full'),
  TSUDOI_QUEUE_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).default(512 * 1024 * 1024),
  // Workshop joins a minute from one address (a room behind one NAT shares it).
  TSUDOI_JOIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  TSUDOI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TSUDOI_PUBLIC_URL: z.url().optional(),
  // Broker limits that apply before and after authentication (docs/security.md).
  // The telemetry fast path (server/broker/publish-fast-path.ts); off sends every packet through aedes.
  TSUDOI_FAST_PATH: bool.default(true),
  // Open MQTT connections one device login may hold at once.
  TSUDOI_MAX_CONNECTIONS_PER_DEVICE: z.coerce.number().int().min(1).max(1000).default(8),
  // New MQTT connections one source address may open per second (a workshop room behind one NAT shares it).
  TSUDOI_CONNECT_RATE_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),
  // MQTT 5: the longest session expiry a device may ask for; its subscriptions and queued messages are dropped after it.
  TSUDOI_MAX_SESSION_EXPIRY: duration('a duration such as 1h, 1d or 7d', 1000, 30 * 86_400_000).prefault('1d'),
  // Distinct metrics one device may create; a Zigbee2MQTT bridge carries many sensors, a Tasmota ~30.
  TSUDOI_MAX_METRICS_PER_DEVICE: z.coerce.number().int().min(1).max(100_000).default(1000),
  // Reverse proxies whose X-Forwarded-For the HTTP side believes: off, or a comma-separated list of addresses/CIDRs.
  TSUDOI_TRUST_PROXY: z.string().trim().default('off').transform((v, ctx) => {
    if (['off', '0', 'false', 'no', ''].includes(v)) return false as const
    const list = v.split(',').map((a) => a.trim()).filter((a) => a !== '')
    if (list.some((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a))) {
      ctx.addIssue({ code: 'custom', message: 'must be "off" or a comma-separated list of proxy IP addresses or CIDR ranges' })
      return z.NEVER
    }
    return list
  }),
  // Protected comparison releases (docs/privacy.md): the p % no one may estimate a member's value within,
  // the community's time zone that cuts days and weeks, and how long a closed bucket waits for late readings.
  TSUDOI_PRIVACY_P: z.coerce.number().int().min(MIN_PRIVACY_P).max(MAX_PRIVACY_P).default(10),
  TSUDOI_TIMEZONE: z.string().trim().default('Asia/Tokyo').superRefine((zone, ctx) => {
    const valid = validTimeZone(zone)
    if (valid !== true) ctx.addIssue({ code: 'custom', message: valid })
  }),
  TSUDOI_RELEASE_GRACE: duration('a duration such as 90s, 10m, 2h or 1d', 0, 7 * 86_400_000).prefault('10m'),
  // Alerts (docs/alerts.md): e-mail over SMTP, LINE push, webhooks to private addresses, retries.
  TSUDOI_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, such as smtp://host:25 or smtps://user:pass@host:465' }).optional(),
  TSUDOI_SMTP_FROM: z.email('must be an e-mail address, such as alerts@example.jp').optional(),
  TSUDOI_LINE_CHANNEL_TOKEN: z.string().trim().min(1).optional(),
  TSUDOI_LINE_API_BASE: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://api.line.me'),
  TSUDOI_ALERT_WEBHOOK_PRIVATE: bool.default(false),
  TSUDOI_ALERT_RETRY: duration('a duration such as 500ms, 30s or 5m', 10, 3_600_000).prefault('30s'),
  TSUDOI_ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  INFLUX_URL: z.url().optional(),
  INFLUX_DATABASE: z.string().min(1).default('tsudoi'),
  INFLUX_TOKEN: z.string().min(1).optional(),
  /** 2.x organisation (name or ID) for writes and deletes; needed when the token can see several orgs. */
  INFLUX_ORG: z.string().min(1).optional(),
  INFLUX_USERNAME: z.string().min(1).optional(),
  INFLUX_PASSWORD: z.string().optional()
})

export type Config = z.infer<typeof configSchema>

/** Settings that only make sense together. */
const pairs: Array<[keyof Config, keyof Config]> = [['TSUDOI_TLS_CERT', 'TSUDOI_TLS_KEY'], ['TSUDOI_SMTP_URL', 'TSUDOI_SMTP_FROM']]

export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Reads the configuration from an environment; throws a ConfigError that names each bad variable. */
export function loadConfig (env: Record<string, string | undefined>): Config {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((key) => {
      const value = env[key]
      return value === undefined || value === '' ? [] : [[key, value]]
    })
  )
  const parsed = configSchema.safeParse(relevant)
  if (parsed.success) {
    for (const [a, b] of pairs) {
      if ((parsed.data[a] === undefined) !== (parsed.data[b] === undefined)) {
        const missing = parsed.data[a] === undefined ? a : b
        throw new ConfigError(`Invalid configuration:\n  ${missing}="": required when ${missing === a ? b : a} is set`)
      }
    }
    return parsed.data
  }
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?')
    return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`
  })
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}
