import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { flagName, parseCli } from '../../device-sim/cli-args.ts'
import { assignSectors } from '../../device-sim/community.ts'
import { formatDuration, parseDuration } from '../../server/domain/duration.ts'
import { resolveOptions } from '../../device-sim/options.ts'

const issues = (input: Parameters<typeof resolveOptions>[0]): string[] => {
  try {
    resolveOptions(input)
    return []
  } catch (error) {
    if (!(error instanceof ZodError)) throw error
    return error.issues.map((i) => `${flagName(i.path.join('.'))}: ${i.message}`)
  }
}

describe('durations', () => {
  it.each([['500ms', 500], ['10s', 10_000], ['5m', 300_000], ['1h30m', 5_400_000], ['7d', 604_800_000], ['2w', 1_209_600_000], ['1.5s', 1500]])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })
  it.each(['', '10', 's', '10q', '1h 30m', '-5s'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
  it('formats back to a short form', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m')
    expect(formatDuration(604_800_000)).toBe('7d')
    expect(formatDuration(250)).toBe('250ms')
  })
})

describe('the command line', () => {
  it('maps every flag onto the options and fills in the defaults', () => {
    const { input, help, json } = parseCli([
      '--url', 'ws://hub:8080/mqtt', '--api', 'http://hub:8080', '--admin-token', 'secret', '--provision',
      '--members', '5', '--devices-per-member', '3', '--sectors', 'restaurant:3,office', '--interval', '30s',
      '--speed', '60', '--duration', '10m', '--seed', '9', '--format', 'plain', '--faults', 'malformed:0.1,dropout',
      '--backfill', '7d', '--batch', '20', '--qos', '0', '--json'
    ])
    expect(help).toBe(false)
    expect(json).toBe(true)
    expect(resolveOptions(input)).toMatchObject({
      url: 'ws://hub:8080/mqtt', api: 'http://hub:8080', adminToken: 'secret', provision: true, state: '.tsudoi-sim.json',
      members: 5, devicesPerMember: 3, sectors: [{ sector: 'restaurant', count: 3 }, { sector: 'office' }],
      interval: 30_000, speed: 60, duration: 600_000, seed: 9, format: 'plain', faults: { malformed: 0.1, dropout: 0.01 },
      backfill: 604_800_000, backfillInterval: 300_000, batch: 20, qos: 0
    })
  })

  it('takes the admin token from the environment and defaults the MQTT URL to the API host', () => {
    const { input } = parseCli(['--provision', '--api', 'http://10.0.0.5:8080'], { TSUDOI_ADMIN_TOKEN: 'from-env' })
    expect(resolveOptions(input)).toMatchObject({ adminToken: 'from-env', url: 'mqtt://10.0.0.5:1883', members: 12, interval: 10_000, qos: 1 })
  })

  it('answers --help and refuses unknown flags', () => {
    expect(parseCli(['-h']).help).toBe(true)
    expect(() => parseCli(['--bogus'])).toThrow(/bogus/)
  })

  it('names the flag and the reason for every invalid value', () => {
    expect(issues({ state: 's', url: 'http://x', sectors: 'pub,office:x', faults: 'rain,malformed:2', interval: '10q', qos: 3, seed: -1 })).toEqual(expect.arrayContaining([
      '--url: must be an mqtt://, mqtts://, ws:// or wss:// URL',
      expect.stringMatching(/^--sectors: unknown sector "pub"/),
      '--sectors: sector office: count "x" must be a whole number',
      expect.stringMatching(/^--faults: unknown fault "rain"/),
      '--faults: fault malformed: rate "2" must be a number from 0 to 1',
      '--interval: "10q" is not a duration (e.g. 500ms, 10s, 5m, 1h, 7d)',
      expect.stringMatching(/^--qos: /),
      expect.stringMatching(/^--seed: /)
    ]))
  })

  it('insists on what provisioning needs, and on credentials', () => {
    expect(issues({ provision: true })).toEqual([
      '--api: provisioning needs the hub\'s HTTP address (--api http://host:8080)',
      '--admin-token: provisioning needs the organizer token (--admin-token, TSUDOI_ADMIN_TOKEN, or the hub\'s data/admin-token file in the folder it runs from)'
    ])
    expect(issues({})).toEqual(['--provision: devices need credentials: use --provision, or a --state file from an earlier --provision run'])
    expect(issues({ state: 's', interval: '1s', speed: 100 })).toEqual(['--interval: interval / speed is below 20 ms per device: raise --interval or lower --speed'])
    expect(issues({ state: 's', members: 4, sectors: 'office:2,retail:3' })).toEqual(['--members: --members 4 does not match the sector counts (5)'])
  })
})

describe('sector assignment', () => {
  it('gives fixed counts first and shares the rest round-robin', () => {
    expect(assignSectors(7, [{ sector: 'office', count: 2 }, { sector: 'retail' }, { sector: 'public' }]))
      .toEqual(['office', 'office', 'retail', 'public', 'retail', 'public', 'retail'])
  })
  it('takes the member count from the sector counts when they are all given', () => {
    expect(resolveOptions({ state: 's', sectors: 'restaurant:5,agriculture:2' }).members).toBe(7)
  })
})
