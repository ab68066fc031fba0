"""Background runs in the browser: started from the shortlist, followed live in two sessions of the recruiter,
finished with the stored counts, then the notification and the projects dashboard.

The app runs the durable runtime's workers in its own process (as `make run` does), on a fresh data folder
with a small generated pool of computer occupations; batches of 10 so that the run reports progress several
times. Screenshots go to test-results/e2e/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import ARGS, CHROMIUM, DEMO, RESULTS, app_env, hire, require_browser, serve
from sqlalchemy import create_engine, text

ROLE = "Software developer in New York, 2+ years"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    require_browser()
    data = tmp_path_factory.mktemp("background")
    env = app_env(data, HIRE_AGENT_CALIBRATION_SIZE="0", HIRE_RUN_BATCH_SIZE="10", HIRE_RUN_ROUNDS="0")
    hire(env, "init", "--demo")
    hire(env, "seed", "--profiles", "600", "--seed", "12", "--occupations", "15-")
    hire(env, "seed", "--profiles", "600", "--seed", "13", "--occupations", "15-125")  # software developers
    hire(env, "index")
    env["CHAINLIT_AUTH_SECRET"] = "bg-" + "r" * 61
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        with serve(env, data) as base:
            yield {"base": base, "db": f"sqlite:///{data / 'hire.db'}"}
    finally:
        shutil.copy(data / "app.log", RESULTS / "background-app.log")


@pytest.fixture(scope="module")
def browser(app: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def login(browser: Any, base: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 1100}).new_page()
    page.set_default_timeout(30_000)
    page.goto(base)
    page.fill("#email", DEMO[0])
    page.fill("#password", DEMO[1])
    page.click("button:has-text('Sign In')")
    page.wait_for_selector("textarea")
    return page


def send(page: Any, message: str) -> None:
    before = page.locator("[data-step-type='assistant_message']").count()
    page.fill("textarea", message)
    page.click("#chat-submit")
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-step-type='assistant_message']\").length > n", arg=before)


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def sql(app: dict[str, Any], query: str, **params: Any) -> list[Any]:
    engine = create_engine(app["db"])
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(query), params))
    finally:
        engine.dispose()


def messages_of_run(page: Any, run_id: int) -> list[str]:
    return [t for t in page.locator("[data-step-type='assistant_message']").all_inner_texts()
            if f"Background run #{run_id}" in t]


def test_a_background_run_from_the_browser(app: dict[str, Any], browser: Any) -> None:
    base = app["base"]
    page = login(browser, base)
    watcher = login(browser, base)  # a second browser session of the same recruiter

    send(page, ROLE)
    page.wait_for_selector("#qualification-editor")
    page.click("#approve-qualifications")
    page.wait_for_selector("h2:has-text('Shortlist')", timeout=120_000)
    assert sql(app, "SELECT count(*) FROM background_runs")[0][0] == 0

    page.locator("button:has-text('Run in the background')").first.click()
    page.wait_for_selector("text=Background run #", timeout=30_000)
    run_id = int(sql(app, "SELECT id FROM background_runs")[0][0])
    shot(page, "20-background-run-started")

    finished = f"text=Background run #{run_id} finished"
    page.wait_for_selector(finished, timeout=240_000)
    page.wait_for_selector("text=Show shortlist", timeout=30_000)
    watcher.wait_for_selector(finished, timeout=30_000)
    shot(page, "21-background-run-finished")
    shot(watcher, "22-background-run-second-session")

    status, done, total, matched, thread = sql(
        app, "SELECT status, done, total, matched, thread_id FROM background_runs WHERE id = :id", id=run_id)[0]
    assert status == "finished" and total > 0 and done == total
    judged, met = sql(app, "SELECT sum(judged), sum(matched) FROM run_batches WHERE run_id = :id", id=run_id)[0]
    assert (judged, met) == (done, matched)
    assert sql(app, "SELECT count(*) FROM run_batches WHERE run_id = :id", id=run_id)[0][0] == -(-total // 10)
    counts = f"evaluated {done:,} of {total:,} · {matched:,} meet every must-have"
    for p in (page, watcher):
        shown = messages_of_run(p, run_id)
        # one progress message updated in place (now its final line), and the result message
        assert len(shown) == 2, shown
        assert all(counts in t for t in shown), (counts, shown)
    assert thread  # the run knows the chat that started it

    # the run's notification arrives live in both sessions
    note = "Background run finished for"
    page.wait_for_selector(f"text={note}", timeout=30_000)
    watcher.wait_for_selector(f"text={note}", timeout=30_000)
    assert sql(app, "SELECT count(*) FROM notifications WHERE read_at IS NULL")[0][0] == 1

    # the stored shortlist of the run
    lists = page.locator("h2:has-text('Shortlist')").count()
    page.locator("button:has-text('Show shortlist')").first.click()
    page.wait_for_function("n => document.querySelectorAll('h2').length > n", arg=lists)
    top = sql(app, "SELECT p.full_name FROM pipeline_entries e JOIN profiles p ON p.id = e.profile_id "
                   "WHERE e.rank = 1")[0][0]
    page.wait_for_selector(f"text=1. {top}")
    shot(page, "23-background-run-shortlist")

    # the projects dashboard: pipeline counts, the last run, updated from the database
    send(page, "/dashboard")
    page.wait_for_selector("h2:has-text('Projects dashboard')")
    stages = dict(sql(app, "SELECT stage, count(*) FROM pipeline_entries GROUP BY stage"))
    table = page.locator("table").last.inner_text()
    assert f"#{run_id} finished" in table, table
    assert f"evaluated {stages['evaluated']:,}" in table.replace("\t", " "), (stages, table)
    shot(page, "24-projects-dashboard")

    # a new chat: the unread notification is listed; marking it read is stored
    fresh = login(browser, base)
    fresh.wait_for_selector("text=Needs your attention", timeout=30_000)
    fresh.locator("button:has-text('Mark all read')").first.click()
    fresh.wait_for_selector("text=Marked 1 notification read.")
    assert sql(app, "SELECT count(*) FROM notifications WHERE read_at IS NULL")[0][0] == 0
    shot(fresh, "25-notifications")

    # by words, in a chat without a project: the agent says what is missing, nothing starts
    send(fresh, "go source for this role overnight")
    fresh.wait_for_selector("text=needs a project with approved qualifications")
    assert sql(app, "SELECT count(*) FROM background_runs")[0][0] == 1
