"""Institution names in one finding: gazetteer names, rule-built names from head nouns and
their complements, coordinated plurals, posts, and names stated as absent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from kb.extract.context import (
    FindingWork,
    InstrumentCandidate,
    OrgCandidate,
    negation_at,
    plural_of,
    strip_key,
)
from kb.extract.gazetteer import GazetteerEntry
from kb.extract.rules import (
    Head,
)
from kb.extract.tokens import (
    OPENING_QUOTES,
    Token,
    phrase_tokens,
)


class InstitutionRecognition:
    """Methods of the extractor (`kb.extract.extractor.Extractor`); state lives there."""

    # -- gazetteer --

    def _gazetteer_names(self, work: FindingWork) -> list[OrgCandidate]:
        tokens = work.tokens
        found = []
        for i, tok in enumerate(tokens):
            if not tok.is_alpha:
                continue
            if tok.is_cap:
                for n, entry in self._gaz_names.all_matches(tokens, i):
                    found.append(self._gaz_candidate(work, i, i + n, entry))
            if tok.text in self._gaz_acronyms:
                for entry in self._gaz_acronyms[tok.text]:
                    cand = self._gaz_candidate(work, i, i + 1, entry)
                    cand.acronym_of = tok.text
                    found.append(cand)
        # One candidate per span, holding every entry of that name.
        merged: dict[tuple[int, int], OrgCandidate] = {}
        for cand in found:
            key = (cand.start_tok, cand.end_tok)
            if key in merged:
                merged[key].gazetteer += cand.gazetteer
            else:
                merged[key] = cand
        return list(merged.values())

    def _gaz_candidate(self, work: FindingWork, i: int, j: int, entry: GazetteerEntry):
        _, _, text = work.surface(i, j)
        return OrgCandidate(i, j, text, phrase_tokens(text), gazetteer=(entry,))

    def _entry_ok(self, entry: GazetteerEntry) -> bool:
        return not entry.needs_country or entry.country == self.country

    def _usable(self, cand: OrgCandidate) -> bool:
        return any(self._entry_ok(e) for e in cand.gazetteer)

    def _infer_country(self) -> str | None:
        """The country of a local profile, from the curated bodies it names whose
        name is not shared with other countries (Migración Colombia, SENA…)."""
        votes: Counter[str] = Counter()
        for entry in self.gazetteer:
            if entry.jurisdiction == self.place_slug and entry.country:
                votes[entry.country] += 5
        for work in self.works:
            for cand in work.raw_gazetteer:
                for entry in cand.gazetteer:
                    if not entry.needs_country and entry.country:
                        votes[entry.country] += 1
        return votes.most_common(1)[0][0] if votes else None

    # -- rule-built institution names --

    def _plain_key(self, words: Sequence[str]) -> tuple[str, ...]:
        return strip_key(words, self.lang, self.place_words, self.municipal) or tuple(words)

    def _rule_orgs(self, work: FindingWork) -> list[OrgCandidate]:
        tokens = work.tokens
        lang = self.lang
        found: list[OrgCandidate] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if not tok.is_alpha:
                i += 1
                continue
            match = lang.heads.match(tokens, i)
            if match is None:
                i += 1
                continue
            n, head = match
            assert isinstance(head, Head)
            if tok.is_cap:
                built = self._build_name(work, i, n, head, found)
            else:
                built = self._lowercase_head(work, i, n, head, found)
            if not built:
                i += 1
                continue
            found.extend(built)
            i = max(c.end_tok for c in built)
        found += self._apposition_orgs(work, found)
        found += self._posts(work, found)
        found += self._cue_orgs(work, found)
        found.sort(key=lambda c: c.start_tok)
        found = self._acronym_phrases(work, found)
        return found

    def _lowercase_head(
        self, work: FindingWork, i: int, n: int, head: Head, before: list[OrgCandidate]
    ) -> list[OrgCandidate]:
        """A head written in lower case names one body only with a specific complement:
        a proper noun ("sous-préfecture de Montbrison", "association Terre d'Asile"), a
        quoted name ("comité technique « … »"), or, for the few heads listed as
        `lowercase_bare`, a definite article ("la police municipale")."""
        tokens = work.tokens
        lang = self.lang
        if head.plural or not lang.head_initial:
            return []  # English writes every name in Title Case
        bare = next(
            (
                len(words)
                for words in lang.lowercase_bare
                if tuple(t.folded for t in tokens[i : i + len(words)]) == words
            ),
            0,
        )
        built = self._build_name(work, i, n, head, before, lowercase=True)
        if not built:
            return []
        cand = built[0]
        if len(built) > 1 or cand.left_words or cand.parent_tok is not None:
            return []  # "le bureau de la Préfecture": a part of a named body
        if self._determiner_before(work, i) in lang.indefinites:
            return []  # "es un grupo de WhatsApp": a description, not a name
        specific = False
        place_only = True
        for k in range(i + n, cand.end_tok):
            t = tokens[k]
            if t.text in OPENING_QUOTES:
                specific, place_only = True, False
                break
            if t.is_alpha and t.is_cap and t.folded not in lang.determiners:
                specific = True
                if not self._is_place_at(tokens, k):
                    place_only = False
        if specific and (not place_only or head.bare):
            # Trailing lower-case words are the sentence's, not the name's
            # ("association Terre d'Asile pour un accompagnement …").
            end = cand.end_tok
            while end > i + n and not (
                tokens[end - 1].is_cap or tokens[end - 1].text in OPENING_QUOTES.values()
            ):
                end -= 1
            if end != cand.end_tok:
                _, _, text = work.surface(i, end)
                cand = replace(cand, end_tok=end, name=text, name_words=phrase_tokens(text))
            return [cand]
        definite = self._determiner_before(work, i) in (lang.articles | lang.contractions)
        if bare and definite:
            _, _, text = work.surface(i, i + bare)
            return [replace(cand, end_tok=i + bare, name=text, name_words=phrase_tokens(text))]
        if definite and not specific and head.words in lang.anaphoric_heads:
            _, _, text = work.surface(i, i + n)
            return [
                replace(
                    cand, end_tok=i + n, name=text, name_words=phrase_tokens(text), anaphor=True
                )
            ]
        return []

    def _posts(self, work: FindingWork, found: list[OrgCandidate]) -> list[OrgCandidate]:
        """A post written as an actor after a definite article ("le maire", "el
        alcalde"), unless it is part of a longer name ("Office of the Mayor")."""
        tokens = work.tokens
        lang = self.lang
        taken = {k for c in found for k in range(c.start_tok, c.end_tok)}
        out = []
        for i in range(1, len(tokens)):
            if i in taken or not tokens[i].is_alpha:
                continue
            match = lang.posts.match(tokens, i)
            if match is None:
                continue
            n, type_code = match
            if self._determiner_before(work, i) not in (lang.articles | lang.contractions):
                continue
            # A post followed by a capitalised name is a person's title ("el alcalde Pérez").
            if i + n < len(tokens) and tokens[i + n].is_cap and tokens[i + n].is_alpha:
                continue
            _, _, text = work.surface(i, i + n)
            words = phrase_tokens(text)
            head = Head(text, str(type_code), False, True, False, None, words)
            out.append(OrgCandidate(i, i + n, text, words, head=head))
        return out

    def _is_name_word(self, tok: Token) -> bool:
        return tok.is_alpha and tok.is_cap and not tok.is_acronym

    def _build_name(
        self,
        work: FindingWork,
        i: int,
        n: int,
        head: Head,
        before: list[OrgCandidate],
        *,
        lowercase: bool = False,
    ) -> list[OrgCandidate]:
        tokens = work.tokens
        lang = self.lang
        start = i
        if not lang.head_initial and not lowercase:
            floor = max((c.end_tok for c in before), default=0)
            while (
                start - 1 >= floor
                and self._is_name_word(tokens[start - 1])
                and tokens[start - 1].folded not in lang.stopwords
                and lang.keywords.match(tokens, start - 1) is None
            ):
                start -= 1
        left_words = i - start
        j = i + n
        last = j
        complement = 0
        parent_tok: int | None = None
        conjuncts: list[tuple[int, int, tuple[str, ...]]] = []  # (start, end, prep words)
        conj_start = i
        conj_prep: tuple[str, ...] = ()
        first_prep: tuple[str, ...] = ()
        while j < len(tokens):
            t = tokens[j]
            if t.text == "," and head.plural and complement and j + 1 < len(tokens):
                # "Secretarías de Cultura, Deporte y Turismo": a list of conjuncts;
                # "Secretarias Municipais de Habitação, de Cultura e de …": with the
                # preposition repeated.
                prep = lang.connectors.match(tokens, j + 1)
                k = j + 1 + (prep[0] if prep is not None else 0)
                if (
                    k < len(tokens)
                    and (self._is_name_word(tokens[k]) or (prep and self._lower_word(tokens, k)))
                    and lang.heads.match(tokens, k) is None
                    and (prep is None or tokens[j + 1].folded not in lang.coordinators)
                ):
                    conjuncts.append((conj_start, last, conj_prep))
                    conj_start = j + 1
                    conj_prep = tuple(x.folded for x in tokens[j + 1 : k])
                    j = k
                    if not self._is_name_word(tokens[k]):
                        j = last = k + 1
                        complement += 1
                    continue
            if not t.is_word:
                break
            conn = lang.connectors.match(tokens, j)
            if conn is not None:
                k = conn[0]
                words = tuple(x.folded for x in tokens[j : j + k])
                nxt = j + k
                if nxt >= len(tokens):
                    break
                nt = tokens[nxt]
                if words[0] in lang.coordinators and len(words) > 1:
                    break  # "and the …": another body follows
                if words[0] in lang.coordinators:
                    follow = lang.connectors.match(tokens, nxt)
                    if (
                        follow is not None
                        and nt.folded not in lang.coordinators
                        and not head.plural
                        and lang.lowercase_complements
                    ):
                        j = nxt  # "Office … de l'immigration et de l'intégration"
                        continue
                    if (
                        follow is not None
                        and head.plural
                        and nt.folded not in lang.coordinators
                        and self._lower_word(tokens, nxt + follow[0])
                    ):
                        # "Directions de la culture et du sport"
                        conjuncts.append((conj_start, last, conj_prep))
                        conj_start = nxt
                        conj_prep = tuple(x.folded for x in tokens[nxt : nxt + follow[0]])
                        j = last = nxt + follow[0] + 1
                        complement += 1
                        continue
                    if nt.folded in lang.determiners or nt.is_acronym or not nt.is_alpha:
                        break
                    if nt.is_cap and lang.heads.match(tokens, nxt) is not None:
                        break
                    if follow is not None and nt.folded not in lang.coordinators:
                        if not head.plural:
                            break
                        conjuncts.append((conj_start, last, conj_prep))
                        conj_start = nxt
                        conj_prep = tuple(x.folded for x in tokens[nxt : nxt + follow[0]])
                        j = nxt + follow[0]
                        continue
                    if not nt.is_cap:
                        break
                    if head.plural:
                        conjuncts.append((conj_start, last, conj_prep))
                        conj_start = nxt
                        conj_prep = ()
                    j = nxt
                    continue
                if (
                    words in lang.parent_connectors
                    and tokens[j - 1].folded not in lang.coordinators
                ) and (
                    (
                        nt.is_cap
                        and lang.heads.match(tokens, nxt) is not None
                        and not self._is_place_at(tokens, nxt)
                    )
                    or (nt.is_acronym and nt.text in self._paren_acronyms)
                ):
                    parent_tok = nxt  # "… de la Alcaldía", "… de la DSU"
                    break
                keyword = lang.keywords.match(tokens, nxt)
                if self._is_name_word(nt) and (keyword is None or keyword[1].plural):
                    if not first_prep:
                        first_prep = words
                    j = nxt
                    continue
                if (
                    lang.lowercase_complements
                    and nt.is_alpha
                    and not nt.is_cap
                    and nt.folded not in lang.determiners
                    and lang.connectors.match(tokens, nxt) is None
                ):
                    j = nxt + 1
                    last = j
                    complement += 1
                    continue
                break
            if self._is_name_word(t):
                keyword = lang.keywords.match(tokens, j)
                if keyword is not None and not keyword[1].plural:
                    break  # "Education Office Circular …": the title starts here
                if not lang.head_initial and t.folded in lang.stopwords:
                    break
                j += 1
                last = j
                complement += 1
                continue
            if not t.is_cap and t.is_alpha and self._name_adjective(t):
                j += 1
                last = j
                complement += 1
                continue
            break
        if not head.plural and j == last and last < len(tokens):
            # A quoted name after the head: "comité de pilotage « Vivre ensemble »".
            close = OPENING_QUOTES.get(tokens[last].text)
            k = last + 1
            while close and k < min(len(tokens), last + 16) and tokens[k].text != close:
                k += 1
            if (
                close
                and k < len(tokens)
                and tokens[k].text == close
                and k > last + 1
                and lang.keywords.match(tokens, last + 1) is None
            ):
                last = k + 1
                complement += 1
        if head.plural:
            if not conjuncts:
                return []  # "las secretarías municipales", "múltiples Secretarías"
            conjuncts.append((conj_start, last, conj_prep))
            return self._conjunct_candidates(work, head, conjuncts, parent_tok)
        multiword = len(head.words) > 1
        if not (complement or left_words or head.bare or (multiword and not head.needs_complement)):
            return []
        if head.needs_complement and not complement and not left_words and not head.bare:
            return []
        _, _, text = work.surface(start, last)
        cand = OrgCandidate(
            start,
            last,
            text,
            phrase_tokens(text),
            head=head,
            parent_tok=parent_tok,
            left_words=left_words,
        )
        return [cand]

    def _lower_word(self, tokens: Sequence[Token], k: int) -> bool:
        """A lower-case content word that may complete a French-style name."""
        if not self.lang.lowercase_complements or k >= len(tokens):
            return False
        t = tokens[k]
        return (
            t.is_alpha
            and not t.is_cap
            and t.folded not in self.lang.determiners
            and self.lang.connectors.match(tokens, k) is None
        )

    def _name_adjective(self, tok: Token, *, by_suffix: bool | None = None) -> bool:
        """A lower-case adjective that may sit inside a name or an unnamed instrument."""
        if tok.folded in self.lang.name_adjectives:
            return True
        if by_suffix is None:
            by_suffix = self.lang.lowercase_complements
        return (
            by_suffix
            and len(tok.folded) > 4
            and any(tok.folded.endswith(s) for s in self.lang.adjective_suffixes)
        )

    def _is_place_at(self, tokens: Sequence[Token], i: int) -> bool:
        return (
            any(tuple(t.folded for t in tokens[i : i + len(p)]) == p for p in self.place_words)
            or tokens[i].folded in self.lang.place_words
        )

    def _conjunct_candidates(
        self,
        work: FindingWork,
        head: Head,
        conjuncts: list[tuple[int, int, tuple[str, ...]]],
        parent_tok: int | None = None,
    ) -> list[OrgCandidate]:
        """'Secretarías del Interior y Planeación' -> two bodies, each with its own span
        and its name rebuilt from the singular head ("Secretaría de Planeación").

        A bare "y" does not split when the other conjuncts repeat their preposition
        ("Ministerios de Educación y de Ciencia y Tecnología") or when the joined name is one
        the profile writes elsewhere."""
        tokens = work.tokens
        head_end = conjuncts[0][0] + len(head.words)
        singular = replace(head, plural=False)
        repeated = any(prep for _, _, prep in conjuncts[1:])
        merged: list[tuple[int, int, tuple[str, ...]]] = []
        for s, e, prep in conjuncts:
            if merged and not prep and s > 0 and tokens[s - 1].folded in self.lang.coordinators:
                ps, _, pprep = merged[-1]
                joined = self._conjunct_name(work, head, ps, e, pprep, len(merged) == 1)
                if repeated or self._plain_key(phrase_tokens(joined)) in self._known_names:
                    merged[-1] = (ps, e, pprep)
                    continue
            merged.append((s, e, prep))
        if len(merged) < 2:
            # Not a coordination after all: one body under a plural head is generic.
            return []
        out = []
        for index, (s, e, prep) in enumerate(merged):
            if e <= s or (index == 0 and e <= head_end):
                continue
            name = self._conjunct_name(work, head, s, e, prep, index == 0)
            out.append(
                OrgCandidate(
                    s,
                    e,
                    name,
                    phrase_tokens(name),
                    head=singular,
                    synthetic=index > 0,
                    parent_tok=parent_tok,
                )
            )
        return out

    def _conjunct_name(
        self, work: FindingWork, head: Head, s: int, e: int, prep: tuple[str, ...], first: bool
    ) -> str:
        """The singular name of one conjunct: the head's label, the joiner, the words."""
        text = work.finding.text
        tokens = work.tokens
        if not first:
            words_start = s + len(prep)
            tail = text[tokens[words_start].start : tokens[e - 1].end]
            joiner = (
                text[tokens[s].start : tokens[words_start].start].strip()
                if prep
                else self.lang.default_preposition
            )
            return " ".join(x for x in (head.label, joiner, tail) if x)
        head_end = s + len(head.words)
        if e <= head_end:
            return head.label
        base = tokens[head_end].start
        tail = text[base : tokens[e - 1].end]
        # "Secretarias Municipais de …" -> "Secretaria Municipal de …"
        for t in reversed(tokens[head_end:e]):
            single = next(
                (a for a in self.lang.name_adjectives if plural_of(t.folded, a, self.lang)),
                None,
            )
            if single is not None:
                form = single.capitalize() if t.is_cap else single
                tail = tail[: t.start - base] + form + tail[t.end - base :]
        return f"{head.label} {tail}"

    def _choose_orgs(
        self, gazetteer: list[OrgCandidate], rules: list[OrgCandidate]
    ) -> list[OrgCandidate]:
        """Non-overlapping candidates: the longer span wins, the gazetteer on a tie.
        A rule name that extends a curated name from its first word is a branch or
        chapter of that body (its parent)."""
        pool = [(c, 0) for c in gazetteer if c.gazetteer] + [(c, 1) for c in rules]
        pool.sort(key=lambda x: (-(x[0].end_tok - x[0].start_tok), x[1], x[0].start_tok))
        chosen: list[OrgCandidate] = []
        taken: set[int] = set()
        for cand, _ in pool:
            span = set(range(cand.start_tok, cand.end_tok))
            if span & taken:
                continue
            chosen.append(cand)
            taken |= span
        for cand in chosen:
            if cand.gazetteer or cand.synthetic:
                continue
            for gaz in gazetteer:
                if (
                    gaz.gazetteer
                    and gaz.acronym_of is None
                    and gaz.start_tok == cand.start_tok
                    and gaz.end_tok < cand.end_tok
                ):
                    cand.chapter_of = gaz.gazetteer[0]
        chosen.sort(key=lambda c: c.start_tok)
        return chosen

    # -- absence --

    def _determiner_before(self, work: FindingWork, tok: int) -> str | None:
        if tok == 0:
            return None
        prev = work.tokens[tok - 1]
        if prev.folded in self.lang.determiners or prev.folded in self.lang.negations:
            return prev.folded
        if prev.folded.endswith("'s"):
            return "'s"
        return None

    def _absent(self, work: FindingWork, start_tok: int, cand: object) -> bool:
        """Stated as absent: a negation earlier in the sentence and an indefinite or
        bare noun phrase ("No existe una política…", "no cuenta con programas…")."""
        if isinstance(cand, OrgCandidate) and (cand.gazetteer or cand.head is None):
            return False
        sentence = work.sentence_of(start_tok)
        stop = start_tok
        if isinstance(cand, OrgCandidate):
            # "a organização não governamental X": the kind phrase negates nothing
            for words, _ in self.lang.org_cues:
                n = len(words)
                if (
                    start_tok >= n
                    and tuple(t.folded for t in work.tokens[start_tok - n : start_tok]) == words
                ):
                    stop = start_tok - n
                    break
        negated = any(negation_at(work.tokens, k, self.lang) for k in range(sentence.start, stop))
        if not negated:
            return False
        if isinstance(cand, InstrumentCandidate) and cand.kind != "generic":
            # A named instrument after a negation is not absent ("aún no ha aprobado
            # el proyecto de Ley …", "no ha ratificado el Convenio …"), unless the
            # negation or an indefinite article governs it ("There is no Migration
            # Strategy", "no cuenta con un Plan …").
            det = self._determiner_before(work, start_tok)
            if det in {"de", "d'"}:  # French "pas de Plan …" vs "projet de Loi …"
                k = start_tok - 2
                return k >= 0 and work.tokens[k].folded in self.lang.negations
            return det is not None and (det in self.lang.negations or det in self.lang.indefinites)
        det = self._determiner_before(work, start_tok)
        lang = self.lang
        definite = (
            det is not None
            and (
                det in lang.articles
                or det in lang.contractions
                or det in lang.possessives
                or det == "'s"
            )
            and det not in lang.indefinites
        )
        return not definite
