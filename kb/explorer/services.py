"""From a request's parameters to the models of `models.py`: queries, then shaping.

Each function runs a fixed number of queries (bound constants of
`queries.py`) through the `QueryRunner`, independent ones at once, and turns
the rows into models. Nothing here is a second copy of the data: every
number and label comes from an answer of the store.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kb.errors import ProtocolError, ResourceNotFoundError
from kb.explorer import queries
from kb.explorer.models import (
    Cell,
    CoMention,
    Concept,
    Edge,
    Finding,
    FindingDetail,
    HomeStats,
    InstitutionAbout,
    InstitutionDetail,
    InstitutionHit,
    InstitutionRow,
    Instrument,
    Mention,
    Page,
    PlaceHit,
    Ref,
    SearchResults,
    Totals,
)
from kb.explorer.places import PlaceViews
from kb.explorer.rows import (
    WELL_DEVELOPED,
    int_of,
    text_of,
)
from kb.explorer.runner import QueryRunner, Row, Value
from kb.explorer.text import is_slug, search_pattern, split_finding_id
from kb.linkeddata.i18n import pick
from kb.namespaces import MGI
from kb.publication.statistics import STATISTICS_GRAPH
from kb.sparql.binding import literal

POTENTIAL = str(MGI.PotentialForDevelopment)
SCHEMES = {
    "domains": str(MGI.Domains),
    "assessments": str(MGI.Assessments),
    "institution_types": str(MGI.InstitutionTypes),
    "instrument_types": str(MGI.InstrumentTypes),
}
MAX_PAGE = 200
# Deepest item a page may start at: far past any real list, short of what the
# engine's LIMIT/OFFSET integers can take.
MAX_OFFSET = 10_000_000
NETWORK_NODES = 14
CO_MENTIONS_SHOWN = 30
INSTRUMENTS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Concepts of the ontology's schemes with their labels in every language."""

    concepts: dict[str, tuple[str, str, dict[str, str]]]
    """IRI -> (scheme, notation, {lang: label})."""

    def concept(self, iri: str, lang: str) -> Concept:
        _, notation, labels = self.concepts.get(iri, ("", "", {}))
        label = pick(labels, lang) or iri.rsplit("#", 1)[-1]
        return Concept(iri=iri, code=notation or iri.rsplit("#", 1)[-1], label=label)

    def scheme(self, name: str, lang: str) -> list[Concept]:
        iri = SCHEMES[name]
        members = [c for c, (s, _, _) in self.concepts.items() if s == iri]
        concepts = [self.concept(c, lang) for c in members]
        if name == "domains":
            return sorted(concepts, key=lambda c: c.code)
        if name == "assessments":  # well-developed first, as the profiles list them
            return sorted(concepts, key=lambda c: c.iri != WELL_DEVELOPED)
        return sorted(concepts, key=lambda c: c.label.lower())

    def by_code(self, name: str, code: str) -> str | None:
        iri = SCHEMES[name]
        for concept, (scheme, notation, _) in self.concepts.items():
            if scheme == iri and notation == code:
                return concept
        return None


class Explorer(PlaceViews):
    """The explorer's read operations over one dataset (base IRI, query runner)."""

    def __init__(self, runner: QueryRunner, base_iri: str) -> None:
        self.runner = runner
        self.base = base_iri

    # --- identifiers ----------------------------------------------------------------------
    def iri(self, kind: str, ident: str) -> ox.NamedNode:
        """`org`, `bucaramanga--personeria` -> the IRI; 404 for anything not a slug."""
        if not is_slug(ident):
            raise ResourceNotFoundError(f"no {kind} with the id {ident!r}")
        return ox.NamedNode(f"{self.base}id/{kind}/{ident}")

    def ident(self, iri: str | None, kind: str) -> str | None:
        prefix = f"{self.base}id/{kind}/"
        if iri and iri.startswith(prefix) and "#" not in iri:
            return iri[len(prefix) :]
        return None

    def ref(self, iri: str | None, kind: str, label: str | None = None) -> Ref | None:
        return Ref(iri=iri, id=self.ident(iri, kind), label=label) if iri else None

    # --- build-time statistics ------------------------------------------------------------
    @property
    def statistics_graph(self) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}{STATISTICS_GRAPH}")

    async def has_statistics(self) -> bool:
        """Whether the build's statistics graph (kb.publication.statistics) is in the store.

        One small query, answered from the runner's cache for the rest of the
        dataset version; without the graph, counts are aggregated over the findings.
        """
        answer = await self.runner.select(
            queries.STATISTICS_PRESENT.bind(statistics=self.statistics_graph)
        )
        return bool(answer.rows)

    # --- vocabulary -----------------------------------------------------------------------
    async def vocabulary(self) -> Vocabulary:
        answer = await self.runner.select(queries.VOCABULARY.bind())
        concepts: dict[str, tuple[str, str, dict[str, str]]] = {}
        for row in answer.rows:
            iri = text_of(row, "concept") or ""
            labels = concepts.setdefault(
                iri, (text_of(row, "scheme") or "", text_of(row, "notation") or "", {})
            )[2]
            label = row.get("label")
            if label is not None:
                labels[label.lang] = label.value
        return Vocabulary(concepts)

    def _code(self, vocab: Vocabulary, scheme: str, code: str | None) -> ox.NamedNode | None:
        """A filter value given by code (`3`, `well-developed`, `oversight-body`)."""
        if not code:
            return None
        iri = vocab.by_code(scheme, code)
        if iri is None:
            raise ProtocolError(f"unknown {scheme.replace('_', ' ')[:-1]} code {code!r}")
        return ox.NamedNode(iri)

    # --- home and search ------------------------------------------------------------------
    async def home(self, service: Any) -> tuple[HomeStats, str]:
        query = queries.HOME_COUNTS.bind()
        answer = await self.runner.select(query)
        counts = {text_of(r, "what"): int_of(r, "n") for r in answer.rows}
        stats = getattr(service, "stats", None)
        dataset = getattr(service, "dataset", None)
        home = HomeStats(
            profiles=counts.get("profiles", 0),
            places=counts.get("places", 0),
            institutions=counts.get("institutions", 0),
            findings=counts.get("findings", 0),
            instruments=counts.get("instruments", 0),
            triples=stats.triples if stats is not None else None,
            dataset_version=dataset.version if dataset is not None else None,
            last_build=dataset.modified.isoformat(timespec="seconds") if dataset else None,
        )
        return home, query

    async def search(self, q: str, *, lang: str, limit: int = 20, offset: int = 0) -> SearchResults:
        pattern = search_pattern(q)
        if pattern is None:
            raise ProtocolError("type at least two letters to search")
        term = literal(pattern)
        if await self.has_statistics():
            institutions = queries.SEARCH_INSTITUTIONS_STATS.bind(
                pattern=term, limit=20, statistics=self.statistics_graph
            )
        else:
            institutions = queries.SEARCH_INSTITUTIONS.bind(pattern=term, limit=20)
        texts = {
            "institutions": institutions,
            "places": queries.SEARCH_PLACES.bind(pattern=term, limit=20),
            "findings": queries.SEARCH_FINDINGS.bind(pattern=term, limit=limit, offset=offset),
            "findings_total": queries.SEARCH_FINDINGS_COUNT.bind(pattern=term),
        }
        vocab, *answers = await self._with_vocabulary(*texts.values())
        orgs, places, findings, total = answers
        return SearchResults(
            q=q,
            institutions=[
                InstitutionHit(
                    institution=self._ref_required(r, "org", "org", "label"),
                    matched=text_of(r, "matched") or "",
                    jurisdiction=text_of(r, "jurisdiction"),
                    findings=int_of(r, "findings"),
                )
                for r in orgs.rows
            ],
            places=[
                PlaceHit(
                    place=self._ref_required(r, "place", "place", "label"),
                    profiles=int_of(r, "profiles"),
                )
                for r in places.rows
            ],
            findings=Page[Finding](
                total=total.count(),
                limit=limit,
                offset=offset,
                items=[self._finding(r, vocab, lang) for r in findings.rows],
            ),
            sparql=texts,
        )

    async def _with_vocabulary(self, *texts: str) -> list[Any]:
        vocab, *answers = await _gather(self.vocabulary(), *(self.runner.select(t) for t in texts))
        return [vocab, *answers]

    def _ref_required(self, row: Row, var: str, kind: str, label: str) -> Ref:
        iri = text_of(row, var) or ""
        return Ref(iri=iri, id=self.ident(iri, kind), label=text_of(row, label))

    def _finding(self, row: Row, vocab: Vocabulary, lang: str) -> Finding:
        iri = text_of(row, "finding") or ""
        text = row.get("text") or Value("literal", "")
        spans = []
        for pair in (text_of(row, "spans") or "").split():
            start, _, end = pair.partition(":")
            if start.isdigit() and end.isdigit():
                spans.append((int(start), int(end)))
        return Finding(
            iri=iri,
            id=self.ident(iri, "finding") or iri,
            text=text.value,
            lang=text.lang,
            domain=vocab.concept(text_of(row, "domain") or "", lang),
            assessment=vocab.concept(text_of(row, "assessment") or "", lang),
            position=int_of(row, "position"),
            profile=self._ref_required(row, "profile", "profile", "profileLabel"),
            place=self.ref(text_of(row, "place"), "place", text_of(row, "placeLabel")),
            issued=text_of(row, "issued"),
            spans=sorted(spans),
        )

    # --- institutions index ---------------------------------------------------------------
    async def institutions(
        self,
        *,
        lang: str,
        type_code: str | None = None,
        place: str | None = None,
        domain_code: str | None = None,
        sort: str = "findings",
        descending: bool = True,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[Page[InstitutionRow], dict[str, str]]:
        if sort not in queries.INSTITUTION_ORDER:
            raise ProtocolError(
                f"cannot sort by {sort!r}; one of {sorted(queries.INSTITUTION_ORDER)}"
            )
        vocab = await self.vocabulary()
        type_iri = self._code(vocab, "institution_types", type_code)
        domain_iri = self._code(vocab, "domains", domain_code)
        order = queries.INSTITUTION_ORDER[sort][1 if descending else 0]
        common: dict[str, Any] = {"type": type_iri}
        page = {"lang": literal(lang), "order": order, "limit": limit, "offset": offset}
        if place or domain_iri:
            filters = {
                "place": self.iri("place", place) if place else None,
                "domain": domain_iri,
                **common,
            }
            texts = {
                "institutions": queries.INSTITUTIONS_FILTERED.bind(**filters, **page),
                "total": queries.INSTITUTIONS_FILTERED_COUNT.bind(**filters),
            }
        elif await self.has_statistics():
            texts = {
                "institutions": await self._index_page_stats(sort, descending, common, page),
                "total": queries.INSTITUTIONS_ALL_COUNT.bind(**common),
            }
        else:
            texts = {
                "institutions": queries.INSTITUTIONS_ALL.bind(**common, **page),
                "total": queries.INSTITUTIONS_ALL_COUNT.bind(**common),
            }
        rows, total = await self.runner.select_many(texts["institutions"], texts["total"])
        items = [
            InstitutionRow(
                iri=text_of(r, "org") or "",
                id=self.ident(text_of(r, "org"), "org"),
                label=text_of(r, "label"),
                type=vocab.concept(text_of(r, "type") or "", lang) if r.get("type") else None,
                jurisdiction=self.ref(
                    text_of(r, "jurisdiction"), "place", text_of(r, "jurisdictionLabel")
                ),
                findings=int_of(r, "findings"),
                profiles=int_of(r, "profiles"),
                domains=int_of(r, "domains"),
            )
            for r in rows.rows
        ]
        return Page[InstitutionRow](
            total=total.count(), limit=limit, offset=offset, items=items
        ), texts

    async def _index_page_stats(
        self, sort: str, descending: bool, common: dict[str, Any], page: dict[str, Any]
    ) -> str:
        """The index query over the statistics graph that chooses its page first.

        Sorts by type or jurisdiction label every row before the page is known;
        by name or by count the page's rows are chosen, then labelled; by count,
        largest first, among the institutions counted at least as much as the
        page's last row (found by a small query on the statistics graph).
        """
        statistics = self.statistics_graph
        if sort in queries.INSTITUTION_COUNT_PROPERTY and descending:
            count = queries.INSTITUTION_COUNT_PROPERTY[sort]
            rows = page["offset"] + page["limit"]
            floor = await self.runner.select(
                queries.INSTITUTIONS_TOP_FLOOR.bind(
                    **common, statistics=statistics, count=count, rows=rows
                )
            )
            lowest = int_of(floor.first(), "lowest")
            if int_of(floor.first(), "ranked") >= rows and lowest > 0:
                return queries.INSTITUTIONS_TOP_STATS.bind(
                    **common, **page, statistics=statistics, count=count, floor=lowest
                )
        if sort == "name" or sort in queries.INSTITUTION_COUNT_PROPERTY:
            return queries.INSTITUTIONS_PAGE_STATS.bind(**common, **page, statistics=statistics)
        return queries.INSTITUTIONS_ALL_STATS.bind(**common, **page, statistics=statistics)

    # --- one institution ------------------------------------------------------------------
    async def institution(
        self,
        ident: str,
        *,
        lang: str,
        domain_code: str | None = None,
        assessment_code: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> InstitutionDetail:
        org = self.iri("org", ident)
        vocab = await self.vocabulary()
        domain = self._code(vocab, "domains", domain_code)
        assessment = self._code(vocab, "assessments", assessment_code)
        texts = {
            "about": queries.INSTITUTION_ABOUT.bind(org=org),
            "totals": queries.INSTITUTION_TOTALS.bind(org=org),
            "chart": queries.INSTITUTION_CHART.bind(org=org),
            "findings": queries.INSTITUTION_FINDINGS.bind(
                org=org, domain=domain, assessment=assessment, limit=limit, offset=offset
            ),
            "findings_total": queries.INSTITUTION_FINDINGS_COUNT.bind(
                org=org, domain=domain, assessment=assessment
            ),
            "instruments": queries.INSTITUTION_INSTRUMENTS.bind(org=org, limit=INSTRUMENTS_SHOWN),
            "co_mentions": queries.INSTITUTION_COMENTIONS.bind(org=org, limit=CO_MENTIONS_SHOWN),
            "co_mentions_total": queries.INSTITUTION_COMENTION_COUNT.bind(org=org),
        }
        if await self.has_statistics():
            statistics = self.statistics_graph
            texts["co_mentions"] = queries.INSTITUTION_COMENTIONS_STATS.bind(
                org=org, limit=CO_MENTIONS_SHOWN, statistics=statistics
            )
            texts["co_mentions_total"] = queries.INSTITUTION_COMENTION_COUNT_STATS.bind(
                org=org, statistics=statistics
            )
        answers = dict(zip(texts, await self.runner.select_many(*texts.values()), strict=True))
        about = self._about(org.value, ident, answers["about"].rows, vocab, lang)
        top = answers["co_mentions"].rows[:NETWORK_NODES]
        edges: list[Edge] = []
        if len(top) > 1:
            nodes = [ox.NamedNode(text_of(r, "other") or "") for r in top]
            texts["network"] = queries.INSTITUTION_NETWORK_EDGES.bind(org=org, nodes=nodes)
            network = await self.runner.select(texts["network"])
            edges = [
                Edge(
                    a=text_of(r, "a") or "",
                    b=text_of(r, "b") or "",
                    shared_findings=int_of(r, "shared"),
                )
                for r in network.rows
            ]
        totals_row = answers["totals"].first()
        return InstitutionDetail(
            about=about,
            totals=Totals(
                findings=int_of(totals_row, "findings"),
                profiles=int_of(totals_row, "profiles"),
                places=int_of(totals_row, "places"),
                domains=int_of(totals_row, "domains"),
            ),
            chart=self._cells(answers["chart"].rows, vocab, lang),
            findings=Page[Finding](
                total=answers["findings_total"].count(),
                limit=limit,
                offset=offset,
                items=[self._finding(r, vocab, lang) for r in answers["findings"].rows],
            ),
            instruments=[
                Instrument(
                    iri=text_of(r, "instrument") or "",
                    title=text_of(r, "title"),
                    type=vocab.concept(text_of(r, "type") or "", lang) if r.get("type") else None,
                    issued=text_of(r, "issued"),
                    shared_findings=int_of(r, "shared"),
                    issued_by_this=bool(r.get("creator") and r["creator"].as_bool()),
                )
                for r in answers["instruments"].rows
            ],
            co_mentions=Page[CoMention](
                total=answers["co_mentions_total"].count(),
                limit=CO_MENTIONS_SHOWN,
                offset=0,
                items=[
                    CoMention(
                        institution=self._ref_required(r, "other", "org", "label"),
                        shared_findings=int_of(r, "shared"),
                    )
                    for r in answers["co_mentions"].rows
                ],
            ),
            network_edges=edges,
            sparql=texts,
        )

    def _about(
        self, iri: str, ident: str, rows: list[Row], vocab: Vocabulary, lang: str
    ) -> InstitutionAbout:
        fields: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            fields[text_of(row, "field") or ""].append(row)
        if not fields.get("type"):
            raise ResourceNotFoundError(f"no institution with the id {ident!r}")

        def labelled(name: str, kind: str) -> list[Ref]:
            by_iri: dict[str, dict[str, str]] = {}
            for row in fields.get(name, []):
                labels = by_iri.setdefault(text_of(row, "value") or "", {})
                label = row.get("valueLabel")
                if label is not None:
                    labels[label.lang] = label.value
            refs = [
                Ref(iri=i, id=self.ident(i, kind), label=pick(ls, lang)) for i, ls in by_iri.items()
            ]
            return sorted(refs, key=lambda r: (r.label or r.iri).lower())

        def texts(name: str) -> list[str]:
            return sorted({text_of(r, "value") or "" for r in fields.get(name, [])})

        types = labelled("classification", "")
        jurisdictions = labelled("jurisdiction", "place")
        labels = {r["value"].lang: r["value"].value for r in fields.get("label", [])}
        notes = {r["value"].lang: r["value"].value for r in fields.get("note", [])}
        curated = fields.get("curated")
        return InstitutionAbout(
            iri=iri,
            id=ident,
            label=pick(labels, lang) or ident,
            pref_labels=texts("prefLabel"),
            alt_labels=texts("altLabel"),
            type=vocab.concept(types[0].iri, lang) if types else None,
            parents=labelled("parent", "org"),
            children=labelled("child", "org"),
            jurisdiction=jurisdictions[0] if jurisdictions else None,
            note=pick(notes, lang),
            curated=curated[0]["value"].as_bool() if curated else None,
        )

    def _cells(self, rows: list[Row], vocab: Vocabulary, lang: str) -> list[Cell]:
        return [
            Cell(
                domain=vocab.concept(text_of(r, "domain") or "", lang),
                assessment=vocab.concept(text_of(r, "assessment") or "", lang),
                findings=int_of(r, "findings"),
                profiles=int_of(r, "profiles") if r.get("profiles") else None,
            )
            for r in rows
        ]

    # --- one finding ----------------------------------------------------------------------
    async def finding(self, ident: str, *, lang: str) -> FindingDetail:
        parts = split_finding_id(ident)
        if parts is None:
            raise ResourceNotFoundError(f"no finding with the id {ident!r}")
        finding = ox.NamedNode(f"{self.base}id/finding/{parts[0]}/{parts[1]}")
        texts = {
            "finding": queries.FINDING.bind(finding=finding),
            "mentions": queries.FINDING_MENTIONS.bind(finding=finding),
        }
        vocab, about, mentions = await self._with_vocabulary(*texts.values())
        if not about.rows:
            raise ResourceNotFoundError(f"no finding with the id {ident!r}")
        row = dict(about.first())
        row["finding"] = Value("uri", finding.value)
        items = []
        for m in mentions.rows:
            is_org = bool(m.get("isOrg") and m["isOrg"].as_bool())
            target_iri = text_of(m, "target") or ""
            mention = Mention(
                start=int_of(m, "start"),
                end=int_of(m, "end"),
                target=Ref(
                    iri=target_iri,
                    id=self.ident(target_iri, "org" if is_org else "instrument"),
                    label=text_of(m, "targetLabel"),
                ),
                kind="institution" if is_org else "instrument",
            )
            if mention not in items:
                items.append(mention)
        return FindingDetail(
            finding=self._finding(row, vocab, lang),
            years=sorted((text_of(row, "years") or "").split()),
            mentions=items,
            sparql=texts,
        )


async def _gather(*awaitables: Any) -> list[Any]:
    return list(await asyncio.gather(*awaitables))
