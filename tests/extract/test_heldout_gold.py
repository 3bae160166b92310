"""Held-out sets (tests/fixtures/heldout*): gold files consistent, parser agrees.

Two layers. First, each gold file (schema mgi-gold/1, FORMAT.md §8) is checked
against itself and against its profile text: keys and key order, registry keys
are slugs of names/titles, every surface form and non-mention occurs verbatim in
its finding, `n` and `position` are consecutive, mention objects agree with the
registry, and every count is recomputed. Second, `kb.parse.profile.read_profile` must
reproduce the gold parser fields (FORMAT.md §5): profile metadata, intro and
findings (n, domain, assessment, position, text).

These tests check the annotation, not the extractor; `kb eval --gold
tests/fixtures/heldout2/gold --profiles tests/fixtures/heldout2` (likewise for
heldout/) gives the extraction figures.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kb.extract.rules import INSTITUTION_TYPES, INSTRUMENT_TYPES
from kb.model import Level
from kb.parse.profile import read_profile
from kb.text import slugify

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Each held-out set was annotated without looking at the extractor (see its README).
SETS = {"heldout": {"fr", "pt", "es"}, "heldout2": {"en", "pt", "fr"}}
GOLD_FILES = sorted(p for name in SETS for p in (FIXTURES / name / "gold").glob("*.json"))
GOLD_IDS = [p.stem for p in GOLD_FILES]


def folder(gold: dict[str, Any]) -> Path:
    """The held-out folder that holds this gold file's profile text."""
    return next(FIXTURES / n for n in SETS if (FIXTURES / n / gold["source_file"]).is_file())


TOP_KEYS = [
    "schema",
    "source_file",
    "fictional",
    "profile",
    "layout",
    "intro",
    "place_references",
    "institutions",
    "instruments",
    "findings",
    "counts",
    "judgement_calls",
]
PROFILE_KEYS = [
    "slug",
    "title",
    "title_language",
    "level",
    "place",
    "short_name",
    "findings_language",
    "chrome_language",
    "date",
    "date_text",
]
PLACE_KEYS = ["name", "designation", "slug", "kind", "country", "country_fictional"]
LAYOUT_KEYS = [
    "about_block",
    "key_findings_marker",
    "stray_number_lines",
    "intro_heading",
    "domain_headings",
    "well_developed_heading",
    "potential_heading",
    "bullet_markers",
    "ignored_lines",
    "ends_with_newline",
]
INSTITUTION_KEYS = [
    "key",
    "name",
    "acronym",
    "alt_labels",
    "type",
    "scope",
    "parent",
    "parent_basis",
    "mentioned_in",
    "mention_tiers",
    "note",
]
INSTRUMENT_KEYS = [
    "key",
    "title",
    "acronym",
    "alt_labels",
    "type",
    "years",
    "status",
    "scope",
    "creator",
    "mentioned_in",
    "mention_tiers",
    "note",
]
FINDING_KEYS = [
    "n",
    "domain",
    "domain_label",
    "assessment",
    "position",
    "text",
    "mentions",
    "non_mentions",
]
INST_MENTION_KEYS = ["key", "name", "acronym", "type", "parent", "surface_forms", "tier"]
INSTR_MENTION_KEYS = ["key", "title", "acronym", "type", "years", "status", "surface_forms", "tier"]
COUNT_KEYS = [
    "findings",
    "by_domain",
    "institution_mentions",
    "instrument_mentions",
    "year_mentions",
    "distinct_institutions",
    "distinct_instruments",
    "findings_without_mentions",
]

STATUSES = {"in-force", "in-preparation", "planned", "not-ratified"}
SCOPES = {"municipal", "regional", "national", "international", None}
TIERS = {"core", "hard"}
ASSESSMENTS = ("well-developed", "potential")
DOMAIN_LABELS = {
    1: "Migrants' rights",
    2: "Whole of government approach",
    3: "Partnerships",
    4: "Socioeconomic well-being of migrants",
    5: "Mobility dimensions of crises",
    6: "Safe, orderly and regular migration",
}
# A four-digit year 1800-2099 not glued to other digits or to a dotted thousand.
YEAR = re.compile(r"(?<!\d)(?<!\d\.)(1[89]\d\d|20\d\d)(?!\d)(?!\.\d)")


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=GOLD_FILES, ids=GOLD_IDS)
def gold(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(request.param)


@pytest.mark.parametrize(("name", "languages"), SETS.items())
def test_each_set_has_three_profiles_with_gold(name: str, languages: set[str]) -> None:
    texts = sorted(p.stem for p in (FIXTURES / name).glob("*.txt"))
    golds = sorted((FIXTURES / name / "gold").glob("*.json"))
    assert texts == [p.stem for p in golds]
    assert len(texts) == 3
    assert {load(p)["profile"]["findings_language"] for p in golds} == languages


# --------------------------------------------------------------------------- structure


def test_keys_and_metadata(gold: dict[str, Any]) -> None:
    assert list(gold) == TOP_KEYS
    assert gold["schema"] == "mgi-gold/1"
    assert gold["fictional"] is True
    profile = gold["profile"]
    assert list(profile) == PROFILE_KEYS
    assert list(profile["place"]) == PLACE_KEYS
    assert list(gold["layout"]) == LAYOUT_KEYS
    assert list(gold["counts"]) == COUNT_KEYS
    assert gold["source_file"] == f"{profile['slug']}.txt"
    assert (folder(gold) / gold["source_file"]).is_file()
    assert profile["slug"] == f"{profile['place']['slug']}-{profile['date'][:4]}"
    assert profile["place"]["slug"] == slugify(profile["place"]["name"])
    assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", profile["date"])
    assert profile["level"] in {"local", "national"}
    assert profile["place"]["kind"] == ("city" if profile["level"] == "local" else "country")
    assert profile["place"]["designation"] in profile["title"]
    assert profile["title"].endswith(profile["place"]["name"])
    assert profile["short_name"] in gold["intro"]["paragraphs"][0]
    assert gold["judgement_calls"] and all(
        isinstance(j, str) and j for j in gold["judgement_calls"]
    )
    assert gold["place_references"] and len(set(gold["place_references"])) == len(
        gold["place_references"]
    )


def test_layout_matches_text(gold: dict[str, Any]) -> None:
    raw = (folder(gold) / gold["source_file"]).read_bytes().decode("utf-8")
    assert unicodedata.normalize("NFC", raw) == raw
    layout = gold["layout"]
    assert raw.endswith("\n") == layout["ends_with_newline"]
    lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
    nonblank = [line for line in lines if line]
    assert nonblank[-1] == gold["profile"]["title"]
    assert nonblank[-2] == gold["profile"]["date_text"]
    assert layout["intro_heading"] == gold["intro"]["heading"]
    for heading in [layout["intro_heading"], *layout["domain_headings"].values()]:
        assert heading in lines
    assert lines.count(layout["well_developed_heading"]) == 6
    assert lines.count(layout["potential_heading"]) == 6
    assert lines.count(layout["key_findings_marker"]) == 7
    assert ("1" in lines) == layout["stray_number_lines"]
    for ignored in layout["ignored_lines"]:
        assert ignored in lines
    for paragraph in gold["intro"]["paragraphs"]:
        assert paragraph in lines
    used = set()
    for finding in gold["findings"]:
        bullet_lines = [
            line
            for line in raw.replace("\r\n", "\n").split("\n")
            if line.rstrip().endswith(finding["text"])
        ]
        assert len(bullet_lines) == 1, finding["n"]
        marker = bullet_lines[0].strip()[0]
        assert marker in layout["bullet_markers"], finding["n"]
        assert bullet_lines[0].strip()[1:].strip() == finding["text"]
        used.add(marker)
    assert used == set(layout["bullet_markers"])


# --------------------------------------------------------------------------- findings


def test_findings_order_and_positions(gold: dict[str, Any]) -> None:
    findings = gold["findings"]
    assert [f["n"] for f in findings] == list(range(1, len(findings) + 1))
    seen: Counter[tuple[int, str]] = Counter()
    last = (0, 0)
    for f in findings:
        assert list(f) == FINDING_KEYS
        assert f["assessment"] in ASSESSMENTS
        assert f["domain_label"] == DOMAIN_LABELS[f["domain"]]
        order = (f["domain"], ASSESSMENTS.index(f["assessment"]))
        assert order >= last, f["n"]
        last = order
        seen[f["domain"], f["assessment"]] += 1
        assert f["position"] == seen[f["domain"], f["assessment"]], f["n"]
        assert f["text"] == f["text"].strip() and "\n" not in f["text"] and "\r" not in f["text"]
    for domain in range(1, 7):
        per_list = [seen[domain, a] for a in ASSESSMENTS]
        assert all(1 <= k <= 5 for k in per_list), (domain, per_list)
        assert 5 <= sum(per_list) <= 8, (domain, per_list)


def test_mentions_are_verbatim_and_agree_with_registry(gold: dict[str, Any]) -> None:
    institutions = {e["key"]: e for e in gold["institutions"]}
    instruments = {e["key"]: e for e in gold["instruments"]}
    for f in gold["findings"]:
        text = f["text"]
        mentions = f["mentions"]
        assert list(mentions) == ["institutions", "instruments", "years"]
        for m in mentions["institutions"]:
            assert list(m)[: len(INST_MENTION_KEYS)] == INST_MENTION_KEYS
            assert set(m) <= {*INST_MENTION_KEYS, "note"}
            entry = institutions[m["key"]]
            assert (m["name"], m["acronym"], m["type"]) == (
                entry["name"],
                entry["acronym"],
                entry["type"],
            )
            parent = institutions[entry["parent"]]["name"] if entry["parent"] else None
            assert m["parent"] == parent
        for m in mentions["instruments"]:
            assert list(m)[: len(INSTR_MENTION_KEYS)] == INSTR_MENTION_KEYS
            assert set(m) <= {*INSTR_MENTION_KEYS, "note"}
            entry = instruments[m["key"]]
            assert (m["title"], m["acronym"], m["type"], m["years"], m["status"]) == (
                entry["title"],
                entry["acronym"],
                entry["type"],
                entry["years"],
                entry["status"],
            )
        for m in mentions["institutions"] + mentions["instruments"]:
            assert m["tier"] in TIERS
            assert m["surface_forms"], (f["n"], m["key"])
            assert len(set(m["surface_forms"])) == len(m["surface_forms"])
            for form in m["surface_forms"]:
                assert form in text, (f["n"], form)
        keys = [m["key"] for m in mentions["institutions"]] + [
            m["key"] for m in mentions["instruments"]
        ]
        assert len(keys) == len(set(keys)), f"one mention per entity per finding (n={f['n']})"
        for nm in f["non_mentions"]:
            assert list(nm) == ["surface_form", "reason"]
            assert nm["surface_form"] in text, (f["n"], nm["surface_form"])
            assert nm["reason"]


def test_years_are_exactly_the_years_written(gold: dict[str, Any]) -> None:
    not_years = {(f["n"], nm["surface_form"]) for f in gold["findings"] for nm in f["non_mentions"]}
    for f in gold["findings"]:
        years = f["mentions"]["years"]
        values = [y["year"] for y in years]
        assert len(values) == len(set(values)), f["n"]
        for y in years:
            assert list(y) == ["year", "surface_form", "tier"]
            assert y["surface_form"] == str(y["year"]) and y["surface_form"] in f["text"]
            assert 1800 <= y["year"] <= 2099 and y["tier"] == "core"
        written = {int(x) for x in YEAR.findall(f["text"])}
        # a four-digit number that is not a year must be declared as a non-mention
        for extra in written - set(values):
            assert (f["n"], str(extra)) in not_years, (f["n"], extra)
        assert set(values) <= written, f["n"]


# --------------------------------------------------------------------------- registries


def _check_registry(gold: dict[str, Any], kind: str, keys: list[str], label: str) -> None:
    entries = gold[kind]
    assert len({e["key"] for e in entries}) == len(entries)
    for e in entries:
        assert list(e) == keys
        assert e["key"] == slugify(e[label]), e["key"]
        mentions = [
            (f["n"], m)
            for f in gold["findings"]
            for m in f["mentions"][kind]
            if m["key"] == e["key"]
        ]
        assert mentions, f"registry entry never mentioned: {e['key']}"
        assert e["mentioned_in"] == sorted({n for n, _ in mentions})
        tiers = Counter(m["tier"] for _, m in mentions)
        assert e["mention_tiers"] == {t: tiers[t] for t in ("core", "hard") if tiers[t]}
        assert e["scope"] in SCOPES
        assert isinstance(e["alt_labels"], list)
        if e["acronym"] is not None:
            assert any(e["acronym"] in f["text"] for f in gold["findings"]), e["key"]


def test_institution_registry(gold: dict[str, Any]) -> None:
    _check_registry(gold, "institutions", INSTITUTION_KEYS, "name")
    keys = {e["key"] for e in gold["institutions"]}
    for e in gold["institutions"]:
        assert e["type"] in INSTITUTION_TYPES, e["key"]
        if e["parent"] is None:
            assert e["parent_basis"] is None, e["key"]
        else:
            assert e["parent"] in keys and e["parent"] != e["key"]
            assert e["parent_basis"] in {"explicit", "context"}, e["key"]


def test_instrument_registry(gold: dict[str, Any]) -> None:
    _check_registry(gold, "instruments", INSTRUMENT_KEYS, "title")
    institutions = {e["key"] for e in gold["institutions"]}
    for e in gold["instruments"]:
        assert e["type"] in INSTRUMENT_TYPES, e["key"]
        assert e["status"] in STATUSES
        assert e["creator"] is None or e["creator"] in institutions
        assert all(1800 <= y <= 2099 for y in e["years"]) and e["years"] == sorted(e["years"])
        # an instrument's years are years written in a finding that mentions it
        mentioned = [f for f in gold["findings"] if f["n"] in e["mentioned_in"]]
        for y in e["years"]:
            assert any(str(y) in f["text"] for f in mentioned), (e["key"], y)


def test_counts(gold: dict[str, Any]) -> None:
    findings = gold["findings"]
    counts = gold["counts"]
    assert counts["findings"] == len(findings)
    by_domain = Counter((str(f["domain"]), f["assessment"]) for f in findings)
    assert counts["by_domain"] == {
        str(d): {a: by_domain[str(d), a] for a in ASSESSMENTS} for d in range(1, 7)
    }
    for kind in ("institutions", "instruments"):
        tiers = Counter(m["tier"] for f in findings for m in f["mentions"][kind])
        key = "institution_mentions" if kind == "institutions" else "instrument_mentions"
        assert counts[key] == {"core": tiers["core"], "hard": tiers["hard"]}
    assert counts["year_mentions"] == sum(len(f["mentions"]["years"]) for f in findings)
    assert counts["distinct_institutions"] == len(gold["institutions"])
    assert counts["distinct_instruments"] == len(gold["instruments"])
    assert counts["findings_without_mentions"] == sum(
        1
        for f in findings
        if not f["mentions"]["institutions"] and not f["mentions"]["instruments"]
    )


def test_place_references_are_not_mentions(gold: dict[str, Any]) -> None:
    refs = set(gold["place_references"])
    for ref in refs:
        assert any(ref in f["text"] for f in gold["findings"]), ref
    for f in gold["findings"]:
        for m in f["mentions"]["institutions"] + f["mentions"]["instruments"]:
            assert m["surface_forms"][0] not in refs, (f["n"], m["surface_forms"][0])


# --------------------------------------------------------------------------- parser


def test_parser_reproduces_gold_fields(gold: dict[str, Any]) -> None:
    parsed = read_profile(folder(gold) / gold["source_file"])
    profile = gold["profile"]
    assert parsed.title == profile["title"]
    assert parsed.title_language == profile["title_language"]
    assert parsed.level is Level(profile["level"])
    assert parsed.findings_language == profile["findings_language"]
    assert parsed.chrome_language == profile["chrome_language"]
    assert parsed.date == profile["date"]
    assert parsed.date_text == profile["date_text"]
    assert parsed.short_name == profile["short_name"]
    assert parsed.place_name == profile["place"]["name"]
    assert parsed.designation == profile["place"]["designation"]
    assert slugify(parsed.place_name) == profile["place"]["slug"]
    assert parsed.intro.heading == gold["intro"]["heading"]
    assert list(parsed.intro.paragraphs) == gold["intro"]["paragraphs"]
    got = [(f.n, f.domain.value, f.assessment.value, f.position, f.text) for f in parsed.findings]
    want = [
        (f["n"], f["domain"], f["assessment"], f["position"], f["text"]) for f in gold["findings"]
    ]
    assert got == want
