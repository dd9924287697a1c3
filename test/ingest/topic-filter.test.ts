import { describe, expect, it } from 'vitest'
import { filterWithin, topicMatches } from '../../server/ingest/topic-filter.ts'

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
