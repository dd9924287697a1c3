import {
  Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip
} from 'chart.js'

// Only what the dashboard draws is registered, so esbuild drops the rest of Chart.js (bars,
// pies, the time scale and its date adapter): times sit on a linear axis of epoch ms and
// are labelled with Intl.DateTimeFormat instead. Filler draws the p25–p75 band.
Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Tooltip, Legend)

Chart.defaults.font.family = 'system-ui, "Hiragino Sans", "Noto Sans JP", "Yu Gothic UI", Meiryo, sans-serif'
Chart.defaults.color = '#1a1a1a'
Chart.defaults.borderColor = '#d0d0d0'
// Live updates come every few seconds; animation would make the lines swim on a projector.
Chart.defaults.animation = false

/** Bigger type on the projector, readable from the back of a room. */
export function setChartScale (large: boolean): void {
  Chart.defaults.font.size = large ? 22 : 13
}

export { Chart }
