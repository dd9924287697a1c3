import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../server/config.ts'

describe('configuration', () => {
  it('has defaults that start a hub with no external server', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      TSUDOI_DATA_DIR: './data', TSUDOI_HOST: '0.0.0.0', TSUDOI_MQTT_PORT: 1883, TSUDOI_HTTP_PORT: 8080,
      TSUDOI_MAX_PAYLOAD: 65_536, TSUDOI_K_ANONYMITY: 3, TSUDOI_PUBLIC_COMPARISONS: true, INFLUX_DATABASE: 'tsudoi'
    })
    expect(config.INFLUX_URL).toBeUndefined()
    expect(config.TSUDOI_ADMIN_TOKEN).toBeUndefined()
  })

  it('reads and converts values', () => {
    expect(loadConfig({ TSUDOI_MQTT_PORT: '0', TSUDOI_PUBLIC_COMPARISONS: 'off', TSUDOI_K_ANONYMITY: '5' }))
      .toMatchObject({ TSUDOI_MQTT_PORT: 0, TSUDOI_PUBLIC_COMPARISONS: false, TSUDOI_K_ANONYMITY: 5 })
  })

  it.each([
    ['TSUDOI_MQTT_PORT', 'abc'],
    ['TSUDOI_HTTP_PORT', '70000'],
    ['TSUDOI_K_ANONYMITY', '2'],
    ['TSUDOI_MAX_PAYLOAD', '-1'],
    ['TSUDOI_PUBLIC_COMPARISONS', 'maybe'],
    ['INFLUX_URL', 'not a url'],
    ['TSUDOI_ADMIN_TOKEN', 'short']
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}": .+`))
  })

  it('names every bad variable at once', () => {
    try {
      loadConfig({ TSUDOI_MQTT_PORT: 'x', TSUDOI_K_ANONYMITY: '1' })
      expect.unreachable()
    } catch (error) {
      expect((error as Error).message).toMatch(/TSUDOI_MQTT_PORT="x"/)
      expect((error as Error).message).toMatch(/TSUDOI_K_ANONYMITY="1": k below 3/)
    }
  })

  it('stops the real entry point with the message and exit code 78', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, TSUDOI_HTTP_PORT: 'eighty' }, encoding: 'utf8', timeout: 20_000
    })
    expect(run.status).toBe(78)
    expect(run.stderr).toMatch(/TSUDOI_HTTP_PORT="eighty"/)
  })
})
