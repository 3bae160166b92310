"""Resolution over a whole profile: one identity per institution and instrument, their
types, parents, jurisdictions, creators, years and status."""

from __future__ import annotations

from collections.abc import Sequence

from kb.extract.context import (
    CONTEXT_PARENT_TYPES,
    DEFAULT_GOVERNMENT_LABEL,
    MUNICIPAL_GOVERNMENT,
    MUNICIPAL_GOVERNMENT_KEY,
    OWNED_TYPES,
    Entity,
    FindingWork,
    InstrumentCandidate,
    OrgCandidate,
    contains_phrase,
    find_phrase,
    has_cue,
    mint_slug,
    strip_key,
)
from kb.extract.rules import (
    Head,
)
from kb.extract.tokens import (
    Token,
    YearSpan,
    find_years,
    phrase_tokens,
    tokenize,
)
from kb.model import (
    EntityKind,
)
from kb.text import slugify


class Resolution:
    """Methods of the extractor (`kb.extract.extractor.Extractor`); state lives there."""

    # -- resolution: institutions --

    def _org_key(self, cand: OrgCandidate) -> str:
        if cand.gazetteer:
            return "gaz:" + cand.gazetteer[0].slug
        if cand.head is not None and self._org_type(cand)[0] == MUNICIPAL_GOVERNMENT and self.local:
            return "role:" + MUNICIPAL_GOVERNMENT
        key = strip_key(cand.name_words, self.lang, self.place_words, self.municipal)
        return "key:" + " ".join(key or cand.name_words)

    def _org_type(self, cand: OrgCandidate) -> tuple[str, str | None]:
        """(type code, scope) of a rule-built name."""
        head = cand.head
        assert head is not None
        lang = self.lang
        words = cand.name_words
        type_code = head.institution_type
        if not lang.head_initial:
            # English: the last head before the complement, unless an earlier one dominates.
            core_end = len(words)
            for k, w in enumerate(words):
                if (w,) in lang.connectors and k >= cand.left_words:
                    core_end = k
                    break
            toks = tokenize(cand.name)
            heads = [lang.heads.match(toks, k) for k in range(min(core_end, len(toks)))]
            found = [h[1] for h in heads if h is not None]
            dominant = [h for h in found if h.institution_type in self.rules.dominant_types]
            pick = dominant[0] if dominant else (found[-1] if found else head)
            assert isinstance(pick, Head)
            type_code = pick.institution_type
        for marker in self.rules.type_markers:
            if marker.from_types and type_code not in marker.from_types:
                continue
            if any(contains_phrase(words, m) for m in marker.words):
                type_code = marker.institution_type
                break
        scope = None
        best = len(words) + 1
        for marker, marker_scope in lang.scope_markers:
            pos = find_phrase(words, marker)
            if pos is not None and pos < best:
                best, scope = pos, marker_scope
        if any(contains_phrase(words, p) for p in self.place_words):
            scope = scope or "municipal"
        if scope is None and not self.local:
            scope = "national"
        if scope is not None:
            type_code = self.rules.scope_types.get(scope, {}).get(type_code, type_code)
        if scope is None:
            scope = self.rules.type_scopes.get(type_code)
        return type_code, scope

    def _resolve_orgs(self) -> None:
        for work in self.works:
            for cand in work.orgs:
                if not cand.entity and not cand.anaphor:
                    cand.entity = self._org_key(cand)
        self._resolve_anaphors()
        # Acronym keys point at their defining candidate's entity.
        for work in self.works:
            for cand in work.orgs:
                if cand.entity.startswith("=acr:"):
                    target = self._acronym_targets[cand.entity[5:]]
                    cand.entity = target.entity or (
                        self._org_key(target) if isinstance(target, OrgCandidate) else ""
                    )
        for work in self.works:
            for cand in work.orgs:
                entity = self.entities.setdefault(
                    cand.entity, Entity(cand.entity, EntityKind.ORGANIZATION)
                )
                entity.candidates.append(cand)
        for entity in self.entities.values():
            if entity.kind is EntityKind.ORGANIZATION:
                self._describe_org(entity)
        self._stated_parents()
        self._context_parents()

    def _resolve_anaphors(self) -> None:
        """A bare lower-case head ("la préfecture") names the body written earlier in
        the profile with the same head and a complement ("préfecture de la Haute-Lise"),
        when exactly one such body precedes it; otherwise it is dropped."""
        seen: list[tuple[tuple[str, ...], str]] = []  # (head words, entity key)
        for work in self.works:
            keep = []
            for cand in work.orgs:
                if cand.anaphor and cand.head is not None:
                    keys = {key for words, key in seen if words == cand.head.words}
                    if len(keys) != 1:
                        continue
                    cand.entity = keys.pop()
                elif cand.head is not None and cand.entity and not cand.synthetic:
                    seen.append((cand.head.words, cand.entity))
                keep.append(cand)
            work.orgs = keep

    def _describe_org(self, entity: Entity) -> None:
        cands = entity.candidates
        gaz = next((c.gazetteer[0] for c in cands if c.gazetteer), None)
        if gaz is not None:
            entity.gazetteer = gaz
            entity.slug = gaz.slug
            entity.label = gaz.label
            entity.type_code = gaz.institution_type
            entity.scope = gaz.scope
            entity.parent = gaz.parent
            entity.parent_is_slug = gaz.parent is not None
        else:
            named = [c for c in cands if c.head is not None]
            best = max(
                named,
                key=lambda c: (
                    not c.synthetic,
                    c.name[:1].isupper(),  # "Policía" over a lower-case "policía local"
                    self._mentions_place(c),
                    len(c.name),
                ),
            )
            entity.type_code, entity.scope = self._org_type(best)
            entity.label = self._label(best.name)
            if entity.key == "role:" + MUNICIPAL_GOVERNMENT:
                key: tuple[str, ...] = MUNICIPAL_GOVERNMENT_KEY
            else:
                key = tuple(entity.key[4:].split())
            qualifier = self._qualifier(entity.scope)
            entity.slug = mint_slug(key, qualifier)
            if not qualifier:
                entity.slug = slugify(entity.label)
            curated = self.gazetteer.get(entity.slug)
            if curated is not None:
                entity.gazetteer = curated
                entity.label = curated.label
                entity.type_code = curated.institution_type
                entity.parent = curated.parent
                entity.parent_is_slug = curated.parent is not None
            chapter = next((c.chapter_of for c in cands if c.chapter_of is not None), None)
            if chapter is not None and entity.parent is None:
                entity.parent, entity.parent_is_slug = chapter.slug, True
        labels = [c.name for c in cands if not c.synthetic and c.acronym_of is None]
        labels += [c.acronym_of for c in cands if c.acronym_of]
        entity.alt_labels = [x for x in dict.fromkeys(labels) if x and x != entity.label]

    def _label(self, name: str) -> str:
        """A name without a trailing generic place phrase ("… del Municipio")."""
        tokens = tokenize(name)
        if len(tokens) > 2 and tokens[-1].folded in self.lang.place_words:
            for k in (2, 1):
                prep = tuple(t.folded for t in tokens[-1 - k : -1])
                if len(tokens) > k + 1 and (
                    prep in self.lang.place_prepositions or prep in self.lang.parent_connectors
                ):
                    return name[: tokens[-1 - k].start].rstrip()
        return name

    def _mentions_place(self, cand: OrgCandidate) -> bool:
        return any(contains_phrase(cand.name_words, p) for p in self.place_words)

    def _qualifier(self, scope: str | None) -> str | None:
        if scope == "international":
            return None
        if scope == "national" and self.country:
            return self.country
        return self.place_slug

    def _jurisdiction(self, scope: str | None) -> str | None:
        if scope == "international":
            return None
        if scope == "national":
            return self.country
        if scope == "regional":
            return None
        return self.place_slug if self.local else self.country

    def _set_parent(self, child: str, parent: str) -> None:
        entity = self.entities.get(child)
        if entity is None or child == parent or entity.parent is not None:
            return
        if entity.gazetteer is not None:
            return  # curated ties are facts; the text does not override them
        entity.parent, entity.parent_is_slug = parent, False

    def _org_at(self, work: FindingWork, tok: int) -> OrgCandidate | None:
        for cand in work.orgs:
            if cand.start_tok == tok:
                return cand
        return None

    def _org_ending_at(self, work: FindingWork, tok: int) -> tuple[OrgCandidate, int] | None:
        """The org whose span (plus "(ACR)" and a comma) ends right before `tok`."""
        tokens = work.tokens
        for cand in work.orgs:
            e = cand.end_tok
            if e + 2 < len(tokens) and tokens[e].text == "(" and tokens[e + 2].text == ")":
                e += 3
            if e < len(tokens) and tokens[e].text == ",":
                e += 1
            if e == tok:
                return cand, e
        return None

    def _stated_parents(self) -> None:
        lang = self.lang
        for work in self.works:
            tokens = work.tokens
            for cand in work.orgs:
                if cand.parent_tok is not None:
                    parent = self._org_at(work, cand.parent_tok)
                    if parent is not None:
                        self._set_parent(cand.entity, parent.entity)
            for k in range(len(tokens)):
                for cues, owner in ((lang.parent_cues, False), (lang.owner_cues, True)):
                    match = cues.match(tokens, k)
                    if match is None:
                        continue
                    before = self._org_ending_at(work, k)
                    after_tok = k + match[0]
                    while after_tok < len(tokens) and tokens[after_tok].folded in lang.determiners:
                        after_tok += 1
                    after = self._org_at(work, after_tok)
                    if before is None or after is None:
                        continue
                    if owner:
                        child = self.entities.get(after.entity)
                        if child is not None and child.type_code in OWNED_TYPES:
                            self._set_parent(after.entity, before[0].entity)
                    else:
                        self._set_parent(before[0].entity, after.entity)

    def _context_parents(self) -> None:
        """Sub-bodies belong to their body; a local secretariat to the municipal
        government (minted when the profile never names it)."""
        by_words: dict[tuple[str, ...], str] = {}
        for entity in self.entities.values():
            if entity.kind is EntityKind.ORGANIZATION and entity.key.startswith("key:"):
                by_words[tuple(entity.key[4:].split())] = entity.key
        for entity in list(self.entities.values()):
            if entity.kind is not EntityKind.ORGANIZATION or entity.parent is not None:
                continue
            head = next((c.head for c in entity.candidates if c.head is not None), None)
            if head is not None and head.sub_of is not None and entity.key.startswith("key:"):
                words = tuple(entity.key[4:].split())
                n = len(head.words)
                parent_words = head.sub_of + words[n:]
                if parent_words in by_words:
                    entity.parent, entity.parent_is_slug = by_words[parent_words], False
                    continue
            if self.local and entity.type_code in CONTEXT_PARENT_TYPES and entity.gazetteer is None:
                entity.parent = self._municipal_government()
                entity.parent_is_slug = False

    def _municipal_government(self) -> str:
        key = "role:" + MUNICIPAL_GOVERNMENT
        if key not in self.entities:
            entity = Entity(key, EntityKind.ORGANIZATION)
            entity.slug = mint_slug(MUNICIPAL_GOVERNMENT_KEY, self.place_slug)
            template = DEFAULT_GOVERNMENT_LABEL.get(self.lang.language, "{place}")
            entity.label = template.format(place=self.profile.place_name)
            entity.type_code = MUNICIPAL_GOVERNMENT
            entity.scope = "municipal"
            curated = self.gazetteer.get(entity.slug)
            if curated is not None:
                entity.gazetteer = curated
                entity.label = curated.label
            self.entities[key] = entity
        return key

    # -- resolution: instruments --

    def _resolve_instruments(self) -> None:
        for work in self.works:
            for cand in work.instruments:
                if cand.entity.startswith("=acr:"):
                    target = self._acronym_targets[cand.entity[5:]]
                    cand.entity = target.entity
                    continue
                cand.entity = self._instrument_key(cand.key_title or cand.title)
        # A number reference merged with its title ("… (Ley 938 de 2017)") names the
        # same instrument when it is written alone.
        aliases = {
            self._instrument_key(alias): cand.entity
            for work in self.works
            for cand in work.instruments
            for alias in cand.aliases
        }
        for work in self.works:
            for cand in work.instruments:
                cand.entity = aliases.get(cand.entity, cand.entity)
        for work in self.works:
            for index, cand in enumerate(work.instruments):
                if not cand.entity:
                    continue
                entity = self.entities.setdefault(
                    cand.entity, Entity(cand.entity, EntityKind.INSTRUMENT)
                )
                entity.candidates.append(cand)
                if cand.kind == "acronym":
                    continue
                entity.years |= self._instrument_years(work, index)
                status = self._status(work, index)
                if status != "in-force":
                    entity.status = status
                creator = self._creator(work, cand)
                if creator and entity.creator is None:
                    entity.creator = creator
        for entity in self.entities.values():
            if entity.kind is EntityKind.INSTRUMENT:
                self._describe_instrument(entity)

    def _instrument_key(self, title: str) -> str:
        words = strip_key(phrase_tokens(title), self.lang, self.place_words, frozenset())
        return "inst:" + " ".join(words or phrase_tokens(title))

    def _describe_instrument(self, entity: Entity) -> None:
        cands = [c for c in entity.candidates if c.kind != "acronym"] or entity.candidates
        best = max(cands, key=lambda c: (c.kind != "generic", len(c.title)))
        entity.label = best.title
        entity.type_code = best.instrument_type
        words = phrase_tokens(best.title)
        scope = self.rules.instrument_type_scopes.get(entity.type_code)
        if scope is None:
            position = len(words) + 1
            for marker, marker_scope in self.lang.scope_markers:
                pos = find_phrase(words, marker)
                if pos is not None and pos < position:
                    position, scope = pos, marker_scope
        if scope is None or any(contains_phrase(words, p) for p in self.place_words):
            scope = scope if scope is not None else ("municipal" if self.local else "national")
        entity.scope = scope
        key = tuple(entity.key[5:].split())
        qualifier = self._qualifier(scope)
        entity.slug = mint_slug(key, qualifier)
        entity.alt_labels = [
            x for x in dict.fromkeys(c.title for c in entity.candidates) if x != entity.label
        ]

    def _window(self, work: FindingWork, index: int) -> tuple[int, int]:
        """Tokens around instrument `index` that speak about it: its sentence, cut at
        the neighbouring instruments."""
        cand = work.instruments[index]
        sentence = work.sentence_of(cand.start_tok)
        lo, hi = sentence.start, sentence.stop
        for other in work.instruments[:index]:
            if other.end_tok <= cand.start_tok and other.end_tok > lo and other.kind != "acronym":
                lo = other.end_tok
        for other in work.instruments[index + 1 :]:
            if other.start_tok >= cand.end_tok and other.start_tok < hi and other.kind != "acronym":
                hi = other.start_tok
        return lo, hi

    def _window_text(self, work: FindingWork, lo: int, hi: int) -> str:
        if lo >= hi:
            return ""
        return " " + " ".join(t.folded for t in work.tokens[lo:hi]) + " "

    def _status(self, work: FindingWork, index: int) -> str:
        """Status from cues that govern the instrument: before it in its clause (it is
        the verb's object: "se encuentra formulando la Política…", "no ha ratificado el
        Convenio…") or just after it ("…, que está en elaboración", "… was being
        drafted"). A coordinated instrument with no cue of its own shares the status
        of the one before it ("no ha ratificado el Convenio 97 ni el Convenio 143")."""
        cand = work.instruments[index]
        tokens = work.tokens
        lo, hi = self._window(work, index)
        before = self._window_text(work, lo, cand.start_tok)
        after_start = cand.end_tok
        if (
            after_start + 2 < len(tokens)
            and tokens[after_start].text == "("
            and tokens[after_start + 2].text == ")"
        ):
            after_start += 3  # "(PCS)"
        after = self._window_text(work, after_start, min(hi, after_start + 6))
        for status, cues in (
            ("not-ratified", self.lang.not_ratified),
            ("in-preparation", self.lang.in_preparation),
            ("planned", self.lang.planned),
        ):
            if any(has_cue(before, cue) or has_cue(after, cue) for cue in cues):
                return status
        previous = [
            k
            for k, other in enumerate(work.instruments[:index])
            if other.kind != "acronym" and other.end_tok <= cand.start_tok
        ]
        if previous:
            k = previous[-1]
            gap = tokens[work.instruments[k].end_tok : cand.start_tok]
            lang = self.lang
            if gap and all(
                t.folded in lang.coordinators
                or t.folded in lang.determiners
                or t.folded in lang.negations
                or t.text == ","
                for t in gap
            ):
                return self._status(work, k)
        return "in-force"

    def _instrument_years(self, work: FindingWork, index: int) -> set[int]:
        cand = work.instruments[index]
        years = {y.year for y in self._years(work) if cand.start <= y.start and y.end <= cand.end}
        if years:
            return years
        lo, hi = self._window(work, index)
        tokens = work.tokens
        text = self._window_text(work, lo, hi)
        adopted = any(has_cue(text, cue) for cue in self.lang.adoption)
        found = set()
        for y in self._years(work):
            k = next((i for i in range(lo, hi) if tokens[i].start == y.start), None)
            if k is None or k == 0:
                continue
            near = cand.end_tok <= k <= cand.end_tok + 2
            if tokens[k - 1].folded in self.lang.year_prepositions and (adopted or near):
                found.add(y.year)
        return found

    def _creator(self, work: FindingWork, cand: InstrumentCandidate) -> str | None:
        if cand.creator_tok is not None:
            org = self._org_at(work, cand.creator_tok)
            if org is not None:
                return org.entity
        inside = [
            o
            for o in work.orgs
            if o.start_tok >= cand.start_tok and o.end_tok <= cand.end_tok and o.head is not None
        ]
        if inside:
            return inside[0].entity
        if cand.instrument_type in self.rules.acts:
            return None
        sentence = work.sentence_of(cand.start_tok)
        orgs = [o for o in work.orgs if o.start_tok in sentence]
        if not orgs or orgs[0].start_tok >= cand.start_tok:
            return None
        subject = orgs[0]
        det = self._determiner_before(work, cand.start_tok)
        if det in self.lang.possessives:
            return subject.entity
        if not self._subject_position(work, subject.start_tok, sentence):
            return None
        # A new clause ("…, y el Plan …") has its own subject.
        for k in range(subject.end_tok, cand.start_tok):
            t = work.tokens[k]
            if t.text == ";" or (
                t.text == ","
                and k + 1 < len(work.tokens)
                and work.tokens[k + 1].folded in self.lang.coordinators
            ):
                return None
        return subject.entity

    def _subject_position(self, work: FindingWork, tok: int, sentence: range) -> bool:
        tokens = work.tokens
        k = tok
        while k > sentence.start and tokens[k - 1].folded in self.lang.determiners:
            k -= 1
        if k == sentence.start:
            return True
        intro = self.lang.intro_words.match(tokens, sentence.start)
        return intro is not None and k - sentence.start <= 8

    # -- years --

    def _years(self, work: FindingWork) -> list[YearSpan]:
        found = find_years(
            work.finding.text,
            minimum=self.rules.year_min,
            maximum=self.rules.year_max,
            excluded=work.number_spans,
        )
        return [year for year in found if not self._is_count(work.tokens, year)]

    def _is_count(self, tokens: Sequence[Token], year: YearSpan) -> bool:
        """A number between two plain lower-case words ("abrió 1870 carpetas") counts
        something; a year follows a preposition, article, connector or month (of any of
        the four languages: findings quote names in others), or stands in a title, a
        range or a parenthesis."""
        at = next(
            (k for k, t in enumerate(tokens) if (t.start, t.end) == (year.start, year.end)), None
        )
        if at is None or at == 0 or at + 1 >= len(tokens):
            return False
        before, after = tokens[at - 1], tokens[at + 1]
        if not (before.is_alpha and after.is_alpha) or before.is_cap or after.is_cap:
            return False
        return not any(
            t.folded in self.rules.year_introducers
            or any(
                lang.connectors.match(tokens, k) is not None
                for lang in self.rules.languages.values()
            )
            for k, t in ((at - 1, before), (at + 1, after))
        )
