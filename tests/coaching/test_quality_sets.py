"""The three hand-labelled sets, their shape, and the issue-2 quality targets on each.

- realistic: written with the rules; the set they were first tuned on.
- heldout: written from issue 2's principles before the rules were read; its untuned figures
  are in the commit that added it.
- blind: written from issue 2 and the seed articles without opening the rules, the other sets or
  the coaching code; its untuned figures are in docs/QUALITY.md.

Rule changes after scoring were made by principle, each with its own rule examples and never
with these lines as patterns, so the figures checked here are optimistic for the last two; the
scoring lives in bench/eval_quality.py (one implementation, also runnable by hand).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("eval_quality", ROOT / "bench" / "eval_quality.py")
assert _spec is not None and _spec.loader is not None
eval_quality = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("eval_quality", eval_quality)
_spec.loader.exec_module(eval_quality)

DATA = ROOT / "tests" / "coaching" / "data"


@dataclass(frozen=True)
class Mix:
    """The least each set must hold, so a trimmed set cannot pass the targets by being easy."""

    agent: int
    customer: int
    labelled: dict[str, int]
    clean_agent: int
    clean_customer: int
    followups: int


SETS = {
    "realistic": Mix(
        170,
        45,
        {"judgement": 30, "defensive": 30, "condescending": 8, "overpromise": 6, "abuse": 18},
        70,
        20,
        35,
    ),
    "heldout": Mix(150, 50, {"judgement": 20, "defensive": 20, "abuse": 20}, 100, 30, 40),
    "blind": Mix(200, 60, {"judgement": 20, "defensive": 20, "abuse": 20}, 100, 30, 45),
    "blind2": Mix(
        250,
        80,
        {
            "judgement": 40,
            "defensive": 40,
            "condescending": 15,
            "overpromise": 15,
            "abuse": 35,
            "generic_empathy": 10,
        },
        120,
        35,
        50,
    ),
}
# Written blind to hold only lines a careful reviewer calls fine (issue 8's precision guard).
CLEAN_SETS = ("clean2",)
CLEAN_FLAGGED_MAX = 0.01


def _rows(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = eval_quality.load(DATA / f"{name}.jsonl")
    return rows


@pytest.mark.parametrize("name", SETS)
def test_schema_is_valid(name: str) -> None:
    assert eval_quality.validate(_rows(name)) == []


@pytest.mark.parametrize("name", SETS)
def test_size_and_mix(name: str) -> None:
    rows, mix = _rows(name), SETS[name]
    roles = Counter(r["role"] for r in rows)
    assert roles["agent"] >= mix.agent
    assert roles["customer"] >= mix.customer
    labels = Counter(label for r in rows for label in r["labels"])
    for category, least in mix.labelled.items():
        assert labels[category] >= least, category
    assert sum(r["role"] == "agent" and not r["labels"] for r in rows) >= mix.clean_agent
    assert sum(r["role"] == "customer" and not r["labels"] for r in rows) >= mix.clean_customer
    assert sum(r["due"] is not None for r in rows) >= mix.followups
    assert len({r["tz"] for r in rows}) >= 5  # at least five of the regions' zones


@pytest.mark.parametrize("name", SETS)
def test_quality_targets(name: str) -> None:
    rows = _rows(name)
    result = eval_quality.score(DATA / f"{name}.jsonl")
    texts = {r["id"]: r["text"] for r in rows}
    assert result["missed_targets"] == [], eval_quality.report(result, texts)


@pytest.mark.parametrize("name", CLEAN_SETS)
def test_clean_lines_stay_clean(name: str) -> None:
    rows = _rows(name)
    assert eval_quality.validate(rows) == []
    assert len(rows) >= 400 and all(not r["labels"] for r in rows)
    result = eval_quality.score(DATA / f"{name}.jsonl")
    texts = {r["id"]: r["text"] for r in rows}
    report = eval_quality.report(result, texts)
    assert result["clean_agent"]["rate"] <= CLEAN_FLAGGED_MAX, report
    assert all(c["fp"] == 0 for c in result["categories"].values()), report


def test_the_sets_share_no_line() -> None:
    seen: dict[str, str] = {}
    for name in (*SETS, *CLEAN_SETS):
        for row in _rows(name):
            key = " ".join(row["text"].casefold().split())
            assert seen.setdefault(key, name) == name, f"{row['text']!r} is in {seen[key]} too"


def test_validate_catches_bad_rows() -> None:
    good = dict(_rows("realistic")[0])
    bad = [
        good,
        dict(good),  # duplicate id
        {**good, "id": "x1", "labels": ["rude"]},
        {**good, "id": "x2", "ts": "2026-11-18T10:00:00"},
        {**good, "id": "x3", "tz": "Mars/Olympus"},
        {**good, "id": "x4", "role": "customer", "labels": ["judgement"]},
        {**good, "id": "x5", "due": good["ts"]},
    ]
    errors = eval_quality.validate(bad)
    assert len(errors) == 6, errors


def _every(floor: float, **other: float) -> dict[str, float]:
    """The same recall floor for every category but those named in `other`."""
    assert set(other) <= set(eval_quality.CATEGORIES), other
    return {**dict.fromkeys(eval_quality.CATEGORIES, floor), **other}


# The December 2026 blind sets: two were development sets for principle-level rule changes, one
# (blind4) held out. Their figures fall short of the targets above (see docs/QUALITY.md), so they
# are held to floors just under what the rules reach today: a change that loses recall or
# precision on unseen-style chat fails here.
# blind6, blind8 and blind9 (a second round, December 2026) were development sets as well; blind7
# was held out from that round and scored only before, during and after it.
RECALL_FLOORS = {
    "blind3": {"judgement": 0.93, "defensive": 0.97, "overpromise": 0.97, "abuse": 0.97},
    "blind5": {"judgement": 0.82, "defensive": 0.97, "overpromise": 0.9, "abuse": 0.94},
    "blind4": {"judgement": 0.93, "defensive": 0.7, "overpromise": 0.74, "abuse": 0.72},
    "blind6": _every(0.96, abuse=0.97),
    "blind8": _every(0.92, judgement=0.85, overpromise=0.96, abuse=0.97),
    "blind9": {
        "judgement": 0.9,
        "defensive": 0.8,
        "condescending": 0.9,
        "overpromise": 0.92,
        "abuse": 0.93,
        "generic_empathy": 0.96,
    },
    # blind10 (a third round): a development set; its misses were read and the rules extended by
    # principle.
    "blind10": _every(0.96, condescending=0.97, abuse=0.97, generic_empathy=0.9),
    # blind11: the next development set, written to lean on indirect forms (irony, rhetorical
    # questions, impersonal voice); the hardest so far.
    "blind11": {
        "judgement": 0.66,
        "defensive": 0.67,
        "condescending": 0.71,
        "overpromise": 0.85,
        "abuse": 0.95,
        "generic_empathy": 0.95,
    },
    # blind12: held out for one measure (session start 0.821 -> 0.844 of its labels), then the
    # next development set.
    "blind12": {
        "judgement": 0.91,
        "defensive": 0.97,
        "condescending": 0.96,
        "overpromise": 0.96,
        "abuse": 0.93,
        "generic_empathy": 0.94,
    },
    # blind13: held out for one measure (session start 0.782 -> 0.832), then a development set.
    "blind13": {
        "judgement": 0.9,
        "defensive": 0.95,
        "condescending": 0.93,
        "overpromise": 0.94,
        "abuse": 0.95,
        "generic_empathy": 0.94,
    },
    # blind14: held out for one measure (session start 0.675 -> 0.726), then a development set.
    "blind14": _every(0.94, judgement=0.83, defensive=0.92, abuse=0.97),
    # blind15: held out for one measure (session start 0.677 -> 0.722), then a development set.
    "blind15": {
        "judgement": 0.86,
        "defensive": 0.9,
        "condescending": 0.9,
        "overpromise": 0.85,
        "abuse": 0.95,
        "generic_empathy": 0.85,
    },
    # blind16: held out for one measure (session start 0.817 -> 0.883), then a development set.
    "blind16": {
        "judgement": 0.93,
        "defensive": 0.97,
        "condescending": 0.93,
        "overpromise": 0.92,
        "abuse": 0.97,
        "generic_empathy": 0.94,
    },
    # blind17: held out for one measure (session start 0.718 -> 0.792), then a development set.
    "blind17": {
        "judgement": 0.9,
        "defensive": 0.92,
        "condescending": 0.9,
        "overpromise": 0.96,
        "abuse": 0.95,
        "generic_empathy": 0.94,
    },
    # blind18: held out and never read for a session (0.658 -> 0.735), then a development set
    # (-> 0.966).
    "blind18": _every(0.97, judgement=0.92, defensive=0.95, condescending=0.86),
    # blind19: held out for one measure (session start 0.848 -> 0.848 after blind18's round),
    # then a development set (-> 1.0).
    "blind19": _every(0.97),
    # blind20: held out for two rounds (session start 0.806 -> 0.828, clean agent lines flagged
    # 1.7 % both times), then a development set (-> 0.996, 0 %).
    "blind20": _every(0.97, generic_empathy=0.94),
    # blind21: held out for three rounds (session start 0.835 -> 0.871, clean agent lines
    # flagged 1.7 % both times), then a development set (-> 0.987, 0 %).
    "blind21": _every(0.94, overpromise=0.97, abuse=0.97, generic_empathy=0.97),
    # blind22: held out for four rounds (session start 0.815 -> 0.842, clean agent lines flagged
    # 5.8 % both times: quoted phrases, good news, honest limits), then a development set
    # (-> 0.991, 0 %).
    "blind22": _every(0.97, defensive=0.95, condescending=0.94, overpromise=0.94),
    # blind23: held out for five rounds (session start 0.839 -> 0.888, clean agent lines
    # flagged 4.2 % both times), then a development set (-> 0.996, 0 %).
    "blind23": _every(0.97, judgement=0.94),
    # blind24: held out for six rounds (session start 0.871 -> 0.889, clean agent lines flagged
    # 2.5 % both times), then a development set (-> 0.996, 0 %).
    "blind24": _every(0.97, condescending=0.94),
    # blind25: held out for seven rounds (session start 0.782 -> 0.818, clean agent lines
    # flagged 3.3 % -> 2.5 %), then a development set (-> 0.991, 0 %).
    "blind25": _every(0.97, overpromise=0.94, generic_empathy=0.94),
    # blind26: held out for eight rounds (session start 0.856 -> 0.910, clean agent lines
    # flagged 0.8 % -> 0 %), then a development set (-> 0.995).
    "blind26": _every(0.97, condescending=0.94),
    # blind27: held out for nine rounds (session start 0.826 -> 0.884, clean agent lines
    # flagged 2.5 % -> 1.7 %), then a development set (-> 0.996, 0 %).
    "blind27": _every(0.97, overpromise=0.94),
    # blind28: held out for ten rounds (session start 0.802 -> 0.881, clean agent lines
    # flagged 2.6 % -> 1.7 %), then a development set (-> 0.996, 0 %).
    "blind28": _every(0.97, condescending=0.94),
    # blind29: held out for eleven rounds (session start 0.836 -> 0.885, clean agent lines
    # flagged 2.5 % both times), then a development set (-> 0.996).
    "blind29": _every(0.97, defensive=0.94),
    # blind30: held out for twelve rounds (session start 0.794 -> 0.848, clean agent lines
    # flagged 1.7 % -> 0.8 %), then a development set (-> 0.991, 0 %).
    "blind30": _every(0.97, abuse=0.94, generic_empathy=0.94),
    # blind31: held out for thirteen rounds (session start 0.875 -> 0.914, clean agent lines
    # flagged 1.8 % -> 2.7 %), then a development set (-> 1.0, 0 %).
    "blind31": _every(0.97),
    # blind32: held out for fourteen rounds (session start 0.863 -> 0.920, clean agent lines
    # flagged 2.5 % -> 1.7 %), then a development set (-> 0.991, 0 %).
    "blind32": _every(0.97, condescending=0.94, overpromise=0.94),
    # blind33: held out for fifteen rounds (session start 0.848 -> 0.909, clean agent lines
    # flagged 1.8 % -> 0.9 %), then a development set.
    "blind33": _every(0.94, condescending=0.97, overpromise=0.97),
    # blind34: held out for sixteen rounds (session start 0.876 -> 0.929, clean agent lines
    # flagged 5.1 % -> 4.3 %), then a development set (-> 1.0, 0 %).
    "blind34": _every(0.97),
    # blind35: held out for seventeen rounds (session start 0.830 -> 0.911, clean agent lines
    # flagged 4.2 % -> 2.5 %), then a development set (-> 0.996, 0 %).
    "blind35": _every(0.97),
    # blind36: held out for eighteen rounds (session start 0.820 -> 0.925, clean agent lines
    # flagged 6.0 % -> 3.4 %), then a development set (-> 0.996, 0 %).
    "blind36": _every(0.97),
    # blind37: the session's last set, held out and never read (start 0.850 -> 0.907).
    "blind37": {
        "judgement": 0.94,
        "defensive": 0.89,
        "condescending": 0.8,
        "overpromise": 0.91,
        "abuse": 0.82,
        "generic_empathy": 0.88,
    },
    # blind39 (3 December 2026 session): held out at the session start (0.803, clean agent lines
    # flagged 3.1 %), then the first development set (-> 0.987, 0.8 %).
    "blind39": _every(0.95),
    # blind38: held out for one round (session start 0.863 -> 0.868, clean agent lines flagged
    # 3.3 % -> 3.3 %), then the second development set (-> 0.991, 0 %).
    "blind38": _every(0.94),
    # blind41: held out for two rounds (session start 0.900 -> 0.904, clean agent lines flagged
    # 4.1 % -> 4.1 %), then the third development set (-> 0.991, 0.8 %).
    "blind41": _every(0.95),
    # blind40: held out for three rounds (session start 0.943 -> 0.943, clean agent lines flagged
    # 3.3 % -> 3.3 %), then the fourth development set (-> 1.0, 0 %).
    "blind40": _every(0.96),
    # blind43: held out for four rounds (session start 0.815 -> 0.815, clean agent lines flagged
    # 0.8 % -> 0.8 %), then the fifth development set (-> 0.995, 0.8 %).
    "blind43": _every(0.95),
    # blind44: held out for five rounds (session start 0.860 -> 0.872, clean agent lines flagged
    # 5.4 % -> 5.4 %), then the sixth development set (-> 0.966, 0 %). Its writer labels many
    # repeats and reproaches condescending as well; those second labels are left unmet.
    "blind44": _every(0.97, defensive=0.95, condescending=0.78),
    # blind46: held out for six rounds (session start 0.833 -> 0.842, clean agent lines flagged
    # 6.3 % -> 5.6 %), then the seventh development set (-> 0.974, 0 %).
    "blind46": _every(0.97, defensive=0.93, condescending=0.88),
    # blind47: held out for seven rounds (session start 0.877 -> 0.894, clean agent lines flagged
    # 1.6 % -> 0.8 %), then the eighth development set (-> 0.991, 0 %).
    "blind47": _every(0.95),
    # blind48 to blind52 (2 December 2026, afternoon session; docs/QUALITY.md "A sixth round"):
    # each scored held out, then a development set.
    # blind48: held out for none (0.902, clean 4.4 %), then the first (-> 0.953, 0 %).
    "blind48": _every(0.95, condescending=0.8),
    # blind49, a writer of hard look-alikes: held out for one round (0.847, clean 9.6 % -> 8.2 %),
    # then the third development set (-> 0.956, 2.7 %).
    "blind49": _every(0.95, condescending=0.8),
    # blind50, blame hidden in questions, habits and irony: held out for one round (0.777 ->
    # 0.777, clean 1.5 %), then the second development set (-> 0.888, 0 %).
    "blind50": _every(0.88, judgement=0.82, condescending=0.82),
    # blind51 and blind52: held out for three rounds (0.923 -> 0.928, clean 2.2 % -> 1.5 %;
    # 0.910 -> 0.914, 0.7 %), then the fourth development set (-> 0.971 each; 0 %, 0.7 %).
    "blind51": _every(0.93),
    "blind52": _every(0.92),
    "blind7": {
        "judgement": 0.8,
        "defensive": 0.88,
        "condescending": 0.78,
        "overpromise": 0.78,
        "abuse": 0.9,
        "generic_empathy": 0.8,
    },
}
CLEAN_FLAGGED_CEILING = {
    "blind3": 0.035,
    "blind5": 0.015,
    "blind4": 0.06,
    "blind6": 0.01,
    "blind7": 0.01,
    "blind8": 0.01,
    "blind9": 0.01,
    "blind10": 0.01,
    "blind11": 0.015,
    "blind12": 0.01,
    "blind13": 0.01,
    "blind14": 0.01,
    "blind15": 0.01,
    "blind16": 0.01,
    "blind17": 0.01,
    "blind18": 0.01,
    "blind19": 0.01,
    "blind20": 0.01,
    "blind21": 0.01,
    "blind22": 0.01,
    "blind23": 0.01,
    "blind24": 0.01,
    "blind25": 0.01,
    "blind26": 0.01,
    "blind27": 0.01,
    "blind28": 0.01,
    "blind29": 0.01,
    "blind30": 0.01,
    "blind31": 0.01,
    "blind32": 0.01,
    "blind33": 0.01,
    "blind34": 0.01,
    "blind35": 0.01,
    "blind36": 0.01,
    "blind37": 0.02,
    "blind38": 0.01,
    "blind39": 0.01,
    "blind40": 0.01,
    "blind41": 0.01,
    "blind43": 0.01,
    "blind44": 0.01,
    "blind46": 0.01,
    "blind47": 0.01,
    "blind48": 0.01,
    "blind49": 0.03,
    "blind50": 0.01,
    "blind51": 0.01,
    "blind52": 0.01,
}


@pytest.mark.parametrize("name", sorted(RECALL_FLOORS))
def test_the_december_blind_sets_keep_their_recall_and_precision(name: str) -> None:
    result = eval_quality.score(DATA / f"{name}.jsonl")
    for category, floor in RECALL_FLOORS[name].items():
        assert result["categories"][category]["recall"] >= floor, (name, category)
    assert result["clean_agent"]["rate"] <= CLEAN_FLAGGED_CEILING[name], name


# followups1 and followups2 (December 2026): 300 agent lines each, written blind for promised
# follow-ups only (180 with the time a reminder is due, 120 look-alikes with none). followups1
# was a development set from the start; followups2 was scored once held out, then became the
# second development set (docs/QUALITY.md). The writers put one time on the lines that promise
# two acts at two times; Calma makes two reminders there, which this scoring counts as a miss.
FOLLOWUPS_RIGHT_FLOOR = 0.95
FOLLOWUPS_SPURIOUS_MAX = 6


@pytest.mark.parametrize("name", ["followups1", "followups2"])
def test_the_blind_followup_sets_keep_their_times(name: str) -> None:
    result = eval_quality.score(DATA / f"{name}.jsonl")
    followups = result["followups"]
    assert followups["right"] / followups["expected"] >= FOLLOWUPS_RIGHT_FLOOR, followups
    assert followups["spurious"] <= FOLLOWUPS_SPURIOUS_MAX, followups
