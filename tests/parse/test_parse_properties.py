"""Property tests: damaged profiles give a Profile or a ProfileParseError, nothing else.

The inputs start from the three shared profiles and are mutated line by line
(deleted, duplicated, shuffled, garbled, padded with stray lines, truncated).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import ProfileParseError
from kb.model import Assessment, Domain, Profile
from kb.parse.profile import decode_profile, parse_profile

PROFILES = Path(__file__).resolve().parents[3] / "shared" / "profiles"
BASES = [path.read_text(encoding="utf-8") for path in sorted(PROFILES.glob("*.txt"))]
assert len(BASES) >= 3, f"expected the shared profiles under {PROFILES}"

# Lines that mean something to the parser, so mutations hit its decisions.
LOADED_LINES = [
    "",
    "1",
    "   ",
    "\t",
    "Key findings",
    "Principales hallazgos",
    "Principaux\u00a0résultats",
    "INTRODUCTION",
    "INTRODUCCIÓN",
    "ALIANZAS",
    "MIGRANTS’ RIGHTS",
    "Safe and orderly",
    "• ",
    "•",
    "- x",
    "  • Una conclusión.",
    "Examples of well-developed areas:",
    "Áreas con potencial para un desarrollo adicional:",
    "Otra cosa:",
    "2022 March",
    "Março de 2019",
    "Perfil de Gobernanza Migratoria: Municipio de",
    "Migration Governance Profile: Republic of",
    "Profil de gouvernance des migrations : d’",
    "Click on the wheel.",
    "(hereinafter, )",
    "(en adelante,",
    "\ufeff",
    "\r",
    "\x00",
    ":",
]

Lines = list[str]
Mutation = Callable[[st.DrawFn, Lines], Lines]


def _index(draw: st.DrawFn, lines: Lines, *, end: bool = False) -> int:
    return draw(st.integers(0, len(lines) if end else max(len(lines) - 1, 0)))


def delete_lines(draw: st.DrawFn, lines: Lines) -> Lines:
    start = _index(draw, lines)
    return lines[:start] + lines[start + draw(st.integers(1, 12)) :]


def duplicate_lines(draw: st.DrawFn, lines: Lines) -> Lines:
    start = _index(draw, lines)
    chunk = lines[start : start + draw(st.integers(1, 15))]
    at = _index(draw, lines, end=True)
    return lines[:at] + chunk + lines[at:]


def shuffle_range(draw: st.DrawFn, lines: Lines) -> Lines:
    start = _index(draw, lines)
    end = start + draw(st.integers(2, 20))
    chunk = draw(st.permutations(lines[start:end]))
    return lines[:start] + list(chunk) + lines[end:]


def move_range(draw: st.DrawFn, lines: Lines) -> Lines:
    start = _index(draw, lines)
    end = start + draw(st.integers(1, 30))
    chunk, rest = lines[start:end], lines[:start] + lines[end:]
    at = _index(draw, rest, end=True)
    return rest[:at] + chunk + rest[at:]


def garble_line(draw: st.DrawFn, lines: Lines) -> Lines:
    if not lines:
        return lines
    at = _index(draw, lines)
    line = lines[at]
    cut = draw(st.integers(0, len(line)))
    noise = draw(st.text(max_size=12))
    return [*lines[:at], line[:cut] + noise + line[cut:], *lines[at + 1 :]]


def replace_line(draw: st.DrawFn, lines: Lines) -> Lines:
    if not lines:
        return lines
    at = _index(draw, lines)
    new = draw(st.sampled_from(LOADED_LINES) | st.text(max_size=40))
    return [*lines[:at], new, *lines[at + 1 :]]


def insert_lines(draw: st.DrawFn, lines: Lines) -> Lines:
    at = _index(draw, lines, end=True)
    new = draw(st.lists(st.sampled_from(LOADED_LINES), min_size=1, max_size=4))
    return lines[:at] + new + lines[at:]


def truncate(draw: st.DrawFn, lines: Lines) -> Lines:
    text = "\n".join(lines)
    return text[: draw(st.integers(0, len(text)))].split("\n")


def change_line_ends(draw: st.DrawFn, lines: Lines) -> Lines:
    ending = draw(st.sampled_from(["\r", "\r\n", "\u2028", "\x0b", "\x85"]))
    at = _index(draw, lines)
    return [line + ending if i >= at else line for i, line in enumerate(lines)]


MUTATIONS: list[Mutation] = [
    delete_lines,
    duplicate_lines,
    shuffle_range,
    move_range,
    garble_line,
    replace_line,
    insert_lines,
    truncate,
    change_line_ends,
]


@st.composite
def damaged_profiles(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(BASES)).split("\n")
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        lines = mutation(draw, lines)
    return "\n".join(lines)


def check_invariants(profile: Profile) -> None:
    """What every returned profile guarantees, however odd its input."""
    assert {f.domain for f in profile.findings} == set(Domain)
    assert [f.n for f in profile.findings] == list(range(1, len(profile.findings) + 1))
    for domain in Domain:
        for assessment in Assessment:
            positions = [
                f.position
                for f in profile.findings
                if f.domain is domain and f.assessment is assessment
            ]
            assert positions == list(range(1, len(positions) + 1))
            assert positions, (domain, assessment)
    assert all(f.text and f.text == f.text.rstrip() for f in profile.findings)
    assert [f.line for f in profile.findings] == sorted({f.line for f in profile.findings})
    assert re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", profile.date)
    assert profile.place_name
    assert profile.designation
    assert {profile.title_language, profile.findings_language, profile.chrome_language} <= {
        "en",
        "es",
        "pt",
        "fr",
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_profiles())
def test_damaged_profile_parses_or_raises_parse_error(text: str) -> None:
    try:
        profile = parse_profile(text, source="damaged.txt")
    except ProfileParseError as error:
        assert error.path == "damaged.txt"
        assert error.section
        assert 0 <= error.line <= text.count("\n") + 1
        return
    check_invariants(profile)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LOADED_LINES) | st.text(max_size=30), max_size=60))
def test_arbitrary_lines_parse_or_raise_parse_error(lines: list[str]) -> None:
    try:
        profile = parse_profile("\n".join(lines))
    except ProfileParseError:
        return
    check_invariants(profile)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_decode_or_raise_parse_error(data: bytes) -> None:
    try:
        text = decode_profile(data, source="x.bin")
    except ProfileParseError as error:
        assert error.line >= 1
        return
    assert "\x00" not in text
    assert "\r\n" not in text


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_blank_and_digit_lines_carry_no_meaning(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(BASES))
    lines = base.split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(lines)))
        lines.insert(at, data.draw(st.sampled_from(["", "1", "  \t", "22", "\u00a0"])))
    original, padded = parse_profile(base), parse_profile("\n".join(lines))
    unplaced = [replace(f, line=0) for f in padded.findings]
    assert replace(padded, findings=tuple(unplaced)) == replace(
        original, findings=tuple(replace(f, line=0) for f in original.findings)
    )
