"""The app installed and offline, in headless Chromium at a phone viewport: the service worker
opens every route with no network, sessions and check-ins wait in the outbox and reach the
server exactly once whatever happens to the requests on the way, a new deploy is offered and
cleans up after itself, and two devices of one account see each other's records."""

import json
import shutil
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
import uvicorn
from browser_support import (
    WAIT_FOR_WORKER,
    cleared,
    first_movement_ms,
    installed,
    read_store,
    saved_session,
    to_first_movement,
    watch,
)
from conftest import CHROMIUM_FLAGS, PHONE, chromium_path
from playwright.sync_api import expect
from sqlmodel import Session, func, select

from app.catalogue import UNSAID_EQUIPMENT
from app.config import Settings
from app.main import create_app
from app.models import CheckIn, SessionLog, User

from records import PASSWORD

pytestmark = pytest.mark.browser

WEB = Path(__file__).resolve().parent.parent / "web"

CACHE_NAMES = "async () => (await caches.keys()).filter((name) => name.startsWith('spinewise-'))"


def count(engine, table, **where) -> int:
    with Session(engine) as db:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return db.exec(query).one()


def wait_for(page, check, timeout: float = 15, what: str = "the condition") -> None:
    """Poll `check` (waiting through Playwright, so route handlers run meanwhile)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        page.wait_for_timeout(100)


def sign_up(page, email: str) -> None:
    """Create an account on the Account screen; returns once the first sync has answered."""
    page.goto("/account")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".signed-in-as")).to_contain_text(email)
    expect(page.locator(".last-synced")).to_contain_text("Last synced")


def sign_in(page, email: str) -> None:
    page.goto("/account")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".signed-in-as")).to_contain_text(email)
    expect(page.locator(".last-synced")).to_contain_text("Last synced")


def pick(page, question: str, value: str) -> None:
    page.locator(f"fieldset.{question} .choice[data-value='{value}']").click()


def answer(page, effort="3", pain="1", where="hips-glutes", when="set-1") -> None:
    pick(page, "effort", effort)
    pick(page, "pain", pain)
    pick(page, "where", where)
    if where != "nowhere":
        pick(page, "when", when)


def short_session(page, url: str = "/session?exercise=glute-bridge", **answers) -> None:
    """Start a session, end it two seconds into its first exercise, answer, save. The page's
    clock must be installed (`page.clock.install`) before it loaded the app."""
    page.goto(url)
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(2000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(6000)
    expect(page.locator(".questions h1")).to_be_visible()
    if page.locator("fieldset.feeling").count():  # a breath practice: feeling and pain
        pick(page, "feeling", "calmer")
        pick(page, "pain", answers.get("pain", "1"))
    else:
        expect(page.locator("h1")).to_contain_text("How was")
        answer(page, **answers)
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    page.clock.resume()


def outbox(page) -> list[dict]:
    return read_store(page, "outbox")


# --- install --------------------------------------------------------------------------------


def test_chromium_reports_no_installability_errors(browser, live_server, tmp_path):
    # Chromium answers "in-incognito" in an ordinary Playwright context: a real profile it is.
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=CHROMIUM_FLAGS,
        base_url=live_server,
        **PHONE,
    )
    try:
        page = context.new_page()
        problems = watch(page)
        installed(page)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert json.loads(manifest["data"])["short_name"] == "Spinewise"
        assert problems == []
    finally:
        context.close()


def test_a_first_install_says_it_is_ready_to_work_offline(page):
    cleared(page)
    page.goto("/")
    expect(page.locator(".toast.offline-ready")).to_have_text("Ready to work offline.")
    assert page.evaluate(WAIT_FOR_WORKER) == "activated"


def test_the_install_button_appears_where_beforeinstallprompt_fires(page):
    cleared(page)
    installed(page)
    install = page.get_by_role("button", name="Install app")
    expect(install).to_be_hidden()
    page.evaluate(
        """() => {
          const event = new Event('beforeinstallprompt', { cancelable: true });
          event.prompt = () => { window.prompted = true; };
          event.userChoice = Promise.resolve({ outcome: 'accepted' });
          window.dispatchEvent(event);
          window.defaultPrevented = event.defaultPrevented;
        }"""
    )
    assert page.evaluate("window.defaultPrevented")  # no mini-infobar: our button instead
    expect(install).to_be_visible()
    install.click()
    assert page.evaluate("window.prompted")
    expect(install).to_be_hidden()


IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)


def test_ios_safari_gets_an_add_to_home_screen_hint_once(browser, live_server):
    context = browser.new_context(base_url=live_server, user_agent=IPHONE_SAFARI, **PHONE)
    try:
        page = context.new_page()
        cleared(page)
        page.goto("/")
        hint = page.locator(".toast.ios-hint")
        expect(hint).to_contain_text("Add to Home Screen")
        hint.get_by_role("button", name="Dismiss").click()
        expect(hint).to_have_count(0)
        page.reload()
        expect(page.locator(".today-list li")).to_have_count(5)
        expect(hint).to_have_count(0)  # dismissed once, not shown again
    finally:
        context.close()


def test_chrome_gets_no_ios_hint(page):
    cleared(page)
    installed(page)
    expect(page.locator(".today-list li")).to_have_count(5)
    expect(page.locator(".toast.ios-hint")).to_have_count(0)


# --- offline --------------------------------------------------------------------------------


def test_offline_after_the_first_visit_every_route_and_deep_link_opens(page, catalogue):
    problems = watch(page)
    cleared(page)
    installed(page)
    expect(page.locator(".today-list li")).to_have_count(5)
    page.context.set_offline(True)

    page.reload()
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.locator(".today-list li")).to_have_count(5)  # the catalogue, from the cache
    page.goto("/exercises/bird-dog")
    expect(page.get_by_role("heading", name="Bird dog", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Start this exercise")).to_be_visible()
    page.goto("/exercises?pattern=breath")
    breath = [  # those the list shows until the person says what they have
        e
        for e in catalogue.exercises
        if e.pattern.value == "breath" and set(e.equipment) <= UNSAID_EQUIPMENT
    ]
    expect(page.locator("li.exercise")).to_have_count(len(breath))
    page.goto("/session?exercise=glute-bridge")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    for path, heading in (
        ("/breathe", "Breathe"),
        ("/history", "History"),
        ("/checkin", "Morning check-in"),
        ("/account", "Account"),
        ("/reset#token=abc", "Choose a new password"),  # a reset link opened offline
    ):
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    problems = [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p]
    assert problems == []


LOADED = """() => Object.fromEntries(performance.getEntriesByType('resource')
  .filter((r) => r.name.includes('/static/js/'))
  .map((r) => [new URL(r.name).pathname, r.workerFinalSourceType || 'worker']))"""


def test_an_offline_start_takes_its_modules_from_the_cache_all_at_once(page):
    """Installed, static files come from the worker's cache by the browser's own static route
    (no fetch event), and Today asks for its later modules (its data, the plan and what they
    import) as it starts instead of one import after another (bench/offline_start.py)."""
    cleared(page)
    installed(page)
    page.context.set_offline(True)
    page.reload()
    expect(page.locator(".today-list li")).to_have_count(5)
    later = page.locator("script[data-later]").get_attribute("data-later").split(" ")
    assert "/static/js/outbox.js" in later  # imported by account.js, itself imported later
    preloaded = page.eval_on_selector_all(
        "link[rel=modulepreload]", "(links) => links.map((l) => l.getAttribute('href'))"
    )
    assert set(later) <= set(preloaded)
    loaded = page.evaluate(LOADED)
    assert set(later) <= set(loaded)
    assert set(loaded.values()) == {"cache"}, loaded


def test_an_offline_deep_link_to_an_exercise_takes_the_lists_shell_and_its_modules(page):
    """A deep link to one exercise has no shell of its own in the cache: the worker answers
    with the list's, which preloads the modules the exercise page draws with, rather than
    Today's, whose screen module would then find them one import after another."""
    cleared(page)
    installed(page)
    page.context.set_offline(True)
    page.goto("/exercises/bird-dog")
    expect(page.get_by_role("heading", name="Bird dog", level=1)).to_be_visible()
    expect(page).to_have_title("Bird dog · Spinewise")
    preloaded = page.eval_on_selector_all(
        "link[rel=modulepreload]", "(links) => links.map((l) => l.getAttribute('href'))"
    )
    assert {"/static/js/screens/catalogue.js", "/static/js/figure.js"} <= set(preloaded)
    expect(page.locator(".exercise-figure svg.figure")).to_have_count(1)
    loaded = page.evaluate(LOADED)
    assert set(loaded.values()) == {"cache"}, loaded


def test_online_the_cached_catalogue_is_revalidated_with_its_etag(page):
    cleared(page)
    installed(page)
    seen = []

    def record(route):
        response = route.fetch()
        seen.append((route.request.headers.get("if-none-match"), response.status))
        route.fulfill(response=response)

    page.context.route("**/api/exercises", record)  # the worker's own requests too
    page.reload()
    expect(page.locator(".today-list li")).to_have_count(5)
    wait_for(page, lambda: seen, what="the worker to revalidate the catalogue")
    etag, status = seen[0]
    assert etag and etag.startswith('"')
    assert status == 304  # the copy is current: no body sent again


def test_a_whole_session_run_offline_reaches_the_server_exactly_once(page, engine, catalogue):
    cleared(page)
    installed(page)
    sign_up(page, "offline@example.org")
    page.context.set_offline(True)

    cat_camel = catalogue.by_slug["cat-camel"]
    seconds = (
        first_movement_ms(cat_camel) / 1000
        + sum(p.seconds for p in cat_camel.phases) * cat_camel.dose.reps
    )
    page.clock.install(time=time.time())
    page.goto("/session?exercise=cat-camel")
    page.clock.pause_at(time.time() + 1)
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(int(seconds * 1000) + 100)
    expect(page.get_by_role("heading", name="How was Cat-camel?")).to_be_visible()
    answer(page, where="upper-back-neck")
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    page.clock.resume()

    [waiting] = outbox(page)
    record = waiting["record"]
    assert record["exercises"][0]["sets_done"] == cat_camel.dose.sets
    expect(page.locator(".sync-chip")).to_have_text("1 waiting to sync")
    assert count(engine, SessionLog) == 0

    page.context.set_offline(False)  # the `online` event flushes the outbox
    wait_for(page, lambda: outbox(page) == [], what="the outbox to empty")
    assert count(engine, SessionLog, id=uuid.UUID(record["id"])) == 1
    assert count(engine, SessionLog) == 1
    expect(page.locator(".sync-chip")).to_be_hidden()


def test_sessions_saved_before_the_outbox_existed_are_queued_and_reach_the_server(page, engine):
    """An earlier version kept finished sessions in IndexedDB (version 1, no outbox), with
    its own names: kind "today", fatigue onset null for "nowhere". The upgrade queues them."""
    old = {
        "id": str(uuid.uuid4()),
        "started_at": "2026-11-20T08:00:00.000Z",
        "ended_at": "2026-11-20T08:15:00.000Z",
        "kind": "today",
        "title": "Today\u2019s session",
        "exercises": [
            {
                "slug": "cat-camel",
                "sets_done": 1,
                "reps_done": 8,
                "effort": 2,
                "pain": 0,
                "fatigue_region": "nowhere",
                "fatigue_onset": None,
                "helpful_cues": [],
                "notes": "",
            }
        ],
        "updated_at": "2026-11-20T08:15:00.000Z",
    }
    page.goto("/manifest.webmanifest")  # same origin, before any of the app has run
    page.evaluate(
        """(record) => new Promise((resolve, reject) => {
          const open = indexedDB.open('spinewise', 1);
          open.onupgradeneeded = () => {
            open.result.createObjectStore('current');
            open.result.createObjectStore('sessions', { keyPath: 'id' })
              .createIndex('started_at', 'started_at');
          };
          open.onsuccess = () => {
            const tx = open.result.transaction('sessions', 'readwrite');
            tx.objectStore('sessions').put(record);
            tx.oncomplete = () => { open.result.close(); resolve(); };
          };
          open.onerror = () => reject(open.error);
        })""",
        old,
    )
    cleared(page)
    installed(page)
    [queued] = outbox(page)
    assert queued["id"] == old["id"]
    assert queued["owner"] is None  # saved with no account: sent only once someone adds it
    sign_up(page, "upgrade@example.org")
    page.locator(".claim").get_by_role("button", name="Add them").click()
    wait_for(page, lambda: outbox(page) == [], what="the old session to be sent")
    with Session(engine) as db:
        stored = db.exec(select(SessionLog)).one()
    assert (str(stored.id), stored.kind) == (old["id"], "plan")
    assert stored.exercises[0]["fatigue_onset"] == "did-not"


# --- faults on the way ------------------------------------------------------------------------


def sends_records(route) -> bool:
    body = route.request.post_data_json or {}
    return bool(body.get("sessions") or body.get("checkins"))


def test_a_response_lost_after_the_server_stored_the_batch_is_replayed_harmlessly(page, engine):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "lost@example.org")
    lost = []

    def store_then_drop(route):
        if not sends_records(route):
            route.continue_()
            return
        route.fetch()  # the server stores the batch and answers …
        lost.append(route.request.post_data_json)
        route.abort("connectionreset")  # … and the answer never reaches the app

    # Every answer to a batch is lost (the app and its worker retry meanwhile) …
    page.context.route("**/api/sync", store_then_drop)
    short_session(page)
    wait_for(page, lambda: lost, what="the batch to be sent")
    [sent] = lost[0]["sessions"]
    page.goto("/account")
    expect(page.locator(".sync-error")).to_contain_text("could not be reached")
    [waiting] = outbox(page)  # stored by the server, but unconfirmed: still waiting
    assert waiting["id"] == sent["id"]
    assert count(engine, SessionLog, id=uuid.UUID(sent["id"])) == 1

    # … until one comes through: the replay confirms it, and the server holds it once.
    page.context.unroute_all(behavior="wait")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".waiting")).to_have_text("Everything is on the server.")
    assert outbox(page) == []
    assert len(lost) >= 1
    assert all(batch["sessions"][0]["id"] == sent["id"] for batch in lost)
    assert count(engine, SessionLog) == 1


def test_a_server_error_or_a_server_down_delivers_nothing_and_all_arrives_later(page, engine):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "faults@example.org")
    answers = {"status": 500}

    def broken(route):
        if not sends_records(route):
            route.continue_()
        elif answers["status"] == 500:
            route.fulfill(status=500, json={"detail": "Internal server error"})
        else:
            route.abort("connectionrefused")

    page.context.route("**/api/sync", broken)
    short_session(page)
    page.goto("/checkin")
    for question, value in (("pain", "2"), ("stiffness", "3"), ("compared", "same")):
        page.locator(f"fieldset.checkin-{question} .choice[data-value='{value}']").click()
    page.locator("fieldset.checkin-lingered .choice[data-value='false']").click()
    page.locator("fieldset.checkin-spread .choice[data-value='false']").click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".saved")).to_be_visible()

    page.goto("/account")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".sync-error")).to_contain_text("The server answered 500")
    assert len(outbox(page)) == 2
    failures = read_store(page, "meta", "sync")["failures"]

    answers["status"] = "down"
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".sync-error")).to_contain_text("could not be reached")
    sync = read_store(page, "meta", "sync")
    assert sync["failures"] > failures  # the backoff grows with each failure
    assert len(outbox(page)) == 2
    assert (count(engine, SessionLog), count(engine, CheckIn)) == (0, 0)

    page.context.unroute_all(behavior="wait")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".waiting")).to_have_text("Everything is on the server.")
    assert outbox(page) == []
    assert (count(engine, SessionLog), count(engine, CheckIn)) == (1, 1)
    assert read_store(page, "meta", "sync")["failures"] == 0


def test_records_left_waiting_when_the_page_closed_arrive_on_the_next_start(
    browser, live_server, engine
):
    # No service worker here (as where Background Sync is missing): only the start can send.
    context = browser.new_context(base_url=live_server, service_workers="block", **PHONE)
    try:
        page = context.new_page()
        cleared(page)
        page.clock.install(time=time.time())
        sign_up(page, "closed@example.org")
        context.route("**/api/sync", lambda route: route.abort("connectionrefused"))
        short_session(page)
        [waiting] = outbox(page)
        page.close()

        context.unroute_all(behavior="wait")
        page = context.new_page()
        page.goto("/")
        wait_for(page, lambda: count(engine, SessionLog) == 1, what="the session to arrive")
        assert count(engine, SessionLog, id=uuid.UUID(waiting["id"])) == 1
        wait_for(page, lambda: outbox(page) == [], what="the outbox to empty")
    finally:
        context.close()


def test_background_sync_delivers_with_no_page_of_the_app_open(page, engine, live_server):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "background@example.org")
    page.context.set_offline(True)
    short_session(page)
    [waiting] = outbox(page)

    other = page.context.new_page()  # about:blank: the app itself is closed
    page.close()
    page.context.set_offline(False)
    cdp = page.context.new_cdp_session(other)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    wait_for(other, lambda: registrations, what="the worker's registration")
    [registration] = [r for r in registrations if r["scopeURL"] == live_server + "/"]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server,
            "registrationId": registration["registrationId"],
            "tag": "outbox",
            "lastChance": False,
        },
    )
    wait_for(other, lambda: count(engine, SessionLog) == 1, what="the worker to deliver")
    assert count(engine, SessionLog, id=uuid.UUID(waiting["id"])) == 1
    other.goto("/history")
    wait_for(other, lambda: read_store(other, "outbox") == [], what="the worker to confirm it")


def test_a_record_the_server_refuses_is_kept_and_shown_never_dropped(page, engine):
    cleared(page)
    installed(page)
    sign_up(page, "refused@example.org")
    # "Nowhere" with a set for "when": the server refuses an answer that contradicts itself.
    bad = saved_session()
    bad["exercises"][0]["fatigue_onset"] = {"set": 1, "rep": None}
    page.evaluate(
        "async (record) => { const store = await import('/static/js/store.js');"
        " await store.finishSession(record);"
        " await (await import('/static/js/outbox.js')).flush(); }",
        bad,
    )
    page.goto("/account")
    refused = page.locator(".rejected-record")
    expect(refused).to_have_count(1)
    reason = '"nowhere" goes with fatigue_onset "did-not"'
    expect(refused.locator(".reason")).to_contain_text(reason)
    [kept] = outbox(page)
    assert kept["id"] == bad["id"] and "did-not" in kept["rejected"]
    assert count(engine, SessionLog) == 0

    with page.expect_response("**/api/sync") as answer:
        page.get_by_role("button", name="Sync now").click()
    assert answer.value.request.post_data_json["sessions"] == []  # not sent again by itself
    assert len(outbox(page)) == 1
    refused.get_by_role("button", name="Remove from the outbox").click()
    expect(refused).to_have_count(0)
    assert outbox(page) == []
    assert [s["id"] for s in read_store(page, "sessions")] == [bad["id"]]  # still in history


def test_every_kind_of_session_the_app_saves_is_accepted_by_the_server(page, engine):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "kinds@example.org")
    short_session(page, "/session?today=1")
    short_session(page, "/session?practice=paced&rhythm=4-6&minutes=3")
    short_session(page, "/session?practice=crocodile-breathing")
    short_session(page, "/session?exercise=glute-bridge", where="lower-back")
    wait_for(page, lambda: count(engine, SessionLog) == 4, what="four sessions on the server")
    wait_for(page, lambda: outbox(page) == [], what="all four confirmed")
    with Session(engine) as db:
        stored = {row.exercises[0]["slug"]: row for row in db.exec(select(SessionLog))}
    assert {slug: row.kind for slug, row in stored.items()} == {
        "supine-breathing": "plan",
        "paced-breathing-4-6": "breath",
        "crocodile-breathing": "breath",
        "glute-bridge": "single",
    }
    paced = stored["paced-breathing-4-6"].exercises[0]
    assert (paced["feeling"], paced["effort"], paced["fatigue_onset"]) == ("calmer", None, None)
    assert stored["crocodile-breathing"].exercises[0]["feeling"] == "calmer"
    assert stored["glute-bridge"].exercises[0]["fatigue_onset"] == {"set": 1, "rep": None}
    # Each carries the person's own date, which pairs it with the next morning's check-in:
    # the page's date when it started (the run may cross midnight, so that of its start time).
    days = page.evaluate(
        "async (times) => { const m = await import('/static/js/days.js');"
        " return times.map((t) => m.localDay(new Date(t))); }",
        [row.started_at.isoformat() for row in stored.values()],
    )
    assert [row.day.isoformat() for row in stored.values()] == days


def test_a_check_in_reaches_the_server_and_a_change_the_same_day_replaces_it(page, engine):
    cleared(page)
    installed(page)
    sign_up(page, "morning@example.org")
    page.context.set_offline(True)
    page.goto("/checkin")

    def check_in(pain: str) -> None:
        page.locator(f"fieldset.checkin-pain .choice[data-value='{pain}']").click()
        page.locator("fieldset.checkin-stiffness .choice[data-value='3']").click()
        page.locator("fieldset.checkin-compared .choice[data-value='worse']").click()
        page.locator("fieldset.checkin-lingered .choice[data-value='true']").click()
        page.locator("fieldset.checkin-spread .choice[data-value='true']").click()

    check_in("2")
    page.get_by_label("Notes").fill("stiff getting up")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".saved")).to_be_visible()
    [waiting] = outbox(page)
    assert waiting["type"] == "checkins"
    page.context.set_offline(False)
    wait_for(page, lambda: count(engine, CheckIn) == 1, what="the check-in to arrive")
    day = page.evaluate("import('/static/js/days.js').then((m) => m.localDay())")
    with Session(engine) as db:
        row = db.exec(select(CheckIn)).one()
    assert (row.day.isoformat(), row.pain, row.stiffness) == (day, 2, 3)
    assert (row.compared_with_yesterday, row.fatigue_lingered) == ("worse", True)
    assert row.symptoms_spread  # the answer that eases the plan off reaches it
    assert row.notes == "stiff getting up"

    page.goto("/checkin")  # the same morning: today's answers, to change
    expect(page.locator("fieldset.checkin-pain .choice[aria-checked=true]")).to_have_text("2")
    check_in("4")
    page.get_by_role("button", name="Save changes").click()
    wait_for(page, lambda: outbox(page) == [], what="the change to be sent")
    with Session(engine) as db:
        assert [r.pain for r in db.exec(select(CheckIn))] == [4]
    page.goto("/history")
    expect(page.locator(".checkin-entry")).to_contain_text("pain 4 · stiffness 3")


# --- accounts and two devices -----------------------------------------------------------------


def test_register_sign_out_sign_in_export_and_delete_the_account(page, engine, tmp_path):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "me@example.org")
    short_session(page)
    wait_for(page, lambda: count(engine, SessionLog) == 1, what="the session to arrive")

    page.goto("/account")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download JSON").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported["account"]["email"] == "me@example.org"
    assert len(exported["sessions"]) == 1
    assert download.value.suggested_filename.endswith(".json")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert Path(download.value.path()).read_text().startswith("record,id,")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator(".message")).to_have_text("Signed out.")
    page.get_by_label("Email").fill("me@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".message")).to_contain_text("Wrong email or password")
    sign_in(page, "me@example.org")

    page.get_by_role("button", name="Delete account…").click()
    expect(page.locator(".confirm-delete")).to_contain_text("cannot be undone")
    assert count(engine, User) == 1  # nothing happens before the confirmation
    page.get_by_role("button", name="Delete for good").click()
    expect(page.locator(".message")).to_contain_text("deleted")
    assert (count(engine, User), count(engine, SessionLog)) == (0, 0)
    assert read_store(page, "sessions") == []
    expect(page.get_by_role("button", name="Create account")).to_be_visible()


def test_a_session_from_one_device_appears_in_the_others_history(browser, live_server, engine):
    phone, tablet = (browser.new_context(base_url=live_server, **PHONE) for _ in range(2))
    try:
        a = phone.new_page()
        cleared(a)
        a.clock.install(time=time.time())
        installed(a)
        sign_up(a, "both@example.org")
        short_session(a, "/session?exercise=cat-camel")
        wait_for(a, lambda: count(engine, SessionLog) == 1, what="the phone's session")

        b = tablet.new_page()
        cleared(b)
        installed(b)
        b.goto("/history")
        expect(b.locator("li.session")).to_have_count(0)
        sign_in(b, "both@example.org")  # signing in pulls the account's history
        b.goto("/history")
        expect(b.locator("li.session")).to_have_count(1)
        expect(b.locator("li.session")).to_contain_text("Cat-camel")
        expect(b.locator("li.session")).to_contain_text("effort 3 (easy) · pain 1 (safe)")

        b.goto("/checkin")
        for question, value in (("pain", "1"), ("stiffness", "1"), ("compared", "better")):
            b.locator(f"fieldset.checkin-{question} .choice[data-value='{value}']").click()
        b.locator("fieldset.checkin-lingered .choice[data-value='false']").click()
        b.locator("fieldset.checkin-spread .choice[data-value='false']").click()
        b.get_by_role("button", name="Save check-in").click()
        wait_for(b, lambda: count(engine, CheckIn) == 1, what="the tablet's check-in")

        # Offline, the phone cannot pull on start: the check-in is not there until it syncs.
        a.context.set_offline(True)
        a.goto("/history")
        expect(a.locator("li.session")).to_have_count(1)  # drawn, from this device's records
        expect(a.locator(".checkin-entry")).to_have_count(0)
        a.context.set_offline(False)
        a.goto("/account")
        a.get_by_role("button", name="Sync now").click()
        wait_for(a, lambda: read_store(a, "checkins"), what="the tablet's check-in on the phone")
        a.goto("/history")
        expect(a.locator(".checkin-entry")).to_contain_text("better than yesterday")
        # Each device still holds one copy of the session, not two.
        assert len(read_store(a, "sessions")) == len(read_store(b, "sessions")) == 1
    finally:
        phone.close()
        tablet.close()


# --- a new deploy -----------------------------------------------------------------------------


class Deploy:
    """The app served from its own copy of `web/` on a fixed port, so the test can change the
    files and restart the server, as a deploy does, at the same origin."""

    def __init__(self, database_url: str, root: Path) -> None:
        self.web = root / "web"
        shutil.copytree(WEB, self.web)
        self.settings = Settings(
            environment="test", database_url=database_url, data_dir=root, web_dir=self.web
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        assert self.server and self.thread
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def redeploy(self, change) -> None:
        self.stop()
        change(self.web)
        self.start()


@pytest.fixture
def deploy(database_url: str, tmp_path: Path):
    server = Deploy(database_url, tmp_path)
    server.start()
    yield server
    server.stop()


WAIT_FOR_UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const deadline = Date.now() + 15000;
  while (!registration.waiting && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return registration.waiting?.state ?? 'no new version found';
}"""


def test_a_new_deploy_is_offered_never_swapped_under_a_session_and_cleans_up(browser, deploy):
    context = browser.new_context(base_url=deploy.url, **PHONE)
    try:
        page = context.new_page()
        problems = watch(page)
        cleared(page)
        installed(page)
        [first] = page.evaluate(CACHE_NAMES)

        # A session is running when the new version comes out.
        page.goto("/session?exercise=glute-bridge")
        page.get_by_role("button", name="Start", exact=True).click()
        expect(page.locator(".pacer")).to_be_visible()

        def restyle(web: Path) -> None:
            css = web / "static" / "css" / "app.css"
            css.write_text(css.read_text() + "\n.deploy-2 { order: 2; }\n")  # served minified

        deploy.redeploy(restyle)
        assert page.evaluate(WAIT_FOR_UPDATE) == "installed"
        caches = page.evaluate(CACHE_NAMES)
        assert len(caches) == 2 and first in caches  # the old version still serves the page
        offer = page.locator(".toast.update")
        expect(offer).to_be_attached()
        expect(offer).to_be_hidden()  # held back while the session runs …
        expect(page.locator(".pacer")).to_be_visible()

        page.get_by_role("link", name="Spinewise").click()  # … offered once it is left
        page.get_by_role("button", name="Discard it and leave").click()  # (leaving asks first)
        expect(offer).to_be_visible()
        expect(offer).to_contain_text("New version")
        with page.expect_navigation():
            offer.get_by_role("button", name="Reload").click()
        expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
        [second] = page.evaluate(CACHE_NAMES)  # the old cache is gone
        assert second != first
        css = page.evaluate("fetch('/static/css/app.css').then((r) => r.text())")
        assert ".deploy-2" in css
        assert page.evaluate("navigator.serviceWorker.controller.state") == "activated"
        assert problems == []
    finally:
        context.close()
