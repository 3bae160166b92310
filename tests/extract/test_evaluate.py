"""Measured extraction quality on the gold annotations (issue 3 thresholds), and the
scoring rules of FORMAT.md §8.6 on small hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.extract.evaluate import Counts, evaluate_profile, format_report, run_eval
from kb.model import (
    Assessment,
    Domain,
    EntityKind,
    Extraction,
    Finding,
    Intro,
    Level,
    Mention,
    Organization,
    Profile,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT.parent / "shared" / "profiles" / "gold"


@pytest.fixture(scope="module")
def evaluation():
    if not GOLD.is_dir():
        pytest.skip("shared gold annotations not available")
    return run_eval(GOLD, None, ROOT / "data" / "reference")


def test_core_institutions(evaluation):
    report, _ = evaluation
    assert report.institutions.core_recall >= 0.95
    assert report.institutions.precision >= 0.90
    for profile in report.profiles:
        assert profile.institutions.core_recall >= 0.90, profile.profile


def test_core_instruments(evaluation):
    report, _ = evaluation
    assert report.instruments.core_recall >= 0.90
    assert report.instruments.precision >= 0.85


def test_every_year_and_no_false_year(evaluation):
    report, _ = evaluation
    assert report.years.recall == 1.0
    assert report.years.fp == 0


def test_types_and_parents_of_matched_mentions(evaluation):
    report, _ = evaluation
    assert report.institutions.type_accuracy >= 0.90
    assert report.instruments.type_accuracy >= 0.90
    assert report.institutions.parent_accuracy >= 0.85


def test_report_lists_figures_misses_and_false_positives(evaluation):
    report, text = evaluation
    # one report per gold file, in file order
    assert [p.profile for p in report.profiles] == sorted(g.stem for g in GOLD.glob("*.json"))
    for heading in ("OVERALL", "Missed core mentions", "False positives", "type accuracy"):
        assert heading in text
    for fp in report.instruments.false_positives:
        assert f"#{fp.finding} instruments: {fp.text}" in text


# --- held-out profiles (tests/fixtures/heldout) --------------------------------------
# Written and annotated independently of the extractor. The general rules added after
# their first measurement (docs/extraction.md) were checked against them, so they are
# no longer strictly held out; the thresholds record the level reached.

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"


@pytest.fixture(scope="module")
def heldout():
    if not (HELDOUT / "gold").is_dir():
        pytest.skip("held-out fixtures not available")
    return run_eval(HELDOUT / "gold", HELDOUT, ROOT / "data" / "reference")


def test_heldout_institutions(heldout):
    report, _ = heldout
    assert report.institutions.core_recall >= 0.95
    assert report.institutions.core.precision >= 0.90
    assert report.institutions.precision >= 0.90
    for profile in report.profiles:
        assert profile.institutions.core_recall >= 0.95, profile.profile


def test_heldout_instruments(heldout):
    report, _ = heldout
    assert report.instruments.core_recall >= 0.95
    assert report.instruments.precision >= 0.90


def test_heldout_years(heldout):
    report, _ = heldout
    assert report.years.recall == 1.0
    assert report.years.fp == 0


def test_heldout_types_and_parents(heldout):
    report, _ = heldout
    assert report.institutions.type_accuracy >= 0.85
    assert report.instruments.type_accuracy >= 0.90
    assert report.institutions.parent_accuracy >= 0.95


# --- held-out 2 (tests/fixtures/heldout2) ---------------------------------------------
# Scored blind once (institutions core R 0.914, P 0.992; instruments core R 0.941,
# P 0.941; years R 1.000, P 0.978: docs/extraction.md keeps those as the honest
# out-of-sample estimate). The general rules written afterwards were checked against
# it, so these thresholds record the level reached after tuning, not an estimate.

HELDOUT2 = ROOT / "tests" / "fixtures" / "heldout2"


@pytest.fixture(scope="module")
def heldout2():
    if not (HELDOUT2 / "gold").is_dir():
        pytest.skip("held-out 2 fixtures not available")
    return run_eval(HELDOUT2 / "gold", HELDOUT2, ROOT / "data" / "reference")


def test_heldout2_institutions(heldout2):
    report, _ = heldout2
    assert report.institutions.core_recall >= 0.95
    assert report.institutions.core.precision >= 0.90
    assert report.institutions.precision >= 0.90
    for profile in report.profiles:
        assert profile.institutions.core_recall >= 0.90, profile.profile


def test_heldout2_instruments(heldout2):
    report, _ = heldout2
    assert report.instruments.core_recall >= 0.90
    assert report.instruments.precision >= 0.90


def test_heldout2_years(heldout2):
    report, _ = heldout2
    assert report.years.recall == 1.0
    assert report.years.fp == 0


def test_heldout2_types_and_parents(heldout2):
    report, _ = heldout2
    assert report.institutions.type_accuracy >= 0.85
    assert report.instruments.type_accuracy >= 0.90
    assert report.institutions.parent_accuracy >= 0.90


# --- scoring rules on a hand-made case ------------------------------------------------

TEXT = "La Alcaldía y la Personería de X (PX) firmaron con Bucaramanga un acuerdo en 2020."


def _profile() -> Profile:
    finding = Finding(1, Domain.PARTNERSHIPS, Assessment.WELL_DEVELOPED, 1, TEXT)
    return Profile(
        "t",
        "es",
        "X",
        "Municipio de X",
        Level.LOCAL,
        "es",
        "es",
        "2021-01",
        "Enero 2021",
        Intro("I", ()),
        (finding,),
        source="x.txt",
    )


def _gold(years=(2020,)) -> dict:
    return {
        "profile": {"slug": "x-2021"},
        "place_references": ["Bucaramanga"],
        "institutions": [
            {"key": "personeria", "name": "Personería de X", "acronym": "PX", "alt_labels": []},
            {
                "key": "alcaldia",
                "name": "Alcaldía de X",
                "acronym": None,
                "alt_labels": ["Alcaldía"],
            },
        ],
        "instruments": [],
        "findings": [
            {
                "n": 1,
                "text": TEXT,
                "mentions": {
                    "institutions": [
                        {
                            "key": "personeria",
                            "type": "oversight-body",
                            "parent": None,
                            "surface_forms": ["Personería de X", "PX"],
                            "tier": "core",
                        },
                        {
                            "key": "alcaldia",
                            "type": "municipal-government",
                            "parent": None,
                            "surface_forms": ["Alcaldía"],
                            "tier": "hard",
                        },
                    ],
                    "instruments": [],
                    "years": [{"year": y, "surface_form": str(y), "tier": "core"} for y in years],
                },
            }
        ],
    }


def _mention(surface: str, target: str, kind=EntityKind.ORGANIZATION) -> Mention:
    start = TEXT.index(surface)
    return Mention(1, start, start + len(surface), surface, kind, target)


def _orgs(*slugs: tuple[str, str]) -> tuple[Organization, ...]:
    return tuple(Organization(slug, slug, "es", kind) for slug, kind in slugs)


def test_one_entity_per_finding_and_hard_mentions_are_optional():
    # Full name and acronym of one body are one predicted mention; the missed hard
    # "Alcaldía" costs nothing.
    extraction = Extraction(
        organizations=_orgs(("x--personeria", "oversight-body")),
        mentions=(_mention("Personería de X", "x--personeria"), _mention("PX", "x--personeria")),
        years={1: (2020,)},
    )
    scores = evaluate_profile(_profile(), extraction, _gold())
    inst = scores.institutions
    assert (inst.core_matched, inst.core_total, inst.predicted) == (1, 1, 1)
    assert (inst.hard_matched, inst.hard_total) == (0, 1)
    assert inst.core_recall == inst.precision == 1.0
    assert inst.type_accuracy == inst.parent_accuracy == 1.0
    assert scores.years == Counts(1, 0, 0)


def test_place_references_are_ignored_and_strays_are_false_positives():
    extraction = Extraction(
        organizations=_orgs(("bga", "other"), ("firmaron", "other"), ("x--gov", "ngo")),
        mentions=(
            _mention("Bucaramanga", "bga"),
            _mention("firmaron", "firmaron"),
            _mention("Alcaldía", "x--gov"),
        ),
        years={1: (2020, 2021)},
    )
    scores = evaluate_profile(_profile(), extraction, _gold())
    inst = scores.institutions
    assert inst.ignored == 1
    assert inst.predicted == 2
    assert inst.hard_matched == 1  # "Alcaldía" matched the hard mention: a true positive
    assert inst.core_matched == 0
    assert [fp.text for fp in inst.false_positives] == ["firmaron"]
    assert [m.text.split("  ")[0] for m in inst.misses] == ["Personería de X"]
    assert inst.type_correct == 0  # ngo is not municipal-government
    assert scores.years == Counts(1, 1, 0)
    assert [fp.text for fp in scores.year_false_positives] == ["2021"]


def test_span_overlap_matches_a_longer_prediction():
    surface = "la Personería de X (PX)"
    start = TEXT.index(surface)
    extraction = Extraction(
        organizations=_orgs(("x--personeria", "oversight-body")),
        mentions=(
            Mention(
                1, start, start + len(surface), surface, EntityKind.ORGANIZATION, "x--personeria"
            ),
        ),
        years={1: (2020,)},
    )
    scores = evaluate_profile(_profile(), extraction, _gold())
    assert scores.institutions.core_matched == 1


def test_format_report_runs_on_an_empty_report():
    from kb.extract.evaluate import EvaluationReport

    text = format_report(EvaluationReport())
    assert "OVERALL" in text and "none" in text
