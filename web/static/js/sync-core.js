/**
 * The outbox's rules, pure: what goes over the wire, in which batches, what the server's
 * answer settles, how long to wait after a failure, and how records pulled from the server
 * merge with this device's. No IndexedDB, no fetch, no DOM (outbox.js does the work).
 *
 * An outbox entry is `{id, type, record, queued_at, owner}` (`type` is 'sessions' or 'checkins',
 * the record's store), plus `rejected: reason` once the server has refused it.
 *
 * Ownership: on a shared phone every record and every outbox entry belongs to one account, by
 * the lower-cased email the device signed in with, or to "no account yet" (`owner` null; an
 * absent `owner`, from before owners existed, counts as null). A flush sends only the entries
 * of the account whose token it holds, so one person's records never reach another's account.
 */

export const MAX_BATCH = 200; // records per POST /api/sync (the server's MAX_BATCH)
export const RETRY_BASE_MS = 2000;
export const RETRY_MAX_MS = 5 * 60_000;

// Session kinds saved before the app used the server's names.
const KINDS = { today: 'plan' };

/** One exercise as the server takes it; `fatigue_onset` is `{set, rep}` or "did-not". */
function exerciseWire(e) {
  const onset = e.fatigue_region === 'nowhere' && (e.fatigue_onset ?? null) === null ? 'did-not' : e.fatigue_onset;
  const wire = {
    slug: e.slug,
    sets_done: e.sets_done,
    reps_done: e.reps_done ?? null,
    skipped: e.skipped === true, // saved before skips were recorded: not skipped
    effort: e.effort,
    pain: e.pain,
    fatigue_region: e.fatigue_region,
    fatigue_onset: onset,
    symptoms_spread: e.symptoms_spread === true, // not asked before this version: no
    helpful_cues: [...(e.helpful_cues ?? [])],
    notes: e.notes ?? '',
  };
  if (e.seconds_done !== undefined && e.seconds_done !== null) wire.seconds_done = e.seconds_done;
  if (e.feeling) wire.feeling = e.feeling; // a breath practice's answer
  return wire;
}

/**
 * A record exactly as POST /api/sync takes it: the server's fields and no others. Sessions
 * saved by earlier versions of the app are brought to the server's shape (kind "today" is a
 * plan session; fatigue "nowhere" goes with the onset "did-not").
 */
export function toWire(entry) {
  const r = entry.record;
  if (entry.type === 'checkins') {
    return {
      id: r.id,
      updated_at: r.updated_at,
      day: r.day,
      pain: r.pain,
      stiffness: r.stiffness,
      compared_with_yesterday: r.compared_with_yesterday,
      fatigue_lingered: r.fatigue_lingered,
      symptoms_spread: r.symptoms_spread === true, // not asked before this version: no
      notes: r.notes ?? '',
    };
  }
  return {
    id: r.id,
    updated_at: r.updated_at,
    kind: KINDS[r.kind] ?? r.kind,
    ...(r.day ? { day: r.day } : {}), // the person's own date (sessions saved before it have none)
    title: (r.title ?? '').slice(0, 120),
    started_at: r.started_at,
    ended_at: r.ended_at,
    exercises: (r.exercises ?? []).map(exerciseWire),
    notes: r.notes ?? '',
  };
}

/** Who owns a record or an entry: an email, or null for "no account yet". */
export const ownerOf = (item) => item?.owner ?? null;

/**
 * Whose records the device shows and saves for, from `meta.auth`: the signed-in account, also
 * while its sign-in has ended (a 401: the same person is asked to sign in again, and their
 * records stay theirs); null when signed out.
 */
export function ownerFrom(auth) {
  return auth?.email && (auth.token || auth.expired) ? auth.email.toLowerCase() : null;
}

/**
 * Whether a flush signed in as `owner` may send `entry`: only that account's own entries.
 * Never another account's, and never "no account yet" ones (those are sent once the person
 * adds them to the account, which makes them its own). Signed out (`owner` null), nothing.
 */
export function maySend(entry, owner) {
  return Boolean(owner) && ownerOf(entry) === owner;
}

/**
 * The next batch for the account `owner`: its entries not refused and not yet tried in this
 * flush, oldest first.
 */
export function nextBatch(entries, { owner, size = MAX_BATCH, tried = new Set() } = {}) {
  return entries
    .filter((e) => maySend(e, owner) && !e.rejected && !tried.has(e.id))
    .sort((a, b) => (a.queued_at < b.queued_at ? -1 : a.queued_at > b.queued_at ? 1 : 0))
    .slice(0, size);
}

/** The body of POST /api/sync for `batch`, with the cursor of the last answer. */
export function syncBody(batch, cursor) {
  return {
    cursor,
    sessions: batch.filter((e) => e.type === 'sessions').map(toWire),
    checkins: batch.filter((e) => e.type === 'checkins').map(toWire),
  };
}

/**
 * What the answer settles for each entry sent: 'delivered' (the server holds it now, or holds
 * a newer version it sent back), 'rejected' with the server's reason, or 'unconfirmed' (not
 * named in the answer: it stays and goes again).
 */
export function settle(batch, answer) {
  const norm = (id) => String(id).toLowerCase();
  const delivered = new Set([...(answer.stored ?? []), ...(answer.ignored ?? [])].map(norm));
  const reasons = new Map((answer.rejected ?? []).filter((r) => r.id).map((r) => [norm(r.id), r.reason]));
  return batch.map((entry) => {
    const id = norm(entry.id);
    if (delivered.has(id)) return { entry, outcome: 'delivered' };
    if (reasons.has(id)) return { entry, outcome: 'rejected', reason: reasons.get(id) };
    return { entry, outcome: 'unconfirmed' };
  });
}

/**
 * What a non-2xx answer to the whole request means: 'signed-out' (sign in again), 'too-large'
 * (send fewer at once), 'retry' (the server's trouble: try later, the records are not
 * delivered) or 'refused' (the request itself was refused: show it, do not resend blindly).
 */
export function failureKind(status) {
  if (status === 401) return 'signed-out';
  if (status === 413) return 'too-large';
  if (status === 408 || status === 409 || status === 429 || status >= 500) return 'retry';
  return 'refused';
}

/**
 * How long to wait before try number `failures + 1`: doubling from 2 s up to 5 min, with
 * jitter (half to all of it) so many devices coming back at once do not stampede, and never
 * sooner than the server's Retry-After.
 */
export function retryDelay(failures, { random = Math.random, retryAfterSeconds = 0 } = {}) {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.max(Math.round(ceiling * (0.5 + random() / 2)), retryAfterSeconds * 1000);
}

const stamp = (value) => new Date(value).toISOString();

/** A record from the server in this device's form (timestamps as toISOString writes them). */
export function fromServer(type, record) {
  if (type === 'checkins') return { ...record, updated_at: stamp(record.updated_at) };
  return {
    ...record,
    started_at: stamp(record.started_at),
    ended_at: stamp(record.ended_at),
    updated_at: stamp(record.updated_at),
  };
}

/**
 * The version of one record to keep: the newer by `updated_at`. On a tie, this device's,
 * unless `serverWinsTie`: the server has just answered that it keeps its own copy of this
 * record (`ignored`), as new as this device's but different, and every device must end with
 * the same one.
 */
export function newerOf(local, remote, serverWinsTie = false) {
  if (!local) return remote;
  const [theirs, mine] = [Date.parse(remote.updated_at), Date.parse(local.updated_at)];
  return theirs > mine || (serverWinsTie && theirs === mine) ? remote : local;
}

/**
 * The pulled records that change this device's copy (`local` maps id → record); `ignored`
 * holds the ids the server kept its own copy of, in the answer that brought them.
 */
export function mergePulled(local, pulled, ignored = new Set()) {
  const changed = [];
  for (const remote of pulled) {
    const kept = newerOf(local.get(remote.id), remote, ignored.has(remote.id));
    if (kept !== local.get(remote.id)) {
      changed.push(kept);
      local.set(remote.id, kept);
    }
  }
  return changed;
}

/** The check-in of `day` in `checkins` (one owner's): the newest, should there be several. */
export function checkinOfDay(checkins, day) {
  let found;
  for (const c of checkins) {
    if (c.day === day && (!found || Date.parse(c.updated_at) > Date.parse(found.updated_at))) found = c;
  }
  return found;
}

/**
 * Pulled check-ins against one owner's check-ins on this device, keeping ONE per day (the
 * server keeps one per account and day: the newer `updated_at` wins, and its copy can come
 * back under another id than this device's). `local` is that owner's check-ins, `waiting` the
 * ids still to be sent (queued, not refused). Returns `{put, remove}`: the records to store
 * and the local ids to delete (each with its outbox entry).
 *
 * - Same id: the newer wins, a tie keeps the device's unless the server kept its own (`ignored`,
 *   as `newerOf`).
 * - Same day, another id: the pulled one replaces the local one, unless the local one is newer
 *   and still waiting: then it stays, and wins on the server when it is sent.
 */
export function mergeCheckins(local, pulled, waiting = new Set(), ignored = new Set()) {
  const held = new Map(local.map((c) => [c.id, c])); // this device's copies as they stand
  const put = new Map();
  const remove = new Set();
  for (const remote of pulled) {
    const mine = held.get(remote.id);
    if (mine && newerOf(mine, remote, ignored.has(remote.id)) === mine) continue; // this device's copy stands
    const others = [...held.values()].filter((c) => c.day === remote.day && c.id !== remote.id);
    const later = (c) => Date.parse(c.updated_at) > Date.parse(remote.updated_at);
    if (others.some((c) => waiting.has(c.id) && later(c))) continue; // it wins once sent
    for (const c of others) {
      remove.add(c.id);
      held.delete(c.id);
      put.delete(c.id);
    }
    remove.delete(remote.id);
    held.set(remote.id, remote);
    put.set(remote.id, remote);
  }
  return { put: [...put.values()], remove: [...remove] };
}

/** The newer of two copies of the red-flag answers (the device's and the account's), or null. */
export function newer(a, b) {
  if (!a || !b) return a ?? b ?? null;
  return Date.parse(a.updated_at) >= Date.parse(b.updated_at) ? a : b;
}

/**
 * The header's note of records not on the server, as information, or null for none. With no
 * account, records saved here are simply this device's: nothing to say. Only a refusal by the
 * server is a problem (`tone` 'warn'), and it is said whoever is signed in.
 */
export function chipWords({ waiting = 0, rejected = [], signedIn = false }) {
  if (rejected.length > 0) {
    return { text: `${rejected.length} refused`, tone: 'warn', title: 'The server refused a record: see Account' };
  }
  if (!signedIn || waiting === 0) return null;
  return { text: `${waiting} waiting to sync`, tone: 'info', title: 'Saved on this device; sent when the server can be reached' };
}
