import { describe, expect, it } from 'vitest'
import { filterWithin, topicMatches } from '../../server/domain/topic-filter.ts'

describe('MQTT topic filters [MQTT-4.7]', () => {
  it.each([
    ['tsudoi/a/b/#', 'tsudoi/a/b/telemetry', true],
    ['tsudoi/a/b/#', 'tsudoi/a/b', true],
    ['tsudoi/a/b/#', 'tsudoi/a/c/telemetry', false],
    ['tsudoi/+/b/status', 'tsudoi/x/b/status', true],
    ['tsudoi/+/b/status', 'tsudoi/x/y/b/status', false],
    ['tele/plug/SENSOR', 'tele/plug/SENSOR', true],
    ['tele/plug/SENSOR', 'tele/plug/SENSOR/x', false]
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected)
  })

  it.each([
    ['tsudoi/a/b/#', 'tsudoi/a/b/#', true],
    ['tsudoi/a/b/errors', 'tsudoi/a/b/#', true],
    ['tsudoi/a/b/+', 'tsudoi/a/b/#', true],
    ['tsudoi/a/+/errors', 'tsudoi/a/b/#', false],
    ['tsudoi/#', 'tsudoi/a/b/#', false],
    ['#', 'tsudoi/a/b/#', false],
    ['+/a/b/errors', 'tsudoi/a/b/#', false],
    ['cmnd/plug/+', 'cmnd/plug/+', true],
    ['cmnd/plug/#', 'cmnd/plug/+', false]
  ])('subscription %s within %s: %s', (requested, allowed, expected) => {
    expect(filterWithin(requested, allowed)).toBe(expected)
  })
})

describe('compiled filters', () => {
  it('agree with the general matcher on every filter shape', async () => {
    const { compileFilters } = await import('../../server/domain/topic-filter.ts')
    const fc = await import('fast-check')
    const level = fc.constantFrom('tsudoi', 'a', 'b', 'tele', 'SENSOR', '')
    const topic = fc.array(level, { minLength: 1, maxLength: 5 }).map((levels) => levels.join('/'))
    const filter = fc.array(fc.oneof(level, fc.constant('+')), { minLength: 1, maxLength: 4 })
      .chain((levels) => fc.boolean().map((hash) => [...levels, ...(hash ? ['#'] : [])].join('/')))
    fc.assert(fc.property(fc.array(filter, { minLength: 1, maxLength: 3 }), topic, (filters, t) => {
      expect(compileFilters(filters)(t)).toBe(filters.some((f) => topicMatches(f, t)))
    }), { numRuns: 2000 })
  })
})
