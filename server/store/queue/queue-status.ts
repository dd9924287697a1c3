/** The durable queue's state when readings go through it to InfluxDB (GET /api/health, /metrics). */
export interface QueueStatus { depth: number, bytes: number, oldestAgeMs: number, full: boolean }
