"""Link findings to institutions, policy instruments and years (issue 3).

`extract_mentions(profile, gazetteer)` reads every finding of a profile and returns
an `Extraction`: the organisations and instruments it names (resolved to one
identity each), every mention with exact code-point offsets, and the years.

How (details and measured quality in docs/extraction.md):

1. Recognition, per finding, over offset-keeping tokens:
   - curated names and acronyms from the gazetteer;
   - rule-built institution names: a capitalised head noun from the language's
     table ("Secretaría", "Office", "Mairie") with its complement (capitalised
     words joined by connectors such as "de la", "of the"), English pre-modifiers
     ("Kestrelmouth City Council"), coordinated plurals split into their bodies
     ("Secretarías del Interior y Planeación"), a stated parent cut off
     ("… de la Alcaldía"); lower-case heads with a proper-noun or quoted complement
     ("sous-préfecture de Montbrison"); posts ("le maire");
   - "Name (ACR)" where ACR spells the name's initials: one body, even when the
     head rules cut it or no head is listed;
   - acronyms defined in parentheses, then every later use of them;
   - instruments: numbered references ("Circular 254 de 2018"), titled ones
     ("Plan de Desarrollo Municipal de Bucaramanga"), sentence-case titles up to a
     year or "(núm. N)", quoted titles, "Title (Ley N de YYYY)" as one, and unnamed
     but existing ones ("rutas de protección"), minus those stated as absent (an
     unnamed one after a negation, a named one only under "no"/"un").
2. Resolution, per profile: one identity per body (place qualifiers, articles and
   "municipal" adjectives do not count; a city has one executive), slugs from
   the gazetteer or minted as `{place}--{name}`, types from the head noun, parents
   from the gazetteer, the text ("adscrita a", "run by", "cuenta con el") or the
   context (a local secretariat belongs to the municipal government).
3. Years: four-digit years in range, not the number of a law or decree.

All vocabulary lives in `data/reference/extraction.toml`; no body or plan of a
particular profile is named in this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kb.extract.acronyms import AcronymRecognition
from kb.extract.context import (
    Candidate,
    Entity,
    FindingWork,
    acronym_like,
    merge_orgs,
    mint_slug,
    municipal_words,
    name_key,
)
from kb.extract.gazetteer import Gazetteer, GazetteerEntry
from kb.extract.institutions import InstitutionRecognition
from kb.extract.instruments import InstrumentRecognition
from kb.extract.resolution import Resolution
from kb.extract.rules import (
    DEFAULT_REFERENCE_DIR,
    RULES_FILE,
    ExtractionRules,
    rules_at,
)
from kb.extract.tokens import (
    PhraseIndex,
    phrase_tokens,
    sentence_spans,
    tokenize,
)
from kb.model import (
    EntityKind,
    Extraction,
    Level,
    Mention,
    Organization,
    PolicyInstrument,
    Profile,
)
from kb.text import slugify

__all__ = ["extract_mentions", "mint_slug", "name_key"]


# --- the public entry point -------------------------------------------------------


def extract_mentions(
    profile: Profile,
    gazetteer: Gazetteer,
    *,
    rules: ExtractionRules | None = None,
    country: str | None = None,
) -> Extraction:
    """Institutions, instruments and years named in every finding of a profile.

    `rules` defaults to the `extraction.toml` beside the gazetteer file (or the
    repository's). `country` is the place slug of the profile's country when the
    caller knows it; otherwise a national profile's own place is used, or it is
    inferred from the curated bodies the profile names.
    """
    if rules is None:
        path = gazetteer.rules_path or DEFAULT_REFERENCE_DIR / RULES_FILE
        rules = rules_at(Path(path))
    return _Extractor(profile, gazetteer, rules, country).run()


class _Extractor(InstitutionRecognition, AcronymRecognition, InstrumentRecognition, Resolution):
    def __init__(
        self, profile: Profile, gazetteer: Gazetteer, rules: ExtractionRules, country: str | None
    ) -> None:
        self.profile = profile
        self.gazetteer = gazetteer
        self.rules = rules
        self.lang = rules.for_language(profile.findings_language)
        self.place_slug = slugify(profile.place_name)
        self.local = profile.level is Level.LOCAL
        self.country = country or (None if self.local else self.place_slug)
        names = [profile.place_name, profile.short_name or ""]
        self.place_names = [n for n in dict.fromkeys(names) if n]
        self.place_words = [phrase_tokens(n) for n in self.place_names]
        self.municipal = municipal_words(self.lang)
        self.works: list[FindingWork] = []
        self._acronym_targets: dict[str, Candidate] = {}
        self.entities: dict[str, Entity] = {}
        self._gaz_names = PhraseIndex(
            (phrase_tokens(name), entry) for entry in gazetteer for name in entry.names
        )
        self._gaz_acronyms: dict[str, list[GazetteerEntry]] = {}
        for entry in gazetteer:
            for acronym in entry.acronyms:
                self._gaz_acronyms.setdefault(acronym, []).append(entry)
        self._number_markers = PhraseIndex(
            (phrase_tokens(m), True) for m in self.lang.number_markers
        )
        self._year_links = PhraseIndex((phrase_tokens(m), True) for m in self.lang.year_links)
        self._paren_acronyms: set[str] = set()
        self._reused_acronyms: set[str] = set()
        self._known_names: set[tuple[str, ...]] = set()
        self._place_stems = {
            w[:5]
            for name in (*self.place_names, self.profile.designation or "")
            for w in phrase_tokens(name)
            if len(w) >= 5
        }

    # -- driver --

    def run(self) -> Extraction:
        for finding in self.profile.findings:
            tokens = tokenize(finding.text)
            work = FindingWork(finding, tokens, sentence_spans(tokens, self.lang.abbreviations))
            work.raw_gazetteer = self._gazetteer_names(work)
            self.works.append(work)
        if self.country is None:
            self.country = self._infer_country()
        # Acronyms the profile defines in parentheses, or curated ones: "… de la DSU"
        # names a specific parent even though "DSU" is no head noun.
        self._paren_acronyms = set(self._gaz_acronyms)
        for work in self.works:
            t = work.tokens
            for k in range(1, len(t) - 1):
                if acronym_like(t[k]) and t[k - 1].text == "(" and t[k + 1].text == ")":
                    self._paren_acronyms.add(t[k].text)
        # Acronyms the profile uses again outside their parentheses: a headless
        # "Proper Name (ACR)" whose acronym is reused is a body.
        self._reused_acronyms = {
            t[k].text
            for work in self.works
            for t in (work.tokens,)
            for k in range(len(t))
            if t[k].text in self._paren_acronyms
            and not (0 < k < len(t) - 1 and t[k - 1].text == "(" and t[k + 1].text == ")")
        }
        # Names the profile writes in full: a coordinated plural is not split inside
        # one of them ("Ministerios de Educación y de Ciencia y Tecnología").
        self._known_names = set()
        for work in self.works:
            for c in self._rule_orgs(work):
                if c.head is not None and not c.synthetic and not c.head.plural:
                    self._known_names.add(self._plain_key(c.name_words))
        for work in self.works:
            gaz = [c for c in work.raw_gazetteer if self._usable(c)]
            for c in gaz:
                c.gazetteer = tuple(e for e in c.gazetteer if self._entry_ok(e))
            rule_orgs = self._rule_orgs(work)
            work.orgs = self._choose_orgs(gaz, rule_orgs)
            work.orgs = [c for c in work.orgs if not self._absent(work, c.start_tok, c)]
            work.instruments = self._instruments(work)
            # A head joined into a title by a bare coordinator ("Política … de Proteção
            # e Defesa Civil") is a word of the title, not a body.
            work.orgs = [
                c
                for c in work.orgs
                if not any(
                    i.start_tok < c.start_tok
                    and c.end_tok <= i.end_tok
                    and work.tokens[c.start_tok - 1].folded in self.lang.coordinators
                    for i in work.instruments
                )
            ]
        acronyms = self._acronym_definitions()
        for work in self.works:
            self._acronym_mentions(work, acronyms)
        self._resolve_orgs()
        self._resolve_instruments()
        return self._result()

    # -- output --

    def _result(self) -> Extraction:
        orgs: dict[str, Organization] = {}
        instruments: dict[str, PolicyInstrument] = {}
        slugs: dict[str, str] = {}
        for entity in self.entities.values():
            slugs[entity.key] = entity.slug
        language = self.profile.findings_language
        for entity in self.entities.values():
            if entity.kind is not EntityKind.ORGANIZATION:
                continue
            parent = None
            if entity.parent is not None:
                parent = entity.parent if entity.parent_is_slug else slugs.get(entity.parent)
            if entity.gazetteer is not None:
                org = self._curated(entity.gazetteer, entity.alt_labels)
            else:
                org = Organization(
                    slug=entity.slug,
                    label=entity.label,
                    label_language=language,
                    institution_type=entity.type_code,
                    alt_labels=tuple(entity.alt_labels),
                    parent=parent if parent != entity.slug else None,
                    jurisdiction=self._jurisdiction(entity.scope),
                    curated=False,
                )
            if org.slug in orgs:
                org = merge_orgs(orgs[org.slug], org)
            orgs[org.slug] = org
        # Curated ancestors must exist for the parent links to resolve.
        for org in list(orgs.values()):
            if org.curated:
                for ancestor in self.gazetteer.ancestors(org.slug):
                    orgs.setdefault(ancestor.slug, self._curated(ancestor, []))
        for entity in self.entities.values():
            if entity.kind is not EntityKind.INSTRUMENT:
                continue
            instruments[entity.slug] = PolicyInstrument(
                slug=entity.slug,
                title=entity.label,
                title_language=language,
                instrument_type=entity.type_code,
                years=tuple(sorted(entity.years)),
                creator=slugs.get(entity.creator) if entity.creator else None,
                jurisdiction=self._jurisdiction(entity.scope),
                status=entity.status,
            )
        mentions: list[Mention] = []
        years: dict[int, tuple[int, ...]] = {}
        for work in self.works:
            n = work.finding.n
            text = work.finding.text
            seen: set[tuple[int, int, str]] = set()
            for cand in work.orgs:
                start, end, surface = work.surface(cand.start_tok, cand.end_tok)
                slug = slugs[cand.entity]
                if (start, end, slug) not in seen:
                    seen.add((start, end, slug))
                    mentions.append(Mention(n, start, end, surface, EntityKind.ORGANIZATION, slug))
            for cand in work.instruments:
                if not cand.entity:
                    continue
                slug = slugs[cand.entity]
                if (cand.start, cand.end, slug) not in seen:
                    seen.add((cand.start, cand.end, slug))
                    mentions.append(
                        Mention(
                            n,
                            cand.start,
                            cand.end,
                            text[cand.start : cand.end],
                            EntityKind.INSTRUMENT,
                            slug,
                        )
                    )
            years[n] = tuple(sorted({y.year for y in self._years(work)}))
        mentions.sort(key=lambda m: (m.finding_n, m.start, m.end, m.kind.value, m.target))
        return Extraction(
            organizations=tuple(sorted(orgs.values(), key=lambda o: o.slug)),
            instruments=tuple(sorted(instruments.values(), key=lambda i: i.slug)),
            mentions=tuple(mentions),
            years=years,
        )

    def _curated(self, entry: GazetteerEntry, seen_labels: Iterable[str]) -> Organization:
        alts = [a.text for a in entry.alt_labels] + list(seen_labels)
        return Organization(
            slug=entry.slug,
            label=entry.label,
            label_language=entry.label_language,
            institution_type=entry.institution_type,
            alt_labels=tuple(x for x in dict.fromkeys(alts) if x != entry.label),
            parent=entry.parent,
            jurisdiction=entry.jurisdiction,
            curated=True,
        )
