"""Build-time aggregates: the counts analytic pages need, computed once per build.

Over every profile, counting findings per domain and assessment, ranking
institutions or counting co-mentions takes about a second per question at
1,000 profiles (PERFORMANCE-NOTES.md) and more with every profile added; the
data change only on a rebuild. So `kb build` counts them once, after the
store is written, into one named graph, `{base}graph/statistics`:

    <…graph/statistics#profile/{slug}/{domain}/{assessment}>
        a mgi:FindingCount ; mgi:countedProfile <profile> ;
        mgi:countedDomain <domain> ; mgi:countedAssessment <assessment> ;
        mgi:findingCount 4 .
    <…graph/statistics#org/{slug}/{domain}/{assessment}>
        a mgi:FindingCount ; mgi:countedInstitution <org> ;
        mgi:countedDomain <domain> ; mgi:countedAssessment <assessment> ;
        mgi:findingCount 2 .
    <org> mgi:findingCount 7 ; mgi:profileCount 3 ; mgi:domainCount 4 .
    <…graph/statistics#co/{slug-a}/{slug-b}>
        a mgi:CoMention ; mgi:countedInstitution <org-a>, <org-b> ;
        mgi:findingCount 3 .

The graph is written as canonical N-Quads to `statistics.nq` in the build
directory (memory workers load it beside `dataset.nq`) and added to the
disk store. It is derived from validated data, so it is not validated
again and not part of `dataset.nq` (whose bytes stay those of the input).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kb.errors import StoreError
from kb.namespaces import MGI
from kb.store.layout import STATISTICS_NQ, STORE_DIR

STATISTICS_GRAPH = "graph/statistics"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_MGI = str(MGI)

PREFIXES = (
    f"PREFIX mgi: <{_MGI}> PREFIX org: <http://www.w3.org/ns/org#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)
QUERIES = {
    "profile_cells": PREFIXES
    + """SELECT ?profile ?domain ?assessment (COUNT(?f) AS ?n) WHERE {
  ?f a mgi:Finding ; mgi:profile ?profile ; mgi:domain ?domain ; mgi:assessment ?assessment .
} GROUP BY ?profile ?domain ?assessment""",
    "institution_cells": PREFIXES
    + """SELECT ?org ?domain ?assessment (COUNT(DISTINCT ?f) AS ?n) WHERE {
  ?f mgi:mentions ?org ; mgi:domain ?domain ; mgi:assessment ?assessment .
  ?org a org:Organization .
} GROUP BY ?org ?domain ?assessment""",
    "institutions": PREFIXES
    + """SELECT ?org (COUNT(DISTINCT ?f) AS ?findings) (COUNT(DISTINCT ?p) AS ?profiles)
       (COUNT(DISTINCT ?d) AS ?domains) WHERE {
  ?f mgi:mentions ?org ; mgi:profile ?p ; mgi:domain ?d .
  ?org a org:Organization .
} GROUP BY ?org""",
    "co_mentions": PREFIXES
    + """SELECT ?a ?b (COUNT(DISTINCT ?f) AS ?n) WHERE {
  ?f mgi:mentions ?a , ?b .
  ?a a org:Organization . ?b a org:Organization .
  FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b""",
    "notations": PREFIXES + "SELECT ?c ?notation WHERE { ?c skos:notation ?notation }",
}


def _local(iri: str, base: str) -> str:
    """The part of a data IRI after `{base}id/{kind}/` (a slug path), for readable IRIs."""
    rest = iri.removeprefix(base + "id/")
    return rest.split("/", 1)[1] if "/" in rest else rest


def statistics_quads(store: ox.Store, base: str) -> Iterator[ox.Quad]:
    """Every aggregate of the module docstring, from a store of one build, as they come."""
    graph = ox.NamedNode(base + STATISTICS_GRAPH)
    here = base + STATISTICS_GRAPH + "#"

    def rows(name: str) -> Iterator[ox.QuerySolution]:
        return iter(store.query(QUERIES[name], use_default_graph_as_union=True))

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(s, ox.NamedNode(_MGI + p), o, graph)

    def count(n: ox.Literal | ox.NamedNode | ox.BlankNode | ox.Triple | None) -> ox.Literal:
        assert isinstance(n, ox.Literal)
        return ox.Literal(n.value, datatype=XSD_INTEGER)

    notation = {
        row["c"].value: row["notation"].value
        for row in rows("notations")
        if isinstance(row["c"], ox.NamedNode)
    }

    def code(concept: ox.NamedNode) -> str:
        return notation.get(concept.value) or concept.value.rsplit("#", 1)[-1]

    for kind, subject_var, prop in (
        ("profile", "profile", "countedProfile"),
        ("org", "org", "countedInstitution"),
    ):
        query = "profile_cells" if kind == "profile" else "institution_cells"
        for row in rows(query):
            subject, domain, assessment = row[subject_var], row["domain"], row["assessment"]
            if not all(isinstance(t, ox.NamedNode) for t in (subject, domain, assessment)):
                continue
            cell = ox.NamedNode(
                f"{here}{kind}/{_local(subject.value, base)}/{code(domain)}/{code(assessment)}"
            )
            yield ox.Quad(cell, RDF_TYPE, ox.NamedNode(_MGI + "FindingCount"), graph)
            yield add(cell, prop, subject)
            yield add(cell, "countedDomain", domain)
            yield add(cell, "countedAssessment", assessment)
            yield add(cell, "findingCount", count(row["n"]))
    for row in rows("institutions"):
        org = row["org"]
        if isinstance(org, ox.NamedNode):
            yield add(org, "findingCount", count(row["findings"]))
            yield add(org, "profileCount", count(row["profiles"]))
            yield add(org, "domainCount", count(row["domains"]))
    for row in rows("co_mentions"):
        a, b = row["a"], row["b"]
        if isinstance(a, ox.NamedNode) and isinstance(b, ox.NamedNode):
            pair = ox.NamedNode(f"{here}co/{_local(a.value, base)}/{_local(b.value, base)}")
            yield ox.Quad(pair, RDF_TYPE, ox.NamedNode(_MGI + "CoMention"), graph)
            yield add(pair, "countedInstitution", a)
            yield add(pair, "countedInstitution", b)
            yield add(pair, "findingCount", count(row["n"]))


def write_statistics(build_dir: Path, base: str) -> int:
    """Count the aggregates of a written build into `statistics.nq` and its disk store.

    Returns the number of quads added. Lines are sorted: same data, same bytes.
    The quads are serialised as the queries yield them, so only the lines are
    held while sorting, not also every quad object and a set of the lines.
    """
    try:
        store = ox.Store(str(build_dir / STORE_DIR))
        lines: list[bytes] = []
        quads = statistics_quads(store, base)
        while batch := list(islice(quads, 100_000)):
            lines += (ox.serialize(batch, format=ox.RdfFormat.N_QUADS) or b"").splitlines(
                keepends=True
            )
        del quads
        lines.sort()
        path = build_dir / STATISTICS_NQ
        written = 0
        with path.open("wb") as out:
            previous = None
            for line in lines:
                if line != previous:
                    out.write(line)
                    written += 1
                previous = line
        del lines
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store  # closes RocksDB before readers open it
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write the statistics of {build_dir}: {exc}") from exc
    return written


def derived_graph(base: str) -> ox.NamedNode:
    """The graph of build-time aggregates under `base`, which documents leave out."""
    return ox.NamedNode(base + STATISTICS_GRAPH)
