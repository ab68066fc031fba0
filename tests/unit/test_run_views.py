"""What the recruiter reads about background runs, notifications and projects."""

from __future__ import annotations

import datetime as dt

from app.run_views import (
    dashboard_markdown,
    finished_marker,
    finished_text,
    notifications_markdown,
    progress_text,
    run_status,
)


def test_progress_line_from_events_and_rows() -> None:
    event = {"event": "run.progress", "run_id": 4, "done": 1200, "total": 8000, "matched": 312}
    assert progress_text(event) == "Background run #4: evaluated 1,200 of 8,000 · 312 meet every must-have"
    assert run_status({"event": "run.started", "run_id": 4}) == "sourcing"
    assert progress_text({"event": "run.started", "run_id": 4}).endswith("sourcing every match of the approved "
                                                                        "qualifications…")
    row = {"id": 4, "status": "evaluating", "done": 10, "total": 20, "matched": 3}
    assert progress_text(row) == "Background run #4: evaluated 10 of 20 · 3 meet every must-have"
    assert progress_text({"id": 5, "status": "queued"}) == "Background run #5: queued, starting soon…"
    ended = {"event": "run.finished", "run_id": 4, "done": 8000, "total": 8000, "matched": 401}
    assert progress_text(ended) == "Background run #4 finished: evaluated 8,000 of 8,000 · 401 meet every must-have"


def test_result_message_names_the_run_and_its_counts() -> None:
    run = {"id": 9, "status": "finished", "done": 600, "total": 600, "matched": 42, "project_id": 1}
    text = finished_text(run, "Backend engineer")
    assert text.startswith("**Background run #9 finished** for **Backend engineer**.")
    assert "evaluated 600 of 600 · 42 meet every must-have" in text
    assert finished_marker(run) in text
    failed = {"event": "run.failed", "run_id": 9, "done": 100, "total": 600, "matched": 2, "text": "disk full"}
    assert "It stopped: disk full. So far it evaluated 100 of 600" in finished_text(failed)


def test_notifications_list_marks_the_unread() -> None:
    notes = [{"id": 2, "title": "Run finished", "body": "42 match", "read": False,
              "created_at": dt.datetime(2025, 3, 1, 9, 30)},
             {"id": 1, "title": "Message parked", "body": "", "read": True, "created_at": "2025-02-28T08:00:00"}]
    text = notifications_markdown(notes, unread_only=False)
    assert text.splitlines() == ["**Notifications** (1 unread of 2)",
                                 "- _new_ · **Run finished** — 42 match _(01 Mar 09:30)_",
                                 "- **Message parked** _(28 Feb 08:00)_"]
    assert notifications_markdown([], unread_only=True) == "Nothing needs your attention."


def test_dashboard_table() -> None:
    rows = [{"id": 2, "title": "Nurse | ICU", "status": "open", "stages": {"evaluated": 40, "sourced": 1200},
             "awaiting_approval": 0, "active_run": {"id": 7, "status": "evaluating", "done": 500, "total": 1240,
                                                    "matched": 12},
             "last_run": {"id": 3, "status": "finished", "done": 100, "total": 100, "matched": 9,
                          "finished_at": dt.datetime(2025, 3, 2, 6, 0)}},
            {"id": 1, "title": "Backend", "status": "open", "stages": {}, "awaiting_approval": 5,
             "active_run": None, "last_run": None}]
    lines = dashboard_markdown(rows).splitlines()
    assert lines[0] == "## Projects dashboard"
    assert lines[4] == ("| Nurse \\| ICU (#2, open) | sourced 1,200 · evaluated 40 | evaluating: evaluated 500 of "
                        "1,240 · 12 meet every must-have | #3 finished 02 Mar 06:00: evaluated 100 of 100 · 9 meet "
                        "every must-have | — |")
    assert lines[5] == "| Backend (#1, open) | empty | — | never | 5 qualifications |"
    assert "No projects yet" in dashboard_markdown([])
