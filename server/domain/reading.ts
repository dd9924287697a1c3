// One stored reading as every layer passes it: made by ingest/, kept by store/, read by
// compare/ and the live stream (docs/architecture.md, "The data model").

export interface Reading {
  /** epoch ms */
  time: number
  member: string
  device: string
  sector: string
  metric: string
  value: number
}
