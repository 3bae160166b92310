"""A dataset in the project vocabulary, made from the gold annotations of the profiles.

Used by the endpoint tests until `kb build` runs end to end, and by the benchmark
to make larger datasets: `copies` repeats every gold profile under new place and
institution slugs, so query costs grow as they would with more cities.

    python bench/synthetic.py --copies 100 --out /tmp/mgi-100.nq
    python bench/synthetic.py --copies 1 --store /tmp/kb-synth   # a published StoreLayout
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "profiles" / "gold"
ONTOLOGY = ROOT / "ontology" / "mgi.ttl"

BASE = "https://w3id.org/mgi/"
MGI = "https://w3id.org/mgi/def#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

DOMAINS = {
    1: "MigrantsRights",
    2: "WholeOfGovernment",
    3: "Partnerships",
    4: "MigrantWellbeing",
    5: "MobilityDimensionsOfCrises",
    6: "SafeOrderlyRegularMigration",
}
ASSESSMENTS = {"well-developed": "WellDeveloped", "potential": "PotentialForDevelopment"}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _concept(code: str) -> ox.NamedNode:
    # The ontology's rule: split the code at hyphens, capitalise, join.
    return _n(MGI + "".join(part.capitalize() for part in code.split("-")))


def _lit(value: str, lang: str | None = None, dtype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    if dtype:
        return ox.Literal(value, datatype=_n(XSD + dtype))
    return ox.Literal(value)


def _slug(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def profile_quads(gold: dict, suffix: str = "") -> Iterator[ox.Quad]:
    """One gold profile as quads of its named graph (plus reference-graph quads)."""
    p = gold["profile"]
    place = p["place"]
    slug = p["slug"] + suffix
    graph = _n(f"{BASE}id/profile/{slug}")
    reference = _n(f"{BASE}graph/reference")
    profile = graph
    city = _n(f"{BASE}id/place/{place['slug']}{suffix}")
    country = _n(f"{BASE}id/place/{_slug(place['country'])}")
    city_name = place["name"] + (f" {suffix.strip('-')}" if suffix else "")

    def q(s: ox.NamedNode, pred: str, o: ox.NamedNode | ox.Literal, g: ox.NamedNode = graph):
        return ox.Quad(s, _n(pred), o, g)

    yield ox.Quad(city, RDF_TYPE, _n(SCHEMA + "City"), reference)
    yield q(city, RDFS + "label", _lit(city_name, "es"), reference)
    yield q(city, SCHEMA + "containedInPlace", country, reference)
    yield ox.Quad(country, RDF_TYPE, _n(SCHEMA + "Country"), reference)
    yield q(country, RDFS + "label", _lit(place["country"], "es"), reference)

    yield ox.Quad(profile, RDF_TYPE, _n(MGI + "Profile"), graph)
    kind = "LocalProfile" if p["level"] == "local" else "NationalProfile"
    yield ox.Quad(profile, RDF_TYPE, _n(MGI + kind), graph)
    yield q(profile, DCT + "title", _lit(p["title"] + (f" ({suffix})" if suffix else ""), "es"))
    yield q(profile, RDFS + "label", _lit(f"MGI profile {city_name} {p['date'][:4]}", "en"))
    yield q(profile, DCT + "issued", _lit(p["date"], dtype="gYearMonth"))
    yield q(profile, DCT + "language", _lit(p["findings_language"], dtype="language"))
    yield q(profile, MGI + "assessedPlace", city)

    institutions = {i["key"]: i for i in gold["institutions"]}
    instruments = {i["key"]: i for i in gold["instruments"]}
    for key, inst in institutions.items():
        org = _n(f"{BASE}id/org/{key}{suffix}")
        yield ox.Quad(org, RDF_TYPE, _n(ORG + "Organization"), reference)
        yield q(org, SKOS + "prefLabel", _lit(inst["name"], "es"), reference)
        yield q(org, RDFS + "label", _lit(inst["name"], "es"), reference)
        if inst.get("acronym"):
            yield q(org, SKOS + "altLabel", _lit(inst["acronym"], "es"), reference)
        yield q(org, ORG + "classification", _concept(inst["type"]), reference)
    for key, instr in instruments.items():
        node = _n(f"{BASE}id/instrument/{key}{suffix}")
        yield ox.Quad(node, RDF_TYPE, _n(MGI + "PolicyInstrument"), graph)
        yield q(node, DCT + "title", _lit(instr["title"], "es"))
        yield q(node, RDFS + "label", _lit(instr["title"], "es"))
        yield q(node, MGI + "instrumentType", _concept(instr["type"]))
        years = instr.get("years") or []
        if len(years) == 1:
            yield q(node, DCT + "issued", _lit(str(years[0]), dtype="gYear"))
        elif len(years) > 1:
            yield q(node, SCHEMA + "temporalCoverage", _lit(f"{min(years)}/{max(years)}"))

    for finding in gold["findings"]:
        n = finding["n"]
        node = _n(f"{BASE}id/finding/{slug}/{n}")
        text = finding["text"]
        yield ox.Quad(node, RDF_TYPE, _n(MGI + "Finding"), graph)
        yield q(profile, MGI + "hasFinding", node)
        yield q(node, MGI + "profile", profile)
        yield q(node, RDFS + "label", _lit(f"{city_name} finding {n}", "en"))
        yield q(node, MGI + "domain", _n(MGI + DOMAINS[finding["domain"]]))
        yield q(node, MGI + "assessment", _n(MGI + ASSESSMENTS[finding["assessment"]]))
        yield q(node, MGI + "position", _lit(str(finding["position"]), dtype="integer"))
        yield q(node, MGI + "text", _lit(text, "es"))
        mentions = finding["mentions"]
        k = 0
        targets = [
            (_n(f"{BASE}id/org/{m['key']}{suffix}"), m["surface_forms"])
            for m in mentions["institutions"]
        ] + [
            (_n(f"{BASE}id/instrument/{m['key']}{suffix}"), m["surface_forms"])
            for m in mentions["instruments"]
        ]
        for target, forms in targets:
            yield q(node, MGI + "mentions", target)
            for form in forms:
                start = text.find(form)
                if start < 0:
                    continue
                k += 1
                mention = _n(f"{BASE}id/finding/{slug}/{n}#mention-{k}")
                yield ox.Quad(mention, RDF_TYPE, _n(MGI + "Mention"), graph)
                yield q(node, MGI + "hasMention", mention)
                yield q(mention, MGI + "refersTo", target)
                yield q(mention, MGI + "surfaceForm", _lit(form))
                yield q(mention, MGI + "start", _lit(str(start), dtype="integer"))
                yield q(mention, MGI + "end", _lit(str(start + len(form)), dtype="integer"))
        for year in mentions["years"]:
            yield q(node, MGI + "refersToYear", _lit(str(year["year"]), dtype="gYear"))


def ontology_quads() -> Iterator[ox.Quad]:
    graph = _n("https://w3id.org/mgi/def")
    for triple in ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)


def dataset(copies: int = 1) -> ox.Dataset:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    data = ox.Dataset(ontology_quads())
    for i in range(copies):
        suffix = "" if i == 0 else f"-c{i}"
        for gold in golds:
            for quad in profile_quads(gold, suffix):
                data.add(quad)
    return data


def write_nquads(path: Path, copies: int = 1) -> int:
    data = dataset(copies)
    path.write_bytes(ox.serialize(data, format=ox.RdfFormat.N_QUADS) or b"")
    return len(data)


def publish_store(root: Path, copies: int = 1) -> Path:
    """Write the dataset as a published build of a `StoreLayout` (as `kb build` does)."""
    from kb.store import StoreLayout, write_store
    from kb.store.layout import DATASET_FILE, STORE_DIR

    layout = StoreLayout(root)
    build_dir = layout.new_build_dir()
    dataset_path = build_dir / DATASET_FILE
    write_nquads(dataset_path, copies)
    write_store(build_dir / STORE_DIR, dataset_path)
    layout.publish(build_dir)
    return build_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--out", type=Path, help="N-Quads file to write")
    parser.add_argument("--store", type=Path, help="StoreLayout root to publish a build into")
    args = parser.parse_args()
    if args.out:
        print(f"{write_nquads(args.out, args.copies)} quads -> {args.out}")
    if args.store:
        print(f"published {publish_store(args.store, args.copies)}")


if __name__ == "__main__":
    main()
