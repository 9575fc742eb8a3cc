/**
 * The first screen, "Today": the plan's advice to see a clinician, its session for today with
 * each exercise's dose and reasons (and, for an exercise a rule changed, why), the
 * next-morning check-in prompt, a session in progress, and the ways in. Signed in, the plan comes from the server, or from
 * the copy kept on this device when offline (plan.js); without an account, the catalogue's
 * starter session. The plan's modules load after the screen is drawn (first-load budget).
 */

import { h, fill, titled } from '../dom.js';
import * as prefs from '../prefs.js';

const dayWords = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const asDate = (day) => new Date(`${day}T12:00:00`);

export async function render(main, { navigate }) {
  const today = h('ol', { class: 'plan-list today-list', 'aria-busy': 'true' }, h('li', {}, 'Loading…'));
  const resume = h('div', { class: 'resume-slot' });
  const prompt = h('div', { class: 'checkin-slot' });
  const about = h('p', { class: 'season' }, 'Breath, mobility, bracing, a hip-led lift and a squat: patterns, not body parts.');
  const status = h('div', { class: 'plan-status' });
  const changes = h('div', { class: 'changes-slot' });
  const advice = h('div', { class: 'advice-slot' });
  const doneNote = h('div', { class: 'done-slot' });
  const heading = h('h2', {}, 'Today’s session');
  const start = h('a', { class: 'button primary big', href: '/session?today=1' }, 'Start today’s session');
  fill(main, h('section', { class: 'screen home' },
    h('h1', {}, 'Today'),
    advice,
    doneNote,
    resume,
    prompt,
    h('article', { class: 'card today' },
      heading,
      about,
      status,
      today,
      start),
    changes,
    h('nav', { class: 'ways', 'aria-label': 'Other sessions' },
      h('a', { class: 'card way', href: '/breathe' }, h('strong', {}, 'Breathe'), h('span', {}, 'Paced breathing, 90/90, crocodile')),
      h('a', { class: 'card way', href: '/exercises' }, h('strong', {}, 'One exercise'), h('span', {}, 'Browse the catalogue')),
      h('a', { class: 'card way', href: '/checkin' }, h('strong', {}, 'Morning check-in'), h('span', {}, 'How your back feels today')),
      h('a', { class: 'card way', href: '/history' }, h('strong', {}, 'History'), h('span', {}, 'Your saved sessions')))));
  titled(main, 'Today');

  // Storage and the plan are read once the screen is up.
  const [api, { doseWords, todaySession }, store, planning, core, days, syncing, outline, account] = await Promise.all([
    import('../api.js'), import('../prescribe.js'), import('../store.js'), import('../plan.js'),
    import('../plan-core.js'), import('../days.js'), import('../syncing.js'), import('../outline.js'),
    import('../account.js'),
  ]);
  api.exercises().catch(() => {}); // the catalogue comes while storage opens (draw awaits it)
  const [signed, kept] = await Promise.all([account.auth(), planning.kept()]);
  const signedIn = Boolean(signed?.token);
  if (signedIn) account.syncScreening().catch(() => {}); // answers given offline reach the account
  /** The red flags come again (a new cycle, symptoms spread, advice to see a clinician). */
  const askAgain = (plan, checkins, sessions) => {
    const recheck = plan ? core.redFlagRecheck(plan, prefs.safetyRecheckedFor()) : {};
    if (plan) {
      prefs.setSafetyRecheckedFor(recheck.acted);
      prefs.setPlanCycle(plan.cycle);
      // Answered before this device saw the plan: in its current cycle, as far as is known.
      const answers = prefs.screening();
      if (answers && !answers.cycle && prefs.gate() === 'open') {
        const now = new Date().toISOString();
        const stamped = { ...answers, cycle: plan.cycle, updated_at: now > answers.answered_at ? now : answers.answered_at };
        prefs.setScreening(stamped);
        account.sendScreening(stamped).catch(() => {});
      }
    }
    const why = core.dueAgain(prefs.screening(), {
      cycle: plan?.cycle ?? (signedIn ? undefined : null), spreadAt: core.lastSpread(checkins, sessions), now: new Date().toISOString(),
    }) ?? (recheck.ask ? 'advice' : null);
    if (!why || prefs.gate() !== 'open') return false;
    prefs.setGate(why);
    if (why === 'advice') return false; // Today shows the advice; the questions come at Start
    navigate('/', { replace: true }); // the red-flag screen, in front of Today
    return true;
  };
  const draw = async (entry) => {
    const day = days.localDay();
    const [current, exercises, sessions, checkins] = await Promise.allSettled([
      store.getCurrent(), api.exercises(), store.listSessions(), store.listCheckins(),
    ]);
    const done = sessions.value ?? [];
    if (askAgain(entry?.plan, checkins.value ?? [], done)) return;
    // Done today, and this week's count (the plan's week signed in, else from Monday): this
    // device's own records, counting only sessions with work done.
    const weekFrom = entry ? core.planWeekStart(entry.plan, day) : days.weekStart(day);
    const sofar = outline.doneSoFar(done, day, weekFrom);
    const said = outline.doneWords(sofar);
    fill(doneNote, said ? h('article', { class: 'card done-today' },
      h('h2', {}, h('span', { 'aria-hidden': 'true' }, '✓ '), said.title),
      h('p', {}, said.week)) : null);
    fill(heading, sofar.planDone ? 'Next session' : 'Today’s session');
    start.className = sofar.planDone ? 'button big' : 'button primary big';
    fill(start, sofar.planDone ? 'Start the next session' : 'Start today’s session');
    fill(resume, current.value?.started_at ? h('article', { class: 'card notice' },
      h('p', {}, h('strong', {}, 'In progress: '), current.value.title),
      h('a', { class: 'button primary', href: '/session' }, 'Continue session')) : null);
    fill(prompt, core.checkinDue(done, checkins.value ?? [], day) ? h('article', { class: 'card notice checkin-prompt' },
      h('h2', {}, 'Good morning'),
      h('p', {}, 'How is your back after yesterday’s session: pain and stiffness compared with yesterday, and did the fatigue linger? The plan reads it.'),
      h('a', { class: 'button primary', href: '/checkin' }, 'Answer the morning check-in')) : null);
    today.removeAttribute('aria-busy');
    if (exercises.status !== 'fulfilled') {
      fill(today, h('li', {}, 'The exercise list could not be loaded. Check the connection and reload.'));
      return;
    }
    const bySlug = new Map(exercises.value.map((e) => [e.slug, e]));
    if (!entry) {
      const session = todaySession(exercises.value, prefs.helpfulCues(), prefs.owned());
      fill(status, h('p', { class: 'muted' }, h('a', { href: '/account' }, 'Sign in'), ' and the plan adapts to how each session felt.'));
      fill(today, session.items.map((item) => planItem(bySlug.get(item.slug), { dose: item }, doseWords)));
      stills(today, bySlug);
      fill(changes, null);
      fill(advice, null);
      return;
    }
    const { plan } = entry;
    fill(advice, (plan.advice ?? []).length === 0 ? null : h('article', { class: 'card notice advice', role: 'note' },
      h('h2', {}, 'Time to see a clinician'),
      h('ul', {}, plan.advice.map((a) => h('li', {}, a)))));
    const next = core.nextSession(plan, done, day);
    fill(about, `${core.seasonWords(plan)} · session ${next.number} of ${next.count} this week`);
    fill(status, entry.fresh ? null : h('p', { class: 'notice offline-plan' },
      `Your plan as of ${dayWords.format(asDate(plan.built_on))}. It updates when you are back online.`,
      core.isBehind(plan, day) ? ' It is from an earlier week: keep to what feels easy until then.' : ''));
    fill(today, next.session.exercises.filter((x) => bySlug.has(x.slug)).map((x) => planItem(bySlug.get(x.slug), x, doseWords, core.walkWords)));
    stills(today, bySlug);
    const recent = plan.recent_changes.slice(0, 5);
    fill(changes, recent.length === 0 ? null : h('article', { class: 'card recent-changes' },
      h('h2', {}, 'What changed lately'),
      h('ul', {}, recent.map((c) => h('li', { dataset: { rule: c.rule } },
        h('strong', {}, dayWords.format(asDate(c.day))), ' ', c.reason)))));
  };
  await draw(kept); // what this device has, at once
  if (signedIn) await draw(await planning.current()); // then the server's, when it can be reached
  // A sync that brought records may have changed the plan (the server rebuilt it).
  return syncing.onChange(async ({ waiting }) => {
    if (waiting === 0) await draw(await planning.current());
  });
}

/** A small still beside each exercise, its module loaded after the screen is drawn (first-load budget). */
async function stills(list, bySlug) {
  const { stillOf } = await import('../figure.js');
  for (const li of list.querySelectorAll('.plan-item')) {
    if (li.querySelector('.still')) continue; // drawn by an earlier draw of the same list
    const drawn = stillOf(bySlug.get(li.dataset.slug));
    if (drawn) li.prepend(drawn);
  }
}

/** One exercise of today's session: name, dose, why it changed, and its three reasons. */
function planItem(exercise, { dose, changed = null, note = null, minutes_a_day: walk }, doseWords, walkWords = () => null) {
  const daily = walkWords(walk); // walking: the daily walk, besides the session's intervals
  return h('li', { class: 'plan-item', dataset: { slug: exercise.slug } },
    h('a', { href: `/exercises/${exercise.slug}` }, exercise.name),
    h('span', { class: 'dose' }, doseWords(exercise, dose), daily ? h('span', { class: 'daily-walk' }, ` ${daily}`) : null),
    changed ? h('p', { class: 'changed' }, h('strong', {}, 'Why this changed: '), changed.reason) : null,
    note ? h('p', { class: 'held' }, note) : null,
    h('details', { class: 'reasons' },
      h('summary', {}, 'Why it is here'),
      h('dl', {},
        h('dt', {}, 'Why'), h('dd', {}, exercise.purpose),
        h('dt', {}, 'Why it helps'), h('dd', {}, exercise.protects),
        h('dt', {}, 'What it prepares for'), h('dd', {}, exercise.prepares_for))));
}
