import { DAY_MS, type LocalTime } from './calendar.ts'
import { hashGauss, hashString, hashUnit } from './random.ts'

// The community's shared weather: every member sits in the same town, so one seeded weather
// drives them all (a hot day is hot for every greenhouse). Sources:
// - Air temperature and humidity: JMA climate normals 1991–2020 for Tokyo (気象庁 平年値),
//   https://www.data.jma.go.jp/obd/stats/etrn/ — monthly means, a diurnal swing with its
//   minimum near dawn and maximum near 14:00.
// - Sun: declination after Cooper (1969), equation of time after Spencer (1971), clear-sky
//   irradiance after Haurwitz (1945): GHI = 1098·cos Z·exp(−0.057 / cos Z) W/m²; daylight
//   gives about 110 lm per W.
// - Coastal sea-surface temperature: JMA's coastal SST normals (日本近海の海面水温) for the
//   Pacific coast of central Japan: coldest in late February (~14 °C), warmest late August (~27 °C).

const MONTHLY_TEMPERATURE = [5.4, 6.1, 9.4, 14.3, 18.8, 21.9, 25.7, 26.9, 23.3, 18.0, 12.5, 7.7]
const MONTHLY_HUMIDITY = [52, 53, 57, 62, 66, 73, 75, 73, 74, 69, 63, 56]
const LATITUDE = 35.0
const LONGITUDE = 137.0 // JST is solar time at 135 °E; the site sits 2° east of it.
const RAD = Math.PI / 180

export interface Weather {
  /** Outdoor air temperature, °C. */
  outdoorTemperature (time: number, local: LocalTime): number
  /** Outdoor relative humidity, %. */
  outdoorHumidity (time: number, local: LocalTime): number
  /** Global horizontal irradiance under today's clouds, W/m². */
  irradiance (local: LocalTime): number
  /** Coastal sea-surface temperature, °C. */
  seaTemperature (time: number, local: LocalTime): number
}

/** Monthly normals, interpolated linearly between mid-months. */
export function normalFor (table: readonly number[], dayOfYear: number): number {
  const position = (dayOfYear - 15.2) / 30.44 // 0 at mid-January
  const below = Math.floor(position)
  const fraction = position - below
  const at = (i: number): number => table[((i % 12) + 12) % 12] ?? 0
  return at(below) * (1 - fraction) + at(below + 1) * fraction
}

/** A daily value (seeded) eased into the next day's, so weather never jumps at midnight. */
function smoothDaily (key: number, time: number, draw: (key: number, day: number) => number): number {
  const days = time / DAY_MS
  const day = Math.floor(days)
  const f = days - day
  const ease = (1 - Math.cos(Math.PI * f)) / 2
  return draw(key, day) * (1 - ease) + draw(key, day + 1) * ease
}

/** Sine of the sun's elevation at a local time (negative at night). */
export function sunElevationSine (local: LocalTime): number {
  const n = local.dayOfYear
  const declination = 23.45 * RAD * Math.sin(2 * Math.PI * (284 + n) / 365)
  const b = 2 * Math.PI * (n - 1) / 365
  const equationOfTime = 229.18 * (0.000075 + 0.001868 * Math.cos(b) - 0.032077 * Math.sin(b) -
    0.014615 * Math.cos(2 * b) - 0.040849 * Math.sin(2 * b))
  const solarHour = local.hour + (4 * (LONGITUDE - 135) + equationOfTime) / 60
  const hourAngle = 15 * RAD * (solarHour - 12)
  const phi = LATITUDE * RAD
  return Math.sin(phi) * Math.sin(declination) + Math.cos(phi) * Math.cos(declination) * Math.cos(hourAngle)
}

export function clearSkyIrradiance (local: LocalTime): number {
  const cosZenith = sunElevationSine(local)
  return cosZenith <= 0.01 ? 0 : 1098 * cosZenith * Math.exp(-0.057 / cosZenith)
}

export function createWeather (seed: number): Weather {
  const temperatureKey = hashString(`${seed}:weather:temperature`)
  const cloudKey = hashString(`${seed}:weather:clouds`)
  const seaKey = hashString(`${seed}:weather:sea`)
  // Cloud cover of a day, 0…1; the rainy season (梅雨, early June to mid-July) is cloudier.
  const cloudiness = (local: LocalTime): number => {
    const rainySeason = local.dayOfYear >= 155 && local.dayOfYear <= 200 ? 0.35 : 0
    return Math.min(1, hashUnit(cloudKey, local.dayNumber) * 0.85 + rainySeason)
  }

  return {
    outdoorTemperature (time, local) {
      const normal = normalFor(MONTHLY_TEMPERATURE, local.dayOfYear)
      // Cloudy days swing less between night and afternoon.
      const swing = 4.2 * (1 - 0.5 * cloudiness(local))
      const diurnal = swing * Math.cos(2 * Math.PI * (local.hour - 14) / 24)
      const anomaly = 2.2 * smoothDaily(temperatureKey, time, hashGauss)
      return normal + diurnal + anomaly
    },
    outdoorHumidity (_time, local) {
      const normal = normalFor(MONTHLY_HUMIDITY, local.dayOfYear)
      // Relative humidity runs opposite to temperature over the day; clouds keep it high.
      const diurnal = -12 * Math.cos(2 * Math.PI * (local.hour - 14) / 24)
      return Math.min(99, Math.max(15, normal + diurnal + 15 * (cloudiness(local) - 0.45)))
    },
    irradiance (local) {
      return clearSkyIrradiance(local) * (1 - 0.75 * cloudiness(local))
    },
    seaTemperature (time, local) {
      const seasonal = 20.5 + 6.5 * Math.cos(2 * Math.PI * (local.dayOfYear - 238) / 365.25)
      return seasonal + 0.4 * smoothDaily(seaKey, time, hashGauss)
    }
  }
}
