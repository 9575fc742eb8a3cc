// Tests for web/static/js/charts.js — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  LINE_BOX, STRIP_BOX, WEEKLY_TARGET, adherenceCaption, checkinSeries, didWork, dayNumber, describeFatigue, describeSeries,
  fatigueChart, lineChart, localDay, path, scale, sessionDay, sessionSeries, timeAxis, weekStart,
  weekWords, weeklyAdherence, weeksToShow,
} from '../../web/static/js/charts.js';
import { FATIGUE_REGIONS } from '../../web/static/js/questions.js';

// Auckland (UTC+13 in March): a Sunday evening in UTC is already Monday there, so a week
// counted in UTC instead of local time lands in the wrong week.
process.env.TZ = 'Pacific/Auckland';

let n = 0;
const exercise = (effort, pain, region = null, slug = 'glute-bridge') => ({
  slug, sets_done: 2, reps_done: 16, seconds_done: 0, effort, pain, fatigue_region: region,
  fatigue_onset: region === 'nowhere' ? 'did-not' : region ? { set: 1 } : null,
});
const session = (startedAt, exercises, extra = {}) => ({
  id: `s${++n}`, kind: 'single', started_at: startedAt, ended_at: startedAt, exercises, notes: '', ...extra,
});

describe('days and weeks in local time', () => {
  test('the time zone under test is Auckland', () => {
    assert.equal(localDay(new Date('2027-03-07T11:30:00Z')), '2027-03-08');
  });

  test('a session’s day is its `day`, else the local date it started', () => {
    assert.equal(sessionDay(session('2027-03-07T11:30:00Z', [])), '2027-03-08'); // Mon 00:30 local
    assert.equal(sessionDay(session('2027-03-07T10:30:00Z', [])), '2027-03-07'); // Sun 23:30 local
    assert.equal(sessionDay(session('2027-03-07T11:30:00Z', [], { day: '2027-03-05' })), '2027-03-05');
  });

  test('weeks start on Monday, across months and years', () => {
    assert.equal(weekStart('2027-03-08'), '2027-03-08'); // a Monday
    assert.equal(weekStart('2027-03-14'), '2027-03-08'); // the Sunday after
    assert.equal(weekStart('2027-03-07'), '2027-03-01'); // the Sunday before
    assert.equal(weekStart('2027-01-01'), '2026-12-28'); // a Friday
    assert.equal(weekStart('2024-03-03'), '2024-02-26'); // a leap year's Sunday
    assert.equal(dayNumber('1970-01-02'), 1);
  });
});

describe('weeklyAdherence', () => {
  const sessions = [
    session('2027-03-15T19:00:00Z', [exercise(3, 1)]), // Tue 16 Mar 08:00 local
    session('2027-03-07T11:30:00Z', [exercise(3, 1)]), // Mon 8 Mar 00:30 local: this week's neighbour, not 1 Mar's
    session('2027-03-09T20:00:00Z', [exercise(3, 1)], { day: '2027-03-10' }),
    session('2027-03-07T10:30:00Z', [exercise(3, 1)]), // Sun 7 Mar 23:30 local
    session('2027-03-01T19:00:00Z', [exercise(3, 1)]),
    session('2027-03-03T19:00:00Z', [exercise(3, 1)]),
    session('2027-01-04T19:00:00Z', [exercise(3, 1)]), // older than eight weeks: not shown
  ];
  const weeks = weeklyAdherence(sessions, '2027-03-17');

  test('eight Monday-started weeks, oldest first, ending with the one holding today', () => {
    assert.deepEqual(weeks.map((w) => w.start), [
      '2027-01-25', '2027-02-01', '2027-02-08', '2027-02-15', '2027-02-22', '2027-03-01', '2027-03-08', '2027-03-15',
    ]);
    assert.deepEqual(weeks.map((w) => w.current), [false, false, false, false, false, false, false, true]);
    assert.ok(weeks.every((w) => w.target === WEEKLY_TARGET && WEEKLY_TARGET === 3));
  });

  test('counts sessions by the local Monday; a week with none shows 0', () => {
    assert.deepEqual(weeks.map((w) => w.sessions), [0, 0, 0, 0, 0, 3, 2, 1]);
    assert.deepEqual(weeks.map((w) => w.met), [false, false, false, false, false, true, false, false]);
  });

  test('today on a Monday or a Sunday still ends on its own week; the count is a parameter', () => {
    assert.equal(weeklyAdherence([], '2027-03-15').at(-1).start, '2027-03-15');
    assert.equal(weeklyAdherence([], '2027-03-21').at(-1).start, '2027-03-15');
    assert.deepEqual(weeklyAdherence(sessions, '2027-03-17', 2, 2).map((w) => [w.sessions, w.met]), [[2, true], [1, false]]);
  });
});

describe('what counts, and in words', () => {
  const skipped = { ...exercise(null, null), sets_done: 0, reps_done: 0, skipped: true };

  test('a session counts once a set or a rep was done, not for skipped exercises alone', () => {
    assert.equal(didWork(session('2027-03-16T19:00:00Z', [skipped, skipped])), false);
    assert.equal(didWork(session('2027-03-16T19:00:00Z', [])), false);
    assert.equal(didWork(session('2027-03-16T19:00:00Z', [skipped, { ...skipped, reps_done: 3 }])), true);
    const week = weeklyAdherence([session('2027-03-15T19:00:00Z', [skipped])], '2027-03-17').at(-1);
    assert.equal(week.sessions, 0);
  });

  test('weeks are shown from the first with work done, up to eight; none before any', () => {
    assert.equal(weeksToShow([], '2027-03-17'), 0);
    assert.equal(weeksToShow([session('2027-03-15T19:00:00Z', [skipped])], '2027-03-17'), 0);
    assert.equal(weeksToShow([session('2027-03-15T19:00:00Z', [exercise(3, 1)])], '2027-03-17'), 1);
    assert.equal(weeksToShow([session('2027-03-01T19:00:00Z', [exercise(3, 1)])], '2027-03-17'), 3);
    assert.equal(weeksToShow([session('2026-01-01T19:00:00Z', [exercise(3, 1)])], '2027-03-17'), 8);
  });

  test('a week past its goal never reads "4 of 3"; the caption fits one week or several', () => {
    assert.equal(weekWords({ sessions: 2, target: 3 }), '2 of 3');
    assert.equal(weekWords({ sessions: 4, target: 3 }), '4, goal 3');
    assert.equal(adherenceCaption([{ sessions: 1, met: false }]), 'Goal of 3 sessions a week: 1 so far this week');
    assert.equal(adherenceCaption([{ sessions: 3, met: true }]), 'Goal of 3 sessions a week: met this week');
    assert.equal(adherenceCaption([{ met: true }, { met: false }, { met: true }]), 'Goal of 3 sessions a week: met in 2 of the last 3 weeks');
  });
});

describe('series', () => {
  const sessions = [ // newest first, as store.listSessions() gives them
    session('2027-03-10T19:00:00Z', [exercise(null, null), exercise(3, 1)]),
    session('2027-03-09T19:00:00Z', [exercise(null, null)]), // nothing rated
    session('2027-03-08T19:00:00Z', [exercise(4, 2), exercise(6, 5), exercise(2, 3)]),
  ];

  test('per session the highest pain and effort among rated exercises, oldest first', () => {
    const pain = sessionSeries(sessions, 'pain');
    assert.deepEqual(pain.map((p) => [p.day, p.value, p.id]), [['2027-03-09', 5, sessions[2].id], ['2027-03-11', 1, sessions[0].id]]);
    assert.deepEqual(sessionSeries(sessions, 'effort').map((p) => p.value), [6, 3]);
    // On the time axis a session sits on its day plus the local hour it started (08:00).
    assert.equal(pain[0].x, dayNumber('2027-03-09') + 8 / 24);
  });

  test('sessions with nothing rated make no series', () => {
    assert.deepEqual(sessionSeries([sessions[1]], 'pain'), []);
  });

  test('check-ins give morning pain by day, oldest first', () => {
    const series = checkinSeries([
      { id: 'b', day: '2027-03-10', pain: 1 }, { id: 'a', day: '2027-03-09', pain: 3 }, { id: 'c', day: '2027-03-08', pain: null },
    ]);
    assert.deepEqual(series.map((p) => [p.day, p.value, p.x]), [['2027-03-09', 3, dayNumber('2027-03-09')], ['2027-03-10', 1, dayNumber('2027-03-10')]]);
  });

  test('summaries say how many, the range, and the first and latest value', () => {
    assert.equal(describeSeries('Pain during exercise', sessionSeries(sessions, 'pain')),
      'Pain during exercise over 2 sessions: between 1 and 5, 5 at first and 1 at the latest');
    assert.equal(describeSeries('morning pain', [{ value: 2 }], 'check-ins'), 'morning pain over 1 check-in: 2');
    assert.equal(describeSeries('Effort', []), 'Effort: none yet');
  });

  test('a rise in between is never hidden by equal ends', () => {
    const values = [1, 3, 5, 2, 1].map((value) => ({ value }));
    assert.equal(describeSeries('Pain', values), 'Pain over 5 sessions: between 1 and 5, 1 at first and 1 at the latest');
    assert.equal(describeSeries('Pain', [{ value: 2 }, { value: 2 }]), 'Pain over 2 sessions: 2 each time');
  });
});

describe('geometry', () => {
  const box = LINE_BOX;
  const bottom = box.height - box.bottom;

  test('scale and path', () => {
    const s = scale(0, 10, 100, 0);
    assert.deepEqual([s(0), s(5), s(10)], [100, 50, 0]);
    assert.equal(path([{ cx: 1, cy: 2 }, { cx: 3.5, cy: 4 }, { cx: 5, cy: 6 }]), 'M1 2L3.5 4L5 6');
    assert.equal(path([]), '');
  });

  test('the y scale maps 0 to the bottom of the plot and 10 to its top', () => {
    const points = [{ x: 0.5, value: 0 }, { x: 1.5, value: 10 }, { x: 2.5, value: 5 }];
    const chart = lineChart([points], box);
    assert.equal(chart.y(0), bottom);
    assert.equal(chart.y(10), box.top);
    assert.deepEqual(chart.lines[0].points.map((p) => p.cy), [bottom, box.top, (bottom + box.top) / 2]);
    assert.deepEqual(chart.yTicks.map((t) => [t.value, t.y]), [[0, bottom], [5, (bottom + box.top) / 2], [10, box.top]]);
  });

  test('time runs left to right over whole days; every series shares the axis', () => {
    const sessions = [{ x: 10 + 0.5, value: 2 }, { x: 13 + 0.5, value: 4 }]; // noon on days 10 and 13
    const mornings = [{ x: 10, value: 3 }, { x: 14, value: 1 }];
    const chart = lineChart([sessions, mornings], box);
    const perDay = (box.width - box.left - box.right) / 4; // days 10 to 14
    const at = (days) => Math.round((box.left + days * perDay) * 10) / 10; // to 0.1 unit
    assert.deepEqual(chart.lines[1].points.map((p) => p.cx), [box.left, box.width - box.right]);
    assert.deepEqual(chart.lines[0].points.map((p) => p.cx), [at(0.5), at(3.5)]);
    const [a, b] = chart.lines[0].points;
    assert.equal(chart.lines[0].d, `M${at(0.5)} ${a.cy}L${at(3.5)} ${b.cy}`);
  });

  test('one day still spans the width, not a division by zero', () => {
    const chart = lineChart([[{ x: 20.25, value: 1 }, { x: 20.75, value: 2 }]], box);
    assert.ok(chart.lines[0].points.every((p) => Number.isFinite(p.cx) && p.cx > box.left && p.cx < box.width - box.right));
  });

  test('ticks fall on days over a short span, on Mondays over a long one, five or so at most', () => {
    const short = timeAxis([dayNumber('2027-03-09'), dayNumber('2027-03-12') + 0.5], box).ticks;
    // No tick after the last day with data (13 Mar would be a date still to come).
    assert.deepEqual(short.map((t) => t.day), ['2027-03-09', '2027-03-10', '2027-03-11', '2027-03-12']);
    const long = timeAxis([dayNumber('2027-01-06'), dayNumber('2027-03-17')], box).ticks;
    assert.ok(long.length >= 3 && long.length <= 6, `${long.length} ticks`);
    assert.ok(long.every((t) => weekStart(t.day) === t.day), 'every tick is a Monday');
    assert.ok(long.every((t, i) => t.x >= box.left && t.x <= box.width - box.right && (i === 0 || t.x > long[i - 1].x)));
  });
});

describe('fatigueChart', () => {
  const sessions = [
    session('2027-03-10T19:00:00Z', [exercise(3, 1, 'hips-glutes'), exercise(4, 2, 'hips-glutes', 'clamshell'), exercise(2, 1, 'nowhere', 'cat-camel')]),
    session('2027-03-09T19:00:00Z', [exercise(null, null)]),
    session('2027-03-08T19:00:00Z', [exercise(4, 2, 'lower-back'), exercise(3, 1, 'somewhere-else')]),
  ];
  const chart = fatigueChart(sessions);

  test('one row per region, in the questions’ order, evenly down the plot', () => {
    assert.deepEqual(chart.rows.map((r) => r.id), FATIGUE_REGIONS.map((r) => r.id));
    const step = (STRIP_BOX.height - STRIP_BOX.top - STRIP_BOX.bottom) / 6;
    assert.deepEqual(chart.rows.map((r) => r.y), [0, 1, 2, 3, 4, 5].map((i) => Math.round((STRIP_BOX.top + (i + 0.5) * step) * 10) / 10));
    assert.deepEqual(chart.rows.map((r) => r.count), [1, 2, 0, 0, 0, 1]);
  });

  test('one mark per answered exercise, on its region’s row, oldest first', () => {
    assert.deepEqual(chart.marks.map((m) => [m.day, m.region, m.slug]), [
      ['2027-03-09', 'lower-back', 'glute-bridge'],
      ['2027-03-11', 'hips-glutes', 'glute-bridge'],
      ['2027-03-11', 'hips-glutes', 'clamshell'],
      ['2027-03-11', 'nowhere', 'cat-camel'],
    ]);
    const row = (id) => chart.rows.find((r) => r.id === id).y;
    assert.ok(chart.marks.every((m) => m.cy === row(m.region)));
    assert.equal(chart.sessions, 2);
  });

  test('a region repeated in one session sits beside, not on top of, the first', () => {
    const [, first, second, nowhere] = chart.marks;
    assert.equal(second.cx - first.cx, 5);
    assert.equal(nowhere.cx, first.cx);
    assert.ok(chart.marks[0].cx >= STRIP_BOX.left && nowhere.cx <= STRIP_BOX.width - STRIP_BOX.right);
  });

  test('no answers, no marks; the summary counts by region', () => {
    assert.deepEqual(fatigueChart([sessions[1]]).marks, []);
    assert.equal(describeFatigue(chart), 'Where fatigue came first, 4 answers over 2 sessions: lower back 1, hips / glutes 2, nowhere 1');
  });
});
