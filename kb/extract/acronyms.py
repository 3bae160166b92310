"""Acronyms: names whose initials an acronym in parentheses spells, bodies introduced by a
cue word, and acronyms defined once then used later in the profile."""

from __future__ import annotations

from collections.abc import Sequence

from kb.extract.context import (
    Candidate,
    FindingWork,
    InstrumentCandidate,
    OrgCandidate,
    acronym_like,
    align_initials,
    contains_phrase,
)
from kb.extract.rules import (
    Head,
)
from kb.extract.tokens import (
    Token,
    fold,
    phrase_tokens,
    quote_pairs,
)


class AcronymRecognition:
    """Methods of the extractor (`kb.extract.extractor.Extractor`); state lives there."""

    # -- acronyms that spell a name's initials --

    def _initials_start(self, tokens: Sequence[Token], paren: int, acronym: str) -> int | None:
        """Start of the phrase before "(ACR)" whose initials spell ACR, or None.

        Each content word gives a prefix of itself (at least its first letter) or is
        skipped; function words (connectors, articles) are skipped freely; the first
        word must give the acronym's first letter. Few content words may be skipped
        (IMEBU skips "Fomento Empresarial"). The start is a capitalised word or a head."""
        letters = fold(acronym)
        if not letters.isalpha() or len(letters) < 2:
            return None
        lang = self.lang
        k = paren - 1
        floor = max(0, paren - 16)
        starts = []
        while k >= floor:
            t = tokens[k]
            if t.text == "," and k + 1 < paren and tokens[k + 1].is_cap:
                k -= 1  # a comma inside a long name ("Política Migratoria, Registro e …")
                continue
            if not t.is_alpha:
                break
            starter = (t.is_cap and t.folded not in lang.determiners) or lang.heads.match(tokens, k)
            if starter and t.folded not in lang.stopwords and not t.is_acronym:
                starts.append(k)
            k -= 1
        best: tuple[int, int] | None = None  # (skips, -len)
        best_start = None
        for start in starts:
            words: list[str] = []
            for t in tokens[start:paren]:
                if not t.is_alpha:
                    continue
                if (t.folded,) in lang.connectors or t.folded in lang.determiners:
                    words.append("")
                    continue
                words.extend(p for p in t.folded.replace("'", "-").split("-") if p)
            skips = align_initials(letters, [w for w in words if w])
            if skips is None:
                continue
            content = sum(1 for w in words if w)
            if skips > max(1, content // 3):
                continue
            score = (skips, -(paren - start))
            if best is None or score < best:
                best, best_start = score, start
        return best_start

    def _acronym_phrases(self, work: FindingWork, found: list[OrgCandidate]) -> list[OrgCandidate]:
        """ "Name (ACR)" where ACR spells the name's initials: the whole phrase is one
        body. This joins a name cut at a coordinator ("Coordenadoria … de Proteção e
        Defesa Civil (COMHDEC)") or at a lower-case word ("Association nationale des
        maires et élus ruraux (ANMER)"), and it finds names whose head is in no
        list ("Fondo Nacional de Vivienda (FONAVI)"), if they state a scope or
        the place ("Nacional", "Regional", a demonym)."""
        tokens = work.tokens
        lang = self.lang
        for p in range(1, len(tokens) - 2):
            if not (
                tokens[p].text == "(" and acronym_like(tokens[p + 1]) and tokens[p + 2].text == ")"
            ):
                continue
            start = self._initials_start(tokens, p, tokens[p + 1].text)
            if start is None:
                continue
            if (
                lang.keywords.match(tokens, start) is not None
                and lang.heads.match(tokens, start) is None
            ):
                continue  # "Plan … (PCS)": an instrument
            inside = [c for c in found if c.start_tok < p and c.end_tok > start]
            if any(c.start_tok == start and c.end_tok == p for c in inside):
                continue
            if any(c.start_tok < start or c.end_tok > p or c.synthetic for c in inside):
                continue
            head: Head | None = None
            left = 0
            if inside and inside[0].start_tok == start:
                head, left = inside[0].head, inside[0].left_words
            else:
                match = lang.heads.match(tokens, start)
                if match is not None:
                    head = match[1]  # type: ignore[assignment]
            if head is not None and head.plural:
                continue
            _, _, text = work.surface(start, p)
            words = phrase_tokens(text)
            if head is None:
                if len([w for w in words if (w,) not in lang.connectors]) < 2:
                    continue
                stated = any(contains_phrase(words, m) for m, _ in lang.scope_markers) or any(
                    w[:5] in self._place_stems for w in words if len(w) >= 5
                )
                cue_type = self._org_cue_before(tokens, start)
                reused = tokens[p + 1].text in self._reused_acronyms
                if not (stated or cue_type or reused):
                    continue
                head = Head(
                    tokens[start].text,
                    cue_type or self.rules.fallback_type,
                    False,
                    False,
                    False,
                    None,
                    (tokens[start].folded,),
                )
            found = [c for c in found if c not in inside]
            found.append(OrgCandidate(start, p, text, words, head=head, left_words=left))
        found.sort(key=lambda c: c.start_tok)
        return found

    def _org_cue_before(self, tokens: Sequence[Token], start: int) -> str | None:
        """Type of a kind phrase right before `start` ("the NGO", "la ONG"), or None."""
        for words, type_code in self.lang.org_cues:
            n = len(words)
            if start >= n and all(tokens[start - n + i].folded == w for i, w in enumerate(words)):
                return type_code
        return None

    def _cue_orgs(self, work: FindingWork, found: list[OrgCandidate]) -> list[OrgCandidate]:
        """A capitalised name introduced by its kind, with no head noun: "the NGO
        Open Hands", "la ONG Manos Unidas". The name runs over capitalised words and
        connectors between them."""
        tokens = work.tokens
        lang = self.lang
        out = []
        for k in range(1, len(tokens)):
            cue_type = self._org_cue_before(tokens, k)
            if cue_type is None or not self._is_name_word(tokens[k]):
                continue
            if any(c.start_tok <= k < c.end_tok for c in found):
                continue
            e = k + 1
            while e < len(tokens):
                if self._is_name_word(tokens[e]):
                    e += 1
                    continue
                m = lang.connectors.match(tokens, e)
                if (
                    m is not None
                    and e + m[0] < len(tokens)
                    and self._is_name_word(tokens[e + m[0]])
                ):
                    if tokens[e].folded in lang.coordinators:
                        break
                    e += m[0]
                    continue
                break
            if (
                e < len(tokens)
                and tokens[e].text == "("
                and acronym_like(tokens[min(e + 1, len(tokens) - 1)])
            ):
                pass  # the initials rule decides "Name (ACR)"
            elif tokens[k].folded in lang.stopwords:
                continue
            else:
                _, _, text = work.surface(k, e)
                head = Head(
                    tokens[k].text, cue_type, False, False, False, None, (tokens[k].folded,)
                )
                out.append(OrgCandidate(k, e, text, phrase_tokens(text), head=head, left_words=0))
        return out

    def _apposition_orgs(self, work: FindingWork, found: list[OrgCandidate]) -> list[OrgCandidate]:
        """A quoted name the text calls a body ("el “Código Alerta” es un grupo…")."""
        tokens = work.tokens
        out = []
        for qs, qe in quote_pairs(work.finding.text):
            inner = [k for k, t in enumerate(tokens) if qs <= t.start and t.end <= qe]
            if not inner or any(c.start_tok <= inner[0] < c.end_tok for c in found):
                continue
            head = self._apposition_head(tokens, inner[-1] + 2)
            if head is None:
                continue
            a, b = inner[0], inner[-1] + 1
            _, _, text = work.surface(a, b)
            out.append(OrgCandidate(a, b, text, phrase_tokens(text), head=head, left_words=b - a))
        return out

    # -- acronyms --

    def _acronym_definitions(self) -> dict[str, Candidate]:
        """Acronyms given in parentheses right after a name, profile-wide:
        acronym -> the candidate that defines it (first definition wins)."""
        defined: dict[str, Candidate] = {}
        for work in self.works:
            tokens = work.tokens
            for cand in [*work.orgs, *work.instruments]:
                if isinstance(cand, OrgCandidate) and cand.acronym_of is not None:
                    continue
                e = cand.end_tok
                if isinstance(cand, InstrumentCandidate) and cand.kind == "quoted":
                    e += 1  # past the closing quotation mark
                if (
                    e + 2 < len(tokens)
                    and tokens[e].text == "("
                    and acronym_like(tokens[e + 1])
                    and tokens[e + 2].text == ")"
                ):
                    defined.setdefault(tokens[e + 1].text, cand)
        return defined

    def _acronym_mentions(self, work: FindingWork, defined: dict[str, Candidate]) -> None:
        taken = {k for c in work.orgs for k in range(c.start_tok, c.end_tok)}
        taken_i = {k for c in work.instruments for k in range(c.start_tok, c.end_tok)}
        for k, tok in enumerate(work.tokens):
            if not acronym_like(tok) or tok.text not in defined:
                continue
            target = defined[tok.text]
            if isinstance(target, InstrumentCandidate):
                if k in taken_i:
                    continue
                cand = InstrumentCandidate(
                    k,
                    k + 1,
                    tok.start,
                    tok.end,
                    tok.text,
                    target.keyword,
                    target.instrument_type,
                    "acronym",
                )
                cand.entity = f"=acr:{tok.text}"
                work.instruments.append(cand)
                continue
            if k in taken:
                # A curated acronym already matched here: let the definition decide.
                for c in work.orgs:
                    if c.start_tok == k and c.acronym_of == tok.text:
                        c.gazetteer = ()
                        c.head = None
                        c.entity = f"=acr:{tok.text}"
                continue
            cand = OrgCandidate(k, k + 1, tok.text, (tok.folded,), acronym_of=tok.text)
            cand.entity = f"=acr:{tok.text}"
            work.orgs.append(cand)
        work.orgs.sort(key=lambda c: c.start_tok)
        work.instruments.sort(key=lambda c: c.start)
        self._acronym_targets = defined
