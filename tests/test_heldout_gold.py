"""Consistency of the held-out gold annotations (tests/fixtures/heldout/gold).

The held-out profiles are fictional MGI profiles written after the extractor,
to measure it on text it has never seen (`kb eval --gold
tests/fixtures/heldout/gold --profiles tests/fixtures/heldout`). These tests do
not score the extractor; they check that the gold files follow the mgi-gold/1
schema of ../shared/profiles/FORMAT.md section 8 and agree with the profile
texts: every surface form occurs verbatim in its finding, counts and registries
match the findings, numbering is consecutive, years agree with an independent
year finder, and the parser reads the same findings and metadata.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
GOLD_FILES = sorted((HELDOUT / "gold").glob("*.json"))

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
INST_KEYS = [
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
TOOL_KEYS = [
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
TOOL_MENTION_KEYS = ["key", "title", "acronym", "type", "years", "status", "surface_forms", "tier"]

INSTITUTION_TYPES = {
    "municipal-government",
    "municipal-secretariat",
    "legislative-body",
    "regional-government",
    "national-government",
    "ministry",
    "national-body",
    "oversight-body",
    "judicial-body",
    "public-institute",
    "service-centre",
    "coordination-body",
    "police",
    "emergency-service",
    "university",
    "research-centre",
    "un-agency",
    "international-organization",
    "network",
    "ngo",
    "private-sector",
    "other",
}
INSTRUMENT_TYPES = {
    "plan",
    "program",
    "strategy",
    "policy",
    "law",
    "decree",
    "resolution",
    "circular",
    "ordinance",
    "treaty",
    "agreement",
    "route",
    "protocol",
    "other",
}
SCOPES = {"municipal", "regional", "national", "international", None}
STATUSES = {"in-force", "in-preparation", "planned", "not-ratified"}
TIERS = {"core", "hard"}
DOMAIN_LABELS = {
    1: "Migrants' rights",
    2: "Whole of government approach",
    3: "Partnerships",
    4: "Socioeconomic well-being of migrants",
    5: "Mobility dimensions of crises",
    6: "Safe, orderly and regular migration",
}
BULLET = re.compile(r"^[ \t]*[•\-*–◦▪·]\s+(.*?)\s*$")
YEAR = re.compile(r"(?<![\d.])(1[89]\d\d|20\d\d)(?!\d|[.,]\d)")


def slug(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def profile_text(gold: dict) -> str:
    return (HELDOUT / gold["source_file"]).read_bytes().decode("utf-8")


def test_there_are_heldout_profiles():
    assert len(GOLD_FILES) >= 3
    for path in GOLD_FILES:
        assert (HELDOUT / load(path)["source_file"]).is_file()


@pytest.fixture(params=GOLD_FILES, ids=lambda p: p.stem)
def gold(request) -> dict:
    return load(request.param)


def test_schema_keys(gold):
    assert list(gold) == TOP_KEYS
    assert gold["schema"] == "mgi-gold/1" and gold["fictional"] is True
    assert list(gold["profile"]) == PROFILE_KEYS
    assert list(gold["profile"]["place"]) == PLACE_KEYS
    assert list(gold["layout"]) == LAYOUT_KEYS
    assert list(gold["counts"]) == COUNT_KEYS
    assert list(gold["intro"]) == ["heading", "paragraphs"]
    assert all(list(i) == INST_KEYS for i in gold["institutions"])
    assert all(list(t) == TOOL_KEYS for t in gold["instruments"])
    for f in gold["findings"]:
        assert list(f) == FINDING_KEYS
        assert list(f["mentions"]) == ["institutions", "instruments", "years"]
        for m in f["mentions"]["institutions"]:
            assert list(m)[:7] == INST_MENTION_KEYS and set(m) <= set(INST_MENTION_KEYS) | {"note"}
        for m in f["mentions"]["instruments"]:
            assert list(m)[:8] == TOOL_MENTION_KEYS and set(m) <= set(TOOL_MENTION_KEYS) | {"note"}
        for y in f["mentions"]["years"]:
            assert list(y) == ["year", "surface_form", "tier"]
        for nm in f["non_mentions"]:
            assert list(nm) == ["surface_form", "reason"]
    assert all(isinstance(j, str) and j for j in gold["judgement_calls"])


def test_profile_metadata(gold):
    p = gold["profile"]
    assert gold["source_file"] == p["slug"] + ".txt"
    assert p["slug"] == f"{p['place']['slug']}-{p['date'][:4]}"
    assert p["place"]["slug"] == slug(p["place"]["name"])
    assert p["title"].endswith(p["place"]["designation"])
    assert p["place"]["designation"].endswith(p["place"]["name"])
    assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", p["date"])
    assert p["date"][:4] in p["date_text"]
    assert p["level"] in {"local", "national"}
    assert p["place"]["kind"] == ("city" if p["level"] == "local" else "country")


def test_findings_numbering(gold):
    findings = gold["findings"]
    assert [f["n"] for f in findings] == list(range(1, len(findings) + 1))
    order = [(f["domain"], 0 if f["assessment"] == "well-developed" else 1) for f in findings]
    assert order == sorted(order), (
        "findings must run domain 1-6, well-developed list before potential list"
    )
    expected: Counter = Counter()
    for f in findings:
        expected[(f["domain"], f["assessment"])] += 1
        assert f["position"] == expected[(f["domain"], f["assessment"])]
        assert f["domain_label"] == DOMAIN_LABELS[f["domain"]]
    for domain in range(1, 7):
        wd, pot = expected[(domain, "well-developed")], expected[(domain, "potential")]
        assert 1 <= wd <= 5 and 1 <= pot <= 5 and 5 <= wd + pot <= 8


def test_findings_are_the_bullets_of_the_file(gold):
    text = profile_text(gold)
    bullets = [m.group(1) for line in text.splitlines() if (m := BULLET.match(line))]
    assert bullets == [f["text"] for f in gold["findings"]]
    assert unicodedata.is_normalized("NFC", text)
    assert text.endswith("\n") == gold["layout"]["ends_with_newline"]
    lines = [line.strip() for line in text.splitlines()]
    for ignored in gold["layout"]["ignored_lines"]:
        assert ignored in lines
    non_blank = [line for line in lines if line]
    assert non_blank[-1] == gold["profile"]["title"]
    assert non_blank[-2] == gold["profile"]["date_text"]
    for paragraph in gold["intro"]["paragraphs"]:
        assert paragraph in lines


def test_surface_forms_occur_verbatim(gold):
    for f in gold["findings"]:
        for kind in ("institutions", "instruments"):
            for m in f["mentions"][kind]:
                assert m["surface_forms"], (f["n"], m["key"])
                assert m["tier"] in TIERS
                for sf in m["surface_forms"]:
                    assert sf in f["text"], (f["n"], m["key"], sf)
                    assert sf == sf.strip() and sf
        for nm in f["non_mentions"]:
            assert nm["surface_form"] in f["text"], (f["n"], nm["surface_form"])
            assert nm["reason"]
        keys = [m["key"] for kind in ("institutions", "instruments") for m in f["mentions"][kind]]
        assert len(keys) == len(set(keys)), f"one mention object per entity per finding ({f['n']})"


def test_mentions_agree_with_registries(gold):
    insts = {i["key"]: i for i in gold["institutions"]}
    tools = {t["key"]: t for t in gold["instruments"]}
    assert len(insts) == len(gold["institutions"]) and len(tools) == len(gold["instruments"])
    seen: dict[str, list] = {}
    for f in gold["findings"]:
        for m in f["mentions"]["institutions"]:
            r = insts[m["key"]]
            assert (m["name"], m["acronym"], m["type"]) == (r["name"], r["acronym"], r["type"])
            assert m["parent"] == (insts[r["parent"]]["name"] if r["parent"] else None)
            seen.setdefault(m["key"], []).append((f["n"], m["tier"]))
        for m in f["mentions"]["instruments"]:
            r = tools[m["key"]]
            assert (m["title"], m["acronym"], m["type"], m["years"], m["status"]) == (
                r["title"],
                r["acronym"],
                r["type"],
                r["years"],
                r["status"],
            )
            seen.setdefault(m["key"], []).append((f["n"], m["tier"]))
    for r in gold["institutions"] + gold["instruments"]:
        hits = seen.get(r["key"])
        assert hits, f"{r['key']} is never mentioned"
        assert r["mentioned_in"] == sorted({n for n, _ in hits})
        assert r["mention_tiers"] == {t: c for t, c in Counter(t for _, t in hits).items()}
    text = "\n".join(f["text"] for f in gold["findings"])
    for i in gold["institutions"]:
        assert i["key"] == slug(i["name"])
        assert i["type"] in INSTITUTION_TYPES and i["scope"] in SCOPES
        assert (i["parent"] is None) == (i["parent_basis"] is None)
        assert i["parent"] is None or i["parent"] in insts
        assert i["parent_basis"] in {None, "explicit", "context"}
        assert i["acronym"] is None or re.search(rf"\b{re.escape(i['acronym'])}\b", text)
        for label in i["alt_labels"]:
            assert label in text, (i["key"], label)
    for t in gold["instruments"]:
        assert t["key"] == slug(t["title"])
        assert t["type"] in INSTRUMENT_TYPES and t["status"] in STATUSES and t["scope"] in SCOPES
        assert t["creator"] is None or t["creator"] in insts
        assert all(isinstance(y, int) and 1800 <= y <= 2099 for y in t["years"])


def test_years_agree_with_an_independent_finder(gold):
    for f in gold["findings"]:
        years = f["mentions"]["years"]
        assert len({y["year"] for y in years}) == len(years), (
            f"a year counts once per finding ({f['n']})"
        )
        for y in years:
            assert (
                y["surface_form"] == str(y["year"])
                and y["surface_form"] in f["text"]
                and y["tier"] == "core"
            )
        not_years = {nm["surface_form"] for nm in f["non_mentions"]}
        found = {int(m.group(1)) for m in YEAR.finditer(f["text"]) if m.group(1) not in not_years}
        assert {y["year"] for y in years} == found, (f["n"], f["text"])


def test_counts(gold):
    findings = gold["findings"]
    c = gold["counts"]
    assert c["findings"] == len(findings)
    by_domain: dict = {}
    for f in findings:
        by_domain.setdefault(str(f["domain"]), {"well-developed": 0, "potential": 0})[
            f["assessment"]
        ] += 1
    assert c["by_domain"] == by_domain
    for kind, key in (
        ("institutions", "institution_mentions"),
        ("instruments", "instrument_mentions"),
    ):
        tiers = Counter(m["tier"] for f in findings for m in f["mentions"][kind])
        assert c[key] == {"core": tiers["core"], "hard": tiers["hard"]}
    assert c["year_mentions"] == sum(len(f["mentions"]["years"]) for f in findings)
    assert c["distinct_institutions"] == len(gold["institutions"])
    assert c["distinct_instruments"] == len(gold["instruments"])
    empty = [
        f
        for f in findings
        if not f["mentions"]["institutions"] and not f["mentions"]["instruments"]
    ]
    assert c["findings_without_mentions"] == len(empty)
    assert not any(f["mentions"]["years"] for f in empty), (
        "definition of findings_without_mentions is ambiguous"
    )


def test_place_references_occur(gold):
    text = "\n".join(f["text"] for f in gold["findings"])
    for ref in gold["place_references"]:
        assert re.search(rf"(?<!\w){re.escape(ref)}(?!\w)", text), ref


def test_parser_reads_the_gold_fields(gold):
    from kb.parse import read_profile

    profile = read_profile(HELDOUT / gold["source_file"])
    p = gold["profile"]
    assert profile.title == p["title"]
    assert profile.title_language == p["title_language"]
    assert profile.level.value == p["level"]
    assert profile.place_name == p["place"]["name"]
    assert profile.designation == p["place"]["designation"]
    assert profile.findings_language == p["findings_language"]
    assert profile.chrome_language == p["chrome_language"]
    assert profile.date == p["date"] and profile.date_text == p["date_text"]
    assert profile.short_name == p["short_name"]
    assert profile.intro.heading == gold["intro"]["heading"]
    assert list(profile.intro.paragraphs) == gold["intro"]["paragraphs"]
    got = [(f.n, f.domain.value, f.assessment.value, f.position, f.text) for f in profile.findings]
    want = [
        (f["n"], f["domain"], f["assessment"], f["position"], f["text"]) for f in gold["findings"]
    ]
    assert got == want
