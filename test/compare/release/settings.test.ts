import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../server/config.ts'

describe('release settings', () => {
  it('default to p = 10 %, Tokyo days and a 10-minute grace', () => {
    expect(loadConfig({})).toMatchObject({ TSUDOI_PRIVACY_P: 10, TSUDOI_TIMEZONE: 'Asia/Tokyo', TSUDOI_RELEASE_GRACE: 600_000 })
    expect(loadConfig({ TSUDOI_PRIVACY_P: '20', TSUDOI_TIMEZONE: 'Europe/Berlin', TSUDOI_RELEASE_GRACE: '90s' }))
      .toMatchObject({ TSUDOI_PRIVACY_P: 20, TSUDOI_TIMEZONE: 'Europe/Berlin', TSUDOI_RELEASE_GRACE: 90_000 })
  })

  it.each([
    ['TSUDOI_PRIVACY_P', '0'],
    ['TSUDOI_PRIVACY_P', '31'],
    ['TSUDOI_TIMEZONE', 'Tokyo'],
    ['TSUDOI_TIMEZONE', 'Asia/Kolkata'],
    ['TSUDOI_RELEASE_GRACE', '10'],
    ['TSUDOI_RELEASE_GRACE', '8d'],
    ['TSUDOI_RELEASE_GRACE', 'soon']
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}": .+`))
  })
})
