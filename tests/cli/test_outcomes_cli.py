"""Issue 16 end to end: questionnaires stored by `backcare measure`, then judged by the
rules (`check`), shown by `status` and `summary`, and reminded by `remind`, all through the
real CLI and a real SQLite file, at fixed `--at`/`--as-of` times (Europe/London, winter:
local time is UTC)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Run

ONSET = "2026-11-02 08:00"
HIGH = "1,0,0,0,1,1,1,0,4"  # total 5, subscale 4
MEDIUM = "1,1,1,0,0,0,0,0,3"  # total 4, subscale 1
LOW = "1,1,1,0,0,0,0,0,2"  # total 3


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def rules_of(run: Run, *args: str) -> dict[str, dict[str, object]]:
    return {f["rule"]: f for f in json.loads(ok(run, "check", "--json", *args))["flags"]}


@pytest.mark.parametrize(
    ("answers", "group", "level"),
    [(HIGH, "high", "soon"), (MEDIUM, "medium", "routine"), (LOW, "low", "info")],
)
def test_startback_group_raises_its_rule_in_check(
    run: Run, answers: str, group: str, level: str
) -> None:
    ok(run, "log", "6", "--at", ONSET)
    said = ok(run, "measure", "startback", "--answers", answers, "--at", "2026-11-03 09:00")
    assert f"{group} risk" in said
    flags = rules_of(run, "--as-of", "2026-11-04 09:00")
    startback = [rule for rule in flags if rule.startswith("risk.startback")]
    assert startback == [f"risk.startback-{group}"]
    assert flags[f"risk.startback-{group}"]["level"] == level
    text = flat(ok(run, "check", "--as-of", "2026-11-04 09:00"))
    assert f"(risk.startback-{group})" in text
    assert "m1 STarT Back at 2026-11-03 09:00" in text
    assert "supports, and does not replace, a clinician's assessment" in text


def test_the_latest_startback_decides_and_a_retest_moves_the_flag(run: Run) -> None:
    ok(run, "log", "6", "--at", ONSET)
    ok(run, "measure", "startback", "--answers", HIGH, "--at", "2026-11-03 09:00")
    for day in ("08", "13"):  # the same episode: no 7-day gap
        ok(run, "log", "5", "--at", f"2026-11-{day} 08:00")
    ok(run, "measure", "startback", "--answers", LOW, "--at", "2026-11-16 09:00")
    flags = rules_of(run, "--as-of", "2026-11-16 10:00")
    assert [r for r in flags if r.startswith("risk.startback")] == ["risk.startback-low"]
    # as of before the retest, the first result still holds
    flags = rules_of(run, "--as-of", "2026-11-16 08:00")
    assert [r for r in flags if r.startswith("risk.startback")] == ["risk.startback-high"]


def test_startback_flag_is_acknowledged_like_other_flags(run: Run) -> None:
    """Acknowledgements are taken now: times relative to now, no date compared."""
    ok(run, "log", "6", "--at", "-30h")
    ok(run, "measure", "startback", "--answers", HIGH, "--at", "-3h")
    assert "risk.startback-high" in ok(run, "status")
    ok(run, "ack", "risk.startback-high", "--note", "physio booked")
    status = ok(run, "status")
    assert "risk.startback-high" not in status
    assert "1 acknowledged flag not repeated here" in flat(status)
    flag = rules_of(run)["risk.startback-high"]
    assert flag["acknowledged"]["note"] == "physio booked"  # type: ignore[index]
    # a new result is new evidence: the flag comes back
    ok(run, "measure", "startback", "--answers", "1,1,0,0,1,1,1,1,4", "--at", "-1h")
    assert "risk.startback-high" in ok(run, "status")


def test_status_shows_phase_scores_with_verdicts_and_what_is_due(run: Run) -> None:
    ok(run, "log", "7", "--at", ONSET)
    ok(run, "measure", "rmdq", "--answers", ",".join(["1"] * 12 + ["0"] * 12), "--at", ONSET)
    ok(run, "goals", "add", "walk the dog", "--at", ONSET)
    ok(run, "measure", "psfs", "--answers", "7", "--at", "2026-11-02 09:00")
    for day in ("06", "11", "16"):  # the same episode: no 7-day gap
        ok(run, "log", "4", "--at", f"2026-11-{day} 08:00")
    # RMDQ 12 -> 8: 4 points (under 5) but 33 % (at least 30 %): meaningfully better
    ok(
        run,
        "measure",
        "rmdq",
        "--answers",
        ",".join(["1"] * 8 + ["0"] * 16),
        "--at",
        ONSET[:8] + "16 09:00",
    )
    status = flat(ok(run, "status", "--as-of", "2026-11-17 10:00"))
    assert "In the acute phase (under 6 weeks)." in status
    assert (
        "Roland-Morris (RMDQ) 8 on 2026-11-16: meaningfully better since the first score, 12 (-4)"
        in status
    )
    assert "PSFS (your activities) 7 on 2026-11-02 (first score of this episode)" in status
    # due: STarT Back at week 2 (never taken), PSFS weekly (last 15 days ago)
    view = json.loads(ok(run, "status", "--json", "--as-of", "2026-11-17 10:00"))
    assert view["phase"] == "acute"
    due = [(d["instrument"], d["point"]) for d in view["due"]["measures"]]
    assert due == [("startback", "week-2"), ("psfs", "weekly")]
    rmdq = next(m for m in view["measures"] if m["instrument"] == "rmdq")
    assert (rmdq["count"], rmdq["verdict"]) == (2, "better")
    assert (
        "questionnaire: STarT Back (week 2), PSFS (your activities) (weekly) (backcare measure "
        "startback or psfs)" in status
    )


def test_status_phase_moves_to_subacute_and_chronic(run: Run) -> None:
    for day in range(0, 100, 5):
        ok(run, "log", "5", "--at", f"2026-08-{1 + day:02d} 08:00" if day < 31 else _day(day))
    assert "subacute phase" in ok(run, "status", "--as-of", "2026-09-20 09:00")
    assert "chronic phase" in ok(run, "status", "--as-of", "2026-11-05 09:00")


def _day(offset: int) -> str:
    from datetime import date, timedelta

    return f"{(date(2026, 8, 1) + timedelta(days=offset)).isoformat()} 08:00"


def test_remind_lists_measure_due_once_a_day_never_before_24h(run: Run) -> None:
    ok(run, "log", "6", "--at", "2026-11-02 21:00")

    def due_at(when: str) -> list[str]:
        items = json.loads(ok(run, "remind", "--json", "--as-of", when))["due"]
        return [i["text"] for i in items if i["id"] == "measure-due"]

    assert due_at("2026-11-02 21:30") == []  # 30 min old
    assert due_at("2026-11-03 20:30") == []  # 23.5 h old
    (text,) = due_at("2026-11-03 21:00")  # 24 h old, past the 20:00 reminder time
    assert "STarT Back" in text
    assert due_at("2026-11-04 10:00") == []  # before the day's reminder time: not repeated
    plain = ok(run, "remind", "--as-of", "2026-11-04 20:00")
    assert sum("STarT Back" in line for line in plain.splitlines()) == 1
    ok(run, "measure", "startback", "--answers", LOW, "--at", "2026-11-04 20:05")
    assert due_at("2026-11-04 20:10") == []  # taken: no longer due


def test_summary_charts_each_measure_over_the_weeks_with_the_mark(run: Run) -> None:
    for day in ("02", "07", "12", "17", "22", "27"):  # one episode: no 7-day gap
        ok(run, "log", "6", "--at", f"2026-11-{day} 08:00")
    rmdq = {"2026-11-02": 16, "2026-11-09": 13, "2026-11-23": 9}
    for day, yes in rmdq.items():
        answers = ",".join(["1"] * yes + ["0"] * (24 - yes))
        ok(run, "measure", "rmdq", "--answers", answers, "--at", f"{day} 10:00")
    text = ok(run, "summary", "--from", "2026-11-02", "--to", "2026-11-29")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Roland-Morris (RMDQ) by week"))
    # the mark: meaningfully better than 16 is 5 points or 30 % (4.8) lower: 11.2
    assert "meaningfully better than the first score (16): 11.2 or lower" in lines[at + 1]
    weeks = lines[at + 2 : at + 6]
    assert [w.split()[0] for w in weeks] == ["11-02", "11-09", "11-16", "11-23"]
    assert [w.split()[-1] for w in weeks] == ["16", "13", "–", "9"]
    assert all("|" in w for w in weeks)
    assert max(len(line) for line in lines) <= 80
    data = json.loads(ok(run, "summary", "--json", "--from", "2026-11-02", "--to", "2026-11-29"))
    (series,) = data["measures"]
    assert series["instrument"] == "rmdq"
    assert [w["score"] for w in series["weeks"]] == [16, 13, None, 9]


def test_summary_marks_the_change_from_the_episodes_first_score(run: Run) -> None:
    """A period that starts after the episode's first score: the chart's mark and its
    "first score" are the episode's (as in status and the report), not the period's first."""
    for day in ("02", "07", "12", "17", "22", "27"):
        ok(run, "log", "6", "--at", f"2026-11-{day} 08:00")
    for day, yes in (("02", 20), ("16", 14), ("23", 12)):
        answers = ",".join(["1"] * yes + ["0"] * (24 - yes))
        ok(run, "measure", "rmdq", "--answers", answers, "--at", f"2026-11-{day} 10:00")
    text = ok(run, "summary", "--from", "2026-11-16", "--to", "2026-11-29")
    assert "meaningfully better than the first score (20): 15 or lower" in text
    data = json.loads(ok(run, "summary", "--json", "--from", "2026-11-16", "--to", "2026-11-29"))
    (series,) = data["measures"]
    assert series["first"] == {"id": "m1", "score": 20}
    assert series["better_at"] == 15
    assert [w["score"] for w in series["weeks"]] == [14, 12]


def test_measure_due_is_reminded_once_a_day_with_two_reminder_times(run: Run) -> None:
    """With reminders at 09:00 and 20:00 (cron runs both), measure-due comes with the day's
    first run only: at most once a day. `status` still lists it all day."""
    ok(run, "profile", "set", "--remind-at", "09:00", "--remind-at", "20:00")
    ok(run, "log", "6", "--at", "2026-11-02 08:00")

    def due_at(when: str) -> list[str]:
        items = json.loads(ok(run, "remind", "--json", "--as-of", when))["due"]
        return [i["text"] for i in items if i["id"] == "measure-due"]

    assert due_at("2026-11-03 08:59") == []  # before the day's first reminder time
    assert len(due_at("2026-11-03 09:00")) == 1
    assert due_at("2026-11-03 20:00") == []  # the second run of the day: not again
    assert len(due_at("2026-11-04 09:00")) == 1  # the next day: again, while still due
    view = json.loads(ok(run, "status", "--json", "--as-of", "2026-11-03 20:00"))
    assert [d["instrument"] for d in view["due"]["measures"]] == ["startback"]


def test_undo_and_redo_of_measure_edit_and_goals_reach_status(run: Run) -> None:
    """`measure`, `edit mN --answers` and `goals add` are journal actions: undo and redo
    change what `status` judges (the change verdict and what is due)."""
    ok(run, "log", "6", "--at", ONSET)
    ok(run, "log", "6", "--at", "2026-11-06 08:00")
    twelve = ",".join(["1"] * 12 + ["0"] * 12)
    ok(run, "measure", "rmdq", "--answers", twelve, "--at", "2026-11-02 09:00")
    ok(
        run,
        "measure",
        "rmdq",
        "--answers",
        ",".join(["1"] * 6 + ["0"] * 18),
        "--at",
        "2026-11-06 09:00",
    )

    def rmdq_verdict() -> object:
        view = json.loads(ok(run, "status", "--json", "--as-of", "2026-11-07 21:00"))
        return next(m["verdict"] for m in view["measures"] if m["instrument"] == "rmdq")

    assert rmdq_verdict() == "better"  # 12 -> 6
    ok(run, "edit", "m2", "--answers", ",".join(["1"] * 10 + ["0"] * 14))
    assert rmdq_verdict() == "no-change"  # 12 -> 10
    ok(run, "undo", "--yes")
    assert rmdq_verdict() == "better"
    ok(run, "redo")
    assert rmdq_verdict() == "no-change"

    def psfs_due() -> bool:
        view = json.loads(ok(run, "status", "--json", "--as-of", "2026-11-07 21:00"))
        return ("psfs", "weekly") in [
            (d["instrument"], d["point"]) for d in view["due"]["measures"]
        ]

    assert not psfs_due()
    ok(run, "goals", "add", "walk the dog", "--at", "2026-11-06 10:00")
    assert psfs_due()  # a goal makes the PSFS due weekly
    ok(run, "undo", "--yes")
    assert not psfs_due()
    ok(run, "redo")
    assert psfs_due()


def test_a_psfs_rated_on_other_activities_gets_no_verdict(run: Run) -> None:
    """Removing the hardest activity raises the PSFS mean with no change in what the person
    can do: status shows the change and says why it gives no verdict (the safer reading).
    `goals remove` acts now, so the times are relative to now (no date is compared)."""
    ok(run, "log", "6", "--at", "-10d")
    for goal in ("walk the dog", "lift my child", "sit through a film"):
        ok(run, "goals", "add", goal, "--at", "-10d")
    ok(run, "measure", "psfs", "--answers", "5,0,4", "--at", "-9d")
    for when in ("-6d", "-2d"):  # pain all along: one episode (no 7-day gap)
        ok(run, "log", "5", "--at", when)
    ok(run, "goals", "remove", "g2")
    ok(run, "measure", "psfs", "--answers", "5,4")
    status = flat(ok(run, "status"))
    assert "meaningfully better" not in status
    assert "rated on other activities than the first score: no verdict" in status
    view = json.loads(ok(run, "status", "--json"))
    psfs = next(m for m in view["measures"] if m["instrument"] == "psfs")
    assert (psfs["count"], psfs["verdict"]) == (2, None)
