// Japanese national holidays (国民の祝日), from the rules of the Act on National Holidays
// as the Cabinet Office publishes them (内閣府「国民の祝日について」,
// https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html). Rules rather than a year table so
// the simulator keeps working next year. Valid from 2022 on (the 2020–2021 Olympic moves
// are not modelled); equinox days use the usual approximation, exact for 1980–2099.

const cache = new Map<number, Set<string>>()

const key = (month: number, day: number): string => `${month}-${day}`

/** Day of month of the n-th Monday (n from 1) of a month. */
function nthMonday (year: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay()
  const firstMonday = 1 + ((8 - firstWeekday) % 7)
  return firstMonday + 7 * (n - 1)
}

function vernalEquinox (year: number): number {
  return Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4))
}

function autumnalEquinox (year: number): number {
  return Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4))
}

function namedHolidays (year: number): Array<[number, number]> {
  return [
    [1, 1], [1, nthMonday(year, 1, 2)], [2, 11], [2, 23], [3, vernalEquinox(year)], [4, 29],
    [5, 3], [5, 4], [5, 5], [7, nthMonday(year, 7, 3)], [8, 11], [9, nthMonday(year, 9, 3)],
    [9, autumnalEquinox(year)], [10, nthMonday(year, 10, 2)], [11, 3], [11, 23]
  ]
}

function holidaysOf (year: number): Set<string> {
  const known = cache.get(year)
  if (known !== undefined) return known
  const days = new Set(namedHolidays(year).map(([m, d]) => key(m, d)))
  const isHoliday = (date: Date): boolean => date.getUTCFullYear() === year && days.has(key(date.getUTCMonth() + 1, date.getUTCDate()))
  // 振替休日 (Art. 3-2): a holiday on a Sunday moves to the next day that is not a holiday.
  for (const [month, day] of namedHolidays(year)) {
    const date = new Date(Date.UTC(year, month - 1, day))
    if (date.getUTCDay() !== 0) continue
    do date.setUTCDate(date.getUTCDate() + 1)
    while (isHoliday(date))
    if (date.getUTCFullYear() === year) days.add(key(date.getUTCMonth() + 1, date.getUTCDate()))
  }
  // 国民の休日 (Art. 3-3): a weekday between two holidays is a holiday (September, some years).
  for (let month = 1; month <= 12; month++) {
    for (let day = 2; day <= 30; day++) {
      const date = new Date(Date.UTC(year, month - 1, day))
      if (date.getUTCMonth() !== month - 1 || date.getUTCDay() === 0 || days.has(key(month, day))) continue
      const before = new Date(Date.UTC(year, month - 1, day - 1))
      const after = new Date(Date.UTC(year, month - 1, day + 1))
      if (isHoliday(before) && isHoliday(after)) days.add(key(month, day))
    }
  }
  cache.set(year, days)
  return days
}

/** Whether a calendar date (in Japan) is a national holiday. */
export function isJapaneseHoliday (year: number, month: number, day: number): boolean {
  return holidaysOf(year).has(key(month, day))
}
