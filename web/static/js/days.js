/**
 * Local dates as 'YYYY-MM-DD' strings, and whole-day arithmetic on them. Pure: nothing reads the
 * clock but `localDay()` called without a date. The plan, the history charts and the records all count days
 * this way, in the person's own time zone.
 */

const DAY_MS = 86400000;
const pad = (n) => String(n).padStart(2, '0');

/** The local date of a Date, as 'YYYY-MM-DD'. */
export function localDay(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function sessionDay(session) {
  return session.day ?? localDay(new Date(session.started_at));
}

/** Whole days since 1970-01-01 for a 'YYYY-MM-DD' (counted in UTC, so no DST hour gets in). */
export function dayNumber(day) {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function dayString(n) {
  return new Date(Math.floor(n) * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday that starts the ISO week of `day` (day 0, 1970-01-01, was a Thursday). */
export function weekStart(day) {
  const n = dayNumber(day);
  return dayString(n - ((n + 3) % 7));
}

/** The day `n` days after `day` (before it, for negative `n`). */
export function addDays(day, n) {
  return dayString(dayNumber(day) + n);
}
