import { describe, expect, it } from 'vitest'
import type { CompareResult } from '../../server/compare/compare-service.ts'
import { openDataCsv, toOpenData } from '../../server/compare/open-data.ts'
import { QUANTILE_METHOD } from '../../server/compare/quantile.ts'
import { HOUR, T0 } from './fixtures.ts'

const result: CompareResult = {
  metric: 'water_volume', unit: 'm³', kind: 'counter', sector: 'aquaculture', k: 3, p: 10, bucket: HOUR, timeZone: 'Asia/Tokyo', per: null,
  buckets: [
    { time: T0, suppressed: true },
    { time: T0 + HOUR, members: 3, membersBand: '3–4', p50: 2.5, mean: 2.75, meanInterval: [2.25, 3.25] },
    { time: T0 + 2 * HOUR, members: 10, membersBand: '10–19', p10: 1.9, p25: 3.25, p50: 5.5, p75: 7.75, p90: 9.1, mean: 5.5, meanInterval: [4.75, 6.25] },
    { time: T0 + 3 * HOUR, pending: true }
  ]
}

describe('toOpenData', () => {
  it('gives every released row every column, null where a figure is withheld, and leaves pending buckets out', () => {
    expect(toOpenData(result)).toEqual({
      k: 3, p: 10, method: QUANTILE_METHOD, metric: 'water_volume', unit: 'm³', sector: 'aquaculture', bucket: HOUR, timeZone: 'Asia/Tokyo',
      rows: [
        { time: T0, members: null, membersBand: null, suppressed: true, p10: null, p25: null, p50: null, p75: null, p90: null, mean: null, meanLow: null, meanHigh: null },
        { time: T0 + HOUR, members: 3, membersBand: '3–4', suppressed: false, p10: null, p25: null, p50: 2.5, p75: null, p90: null, mean: 2.75, meanLow: 2.25, meanHigh: 3.25 },
        { time: T0 + 2 * HOUR, members: 10, membersBand: '10–19', suppressed: false, p10: 1.9, p25: 3.25, p50: 5.5, p75: 7.75, p90: 9.1, mean: 5.5, meanLow: 4.75, meanHigh: 6.25 }
      ]
    })
  })
})

const HEADER = 'time,metric,unit,sector,bucket_ms,time_zone,k,p,quantile_method,members,suppressed,p10,p25,p50,p75,p90,mean,mean_low,mean_high'

describe('openDataCsv', () => {
  it('writes a header, k and p on every row, the member band, and empty cells for absent figures', () => {
    expect(openDataCsv(toOpenData(result))).toBe([
      HEADER,
      '2024-01-01T00:00:00.000Z,water_volume,m³,aquaculture,3600000,Asia/Tokyo,3,10,hyndman-fan-7,,true,,,,,,,,',
      '2024-01-01T01:00:00.000Z,water_volume,m³,aquaculture,3600000,Asia/Tokyo,3,10,hyndman-fan-7,3–4,false,,,2.5,,,2.75,2.25,3.25',
      '2024-01-01T02:00:00.000Z,water_volume,m³,aquaculture,3600000,Asia/Tokyo,3,10,hyndman-fan-7,10–19,false,1.9,3.25,5.5,7.75,9.1,5.5,4.75,6.25',
      ''
    ].join('\r\n'))
  })

  it('leaves the sector empty for all sectors and writes only the header for no rows', () => {
    expect(openDataCsv({ ...toOpenData(result), sector: null, rows: [] })).toBe(`${HEADER}\r\n`)
    const line = openDataCsv({ ...toOpenData(result), sector: null }).split('\r\n')[1]
    expect(line).toBe('2024-01-01T00:00:00.000Z,water_volume,m³,,3600000,Asia/Tokyo,3,10,hyndman-fan-7,,true,,,,,,,,')
  })

  it('quotes a cell holding a comma or a quote (RFC 4180)', () => {
    const line = openDataCsv({ ...toOpenData(result), unit: 'kg, "dry"' }).split('\r\n')[1]
    expect(line).toContain(',"kg, ""dry""",')
  })
})
