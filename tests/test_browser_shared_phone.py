"""One phone, several people, in headless Chromium: every record belongs to the account it was
saved under (or to no account yet), so what one person leaves waiting never reaches the next
person's account or screens; sign-out asks what to do with records still waiting; records made
with no account are added to an account only when the person says so; an offline sign-out
still ends the token; a record the server refuses can be deleted from the device."""

import time
import uuid

import httpx
import pytest
from browser_support import cleared, installed, read_store, saved_session, to_first_movement
from conftest import PHONE
from playwright.sync_api import expect
from sqlmodel import Session, select
from test_browser_offline import count, outbox, short_session, sign_in, sign_up, wait_for

from app.models import CheckIn, SessionLog

from records import PASSWORD

pytestmark = pytest.mark.browser


def register(live_server: str, email: str) -> str:
    """An account made through the API (as on another device); its token."""
    answer = httpx.post(
        f"{live_server}/api/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["access_token"]


def server_sessions(live_server: str, token: str) -> set[str]:
    """The ids of the session logs the server holds for the account of `token`."""
    answer = httpx.get(
        f"{live_server}/api/sessions",
        params={"limit": 100},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    return {s["id"] for s in answer.json()["sessions"]}


def token_of(page) -> str:
    return read_store(page, "meta", "auth")["token"]


def me(live_server: str, token: str) -> int:
    return httpx.get(
        f"{live_server}/api/me", headers={"Authorization": f"Bearer {token}"}
    ).status_code


def failing_sync(route) -> None:
    """POST /api/sync answers 500 to any batch that carries records; pulls go through."""
    body = route.request.post_data_json or {}
    if body.get("sessions") or body.get("checkins"):
        route.fulfill(status=500, json={"detail": "Internal server error"})
    else:
        route.continue_()


def history_ids(page, expected: int = 0) -> set[str]:
    """The ids of the sessions History shows, once it shows `expected` of them."""
    page.goto("/history")
    expect(page.get_by_role("heading", name="History", level=1)).to_be_visible()
    sessions = page.locator("li.session")
    expect(sessions).to_have_count(expected)
    return {i.removeprefix("s-") for i in sessions.evaluate_all("(li) => li.map((e) => e.id)")}


def test_records_one_person_left_waiting_never_reach_the_next_persons_account(
    page, engine, live_server
):
    b_token = register(live_server, "b@x.org")
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "a@x.org")
    a_token = token_of(page)
    short_session(page)  # reaches A's account
    wait_for(page, lambda: outbox(page) == [], what="A's first session to be confirmed")
    [synced] = server_sessions(live_server, a_token)

    # The server fails every batch (the page and its worker alike): two sessions wait.
    page.context.route("**/api/sync", failing_sync)
    short_session(page, "/session?exercise=cat-camel")
    short_session(page, "/session?exercise=bird-dog")
    waiting = {e["id"] for e in outbox(page)}
    assert len(waiting) == 2
    assert {e["owner"] for e in outbox(page)} == {"a@x.org"}

    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    choice = page.locator(".sign-out-choice")
    expect(choice).to_contain_text("2 records have not reached the server yet")
    expect(choice.get_by_role("button", name="Sync first, then sign out")).to_be_visible()
    assert len(outbox(page)) == 2 and read_store(page, "meta", "auth")  # nothing before the answer
    choice.get_by_role("button", name="Keep them on this device").click()
    expect(page.locator(".message")).to_contain_text("2 records not yet on the server stay")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert {e["id"] for e in outbox(page)} == waiting
    wait_for(page, lambda: me(live_server, a_token) == 401, what="A's token to be ended")
    assert history_ids(page) == set()  # A's history is A's: hidden once signed out

    page.context.unroute_all(behavior="wait")
    sign_in(page, "b@x.org")
    expect(page.locator(".claim")).to_have_count(0)  # A's records are not "no account's"
    expect(page.locator(".waiting")).to_have_text("Everything is on the server.")
    assert server_sessions(live_server, b_token) == set()  # none of A's records in B's account
    assert count(engine, SessionLog) == 1
    assert {e["id"] for e in outbox(page)} == waiting  # still A's, still waiting
    assert history_ids(page) == set()  # B sees none of A's sessions
    expect(page.locator(".sync-chip")).to_be_hidden()

    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()  # B has nothing waiting: no question
    expect(page.locator(".message")).to_have_text("Signed out.")

    sign_in(page, "a@x.org")
    wait_for(page, lambda: outbox(page) == [], what="A's kept records to be sent")
    a_again = token_of(page)
    assert server_sessions(live_server, a_again) == waiting | {synced}
    assert server_sessions(live_server, b_token) == set()
    assert history_ids(page, 3) == waiting | {synced}


def test_signing_out_offline_can_delete_the_accounts_records_from_the_device(
    page, engine, live_server
):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "d@x.org")
    short_session(page)
    wait_for(page, lambda: count(engine, SessionLog) == 1, what="the first session")
    wait_for(page, lambda: outbox(page) == [], what="it to be confirmed")
    page.context.set_offline(True)
    short_session(page, "/session?exercise=cat-camel")
    [lost] = outbox(page)

    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    choice = page.locator(".sign-out-choice")
    expect(choice).to_contain_text("1 record has not reached the server yet")
    # Offline there is nothing to sync with: only keep or delete.
    expect(choice.get_by_role("button", name="Sync first, then sign out")).to_have_count(0)
    assert len(read_store(page, "sessions")) == 2  # nothing deleted before the answer
    choice.get_by_role("button", name="Delete it from this device").click()
    expect(page.locator(".message")).to_contain_text("deleted from this device")
    assert outbox(page) == []
    assert read_store(page, "sessions") == []

    page.context.set_offline(False)
    sign_in(page, "d@x.org")  # what reached the server comes back
    wait_for(page, lambda: len(read_store(page, "sessions")) == 1, what="the pull")
    assert history_ids(page, 1) == {read_store(page, "sessions")[0]["id"]} != {lost["id"]}
    assert count(engine, SessionLog) == 1


def test_records_made_with_no_account_join_one_only_when_the_person_says_so(page, engine):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    short_session(page)  # nobody signed in
    [mine] = outbox(page)
    assert mine["owner"] is None

    sign_up(page, "n@x.org")
    claim = page.locator(".claim")
    expect(claim).to_contain_text("Add 1 record to n@x.org?")
    claim.get_by_role("button", name="Not now").click()
    expect(claim).to_have_count(0)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator(".waiting")).to_have_text("Everything is on the server.")
    assert count(engine, SessionLog) == 0  # declined: not sent …
    assert outbox(page)[0]["owner"] is None
    assert history_ids(page) == set()  # … and not shown while signed in

    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".message")).to_have_text("Signed out.")
    assert history_ids(page, 1) == {mine["id"]}  # signed out, the device's own records show

    sign_in(page, "n@x.org")  # asked again
    claim.get_by_role("button", name="Add them").click()
    expect(page.locator(".message")).to_contain_text("Added 1 record to n@x.org")
    wait_for(page, lambda: count(engine, SessionLog) == 1, what="the added record to arrive")
    assert count(engine, SessionLog, id=uuid.UUID(mine["id"])) == 1
    wait_for(page, lambda: outbox(page) == [], what="it to be confirmed")
    assert history_ids(page, 1) == {mine["id"]}
    assert read_store(page, "sessions")[0]["owner"] == "n@x.org"


def test_signing_out_offline_forgets_the_token_at_once_and_ends_it_once_online(page, live_server):
    cleared(page)
    installed(page)
    sign_up(page, "o@x.org")
    token = token_of(page)
    page.context.set_offline(True)
    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".message")).to_have_text("Signed out.")
    assert read_store(page, "meta", "auth") is None  # forgotten on the device at once
    assert read_store(page, "meta", "revoke") == [token]
    assert me(live_server, token) == 200  # the server has not heard yet

    page.context.set_offline(False)  # `online`: the queued sign-out is sent
    wait_for(page, lambda: me(live_server, token) == 401, what="the token to be ended")
    wait_for(page, lambda: read_store(page, "meta", "revoke") == [], what="the queue to empty")


def test_a_refused_record_can_be_deleted_from_the_device_and_the_rest_still_syncs(page, engine):
    cleared(page)
    installed(page)
    sign_up(page, "r@x.org")
    # A device whose clock read the year 9999: once a 500 that held the whole outbox back,
    # now refused on its own.
    bad = saved_session(started_at="9999-12-31T12:00:00.000Z", ended_at="9999-12-31T12:10:00.000Z")
    good = saved_session("2026-11-21")
    page.evaluate(
        "async (records) => { const store = await import('/static/js/store.js');"
        " for (const r of records) await store.finishSession(r);"
        " await (await import('/static/js/outbox.js')).flush(); }",
        [bad, good],
    )
    assert count(engine, SessionLog, id=uuid.UUID(good["id"])) == 1  # the rest went through
    assert history_ids(page, 2) == {bad["id"], good["id"]}

    page.goto("/account")
    refused = page.locator(".rejected-record")
    expect(refused).to_have_count(1)
    expect(refused.locator(".reason")).to_contain_text("started_at: the time must fall between")
    refused.get_by_role("button", name="Delete from this device…").click()
    expect(refused.locator(".confirm-delete-record")).to_contain_text("gone for good")
    assert len(outbox(page)) == 1  # nothing deleted before the confirmation
    refused.get_by_role("button", name="Delete for good").click()
    expect(refused).to_have_count(0)
    assert outbox(page) == []
    assert [s["id"] for s in read_store(page, "sessions")] == [good["id"]]
    assert history_ids(page, 1) == {good["id"]}
    with Session(engine) as db:
        assert [str(r.id) for r in db.exec(select(SessionLog))] == [good["id"]]


V2_DATABASE = """([auth, record]) => new Promise((resolve, reject) => {
  const open = indexedDB.open('spinewise', 2);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('current');
    db.createObjectStore('sessions', { keyPath: 'id' }).createIndex('started_at', 'started_at');
    db.createObjectStore('checkins', { keyPath: 'id' }).createIndex('day', 'day');
    db.createObjectStore('outbox', { keyPath: 'id' });
    db.createObjectStore('meta');
  };
  open.onsuccess = () => {
    const tx = open.result.transaction(['sessions', 'outbox', 'meta'], 'readwrite');
    tx.objectStore('meta').put(auth, 'auth');
    tx.objectStore('sessions').put(record);
    const queued = { id: record.id, type: 'sessions', record, queued_at: record.updated_at };
    tx.objectStore('outbox').put(queued);
    tx.oncomplete = () => { open.result.close(); resolve(); };
  };
  open.onerror = () => reject(open.error);
})"""


def test_records_from_before_owners_belong_to_the_account_signed_in_at_the_upgrade(
    page, live_server
):
    token = register(live_server, "up@x.org")
    record = {
        "id": str(uuid.uuid4()),
        "kind": "single",
        "title": "Glute bridge",
        "started_at": "2026-11-20T08:00:00.000Z",
        "ended_at": "2026-11-20T08:10:00.000Z",
        "updated_at": "2026-11-20T08:10:00.000Z",
        "exercises": [],
        "notes": "",
    }
    page.goto("/manifest.webmanifest")  # same origin, before any of the app has run
    page.evaluate(V2_DATABASE, [{"token": token, "email": "up@x.org"}, record])
    cleared(page)
    installed(page)
    # It was going to sync to this account anyway: now it is that account's, and it does.
    wait_for(page, lambda: server_sessions(live_server, token) == {record["id"]}, what="it")
    assert read_store(page, "sessions")[0]["owner"] == "up@x.org"
    wait_for(page, lambda: outbox(page) == [], what="it to be confirmed")


def test_an_ended_sign_in_keeps_the_records_the_accounts_until_it_signs_out(
    page, engine, live_server
):
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "e@x.org")
    token = token_of(page)
    httpx.post(f"{live_server}/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    short_session(page)  # its flush is answered 401: the sign-in has ended
    wait_for(page, lambda: read_store(page, "meta", "auth").get("expired"), what="the 401")
    [kept] = outbox(page)
    assert kept["owner"] == "e@x.org"
    assert history_ids(page, 1) == {kept["id"]}  # still this person's, still shown

    page.goto("/account")
    expect(page.locator(".notice").first).to_contain_text("as e@x.org has expired")
    page.get_by_role("button", name="Sign out").click()
    choice = page.locator(".sign-out-choice")
    expect(choice).to_contain_text("1 record has not reached the server yet")
    expect(choice.get_by_role("button", name="Sync first, then sign out")).to_have_count(0)
    choice.get_by_role("button", name="Keep it on this device").click()
    expect(page.locator(".message")).to_contain_text("will sync when e@x.org signs in again")
    assert history_ids(page) == set()

    sign_in(page, "e@x.org")
    wait_for(page, lambda: count(engine, SessionLog, id=uuid.UUID(kept["id"])) == 1, what="it")


def check_in(page, pain: str) -> None:
    page.goto("/checkin")
    for question, value in (("pain", pain), ("stiffness", "3"), ("compared", "same")):
        page.locator(f"fieldset.checkin-{question} .choice[data-value='{value}']").click()
    page.locator("fieldset.checkin-lingered .choice[data-value='false']").click()
    page.locator("fieldset.checkin-spread .choice[data-value='false']").click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".saved")).to_be_visible()


def test_two_devices_checking_in_the_same_morning_end_with_one_check_in(
    browser, live_server, engine
):
    """Each device makes its own id for the day's check-in; the account keeps one a day (the
    later edit), and each device ends with that one."""
    phone, tablet = (browser.new_context(base_url=live_server, **PHONE) for _ in range(2))
    try:
        a, b = phone.new_page(), tablet.new_page()
        for page in (a, b):
            cleared(page)
            installed(page)
        sign_up(a, "two@x.org")
        sign_in(b, "two@x.org")
        phone.set_offline(True)
        tablet.set_offline(True)
        check_in(a, "2")
        check_in(b, "7")  # saved later: it keeps the day
        [on_a], [on_b] = read_store(a, "checkins"), read_store(b, "checkins")
        assert on_a["id"] != on_b["id"] and on_a["day"] == on_b["day"]

        phone.set_offline(False)
        wait_for(a, lambda: outbox(a) == [], what="the phone's check-in to be confirmed")
        tablet.set_offline(False)
        wait_for(b, lambda: outbox(b) == [], what="the tablet's check-in to be confirmed")
        a.goto("/account")
        a.get_by_role("button", name="Sync now").click()
        wait_for(
            a,
            lambda: [c["id"] for c in read_store(a, "checkins")] == [on_b["id"]],
            what="the phone to take the tablet's check-in in place of its own",
        )
        with Session(engine) as db:
            assert [(c.id.hex, c.pain) for c in db.exec(select(CheckIn))] == [
                (uuid.UUID(on_b["id"]).hex, 7)
            ]
        assert [c["pain"] for c in read_store(b, "checkins")] == [7]
        a.goto("/checkin")  # the phone's check-in of today is the tablet's now
        expect(a.locator("fieldset.checkin-pain .choice[aria-checked=true]")).to_have_text("7")
    finally:
        phone.close()
        tablet.close()


def test_a_session_left_in_progress_leaves_with_its_account_and_comes_back_with_it(
    page, live_server
):
    """Its answers may already hold a pain score: the next person must not see or save it."""
    register(live_server, "f@x.org")
    cleared(page)
    page.clock.install(time=time.time())
    installed(page)
    sign_up(page, "e@x.org")
    page.goto("/session?exercise=glute-bridge")
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(2000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(6000)
    expect(page.locator("h1")).to_contain_text("How was")
    page.clock.resume()
    wait_for(page, lambda: read_store(page, "current", "session") is not None, what="the save")

    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".message")).to_have_text("Signed out.")
    assert read_store(page, "current", "session") is None
    page.goto("/")
    expect(page.get_by_role("link", name="Continue session")).to_have_count(0)

    sign_in(page, "f@x.org")
    page.goto("/")
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Continue session")).to_have_count(0)
    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".message")).to_have_text("Signed out.")

    sign_in(page, "e@x.org")
    page.goto("/")
    expect(page.get_by_role("link", name="Continue session")).to_be_visible()


def test_what_a_person_has_goes_to_the_account_and_comes_to_their_other_device(
    browser, live_server
):
    """Ticked before signing up, the device's choice becomes the new account's; a change while
    signed in reaches the account; signing in on another device takes the account's."""
    phone, tablet = (browser.new_context(base_url=live_server, **PHONE) for _ in range(2))
    try:
        a, b = phone.new_page(), tablet.new_page()
        for page in (a, b):
            cleared(page)
        a.goto("/account")
        a.get_by_label("step or box").check()
        sign_up(a, "kit@x.org")

        def account_has() -> list[str]:
            answer = httpx.get(
                f"{live_server}/api/me", headers={"Authorization": f"Bearer {token_of(a)}"}
            )
            return answer.json()["equipment"]

        wait_for(
            a, lambda: account_has() == ["mat", "wall", "chair", "step"], what="the device's choice"
        )
        a.get_by_label("kettlebell or dumbbell").check()
        wait_for(a, lambda: "weight" in account_has(), what="the change to reach the account")
        b.goto("/account")
        expect(b.get_by_label("step or box")).not_to_be_checked()
        sign_in(b, "kit@x.org")
        expect(b.get_by_label("step or box")).to_be_checked()
        expect(b.get_by_label("kettlebell or dumbbell")).to_be_checked()
        b.goto("/exercises")
        expect(b.locator("li.exercise[data-slug=goblet-squat]")).to_have_count(1)
    finally:
        phone.close()
        tablet.close()
