/**
 * The session runner: ready → pacer (running / paused) → quick questions after each exercise
 * → summary. The session in progress lives in IndexedDB (store.js) and is written as things
 * happen, so a reload or a killed app comes back to the same phase, paused, with a 3-2-1
 * count-in on resume.
 */

import { Cues } from '../cues.js';
import { choices, fill, h, titled, waitFor } from '../dom.js';
import * as api from '../api.js';
import * as pacer from '../pacer.js';
import { createPacerView } from '../pacer-view.js';
import * as prefs from '../prefs.js';
import { localDay } from '../days.js';
import * as planning from '../plan.js';
import { nextSession } from '../plan-core.js';
import {
  breathPractice, pacedBreathing, planSession, singleSession, todaySession, withRegression,
} from '../prescribe.js';
import {
  EFFORT, EFFORT_ANCHORS, FATIGUE_REGIONS, FEELINGS, SPREAD_CHOICES, SPREAD_QUESTION, answersText, missingAnswers, onsetChoices, toSave, painOffer, repWord,
  sessionRecord, summarise,
} from '../questions.js';
import * as runner from '../runner.js';
import * as store from '../store.js';
import * as syncing from '../syncing.js';
import { entriesOf } from '../outbox.js';
import {
  figuresLine, hasPage, needs, planNews, planWords, positionWords, worked,
} from '../outline.js';

const clock = () => performance.now() / 1000;

/** The prescription a URL asks for, or null when it asks for none (`/session` alone). */
async function requested(query) {
  const helpful = prefs.helpfulCues();
  if (query.get('practice') === 'paced') {
    return pacedBreathing(query.get('rhythm') ?? '4-6', Number(query.get('minutes') ?? 5));
  }
  if (query.get('practice')) return breathPractice(await api.exercise(query.get('practice')), helpful);
  if (query.get('exercise')) return singleSession(await api.exercise(query.get('exercise')), helpful);
  if (query.has('today')) {
    // The plan's next session as this device knows it (the Today screen keeps it fresh).
    const [exercises, kept] = await Promise.all([api.exercises(), planning.kept()]);
    if (!kept) return todaySession(exercises, helpful, prefs.owned());
    const { session } = nextSession(kept.plan, await store.listSessions(), localDay());
    return planSession(exercises, session, helpful);
  }
  return null;
}

function newState(prescription, source) {
  return {
    id: crypto.randomUUID(),
    kind: prescription.kind,
    title: prescription.title,
    source,
    created_at: new Date().toISOString(),
    started_at: null,
    prescription,
    stage: 'ready',
    position: 0,
    reached: {},
    skips: {},
    skipped: [],
    answers: {},
    asked: [],
    asking: null,
    endAt: null,
    updated_at: new Date().toISOString(),
  };
}

export async function render(main, { query, navigate, guard }) {
  document.body.classList.add('in-session');
  let state = await store.getCurrent();
  const source = query.toString();
  if (source) {
    const wanted = await requested(query);
    if (state && state.started_at && state.source !== source) {
      return conflict(main, state, wanted, source, navigate);
    }
    if (!state || state.source !== source) {
      state = newState(wanted, source);
      await store.putCurrent(state);
    }
  }
  if (!state) {
    fill(main, h('section', { class: 'screen' },
      h('h1', {}, 'No session in progress'),
      h('p', {}, 'Pick today’s session, one exercise, or a breathing practice.'),
      h('p', { class: 'actions' },
        h('a', { class: 'button primary', href: '/session?today=1' }, 'Start today’s session'),
        h('a', { class: 'button', href: '/breathe' }, 'Breathe'),
        h('a', { class: 'button', href: '/exercises' }, 'Browse exercises'))));
    titled(main, 'Session');
    return () => document.body.classList.remove('in-session');
  }
  const run = new Runner(main, state, navigate);
  guard?.((url) => run.mayLeave(url));
  return run.show();
}

/**
 * Another session asked for while one is in progress: continue it, save what was done and
 * start the new one, or discard it, saying what that loses. Never dropped without a word.
 */
function conflict(main, state, wanted, source, navigate) {
  const start = async (save) => {
    if (save) await saveAsItStands(state);
    await store.putCurrent(newState(wanted, source));
    navigate('/session');
  };
  const button = (cls, label, onclick) => h('button', { type: 'button', class: `button ${cls}`, onclick }, label);
  fill(main, h('section', { class: 'screen conflict' },
    h('h1', {}, 'A session is in progress'),
    h('p', {}, `You started “${state.title}” and have not finished it.`),
    heldText(state),
    h('p', { class: 'actions' },
      button('primary', 'Continue it', () => navigate('/session')),
      button('save-and-start', `Save what you did and start ${wanted.title}`, () => start(true)),
      button('discard-and-start', `Discard it and start ${wanted.title}`, () => start(false))),
    h('p', { class: 'fineprint' }, 'Saved, it goes to History as it stands, with what was skipped marked. Discarded, nothing of it is kept.')));
  titled(main, 'Session in progress');
  return () => document.body.classList.remove('in-session');
}

/** What discarding a session in progress would lose, in words (null: no answers yet). */
function heldText(state) {
  const { answered, maxPain } = runner.held(state);
  return answered === 0 ? null : h('p', { class: 'held' },
    `It holds your answers about ${answered} ${answered === 1 ? 'exercise' : 'exercises'}`,
    maxPain === null ? '.' : `, including pain ${maxPain} out of 10.`);
}

/** Save a session in progress as it stands, as if ended now (and queue it for the server). */
async function saveAsItStands(state) {
  const record = sessionRecord(state, pacer.buildTimeline(state.prescription), new Date().toISOString());
  record.started_at ??= record.ended_at;
  await store.finishSession(record);
  syncing.queued();
}

class Runner {
  constructor(main, state, navigate) {
    this.main = main;
    this.state = state;
    this.navigate = navigate;
    this.cues = new Cues(prefs.cueSwitches());
    this.saving = Promise.resolve();
    this.view = null;
    this.lock = null;
    this.timer = 0;
    this.setTimeline();
    // Back from storage: at the saved position, paused, so a tap resumes with a count-in.
    const now = clock();
    let run = pacer.seek(pacer.createRun(this.timeline), 0, state.position);
    if (state.stage !== 'ready') run = pacer.pause(pacer.start(run, now), now);
    this.run = run;
    this.onVisibility = () => this.visibilityChanged();
    this.onPageHide = () => this.persistPosition();
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('pagehide', this.onPageHide);
  }

  setTimeline() {
    this.timeline = pacer.buildTimeline(this.state.prescription);
    this.itemEnds = runner.itemEnds(this.timeline);
  }

  show() {
    if (this.state.stage === 'ready') this.showReady();
    else if (this.state.stage === 'questions') this.showQuestions();
    else this.showPacer();
    return () => this.leave();
  }

  /** Leaving the screen (navigation): keep the place, paused. */
  leave() {
    if (this.state.stage === 'running' && pacer.status(this.run, clock()) !== 'paused') {
      this.run = pacer.pause(this.run, clock());
    }
    this.persistPosition();
    this.view?.stop();
    clearInterval(this.timer);
    this.dialog?.remove();
    this.cues.close();
    this.releaseLock();
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('pagehide', this.onPageHide);
    document.body.classList.remove('in-session');
  }

  // --- storage -----------------------------------------------------------------------------

  /** Save the whole state; writes are chained so they land in order. */
  save() {
    this.state.updated_at = new Date().toISOString();
    const snapshot = structuredClone(this.state);
    this.saving = this.saving.then(() => store.putCurrent(snapshot)).catch((error) => {
      console.warn('could not save the session', error);
    });
    return this.saving;
  }

  persistPosition() {
    if (this.state.stage !== 'running') return;
    this.state.position = pacer.elapsed(this.run, clock());
    this.save();
  }

  // --- where we are ------------------------------------------------------------------------

  t(now = clock()) {
    return pacer.elapsed(this.run, now);
  }

  /** The exercise a time belongs to (runner.js decides; the screen only asks). */
  activeAt(t) {
    return runner.activeAt(this.timeline, t);
  }

  keyOf(i) {
    return runner.keyOf(this.timeline, i);
  }

  noteReached(i, t) {
    runner.noteReached(this.state, this.timeline, i, t);
  }

  // --- ready -------------------------------------------------------------------------------

  showReady() {
    const { items } = this.timeline;
    const need = needs(items, this.timeline.duration);
    const breath = this.state.kind === 'breath';
    const list = h('ol', { class: 'plan-list' }, items.map((item) => h('li', {},
      hasPage(item) ? h('a', { href: `/exercises/${item.slug}` }, h('strong', {}, item.name)) : h('strong', {}, item.name),
      h('span', {}, doseText(item), item.position ? ` · ${positionWords(item.position)}` : ''))));
    const fact = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
    fill(this.main, h('section', { class: 'screen ready' },
      h('p', { class: 'back' }, h('a', { href: backTo(this.state) }, '← Back')),
      h('h1', {}, this.state.title),
      h('p', { class: 'lede' }, breath
        ? 'Sit or lie comfortably. The shape grows as you breathe in and shrinks as you breathe out.'
        : `${items.length} ${items.length === 1 ? 'exercise' : 'exercises'}. The pacer shows when to breathe in and out with each movement.`),
      h('dl', { class: 'session-needs' },
        fact('Time', `about ${need.minutes} min`),
        fact(need.positions.length === 1 ? 'Position' : 'Positions', need.positions.join(', ')),
        need.equipment === null ? null : fact('You need', need.equipment.length ? need.equipment.join(', ') : 'nothing but the floor')),
      list,
      this.switches(),
      h('p', { class: 'actions sticky' },
        h('button', { type: 'button', class: 'button primary big start', onclick: () => this.begin() }, 'Start')),
      breath ? null : h('p', { class: 'fineprint' }, 'As a rule of thumb, stop if pain rises above 5 out of 10, or at once if it spreads into the leg. Spinewise does not replace a clinician.')));
    titled(this.main, this.state.title);
  }

  switches() {
    const current = prefs.cueSwitches();
    const labels = { tones: 'Tones', voice: 'Voice', vibration: 'Vibration' };
    return h('div', { class: 'switches', role: 'group', 'aria-label': 'Cues' },
      Object.entries(labels).map(([name, label]) => h('button', {
        type: 'button',
        class: 'switch',
        dataset: { cue: name },
        'aria-pressed': String(current[name]),
        onclick: (event) => {
          const on = event.currentTarget.getAttribute('aria-pressed') !== 'true';
          event.currentTarget.setAttribute('aria-pressed', String(on));
          prefs.setCueSwitch(name, on);
          this.cues.setSwitch(name, on);
          if (on && name === 'tones') this.cues.unlock();
        },
      }, label)));
  }

  /** The Start tap: sound and wake lock need this user gesture. */
  begin() {
    this.cues.unlock();
    this.keepAwake();
    this.run = pacer.start(this.run, clock());
    this.state.stage = 'running';
    this.state.started_at = new Date().toISOString();
    this.save();
    this.showPacer();
    this.cues.segment(pacer.at(this.timeline, this.t()));
  }

  // --- the pacer ---------------------------------------------------------------------------

  showPacer() {
    const host = h('div', { class: 'pacer-host' });
    this.endNote = h('p', { class: 'end-note', role: 'status' });
    this.pauseButton = h('button', { type: 'button', class: 'button primary big pause', onclick: () => this.pauseOrResume() });
    const control = (label, cls, action) => h('button', { type: 'button', class: `button ${cls}`, onclick: action }, label);
    // The rare controls wait behind "More"; "It hurts" and "End" are always on screen.
    const rare = (label, cls, action) => control(label, cls, () => {
      this.showMore(false);
      action();
    });
    this.morePanel = h('div', { class: 'more-panel', id: 'more-controls', hidden: true },
      h('div', { class: 'control-row' },
        rare('Previous', 'prev', () => this.previous()),
        rare('Skip phase', 'skip-phase', () => this.skipPhase()),
        rare('Next', 'next', () => this.next())),
      this.switches());
    this.moreButton = h('button', {
      type: 'button', class: 'button more', 'aria-expanded': 'false', 'aria-controls': 'more-controls',
      onclick: () => this.showMore(this.morePanel.hidden),
    }, 'More');
    fill(this.main, h('section', { class: 'screen running' },
      h('h1', { class: 'sr-only' }, this.state.title),
      host,
      this.endNote,
      h('div', {
        class: 'controls',
        onkeydown: (event) => {
          if (event.key === 'Escape' && !this.morePanel.hidden) {
            this.showMore(false);
            this.moreButton.focus();
          }
        },
      },
      this.morePanel,
      h('div', { class: 'control-row main' },
        control('It hurts', 'hurts', () => this.hurts()),
        this.pauseButton,
        control('End', 'end', () => this.end()),
        this.moreButton))));
    this.view = createPacerView(host, this.timeline, {
      getRun: () => this.run,
      onSegment: (s) => this.segmentStarted(s),
      onBreath: (breath) => this.cues.breath(breath),
      onFrame: (s, t, now, runStatus) => this.frame(s, t, now, runStatus),
    });
    this.activeItem = this.activeAt(this.t());
    this.updateControls();
    this.view.start();
    clearInterval(this.timer);
    // Tones are scheduled from a timer too, so they keep coming when frames stop (screen off).
    this.timer = setInterval(() => this.scheduleTones(), 250);
    titled(this.main, this.state.title);
  }

  /** Open or close the "More" controls. */
  showMore(open) {
    this.morePanel.hidden = !open;
    this.moreButton.setAttribute('aria-expanded', String(open));
  }

  updateControls() {
    const paused = pacer.status(this.run, clock()) === 'paused';
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    this.endNote.textContent = this.state.endAt !== null ? 'Ending at the end of this phase…' : '';
  }

  scheduleTones(now = clock()) {
    if (this.state.stage !== 'running') return;
    const runStatus = pacer.status(this.run, now);
    if (runStatus !== 'running' && runStatus !== 'counting-in') return;
    const { run } = this;
    this.cues.schedule(this.timeline, run, pacer.elapsed(run, now), now, (t) => run.origin + (t - run.base));
  }

  segmentStarted(state) {
    this.cues.segment(state);
    // The frame reads half a frame ahead; keep the saved place inside the segment just shown.
    this.state.position = Math.max(this.t(), this.timeline.segments[state.segmentIndex].start);
    this.save();
  }

  frame(state, t, now, runStatus) {
    if (this.state.stage !== 'running' || runStatus === 'paused' || runStatus === 'ready') return;
    this.scheduleTones(now / 1000);
    this.activeItem = runner.ownItem(state) ?? this.activeItem;
    const move = runner.frame(this.state, this.timeline, this.activeItem, t, runStatus === 'finished');
    if (move?.action === 'finish') this.finish(move.at, move.item);
    else if (move?.action === 'ask') this.ask(move.item, move.resumeAt, move.stopAt);
  }

  pauseOrResume() {
    const now = clock();
    if (pacer.status(this.run, now) === 'paused') {
      this.cues.unlock();
      this.keepAwake();
      this.run = pacer.resume(this.run, now, pacer.countInFor(this.timeline, this.t(now)));
    } else {
      this.run = pacer.pause(this.run, now);
      this.cues.cancel();
    }
    this.afterControl();
  }

  afterControl() {
    this.cues.cancel();
    this.persistPosition();
    this.updateControls();
    this.view.redraw();
  }

  skipPhase() {
    const now = clock();
    runner.skipPhase(this.state, this.timeline, this.t(now));
    this.run = pacer.skip(this.run, now, this.timeline);
    this.afterControl();
  }

  next() {
    const now = clock();
    const t = this.t(now);
    const move = runner.next(this.state, this.timeline, t);
    if (move.action === 'finish') this.finish(t, move.item);
    else if (move.action === 'ask') this.ask(move.item, move.resumeAt, move.stopAt);
    else {
      this.run = pacer.seek(this.run, now, move.to);
      this.afterControl();
    }
  }

  previous() {
    const now = clock();
    const { item, to } = runner.previous(this.state, this.timeline, this.t(now));
    this.activeItem = item;
    this.run = pacer.seek(this.run, now, to);
    this.afterControl();
  }

  /** End: during a movement, finish the phase in hand (never mid-breath); in a rest, paused,
   * or tapped again, end now. */
  end() {
    const now = clock();
    const paused = pacer.status(this.run, now) === 'paused';
    const move = runner.end(this.state, this.timeline, this.t(now), paused);
    if (move.action === 'finish') {
      this.finish(move.at, move.item);
      return;
    }
    this.state.endAt = move.endAt;
    this.save();
    this.updateControls();
  }

  hurts() {
    const move = runner.hurts(this.timeline, this.t());
    this.ask(move.item, move.resumeAt, move.stopAt, move.painFirst);
  }

  /** The run stops at `at`, with item `i` in hand; then its questions, or the summary. */
  finish(at, i) {
    this.run = pacer.pause(pacer.seek(this.run, clock(), at), clock());
    if (runner.finish(this.state, this.timeline, at, i).action === 'ask') this.ask(i, null, at);
    else this.complete();
  }

  // --- the quick questions -----------------------------------------------------------------

  /** Pause at `stopAt` and ask about item `i`; afterwards carry on from `resumeAt` (null: end). */
  ask(i, resumeAt, stopAt, painFirst = false) {
    const now = clock();
    this.noteReached(i, stopAt);
    this.run = pacer.pause(pacer.seek(this.run, now, stopAt), now);
    this.cues.cancel();
    this.view?.stop();
    clearInterval(this.timer);
    this.state.stage = 'questions';
    this.state.position = stopAt;
    this.state.endAt = null;
    this.state.asking = { key: this.keyOf(i), index: i, resumeAt, painFirst };
    this.save();
    this.showQuestions();
  }

  showQuestions() {
    const { index: i, key, resumeAt, painFirst } = this.state.asking;
    const item = this.timeline.items[i];
    const progress = runner.progress(this.state, this.timeline, i);
    const answers = (this.state.answers[key] ??= {});
    const set = (field, value) => {
      answers[field] = value;
      this.save();
      refresh();
    };

    const effort = h('fieldset', { class: 'question effort' },
      h('legend', {}, 'Effort', h('small', {}, `How hard was it? ${EFFORT_ANCHORS}`)),
      choices(EFFORT.map((b) => ({ value: b.value, label: String(b.value), hint: b.words })), {
        selected: answers.effort, label: 'Effort from 0 to 10', className: 'choices scale', onPick: (v) => set('effort', v),
      }));

    // A breath practice is asked how the person feels and about pain: no effort, no fatigue.
    const breath = this.state.kind === 'breath';
    const feeling = h('fieldset', { class: 'question feeling' },
      h('legend', {}, 'Compared with before you started'),
      choices(FEELINGS.map((f) => ({ value: f.id, label: f.label })), {
        selected: answers.feeling, label: 'How you feel', onPick: (v) => set('feeling', v),
      }));

    const offer = h('div', { class: 'pain-offer', role: 'alert', hidden: true });
    const pain = h('fieldset', { class: 'question pain' },
      h('legend', {}, breath ? 'Any pain?' : 'Pain during', h('small', {}, '0 none – 10 worst imaginable')),
      choices(Array.from({ length: 11 }, (_, v) => ({ value: v, label: String(v), hint: v === 0 ? 'None' : v === 10 ? 'Worst' : '' })), {
        selected: answers.pain, label: 'Pain from 0 to 10', className: 'choices scale pain-scale', onPick: (v) => set('pain', v),
      }),
      offer);

    const where = h('fieldset', { class: 'question where' },
      h('legend', {}, 'Where did you feel fatigue first?'),
      choices(FATIGUE_REGIONS.map((r) => ({ value: r.id, label: r.label, hint: r.id === 'nowhere' ? 'did not tire' : '' })), {
        selected: answers.fatigue_region,
        label: 'Where fatigue came first',
        onPick: (v) => {
          if (v === 'nowhere') answers.fatigue_onset = null;
          else if (answers.fatigue_region === 'nowhere') delete answers.fatigue_onset;
          set('fatigue_region', v);
        },
      }));

    const onsetSet = answers.fatigue_onset?.set;
    const sets = onsetChoices(this.timeline, i, progress, this.state.reached[key] ?? 0);
    const repRow = h('div', { class: 'rep-row' });
    const when = h('fieldset', { class: 'question when' },
      h('legend', {}, 'When did it appear?'),
      choices(sets.map((s) => ({ value: `set-${s.set}`, label: `Set ${s.set}` })), {
        selected: onsetSet ? `set-${onsetSet}` : undefined,
        label: 'When fatigue appeared',
        onPick: (v) => set('fatigue_onset', { set: Number(v.slice(4)), rep: null }),
      }),
      repRow);

    const spread = h('fieldset', { class: 'question spread' },
      h('legend', {}, SPREAD_QUESTION),
      choices(SPREAD_CHOICES, {
        selected: answers.symptoms_spread, label: 'Symptoms spread', onPick: (v) => set('symptoms_spread', v),
      }));

    const cuesField = (item.cues ?? []).length === 0 ? null : h('fieldset', { class: 'question helpful' },
      h('legend', {}, 'Did a cue help?', h('small', {}, 'Optional: helpful cues come first next time')),
      h('div', { class: 'choices' }, item.cues.map((cue) => h('button', {
        type: 'button',
        class: 'choice cue-choice',
        'aria-pressed': String((answers.helpful_cues ?? []).includes(cue.text)),
        onclick: (event) => {
          const chosen = new Set(answers.helpful_cues ?? []);
          if (chosen.has(cue.text)) chosen.delete(cue.text);
          else chosen.add(cue.text);
          event.currentTarget.setAttribute('aria-pressed', String(chosen.has(cue.text)));
          set('helpful_cues', [...chosen]);
        },
      }, cue.text))));

    const notes = h('textarea', { id: 'notes', rows: '2', maxlength: '500', placeholder: 'Anything to remember? (optional)' });
    notes.value = answers.notes ?? '';
    notes.addEventListener('change', () => set('notes', notes.value.trim()));

    const done = h('button', { type: 'button', class: 'button primary big', onclick: () => this.answered() },
      resumeAt === null ? 'Save and finish' : 'Save and continue');
    const why = h('span', { class: 'save-why', id: 'save-why' });
    const refresh = () => {
      when.hidden = !answers.fatigue_region || answers.fatigue_region === 'nowhere';
      const chosenSet = answers.fatigue_onset?.set;
      const reps = sets.find((s) => s.set === chosenSet)?.reps;
      if (chosenSet && reps && repRow.dataset.set !== String(chosenSet)) {
        repRow.dataset.set = String(chosenSet);
        fill(repRow, h('p', { class: 'rep-label' }, `At which ${repWord(item)}? (optional)`),
          choices(Array.from({ length: reps }, (_, k) => ({ value: k + 1, label: String(k + 1) })), {
            selected: answers.fatigue_onset.rep,
            label: `Which ${repWord(item)} of set ${chosenSet}`,
            className: 'choices scale',
            onPick: (rep) => set('fatigue_onset', { set: chosenSet, rep }),
          }));
      } else if (!chosenSet) {
        delete repRow.dataset.set;
        repRow.replaceChildren();
      }
      waitFor(done, why, toSave(missingAnswers(answers, breath)));
      this.showOffer(offer, painOffer(answers.pain, item));
    };

    const first = breath ? feeling : effort;
    const order = painFirst ? [pain, first] : [first, pain];
    const heading = breath ? 'How do you feel?' : `How was ${item.name}?`;
    fill(this.main, h('section', { class: 'screen questions' },
      h('h1', {}, heading),
      h('p', { class: 'lede' }, breath ? `After ${item.name}: two quick answers.` : progressText(item, progress)),
      ...order, ...(breath ? [] : [where, when, spread, cuesField]),
      h('label', { class: 'question notes', for: 'notes' }, 'Notes'), notes,
      h('p', { class: 'actions sticky' }, why, done)));
    refresh();
    titled(this.main, heading);
  }

  showOffer(offer, choice) {
    if (!choice) {
      offer.hidden = true;
      offer.replaceChildren();
      return;
    }
    if (!offer.hidden) return;
    offer.hidden = false;
    const item = this.timeline.items[this.state.asking.index];
    const swap = item.regression
      ? h('button', { type: 'button', class: 'button primary switch-regression', onclick: () => this.switchToRegression() },
        'Switch to the easier version')
      : null;
    fill(offer,
      h('p', {}, h('strong', {}, 'Pain above 5 out of 10 is more than this exercise should cause.'),
        item.regression ? ' Stop here, or switch to an easier version now.' : ' Stop here for today.'),
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'button stop-session', onclick: () => this.answered(true) }, 'Stop the session'),
        swap),
      h('p', { class: 'fineprint' }, 'If pain spreads into a leg, or comes with numbness or weakness, see a clinician.'));
    if (swap) {
      api.exercise(item.regression).then((regression) => {
        swap.textContent = `Switch to ${regression.name}`;
      }).catch(() => {});
    }
  }

  /** Questions done: remember, then carry on (or end when `stop`, or when nothing is left). */
  answered(stop = false) {
    const { key, index } = this.state.asking;
    const answers = this.state.answers[key] ?? {};
    if (answers.helpful_cues?.length) prefs.markHelpful(this.timeline.items[index].slug, answers.helpful_cues);
    // Spreading symptoms: the red flags come again before the next session (docs/safety.md).
    if (answers.symptoms_spread === true && prefs.gate() === 'open') prefs.setGate('spread');
    const move = runner.answered(this.state, stop);
    if (move.action === 'complete') this.complete();
    else this.continueAt(move.at);
  }

  /** Back to the pacer at session time `t` (this follows a tap): a 3-2-1 count-in into a
   * movement, none into a rest. */
  continueAt(t) {
    const now = clock();
    this.state.stage = 'running';
    this.state.position = t;
    const paused = pacer.pause(pacer.seek(pacer.start(this.run, now), now, t), now);
    this.run = pacer.resume(paused, now, pacer.countInFor(this.timeline, t));
    this.cues.unlock();
    this.keepAwake();
    this.save();
    this.showPacer();
  }

  async switchToRegression() {
    const { index, key } = this.state.asking;
    const item = this.timeline.items[index];
    const regression = await api.exercise(item.regression);
    const { prescription } = withRegression(this.state.prescription, index, regression);
    this.state.prescription = prescription;
    if (!this.state.asked.includes(key)) this.state.asked.push(key);
    this.state.asking = null;
    const resumeAt = this.itemEnds[index]; // earlier items are unchanged, so this time still holds
    this.setTimeline();
    this.run = pacer.createRun(this.timeline);
    this.continueAt(resumeAt);
  }

  // --- the end -----------------------------------------------------------------------------

  async complete() {
    this.view?.stop();
    clearInterval(this.timer);
    this.state.stage = 'done';
    const record = sessionRecord(this.state, this.timeline, new Date().toISOString());
    record.started_at ??= record.ended_at;
    await this.saving;
    const before = await planning.kept(); // the plan as it stood, to tell what this session changes
    await store.finishSession(record); // saved and queued for the server in one transaction
    const sent = syncing.queued();
    this.cues.end();
    this.releaseLock();
    this.showSummary(record);
    this.showPlanNews(record, before, sent);
  }

  showSummary(record) {
    const figures = summarise(record);
    const names = Object.fromEntries(this.timeline.items.map((item) => [item.slug, item]));
    this.planNote = h('section', { class: 'plan-next', 'aria-live': 'polite', 'aria-busy': 'true' },
      h('h2', {}, 'What happens next'), h('p', { class: 'muted' }, 'Sending it to your plan…'));
    const spread = h('div', { class: 'spread-slot' });
    if (record.exercises.some((e) => e.symptoms_spread)) import('./safety-outcome.js').then((m) => fill(spread, m.spreadAdvice()));
    fill(this.main, h('section', { class: 'screen summary' },
      h('h1', {}, 'Session saved'),
      h('p', { class: 'lede' }, h('strong', {}, worked(record) ? 'Well done. ' : 'Nothing was done this time; it is saved as skipped. '),
        `${record.title}: ${figuresLine(record, figures)}.`),
      h('ul', { class: 'summary-list' }, record.exercises.map((e) => h('li', {},
        h('strong', {}, names[e.slug]?.name ?? e.slug, e.skipped ? h('span', { class: 'tag skipped' }, 'skipped') : null),
        h('span', {}, record.kind === 'breath' ? counted(e.reps_done, 'breath') : `${counted(e.sets_done, 'set')}, ${counted(e.reps_done, repWord(names[e.slug] ?? {}))}`),
        h('span', {}, answersText(e)),
        e.fatigue_region && e.fatigue_region !== 'nowhere'
          ? h('span', {}, `fatigue first in the ${regionLabel(e.fatigue_region)}` + (e.fatigue_onset ? `, set ${e.fatigue_onset.set}` : '')
            + (e.fatigue_onset?.rep ? ` ${repWord(names[e.slug] ?? {})} ${e.fatigue_onset.rep}` : ''))
          : null,
        e.notes ? h('span', { class: 'note' }, `“${e.notes}”`) : null))),
      figures.maxPain !== null && figures.maxPain > 5
        ? h('p', { class: 'notice' }, 'Pain went above 5 out of 10 today. Next time, start with the easier version, and see a clinician if it keeps happening.')
        : null,
      spread,
      this.planNote,
      h('p', { class: 'actions' },
        h('a', { class: 'button primary', href: '/' }, 'Done'),
        h('a', { class: 'button', href: '/history' }, 'History'))));
    titled(this.main, 'Session saved');
  }

  /**
   * What the plan does with the session: signed out, what an account would add; signed in,
   * once the sync has taken it, the plan's new changes about its exercises (GET /api/plan),
   * or that nothing changes yet; still waiting, that it will be read when it arrives.
   */
  async showPlanNews(record, before, sent) {
    let said;
    try {
      const result = await sent;
      const owner = await store.currentOwner();
      if (!owner) said = planWords(record, { plan: 'signed-out' });
      else if (result?.error || (await entriesOf(owner)).some((e) => e.id === record.id)) said = planWords(record, { plan: 'waiting' });
      else {
        const after = await planning.current();
        said = after?.fresh
          ? planWords(record, { plan: 'read', news: planNews(before?.plan.recent_changes, after.plan.recent_changes, record) })
          : planWords(record, { plan: 'waiting' });
      }
    } catch {
      said = planWords(record, { plan: 'waiting' });
    }
    if (!this.planNote?.isConnected) return;
    this.planNote.removeAttribute('aria-busy');
    fill(this.planNote,
      h('h2', {}, said.title),
      said.lines.map((line) => h('p', {}, line)),
      said.signIn ? h('p', {}, h('a', { href: '/account' }, 'Sign in or create an account')) : null);
  }

  // --- leaving ------------------------------------------------------------------------------

  /**
   * A link out of the screen (the logo, a tab, Account): once the session has begun, ask
   * first (keep going, save what was done, or discard it), and go to `url` only after an answer
   * that leaves. Paused while asking; "Keep going" resumes with the count-in.
   */
  mayLeave(url) {
    if (this.state.stage !== 'running' && this.state.stage !== 'questions') return true;
    const pausedHere = this.state.stage === 'running' && pacer.status(this.run, clock()) !== 'paused';
    if (pausedHere) this.pauseOrResume();
    const dialog = h('dialog', { class: 'leave-dialog', 'aria-labelledby': 'leave-title' });
    const close = () => { dialog.close(); dialog.remove(); };
    const go = async (save) => {
      close();
      if (save && this.state.stage === 'running') runner.noteReached(this.state, this.timeline, this.activeAt(this.t()), this.t());
      this.state.stage = 'left'; // nothing more is stored as in progress
      await this.saving;
      if (save) await saveAsItStands(this.state);
      else await store.clearCurrent();
      this.navigate(url);
    };
    const button = (cls, label, onclick) => h('button', { type: 'button', class: `button ${cls}`, onclick }, label);
    fill(dialog,
      h('h2', { id: 'leave-title' }, 'Leave the session?'),
      h('p', {}, `“${this.state.title}” is not finished.`),
      heldText(this.state),
      h('p', { class: 'actions' },
        button('primary keep-going', 'Keep going', () => {
          close();
          if (pausedHere) this.pauseOrResume();
        }),
        button('save-and-leave', 'Save what you did and leave', () => go(true)),
        button('discard-and-leave', 'Discard it and leave', () => go(false))),
      h('p', { class: 'fineprint' }, 'Saved, it goes to History as it stands, with what was skipped marked. Discarded, nothing of it is kept.'));
    dialog.addEventListener('cancel', (event) => { // Escape: keep going
      event.preventDefault();
      dialog.querySelector('.keep-going').click();
    });
    this.dialog?.remove();
    this.dialog = dialog;
    document.body.append(dialog);
    dialog.showModal();
    return false;
  }

  // --- the page around the session ---------------------------------------------------------

  async keepAwake() {
    if (!navigator.wakeLock || document.visibilityState !== 'visible' || this.lock) return;
    try {
      this.lock = await navigator.wakeLock.request('screen');
      this.lock.addEventListener('release', () => { this.lock = null; });
    } catch {
      this.lock = null; // refused (battery saver, or not visible): the session runs on anyway
    }
  }

  releaseLock() {
    this.lock?.release().catch(() => {});
    this.lock = null;
  }

  visibilityChanged() {
    if (document.visibilityState === 'hidden') {
      this.persistPosition();
      return;
    }
    // Back on the page: the wake lock was dropped when the page was hidden, and the audio
    // clock may have been stopped; the picture needs nothing, it reads the clock every frame.
    if (this.state.stage === 'running') {
      this.keepAwake();
      this.cues.wake();
      this.cues.cancel();
    }
  }
}

/** Where the start screen's Back leads: the screen the session was chosen on. */
function backTo(state) {
  const query = new URLSearchParams(state.source ?? '');
  if (query.get('exercise')) return `/exercises/${query.get('exercise')}`;
  if (query.has('practice')) return '/breathe';
  return '/';
}

function doseText(item) {
  const reps = Array.isArray(item.reps) ? item.reps.join('-') : item.reps;
  const side = item.per_side ? ' each side' : '';
  return `${item.sets} × ${reps} ${repWord(item)}${reps === 1 ? '' : 's'}${side}`;
}

function progressText(item, progress) {
  return `${progress.sets_done} of ${item.sets} ${item.sets === 1 ? 'set' : 'sets'} done. A few quick answers, then on.`;
}

const counted = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function regionLabel(id) {
  return FATIGUE_REGIONS.find((r) => r.id === id)?.label.toLowerCase() ?? id;
}
