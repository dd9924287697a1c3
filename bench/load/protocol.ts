// Messages between the generator (parent) and its worker processes.

export interface DeviceLogin { clientId: string, username: string, password: string, topic: string }

export interface ConnectCommand {
  cmd: 'connect'
  host: string
  port: number
  devices: DeviceLogin[]
  keepaliveS: number
  /** CONNECTs outstanding at once in this worker. */
  concurrency: number
  timeoutMs: number
}

export interface RunCommand {
  cmd: 'run'
  /** Messages per second this worker offers, spread over its connections. */
  rate: number
  durationMs: number
  qos: 0 | 1
  /** Unacknowledged QoS 1 publishes per connection before that connection waits. */
  maxInflight: number
  payloadBytes: number
  /** Wall-clock ms at which every worker starts sending. */
  startAt: number
  /** How long to wait for outstanding PUBACKs after the load stops. */
  drainMs: number
}

export type Command = ConnectCommand | RunCommand | { cmd: 'status' } | { cmd: 'close' }

export interface Connected { ev: 'connected', connected: number, failed: number, firstError?: string, ms: number }

export interface Ran {
  ev: 'ran'
  /** Messages the schedule asked for. */
  offered: number
  /** Messages written to sockets. */
  sent: number
  acked: number
  /** Sent at QoS 1 and never acknowledged within drainMs. */
  unacked: number
  /** Connections that closed during the run (the broker dropped them or died). */
  closed: number
  /** publish → PUBACK latency, sparse histogram (see lib/histogram.ts). */
  latency: Array<[number, number]>
  cpuMs: number
  /** Wall-clock ms when sending stopped. */
  stoppedAt: number
  /** Wall-clock ms when every PUBACK was in (or drainMs ran out). */
  settledAt: number
  maxTs: number
}

export interface Status { ev: 'status', open: number, closed: number }

export type Event = Connected | Ran | Status | { ev: 'closed' } | { ev: 'error', message: string }
