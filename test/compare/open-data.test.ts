import { describe, expect, it } from 'vitest'
import type { CompareResult } from '../../server/compare/compare-service.ts'
import { toCsv, toOpenData } from '../../server/compare/open-data.ts'
import { QUANTILE_METHOD } from '../../server/compare/quantile.ts'
import { HOUR, T0 } from './fixtures.ts'

const result: CompareResult = {
  metric: 'water_volume', unit: 'm³', kind: 'counter', sector: 'aquaculture', k: 3, bucket: HOUR, per: null,
  buckets: [
    { time: T0, members: 2, suppressed: true },
    { time: T0 + HOUR, members: 4, p50: 2.5, mean: 2.75 },
    { time: T0 + 2 * HOUR, members: 10, p10: 1.9, p25: 3.25, p50: 5.5, p75: 7.75, p90: 9.1, mean: 5.5 }
  ]
}

describe('toOpenData', () => {
  it('gives every row every column, null where a figure is withheld', () => {
    expect(toOpenData(result)).toEqual({
      k: 3, method: QUANTILE_METHOD, metric: 'water_volume', unit: 'm³', sector: 'aquaculture', bucket: HOUR,
      rows: [
        { time: T0, members: 2, suppressed: true, p10: null, p25: null, p50: null, p75: null, p90: null, mean: null },
        { time: T0 + HOUR, members: 4, suppressed: false, p10: null, p25: null, p50: 2.5, p75: null, p90: null, mean: 2.75 },
        { time: T0 + 2 * HOUR, members: 10, suppressed: false, p10: 1.9, p25: 3.25, p50: 5.5, p75: 7.75, p90: 9.1, mean: 5.5 }
      ]
    })
  })
})

describe('toCsv', () => {
  it('writes a header, k on every row and empty cells for absent figures', () => {
    expect(toCsv(toOpenData(result))).toBe([
      'time,metric,unit,sector,bucket_ms,k,quantile_method,members,suppressed,p10,p25,p50,p75,p90,mean',
      '2024-01-01T00:00:00.000Z,water_volume,m³,aquaculture,3600000,3,hyndman-fan-7,2,true,,,,,,',
      '2024-01-01T01:00:00.000Z,water_volume,m³,aquaculture,3600000,3,hyndman-fan-7,4,false,,,2.5,,,2.75',
      '2024-01-01T02:00:00.000Z,water_volume,m³,aquaculture,3600000,3,hyndman-fan-7,10,false,1.9,3.25,5.5,7.75,9.1,5.5',
      ''
    ].join('\r\n'))
  })

  it('leaves the sector empty for all sectors and writes only the header for no rows', () => {
    expect(toCsv({ ...toOpenData(result), sector: null, rows: [] })).toBe(
      'time,metric,unit,sector,bucket_ms,k,quantile_method,members,suppressed,p10,p25,p50,p75,p90,mean\r\n')
    const line = toCsv({ ...toOpenData(result), sector: null }).split('\r\n')[1]
    expect(line).toBe('2024-01-01T00:00:00.000Z,water_volume,m³,,3600000,3,hyndman-fan-7,2,true,,,,,,')
  })

  it('quotes a cell holding a comma or a quote (RFC 4180)', () => {
    const line = toCsv({ ...toOpenData(result), unit: 'kg, "dry"' }).split('\r\n')[1]
    expect(line).toContain(',"kg, ""dry""",')
  })
})
