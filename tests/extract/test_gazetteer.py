"""The curated gazetteer (data/reference/institutions.toml) and its loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import ReferenceDataError
from kb.extract.extractor import mint_slug, name_key
from kb.extract.gazetteer import load_gazetteer
from kb.extract.rules import INSTITUTION_TYPES, load_rules
from kb.reference.places import load_places
from kb.text import slugify

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
FICTIONAL = ("kestrelmouth", "tesmara", "guaraca", "santa ines")


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(REFERENCE / "institutions.toml")


def test_real_gazetteer_loads_with_all_fields(gazetteer):
    iom = gazetteer.get("international-organization-for-migration")
    assert iom is not None
    assert iom.institution_type == "un-agency"
    assert {"IOM", "OIM"} <= set(iom.acronyms)
    assert {(a.text, a.language) for a in iom.alt_labels} >= {
        ("Organización Internacional para las Migraciones", "es"),
        ("OIM", "fr"),
        ("IOM", "en"),
    }
    assert iom.jurisdiction is None and iom.scope == "international"
    sena = gazetteer.get("colombia--servicio-nacional-de-aprendizaje")
    assert sena is not None and sena.parent == "colombia--ministerio-del-trabajo"
    assert [a.slug for a in gazetteer.ancestors(sena.slug)] == ["colombia--ministerio-del-trabajo"]
    assert all(e.institution_type in INSTITUTION_TYPES for e in gazetteer)
    assert gazetteer.rules_path == REFERENCE / "extraction.toml"


def test_nothing_from_the_fictional_fixtures(gazetteer):
    for entry in gazetteer:
        names = " ".join([entry.slug, entry.label, *(a.text for a in entry.alt_labels)])
        folded = slugify(names).replace("-", " ")
        assert not any(word in folded for word in FICTIONAL), entry.slug


def test_city_bodies_name_their_city(gazetteer):
    # A generic label ("Secretaría del Interior") would match another city's body.
    for entry in gazetteer:
        if entry.scope != "municipal":
            continue
        for name in entry.names:
            assert entry.jurisdiction in slugify(name), (entry.slug, name)


def test_slugs_follow_the_minting_scheme(gazetteer):
    """A curated body has the slug the extractor would mint for it, so adding a body
    to the gazetteer later does not change its IRI."""
    places = load_places(REFERENCE / "places.toml")
    for entry in gazetteer:
        if entry.jurisdiction is None:
            assert entry.slug == slugify(entry.label), entry.slug
            continue
        place = places.places.get(entry.jurisdiction)
        assert place is not None, f"{entry.slug}: unknown place {entry.jurisdiction}"
        if entry.institution_type == "municipal-government" and entry.scope == "municipal":
            assert entry.slug == f"{entry.jurisdiction}--municipal-government"
            continue
        key = name_key(
            entry.label,
            place_names=list(place.labels.values()),
            language=entry.label_language,
        )
        assert entry.slug == mint_slug(key, entry.jurisdiction), entry.slug


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "institutions.toml"
    path.write_text(body, encoding="utf-8")
    return path


ENTRY = """
[[institution]]
slug = "{slug}"
label = "{label}"
label_language = "en"
type = "{type}"
{extra}
"""


def entry(slug="a", label="Alpha Agency", type="national-body", extra=""):
    return ENTRY.format(slug=slug, label=label, type=type, extra=extra)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (entry() + entry(label="Beta Agency"), "duplicate slug"),
        (entry(type="agency"), "unknown institution type 'agency'"),
        (entry(extra='parent = "nowhere"'), "parent 'nowhere' is not in the gazetteer"),
        (
            entry(slug="a", extra='parent = "b"')
            + entry(slug="b", label="B", extra='parent = "a"'),
            "parent cycle",
        ),
        (entry(extra='parent = "a"'), "parent cycle"),
        (entry(slug="Not A Slug"), "slug must be"),
        (entry(extra='scope = "galactic"'), "scope must be one of"),
        (entry() + entry(slug="b"), "also names 'a'"),
        (entry(extra="needs_country = true"), "needs_country without a country"),
        ('[[institution]]\nslug = "x"\nlabel_language = "en"\ntype = "ngo"\n', "missing 'label'"),
        ("this is = not toml [", "cannot read gazetteer"),
    ],
)
def test_invalid_gazetteers_name_file_and_entry(tmp_path, body, message):
    path = _write(tmp_path, body)
    with pytest.raises(ReferenceDataError) as info:
        load_gazetteer(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_country_bound_names_may_repeat(tmp_path):
    body = entry(
        slug="colombia--defensoria",
        label="Defensoría del Pueblo",
        type="oversight-body",
        extra='jurisdiction = "colombia"\nscope = "national"\nneeds_country = true',
    ) + entry(
        slug="peru--defensoria",
        label="Defensoría del Pueblo",
        type="oversight-body",
        extra='jurisdiction = "peru"\nscope = "national"\nneeds_country = true',
    )
    gazetteer = load_gazetteer(_write(tmp_path, body))
    assert [e.country for e in gazetteer] == ["colombia", "peru"]


def test_rule_tables_load_and_reject_unknown_types(tmp_path):
    rules = load_rules(REFERENCE / "extraction.toml")
    assert set(rules.languages) >= {"es", "en", "fr", "pt"}
    bad = (
        (REFERENCE / "extraction.toml")
        .read_text(encoding="utf-8")
        .replace('ministry = ["Ministerio", "Viceministerio"]', 'ministerio = ["Ministerio"]')
    )
    path = tmp_path / "extraction.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="unknown institution type 'ministerio'"):
        load_rules(path)
