"""Synthetic profiles (`kb.synth`): deterministic, varied, skewed, and readable by the parser."""

from __future__ import annotations

import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from kb.errors import ProfileParseError
from kb.model import Assessment, Domain, EntityKind, Level
from kb.synth.generator import (
    DEFAULT_POOLS,
    SyntheticProfile,
    SynthPoolError,
    SynthPools,
    build_synthetic_profile,
    iter_synthetic_profiles,
    load_pools,
    profile_rng,
    synthesize_profile,
    write_synthetic_profiles,
)
from kb.text import slugify

SEED = 2024
FIRST_YEAR, LAST_YEAR = 2018, 2025


@pytest.fixture(scope="module")
def pools() -> SynthPools:
    return load_pools()


@pytest.fixture(scope="module")
def forty(pools: SynthPools) -> list[SyntheticProfile]:
    return list(iter_synthetic_profiles(40, SEED, pools))


@pytest.fixture(scope="module")
def hundred(pools: SynthPools) -> list[SyntheticProfile]:
    return list(iter_synthetic_profiles(100, SEED + 1, pools))


# --- determinism ---------------------------------------------------------------


def test_same_count_and_seed_give_byte_identical_files(tmp_path: Path, pools: SynthPools) -> None:
    first = write_synthetic_profiles(tmp_path / "a", count=30, seed=7, pools=pools)
    second = write_synthetic_profiles(tmp_path / "b", count=30, seed=7, pools=pools)
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_different_seeds_give_different_profiles(pools: SynthPools) -> None:
    one = [synthesize_profile(i, profile_rng(1, i), pools) for i in range(10)]
    two = [synthesize_profile(i, profile_rng(2, i), pools) for i in range(10)]
    assert all(a[1] != b[1] for a, b in zip(one, two, strict=True))


def test_a_smaller_run_is_a_prefix_of_a_larger_one(pools: SynthPools) -> None:
    small = [p.text for p in iter_synthetic_profiles(5, 9, pools)]
    large = [p.text for p in iter_synthetic_profiles(25, 9, pools)]
    assert large[:5] == small


def test_synthesize_profile_is_build_without_the_structure(pools: SynthPools) -> None:
    built = build_synthetic_profile(3, profile_rng(5, 3), pools)
    assert synthesize_profile(3, profile_rng(5, 3), pools) == (built.file_name, built.text)


def test_default_pools_are_the_repository_data(tmp_path: Path) -> None:
    assert DEFAULT_POOLS.name == "synth"
    paths = write_synthetic_profiles(tmp_path, count=2, seed=1)
    assert [p.suffix for p in paths] == [".txt", ".txt"]


# --- count, names, files ---------------------------------------------------------


def test_count_and_unique_file_names(tmp_path: Path, pools: SynthPools) -> None:
    paths = write_synthetic_profiles(tmp_path / "out", count=200, seed=3, pools=pools)
    assert len(paths) == 200
    assert len({p.name for p in paths}) == 200
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == sorted(p.name for p in paths)


def test_file_name_is_place_slug_and_year(hundred: list[SyntheticProfile]) -> None:
    for profile in hundred:
        assert profile.place_slug == slugify(profile.place_name)
        assert profile.slug == f"{profile.place_slug}-{profile.year}"
        assert profile.file_name == f"{profile.slug}.txt"
        assert FIRST_YEAR <= profile.year <= LAST_YEAR


def test_place_slugs_are_unique_even_ignoring_the_year(pools: SynthPools) -> None:
    # The index is spelled into the name; check a long run and the point where
    # names grow a fourth syllable (70**3 with the shipped syllables).
    boundary = len(pools.names.consonants) * len(pools.names.vowels)
    indices = [*range(1500), *range(boundary**3 - 20, boundary**3 + 20)]
    slugs = [build_synthetic_profile(i, profile_rng(0, i), pools).place_slug for i in indices]
    assert len(set(slugs)) == len(slugs)


def test_zero_profiles_writes_nothing(tmp_path: Path, pools: SynthPools) -> None:
    assert write_synthetic_profiles(tmp_path / "empty", count=0, seed=1, pools=pools) == []
    assert (tmp_path / "empty").is_dir()


def test_negative_count_is_refused(tmp_path: Path, pools: SynthPools) -> None:
    with pytest.raises(ValueError, match="negative"):
        write_synthetic_profiles(tmp_path, count=-1, seed=1, pools=pools)


# --- the text follows FORMAT.md -----------------------------------------------------


def test_text_is_nfc_with_consistent_line_ends(hundred: list[SyntheticProfile]) -> None:
    for profile in hundred:
        assert unicodedata.is_normalized("NFC", profile.text)
        if profile.layout.crlf:
            assert "\n" not in profile.text.replace("\r\n", "")
        else:
            assert "\r" not in profile.text
        assert profile.text.endswith("\n") is profile.layout.ends_with_newline


def test_block_structure_is_within_format_limits(hundred: list[SyntheticProfile]) -> None:
    for profile in hundred:
        assert [f.n for f in profile.findings] == list(range(1, len(profile.findings) + 1))
        assert set(profile.layout.domain_order) == set(Domain)
        for domain in Domain:
            block = [f for f in profile.findings if f.domain is domain]
            assert 5 <= len(block) <= 8
            for assessment in Assessment:
                items = [f for f in block if f.assessment is assessment]
                assert 1 <= len(items) <= 5
                assert [f.position for f in items] == list(range(1, len(items) + 1))


def test_every_finding_is_one_bullet_line(hundred: list[SyntheticProfile]) -> None:
    for profile in hundred:
        lines = [line.rstrip() for line in profile.text.splitlines()]
        for finding in profile.findings:
            bullet = [
                line
                for line in lines
                if line.endswith(finding.text)
                and line[: -len(finding.text)].strip() in profile.layout.bullet_markers
            ]
            assert bullet, (profile.file_name, finding.text)


def test_planted_mentions_and_years_are_in_the_finding_text(
    hundred: list[SyntheticProfile],
) -> None:
    for profile in hundred:
        for finding in profile.findings:
            for mention in finding.mentions:
                assert mention.surface_forms
                for surface in mention.surface_forms:
                    assert surface in finding.text
            for year in finding.years:
                assert 1800 <= year <= 2099
                assert str(year) in finding.text


def test_title_and_date_are_the_last_lines(hundred: list[SyntheticProfile]) -> None:
    for profile in hundred:
        content = [line for line in profile.text.splitlines() if line.strip()]
        assert content[-1] == profile.title
        assert content[-2] == profile.date_text
        assert profile.title.endswith(profile.designation)


# --- variety ------------------------------------------------------------------------


def test_forty_profiles_show_the_variants(forty: list[SyntheticProfile]) -> None:
    layouts = [p.layout for p in forty]
    assert {p.findings_language for p in forty} == {"en", "es", "fr", "pt"}
    assert {p.chrome_language for p in forty} == {"en", "es", "fr", "pt"}
    assert any(p.chrome_language != p.findings_language for p in forty)
    assert {p.level for p in forty} == set(Level)
    assert len({m for layout in layouts for m in layout.bullet_markers}) >= 4
    assert {layout.date_form for layout in layouts} == {
        "year-month",
        "month-year",
        "month-de-year",
    }
    assert {layout.about_block for layout in layouts} == {True, False}
    assert {layout.stray_number_lines for layout in layouts} == {True, False}
    assert {layout.ends_with_newline for layout in layouts} == {True, False}
    assert any(layout.crlf for layout in layouts)
    assert len({layout.indent for layout in layouts}) >= 3
    assert len({layout.heading_case for layout in layouts}) >= 3


def test_national_designations_include_a_bare_country_name(
    hundred: list[SyntheticProfile],
) -> None:
    national = [p for p in hundred if p.level is Level.NATIONAL]
    assert any(p.designation == p.place_name for p in national)
    assert any(p.designation != p.place_name for p in national)


def test_french_colons_come_in_several_spacings(hundred: list[SyntheticProfile]) -> None:
    endings = {
        line.rstrip()[-2:]
        for p in hundred
        if p.findings_language == "fr"
        for line in p.text.splitlines()
        if line.rstrip().endswith(":") and "développ" in line
    }
    assert {" :", "\u00a0:"} <= endings


def test_intro_names_the_place_with_hereinafter(hundred: list[SyntheticProfile]) -> None:
    phrases = {"es": "en adelante", "en": "hereinafter", "pt": "doravante", "fr": "ci-après"}
    for profile in hundred:
        phrase = phrases[profile.findings_language]
        assert f"({phrase}, {profile.short_name})" in profile.intro_paragraphs[0]


def test_absent_instruments_are_written_but_not_planted(hundred: list[SyntheticProfile]) -> None:
    starts = ("No existe", "There is no", "Il n", "Não existe")
    absent = [
        f
        for p in hundred
        for f in p.findings
        if f.assessment is Assessment.POTENTIAL and f.text.startswith(starts)
    ]
    assert absent
    assert all(not f.mentions for f in absent)


# --- skew ---------------------------------------------------------------------------


def test_a_few_institutions_recur_in_most_profiles(hundred: list[SyntheticProfile]) -> None:
    per_profile = Counter(
        key
        for p in hundred
        for key in {
            m.key for f in p.findings for m in f.mentions if m.kind is EntityKind.ORGANIZATION
        }
    )
    (top, top_count), *_ = per_profile.most_common()
    assert top == "iom"
    assert top_count >= 0.6 * len(hundred)
    assert per_profile["unhcr"] >= 0.4 * len(hundred)
    # A national body of the most frequent invented country recurs too …
    assert per_profile["migration-authority@varenia"] >= 0.1 * len(hundred)
    # … while most institutions (the local ones) turn up in a single profile.
    once = sum(1 for count in per_profile.values() if count == 1)
    assert once > 0.5 * len(per_profile)


def test_coordinated_secretariats_are_hard_mentions(hundred: list[SyntheticProfile]) -> None:
    pairs = [
        mentions
        for p in hundred
        for f in p.findings
        if len(mentions := [m for m in f.mentions if m.tier == "hard"]) >= 2
    ]
    assert pairs
    assert any(a.surface_forms == b.surface_forms for a, b, *_ in pairs)


# --- pools ----------------------------------------------------------------------------


def _pool_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "synth"
    shutil.copytree(DEFAULT_POOLS, copy)
    return copy


def test_unknown_template_slot_is_reported_with_its_file(tmp_path: Path) -> None:
    copy = _pool_copy(tmp_path)
    path = copy / "es.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[template]]\nassessment = "potential"\ndomains = [1]\ntext = "{bogus:O}."\n',
        encoding="utf-8",
    )
    with pytest.raises(SynthPoolError, match=r"es\.toml.*bogus"):
        load_pools(copy)


def test_suffix_that_could_break_slug_uniqueness_is_refused(tmp_path: Path) -> None:
    copy = _pool_copy(tmp_path)
    path = copy / "names.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('es = ["", "", "", "a",', 'es = ["", "", "", "ba",'), "utf-8")
    with pytest.raises(SynthPoolError, match="consonant"):
        load_pools(copy)


def test_missing_pool_file_is_a_pool_error(tmp_path: Path) -> None:
    copy = _pool_copy(tmp_path)
    (copy / "pt.toml").unlink()
    with pytest.raises(SynthPoolError, match=r"pt\.toml"):
        load_pools(copy)


# --- the real parser reads what the generator meant ----------------------------------


def test_parser_reads_every_profile_as_generated(tmp_path: Path, pools: SynthPools) -> None:
    parse = pytest.importorskip("kb.parse.profile")
    problems: list[str] = []
    paths = write_synthetic_profiles(tmp_path, count=60, seed=SEED, pools=pools)
    expected = list(iter_synthetic_profiles(60, SEED, pools))
    for path, want in zip(paths, expected, strict=True):
        try:
            got = parse.read_profile(path)  # from disk: exercises CRLF and decoding too
        except ProfileParseError as exc:  # collect all failures, report them together
            problems.append(f"{path.name}: {exc}")
            continue
        fields = {
            "findings": (
                [(f.n, f.domain, f.assessment, f.position, f.text) for f in got.findings],
                [(f.n, f.domain, f.assessment, f.position, f.text) for f in want.findings],
            ),
            "title": (got.title, want.title),
            "title_language": (got.title_language, want.title_language),
            "level": (got.level, want.level),
            "place_name": (got.place_name, want.place_name),
            "designation": (got.designation, want.designation),
            "findings_language": (got.findings_language, want.findings_language),
            "chrome_language": (got.chrome_language, want.chrome_language),
            "date": (got.date, want.date),
            "date_text": (got.date_text, want.date_text),
            "short_name": (got.short_name, want.short_name),
            "intro": (
                (got.intro.heading, got.intro.paragraphs),
                (want.intro_heading, want.intro_paragraphs),
            ),
        }
        problems += [
            f"{path.name}: {name} parsed as {a!r:.200}, generated {b!r:.200}"
            for name, (a, b) in fields.items()
            if a != b
        ]
    assert not problems, "\n".join(problems)
