"""The recruiter's workspace in a real headless Chromium, against the real app on a loopback port.

One fresh data folder: a migrated SQLite database with a small generated pool, embedded; the demo recruiter
(organisation "demo") and a recruiter of another organisation. The app is started with `chainlit run` as
`make run` starts it. Screenshots of every stage go to test-results/e2e/, with the measured time to the first
visible response in timings.json.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARGS, CHROMIUM, DEMO, RESULTS, app_env, hire, require_browser, serve
from servers import free_port
from sqlalchemy import create_engine, text

ROLE = "Senior backend engineer in Berlin, Go and Kubernetes, 5+ years"
OTHER = ("recruiter@other.example", "other-password")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    require_browser()
    data = tmp_path_factory.mktemp("workspace")
    env = app_env(data)
    hire(env, "init", "--demo")  # the demo recruiter with the README's password; the pool comes next
    hire(env, "seed", "--profiles", "600", "--seed", "11")
    hire(env, "seed", "--profiles", "600", "--seed", "12", "--occupations", "15-")
    hire(env, "index")
    hire(env, "user", "add", OTHER[0], "--name", "Olga Other", "--org", "other", "--password", OTHER[1])
    env["CHAINLIT_AUTH_SECRET"] = "e2e-" + "x" * 60
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        with serve(env, data) as base:
            yield {"base": base, "data": data, "db": f"sqlite:///{data / 'hire.db'}"}
    finally:
        shutil.copy(data / "app.log", RESULTS / "app.log")


@pytest.fixture(scope="module")
def browser(app: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _login(browser: Any, base: str, who: tuple[str, str]) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 1100}).new_page()
    page.set_default_timeout(30_000)
    page.goto(base)
    page.fill("#email", who[0])
    page.fill("#password", who[1])
    page.click("button:has-text('Sign In')")
    page.wait_for_selector("textarea")
    return page


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def _send(page: Any, message: str) -> float:
    """Send a message; the seconds until the first new assistant message is visible."""
    before = page.locator("[data-step-type='assistant_message']").count()
    page.fill("textarea", message)
    started = time.perf_counter()
    page.click("#chat-submit")
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-step-type='assistant_message']\").length > n", arg=before)
    return time.perf_counter() - started


def _sql(app: dict[str, Any], query: str, **params: Any) -> list[Any]:
    engine = create_engine(app["db"])
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(query), params))
    finally:
        engine.dispose()


def test_recruiter_workspace_end_to_end(app: dict[str, Any], browser: Any) -> None:
    base = app["base"]
    page = browser.new_context(viewport={"width": 1280, "height": 1100}).new_page()
    page.goto(base)
    page.wait_for_selector("#email")
    _shot(page, "01-login")
    page.close()

    page = _login(browser, base, DEMO)
    _shot(page, "02-signed-in")
    assert _sql(app, "SELECT count(*) FROM projects")[0][0] == 0

    # a role request: the plan appears as a task list, and intake asks for approval
    first = _send(page, ROLE)
    page.wait_for_selector("text=Plan:")
    page.wait_for_selector("#qualification-editor")
    _shot(page, "03-plan-and-qualifications")
    page.locator("text=Tasks").last.wait_for()  # the plan as a task list
    assert page.locator("text=sourcing: Source candidates").count() >= 1
    assert _sql(app, "SELECT count(*) FROM pipeline_entries")[0][0] == 0  # nothing sourced before approval

    # edit: location becomes nice to have, add a qualification, then approve
    rows = page.locator("[data-testid='qualification-row']")
    assert rows.count() == 5
    rows.nth(4).locator("select").select_option("nice")
    page.fill("input[aria-label='new qualification']", "Experience with Docker")
    page.click("#qualification-editor button:has-text('Add')")
    assert rows.count() == 6
    _shot(page, "04-edited-qualifications")
    page.click("#approve-qualifications")

    # calibration: rate two candidates, submit
    page.wait_for_selector("#calibration-batch", timeout=60_000)
    cards = page.locator("[data-testid='calibration-row']")
    assert 1 <= cards.count() <= 10
    cards.nth(0).locator("button:has-text('Good fit')").click()
    if cards.count() > 1:
        cards.nth(1).locator("button:has-text('Not a fit')").click()
    _shot(page, "05-calibration")
    page.click("#submit-ratings")

    # the shortlist with verdicts and evidence quotes
    page.wait_for_selector("h2:has-text('Shortlist')", timeout=120_000)
    page.wait_for_selector("text=must-haves ·")
    assert page.locator("blockquote").count() > 0  # evidence quotes
    _shot(page, "06-shortlist")
    quals = _sql(app, "SELECT text, kind, status FROM qualifications WHERE status = 'approved' ORDER BY position")
    assert ("Experience with Docker", "must", "approved") in [tuple(q) for q in quals]
    assert any(q[0].startswith("Based in") and q[1] == "nice" for q in quals)
    assert _sql(app, "SELECT count(*) FROM evaluations")[0][0] > 0

    # shortlist one candidate: the action is stored for this recruiter
    page.locator("button:has-text('Shortlist')").first.click()
    page.wait_for_selector("text=Recorded: shortlist")
    actions = _sql(app, "SELECT r.email, a.action, a.profile_id FROM recruiter_actions a "
                        "JOIN recruiters r ON r.id = a.recruiter_id")
    assert [(a[0], a[1]) for a in actions] == [(DEMO[0], "shortlist")]
    page.locator("button:has-text('Open profile')").first.click()
    page.wait_for_selector("text=evidence in bold")
    _shot(page, "07-action-and-profile")

    # talent insights as charts, on request
    _send(page, "Show me the talent pool for software developers")
    page.wait_for_selector("text=Talent insights:", timeout=60_000)
    size = page.locator("text=Talent insights:").last.inner_text()
    assert int(size.split(":")[1].split()[0].replace(",", "")) > 0, size
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    _shot(page, "07b-insights")

    # reload: the chat is in the history; reopening it shows the conversation
    thread_url = page.url
    page.goto(base)
    page.wait_for_selector("textarea")
    page.locator("#thread-history a, [id^='thread-']").first.click()
    page.wait_for_selector("text=Shortlist")
    # the agent continues where it stopped: the reopened chat still knows the shortlist
    _send(page, "Why is candidate 1 ranked low?")
    page.wait_for_selector("text=is ranked 1 of", timeout=60_000)
    _shot(page, "08-history")
    thread_url = page.url if "/thread/" in page.url else thread_url
    assert "/thread/" in thread_url

    # a recruiter of another organisation sees neither the project nor the thread
    other = _login(browser, base, OTHER)
    other.wait_for_selector("text=No threads found")  # the sidebar history is empty for them
    _shot(other, "09-other-organisation")
    other.goto(thread_url)
    other.wait_for_timeout(3000)
    assert other.locator("text=Shortlist").count() == 0
    assert other.locator(f"text={ROLE}").count() == 0
    _shot(other, "10-other-organisation-direct-url")

    (RESULTS / "timings.json").write_text(json.dumps({"first_visible_response_s": round(first, 3)}, indent=2))
    print(f"time to first visible response: {first:.3f} s")


def test_sign_in_behind_an_sso_proxy(tmp_path: Path, browser: Any) -> None:
    """With HIRE_AUTH_HEADER set, the proxy's header signs the recruiter in; without it, nobody gets in."""
    data = tmp_path / "sso"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIRE_")}
    env.update(HIRE_DATA_DIR=str(data), HF_HUB_OFFLINE="1", HIRE_DEMO_PROFILES="0",
               HIRE_SHARED_DATA_DIR=str(data / "no-shared-data"), HIRE_AUTH_HEADER="X-Forwarded-Email",
               CHAINLIT_AUTH_SECRET="sso-" + "y" * 60)
    hire(env, "init", "--demo")
    with serve(env, data) as base:
        signed = browser.new_context(extra_http_headers={"X-Forwarded-Email": DEMO[0]}).new_page()
        signed.goto(base)
        signed.wait_for_selector("textarea", timeout=30_000)
        _shot(signed, "11-sso-signed-in")
        stranger = browser.new_context(extra_http_headers={"X-Forwarded-Email": "nobody@else.example"}).new_page()
        stranger.goto(base)
        stranger.wait_for_timeout(3000)
        assert stranger.locator("textarea").count() == 0


def test_a_dead_model_endpoint_is_explained_and_offers_a_retry(tmp_path: Path, browser: Any) -> None:
    dead_port = free_port()  # a free port: nothing listens there

    data = tmp_path / "dead-llm"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIRE_")}
    env.update(HIRE_DATA_DIR=str(data), HF_HUB_OFFLINE="1", HIRE_DEMO_PROFILES="0",
               HIRE_SHARED_DATA_DIR=str(data / "no-shared-data"), CHAINLIT_AUTH_SECRET="llm-" + "z" * 60,
               HIRE_LLM_BASE_URL=f"http://127.0.0.1:{dead_port}/v1", HIRE_LLM_MODEL="any",
               HIRE_LLM_MAX_RETRIES="0", HIRE_LLM_TIMEOUT_S="3")
    hire(env, "init", "--demo")
    with serve(env, data) as base:
        page = _login(browser, base, DEMO)
        _send(page, ROLE)
        page.wait_for_selector("text=is not answering", timeout=60_000)
        assert page.locator("text=planner").count() >= 1
        assert page.locator("button:has-text('Retry')").count() == 1
        _shot(page, "12-dead-model-endpoint")
