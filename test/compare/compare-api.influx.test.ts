import { afterAll, beforeAll, describe } from 'vitest'
import { type Influxd, influxdAvailable, startInfluxd } from '../helpers/influxd.ts'
import { compareApiSuite } from './compare-api.suite.ts'

// The same comparisons, with the hub writing through the durable queue into a real InfluxDB.
const available = influxdAvailable()
let influxd: Influxd | undefined
beforeAll(async () => { if (available) influxd = await startInfluxd() })
afterAll(async () => { await influxd?.dispose() })

describe.skipIf(!available)('with InfluxDB', () => {
  compareApiSuite('InfluxDB 1.x through the durable queue', () => ({ INFLUX_URL: influxd!.url, INFLUX_DATABASE: 'compare_api' }))
})
