"""The explorer's views of places, profiles and comparisons between profiles."""

from __future__ import annotations

from collections import defaultdict

from kb.errors import ProtocolError, ResourceNotFoundError
from kb.explorer import queries
from kb.explorer.models import (
    CompareColumn,
    Comparison,
    InstitutionInvolved,
    Mention,
    Page,
    PlaceDetail,
    PlaceRow,
    ProfileDetail,
    ProfileSummary,
    Ref,
)
from kb.explorer.rows import (
    WELL_DEVELOPED,
    float_of,
    int_of,
    text_of,
)
from kb.explorer.runner import Row
from kb.linkeddata.i18n import pick
from kb.sparql.binding import Raw

MAX_COMPARE = 8  # places in one comparison


class PlaceViews:
    """Methods of `kb.explorer.services.Explorer`; its state lives there."""

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
                iri=text_of(r, "place") or "",
                id=self.ident(text_of(r, "place"), "place"),
                label=text_of(r, "label"),
                kind=(text_of(r, "kind") or "").rsplit("/", 1)[-1] or None,
                country=self.ref(text_of(r, "country"), "place", text_of(r, "countryLabel")),
                latitude=float_of(r, "latitude"),
                longitude=float_of(r, "longitude"),
                profiles=int_of(r, "profiles"),
                findings=int_of(r, "findings"),
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
            fields[text_of(row, "field") or ""].append(row)
        if not fields.get("kind") and not profiles.rows:
            raise ResourceNotFoundError(f"no place with the id {ident!r}")
        names = {r["value"].lang: r["value"].value for r in fields.get("name", [])}
        labels = {r["value"].lang: r["value"].value for r in fields.get("label", [])}
        kinds = [(text_of(r, "value") or "").rsplit("/", 1)[-1] for r in fields.get("kind", [])]
        summaries: dict[str, ProfileSummary] = {}
        for row in profiles.rows:
            iri = text_of(row, "profile") or ""
            summary = summaries.setdefault(
                iri,
                ProfileSummary(
                    profile=Ref(iri=iri, id=self.ident(iri, "profile")),
                    issued=text_of(row, "issued"),
                    title=text_of(row, "title"),
                    well_developed=0,
                    potential=0,
                ),
            )
            if text_of(row, "assessment") == WELL_DEVELOPED:
                summary.well_developed = int_of(row, "findings")
            else:
                summary.potential += int_of(row, "findings")
        within: dict[str, Ref] = {}
        for row in fields.get("within", []):
            iri = text_of(row, "value") or ""
            within.setdefault(
                iri, Ref(iri=iri, id=self.ident(iri, "place"), label=text_of(row, "valueLabel"))
            )
        return PlaceDetail(
            iri=place.value,
            id=ident,
            label=pick(names, lang) or pick(labels, lang) or ident,
            kind=next((k for k in kinds if k in ("City", "Country")), kinds[0] if kinds else None),
            latitude=float_of(fields["latitude"][0], "value") if fields.get("latitude") else None,
            longitude=float_of(fields["longitude"][0], "value")
            if fields.get("longitude")
            else None,
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
            fields[text_of(row, "field") or ""].append(row)
        if not fields.get("place"):
            raise ResourceNotFoundError(f"no profile with the id {ident!r}")
        titles = {r["value"].lang: r["value"].value for r in fields.get("title", [])}
        place_row = fields["place"][0]
        place = self.ref(text_of(place_row, "value"), "place", text_of(place_row, "valueLabel"))
        country_row = fields["country"][0] if fields.get("country") else None
        by_finding: dict[str, list[Mention]] = defaultdict(list)
        for row in mentions.rows:
            target_iri = text_of(row, "target") or ""
            is_org = bool(row.get("isOrg") and row["isOrg"].as_bool())
            kind = "institution" if is_org else "instrument"
            target = Ref(
                iri=target_iri,
                id=self.ident(target_iri, "org" if is_org else "instrument"),
                label=text_of(row, "targetLabel"),
            )
            mention = Mention(
                start=int_of(row, "start"), end=int_of(row, "end"), target=target, kind=kind
            )
            finding_id = self.ident(text_of(row, "finding"), "finding") or ""
            if mention not in by_finding[finding_id]:
                by_finding[finding_id].append(mention)
        for listed in by_finding.values():
            listed.sort(key=lambda m: (m.start, -m.end))
        issued = text_of(fields["issued"][0], "value") if fields.get("issued") else None
        items = []
        for row in findings.rows:
            finding = self._finding(row, vocab, lang)
            finding.profile = Ref(iri=profile.value, id=ident)
            finding.place = place
            finding.issued = issued
            items.append(finding)
        kinds = [(text_of(r, "value") or "").rsplit("#", 1)[-1] for r in fields.get("kind", [])]
        return ProfileDetail(
            iri=profile.value,
            id=ident,
            title=pick(titles, lang),
            titles=titles,
            issued=issued,
            language=text_of(fields["language"][0], "value") if fields.get("language") else None,
            kind=kinds[0] if kinds else None,
            source=text_of(fields["source"][0], "value") if fields.get("source") else None,
            place=place,
            country=(
                self.ref(text_of(country_row, "value"), "place", text_of(country_row, "valueLabel"))
                if country_row
                else None
            ),
            chart=self._cells(chart.rows, vocab, lang),
            findings=items,
            mentions=dict(by_finding),
            institutions=[
                InstitutionInvolved(
                    institution=self._ref_required(r, "org", "org", "label"),
                    findings=int_of(r, "findings"),
                    domains=int_of(r, "domains"),
                    well_developed=int_of(r, "wellDeveloped"),
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
            profile_iri = text_of(row, "profile") or ""
            column = columns.get(profile_iri)
            if column is None:
                column = columns[profile_iri] = CompareColumn(
                    place=self._ref_required(row, "place", "place", "placeLabel"),
                    profile=Ref(iri=profile_iri, id=self.ident(profile_iri, "profile")),
                    issued=text_of(row, "issued"),
                    cells={},
                    total=0,
                )
            assessment = vocab.concept(text_of(row, "assessment") or "", lang).code
            key = f"{text_of(row, 'notation')}/{assessment}"
            column.cells[key] = column.cells.get(key, 0) + int_of(row, "findings")
            column.total += int_of(row, "findings")
        found = {c.place.id for c in columns.values()}
        return Comparison(
            domains=vocab.scheme("domains", lang),
            assessments=vocab.scheme("assessments", lang),
            columns=list(columns.values()),
            missing=[p for p in unique if p not in found],
            sparql=texts,
        )
