// Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable with the common
// forms of colour blindness. Lines also differ by dash and width, so no meaning rests on
// colour alone. Each line colour has ≥ 3:1 contrast on white (WCAG 1.4.11, non-text).
export const okabeIto = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7'
} as const

export const roles = {
  median: okabeIto.blue,
  /** The band is an area, translucent so the gridlines still read through it. */
  band: 'rgba(86, 180, 233, 0.35)',
  bandEdge: 'rgba(0, 114, 178, 0.45)',
  /** The mean (solid, thinner than the median): drawn for every shown bucket. */
  mean: okabeIto.black,
  me: okabeIto.vermillion,
  /** The edges of the mean's 90 % interval (docs/privacy.md): dotted, so they read as bounds, not data. */
  interval: okabeIto.bluishGreen,
  series: [okabeIto.blue, okabeIto.vermillion, okabeIto.bluishGreen, okabeIto.reddishPurple, okabeIto.black]
} as const
