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
    CompareColumn,
    Comparison,
    Concept,
    Edge,
    Finding,
    FindingDetail,
    HomeStats,
    InstitutionAbout,
    InstitutionDetail,
    InstitutionHit,
    InstitutionInvolved,
    InstitutionRow,
    Instrument,
    Mention,
    Page,
    PlaceDetail,
    PlaceHit,
    PlaceRow,
    ProfileDetail,
    ProfileSummary,
    Ref,
    SearchResults,
    Totals,
)
from kb.explorer.runner import QueryRunner, Row, Value
from kb.explorer.sparql import Raw, literal
from kb.explorer.text import is_slug, search_pattern, split_finding_id
from kb.iris import MGI
from kb.linkeddata.i18n import pick
from kb.stats import STATISTICS_GRAPH

WELL_DEVELOPED = str(MGI.WellDeveloped)
POTENTIAL = str(MGI.PotentialForDevelopment)
SCHEMES = {
    "domains": str(MGI.Domains),
    "assessments": str(MGI.Assessments),
    "institution_types": str(MGI.InstitutionTypes),
    "instrument_types": str(MGI.InstrumentTypes),
}
MAX_PAGE = 200
NETWORK_NODES = 14
CO_MENTIONS_SHOWN = 30
INSTRUMENTS_SHOWN = 50
MAX_COMPARE = 8


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


def _s(row: Row, name: str) -> str | None:
    value = row.get(name)
    return value.value if value is not None else None


def _i(row: Row, name: str) -> int:
    value = row.get(name)
    return value.as_int() if value is not None else 0


def _f(row: Row, name: str) -> float | None:
    value = row.get(name)
    try:
        return value.as_float() if value is not None else None
    except ValueError:
        return None


class Explorer:
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
        """Whether the build's statistics graph (kb.stats) is in the store.

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
            iri = _s(row, "concept") or ""
            labels = concepts.setdefault(
                iri, (_s(row, "scheme") or "", _s(row, "notation") or "", {})
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
        counts = {_s(r, "what"): _i(r, "n") for r in answer.rows}
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
                    matched=_s(r, "matched") or "",
                    jurisdiction=_s(r, "jurisdiction"),
                    findings=_i(r, "findings"),
                )
                for r in orgs.rows
            ],
            places=[
                PlaceHit(
                    place=self._ref_required(r, "place", "place", "label"),
                    profiles=_i(r, "profiles"),
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
        iri = _s(row, var) or ""
        return Ref(iri=iri, id=self.ident(iri, kind), label=_s(row, label))

    def _finding(self, row: Row, vocab: Vocabulary, lang: str) -> Finding:
        iri = _s(row, "finding") or ""
        text = row.get("text") or Value("literal", "")
        spans = []
        for pair in (_s(row, "spans") or "").split():
            start, _, end = pair.partition(":")
            if start.isdigit() and end.isdigit():
                spans.append((int(start), int(end)))
        return Finding(
            iri=iri,
            id=self.ident(iri, "finding") or iri,
            text=text.value,
            lang=text.lang,
            domain=vocab.concept(_s(row, "domain") or "", lang),
            assessment=vocab.concept(_s(row, "assessment") or "", lang),
            position=_i(row, "position"),
            profile=self._ref_required(row, "profile", "profile", "profileLabel"),
            place=self.ref(_s(row, "place"), "place", _s(row, "placeLabel")),
            issued=_s(row, "issued"),
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
                iri=_s(r, "org") or "",
                id=self.ident(_s(r, "org"), "org"),
                label=_s(r, "label"),
                type=vocab.concept(_s(r, "type") or "", lang) if r.get("type") else None,
                jurisdiction=self.ref(_s(r, "jurisdiction"), "place", _s(r, "jurisdictionLabel")),
                findings=_i(r, "findings"),
                profiles=_i(r, "profiles"),
                domains=_i(r, "domains"),
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
            lowest = _i(floor.first(), "lowest")
            if _i(floor.first(), "ranked") >= rows and lowest > 0:
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
            nodes = [ox.NamedNode(_s(r, "other") or "") for r in top]
            texts["network"] = queries.INSTITUTION_NETWORK_EDGES.bind(org=org, nodes=nodes)
            network = await self.runner.select(texts["network"])
            edges = [
                Edge(a=_s(r, "a") or "", b=_s(r, "b") or "", shared_findings=_i(r, "shared"))
                for r in network.rows
            ]
        totals_row = answers["totals"].first()
        return InstitutionDetail(
            about=about,
            totals=Totals(
                findings=_i(totals_row, "findings"),
                profiles=_i(totals_row, "profiles"),
                places=_i(totals_row, "places"),
                domains=_i(totals_row, "domains"),
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
                    iri=_s(r, "instrument") or "",
                    title=_s(r, "title"),
                    type=vocab.concept(_s(r, "type") or "", lang) if r.get("type") else None,
                    issued=_s(r, "issued"),
                    shared_findings=_i(r, "shared"),
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
                        shared_findings=_i(r, "shared"),
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
            fields[_s(row, "field") or ""].append(row)
        if not fields.get("type"):
            raise ResourceNotFoundError(f"no institution with the id {ident!r}")

        def labelled(name: str, kind: str) -> list[Ref]:
            by_iri: dict[str, dict[str, str]] = {}
            for row in fields.get(name, []):
                labels = by_iri.setdefault(_s(row, "value") or "", {})
                label = row.get("valueLabel")
                if label is not None:
                    labels[label.lang] = label.value
            refs = [
                Ref(iri=i, id=self.ident(i, kind), label=pick(ls, lang)) for i, ls in by_iri.items()
            ]
            return sorted(refs, key=lambda r: (r.label or r.iri).lower())

        def texts(name: str) -> list[str]:
            return sorted({_s(r, "value") or "" for r in fields.get(name, [])})

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
                domain=vocab.concept(_s(r, "domain") or "", lang),
                assessment=vocab.concept(_s(r, "assessment") or "", lang),
                findings=_i(r, "findings"),
                profiles=_i(r, "profiles") if r.get("profiles") else None,
            )
            for r in rows
        ]

    # --- places, profiles, comparison -----------------------------------------------------
    async def places(
        self, *, sort: str = "name", descending: bool = False, limit: int = 50, offset: int = 0
    ) -> tuple[Page[PlaceRow], dict[str, str]]:
        if sort not in queries.PLACE_ORDER:
            raise ProtocolError(f"cannot sort by {sort!r}; one of {sorted(queries.PLACE_ORDER)}")
        order: Raw = queries.PLACE_ORDER[sort][1 if descending else 0]
        texts = {
            "places": queries.PLACES.bind(order=order, limit=limit, offset=offset),
            "total": queries.PLACES_COUNT.bind(),
        }
        rows, total = await self.runner.select_many(*texts.values())
        items = [
            PlaceRow(
                iri=_s(r, "place") or "",
                id=self.ident(_s(r, "place"), "place"),
                label=_s(r, "label"),
                kind=(_s(r, "kind") or "").rsplit("/", 1)[-1] or None,
                country=self.ref(_s(r, "country"), "place", _s(r, "countryLabel")),
                latitude=_f(r, "latitude"),
                longitude=_f(r, "longitude"),
                profiles=_i(r, "profiles"),
                findings=_i(r, "findings"),
            )
            for r in rows.rows
        ]
        return Page[PlaceRow](total=total.count(), limit=limit, offset=offset, items=items), texts

    async def place(self, ident: str, *, lang: str) -> PlaceDetail:
        place = self.iri("place", ident)
        texts = {
            "about": queries.PLACE_ABOUT.bind(place=place),
            "profiles": queries.PLACE_PROFILES.bind(place=place),
        }
        about, profiles = await self.runner.select_many(*texts.values())
        fields: dict[str, list[Row]] = defaultdict(list)
        for row in about.rows:
            fields[_s(row, "field") or ""].append(row)
        if not fields.get("kind") and not profiles.rows:
            raise ResourceNotFoundError(f"no place with the id {ident!r}")
        names = {r["value"].lang: r["value"].value for r in fields.get("name", [])}
        labels = {r["value"].lang: r["value"].value for r in fields.get("label", [])}
        kinds = [(_s(r, "value") or "").rsplit("/", 1)[-1] for r in fields.get("kind", [])]
        summaries: dict[str, ProfileSummary] = {}
        for row in profiles.rows:
            iri = _s(row, "profile") or ""
            summary = summaries.setdefault(
                iri,
                ProfileSummary(
                    profile=Ref(iri=iri, id=self.ident(iri, "profile")),
                    issued=_s(row, "issued"),
                    title=_s(row, "title"),
                    well_developed=0,
                    potential=0,
                ),
            )
            if _s(row, "assessment") == WELL_DEVELOPED:
                summary.well_developed = _i(row, "findings")
            else:
                summary.potential += _i(row, "findings")
        within: dict[str, Ref] = {}
        for row in fields.get("within", []):
            iri = _s(row, "value") or ""
            within.setdefault(
                iri, Ref(iri=iri, id=self.ident(iri, "place"), label=_s(row, "valueLabel"))
            )
        return PlaceDetail(
            iri=place.value,
            id=ident,
            label=pick(names, lang) or pick(labels, lang) or ident,
            kind=next((k for k in kinds if k in ("City", "Country")), kinds[0] if kinds else None),
            latitude=_f(fields["latitude"][0], "value") if fields.get("latitude") else None,
            longitude=_f(fields["longitude"][0], "value") if fields.get("longitude") else None,
            within=list(within.values()),
            profiles=list(summaries.values()),
            sparql=texts,
        )

    async def profile(self, ident: str, *, lang: str) -> ProfileDetail:
        profile = self.iri("profile", ident)
        texts = {
            "about": queries.PROFILE_ABOUT.bind(profile=profile),
            "chart": queries.PROFILE_CHART.bind(profile=profile),
            "findings": queries.PROFILE_FINDINGS.bind(profile=profile),
            "mentions": queries.PROFILE_MENTIONS.bind(profile=profile),
            "institutions": queries.PROFILE_INSTITUTIONS.bind(profile=profile, limit=15),
        }
        vocab, about, chart, findings, mentions, institutions = await self._with_vocabulary(
            *texts.values()
        )
        fields: dict[str, list[Row]] = defaultdict(list)
        for row in about.rows:
            fields[_s(row, "field") or ""].append(row)
        if not fields.get("place"):
            raise ResourceNotFoundError(f"no profile with the id {ident!r}")
        titles = {r["value"].lang: r["value"].value for r in fields.get("title", [])}
        place_row = fields["place"][0]
        place = self.ref(_s(place_row, "value"), "place", _s(place_row, "valueLabel"))
        country_row = fields["country"][0] if fields.get("country") else None
        by_finding: dict[str, list[Mention]] = defaultdict(list)
        for row in mentions.rows:
            target_iri = _s(row, "target") or ""
            is_org = bool(row.get("isOrg") and row["isOrg"].as_bool())
            kind = "institution" if is_org else "instrument"
            target = Ref(
                iri=target_iri,
                id=self.ident(target_iri, "org" if is_org else "instrument"),
                label=_s(row, "targetLabel"),
            )
            mention = Mention(start=_i(row, "start"), end=_i(row, "end"), target=target, kind=kind)
            finding_id = self.ident(_s(row, "finding"), "finding") or ""
            if mention not in by_finding[finding_id]:
                by_finding[finding_id].append(mention)
        for listed in by_finding.values():
            listed.sort(key=lambda m: (m.start, -m.end))
        issued = _s(fields["issued"][0], "value") if fields.get("issued") else None
        items = []
        for row in findings.rows:
            finding = self._finding(row, vocab, lang)
            finding.profile = Ref(iri=profile.value, id=ident)
            finding.place = place
            finding.issued = issued
            items.append(finding)
        kinds = [(_s(r, "value") or "").rsplit("#", 1)[-1] for r in fields.get("kind", [])]
        return ProfileDetail(
            iri=profile.value,
            id=ident,
            title=pick(titles, lang),
            titles=titles,
            issued=issued,
            language=_s(fields["language"][0], "value") if fields.get("language") else None,
            kind=kinds[0] if kinds else None,
            source=_s(fields["source"][0], "value") if fields.get("source") else None,
            place=place,
            country=(
                self.ref(_s(country_row, "value"), "place", _s(country_row, "valueLabel"))
                if country_row
                else None
            ),
            chart=self._cells(chart.rows, vocab, lang),
            findings=items,
            mentions=dict(by_finding),
            institutions=[
                InstitutionInvolved(
                    institution=self._ref_required(r, "org", "org", "label"),
                    findings=_i(r, "findings"),
                    domains=_i(r, "domains"),
                    well_developed=_i(r, "wellDeveloped"),
                )
                for r in institutions.rows
            ],
            sparql=texts,
        )

    async def compare(self, place_ids: list[str], *, lang: str) -> Comparison:
        unique = list(dict.fromkeys(place_ids))
        if not 1 <= len(unique) <= MAX_COMPARE:
            raise ProtocolError(f"compare between 1 and {MAX_COMPARE} places (place=…&place=…)")
        places = [self.iri("place", p) for p in unique]
        texts = {"compare": queries.COMPARE.bind(places=places)}
        vocab, answer = await self._with_vocabulary(texts["compare"])
        columns: dict[str, CompareColumn] = {}
        for row in answer.rows:
            profile_iri = _s(row, "profile") or ""
            column = columns.get(profile_iri)
            if column is None:
                column = columns[profile_iri] = CompareColumn(
                    place=self._ref_required(row, "place", "place", "placeLabel"),
                    profile=Ref(iri=profile_iri, id=self.ident(profile_iri, "profile")),
                    issued=_s(row, "issued"),
                    cells={},
                    total=0,
                )
            assessment = vocab.concept(_s(row, "assessment") or "", lang).code
            key = f"{_s(row, 'notation')}/{assessment}"
            column.cells[key] = column.cells.get(key, 0) + _i(row, "findings")
            column.total += _i(row, "findings")
        found = {c.place.id for c in columns.values()}
        return Comparison(
            domains=vocab.scheme("domains", lang),
            assessments=vocab.scheme("assessments", lang),
            columns=list(columns.values()),
            missing=[p for p in unique if p not in found],
            sparql=texts,
        )

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
            target_iri = _s(m, "target") or ""
            mention = Mention(
                start=_i(m, "start"),
                end=_i(m, "end"),
                target=Ref(
                    iri=target_iri,
                    id=self.ident(target_iri, "org" if is_org else "instrument"),
                    label=_s(m, "targetLabel"),
                ),
                kind="institution" if is_org else "instrument",
            )
            if mention not in items:
                items.append(mention)
        return FindingDetail(
            finding=self._finding(row, vocab, lang),
            years=sorted((_s(row, "years") or "").split()),
            mentions=items,
            sparql=texts,
        )


async def _gather(*awaitables: Any) -> list[Any]:
    return list(await asyncio.gather(*awaitables))
