"""Policy instruments in one finding: numbered references, titled, sentence-case, quoted
and unnamed-but-existing instruments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from kb.extract.context import (
    FindingWork,
    InstrumentCandidate,
)
from kb.extract.rules import (
    Head,
    Keyword,
)
from kb.extract.tokens import (
    Token,
    quote_pairs,
)


class InstrumentRecognition:
    """Methods of the extractor (`kb.extract.extractor.Extractor`); state lives there."""

    # -- instruments --

    def _instruments(self, work: FindingWork) -> list[InstrumentCandidate]:
        found: list[InstrumentCandidate] = []
        found += self._numbered(work)
        found += self._titled(work)
        found += self._quoted(work)
        found += self._generic(work)
        order = {"numbered": 0, "quoted": 1, "titled": 2, "generic": 3}
        found.sort(key=lambda c: (-(c.end - c.start), order[c.kind], c.start))
        chosen: list[InstrumentCandidate] = []
        for cand in found:
            if any(cand.start < o.end and o.start < cand.end for o in chosen):
                continue
            # A curated body named like a programme ("Programa Mundial de Alimentos").
            if any(
                o.gazetteer
                and o.acronym_of is None
                and work.tokens[o.start_tok].start <= cand.start < work.tokens[o.end_tok - 1].end
                for o in work.orgs
            ):
                continue
            chosen.append(cand)
        chosen = [c for c in chosen if not self._absent(work, c.start_tok, c)]
        chosen.sort(key=lambda c: c.start)
        return self._merge_number_references(work, chosen)

    def _merge_number_references(
        self, work: FindingWork, chosen: list[InstrumentCandidate]
    ) -> list[InstrumentCandidate]:
        """ "Title (number reference)" is one instrument: "Ley Orgánica … (Ley 938 de
        2017)", "Lei de Acolhimento (Lei nº 5.432/2018)". The title keeps the identity,
        and the number reference alone names the same instrument elsewhere."""
        tokens = work.tokens
        text = work.finding.text
        out: list[InstrumentCandidate] = []
        for cand in chosen:
            prev = out[-1] if out else None
            if (
                prev is not None
                and cand.kind == "numbered"
                and prev.kind in {"titled", "quoted"}
                and prev.end_tok < len(tokens)
                and tokens[prev.end_tok + (prev.kind == "quoted")].text == "("
                and cand.start_tok == prev.end_tok + 1 + (prev.kind == "quoted")
                and (close := self._reference_close(tokens, cand.end_tok)) is not None
            ):
                end = tokens[close].end
                merged = replace(
                    prev,
                    end_tok=close + 1,
                    end=end,
                    title=text[prev.start : end],
                    key_title=prev.key_title or prev.title,
                    aliases=(*prev.aliases, cand.title),
                    creator_tok=prev.creator_tok or self._creator_after(work, close + 1),
                )
                out[-1] = merged
                continue
            out.append(cand)
        return out

    def _reference_close(self, tokens: Sequence[Token], k: int) -> int | None:
        """The ")" that closes a number reference ending at token k, past a date
        written after a comma: "(Lei nº 13.445, de 24 de maio de 2017)"."""
        lang = self.lang
        j = k
        while j < len(tokens) and j < k + 12:
            t = tokens[j]
            if t.text == ")":
                return j
            if not (
                t.text in {",", "/", "-", "–"}
                or t.is_number
                or t.folded in lang.months
                or (t.folded,) in lang.connectors
                or self._year_links.match(tokens, j) is not None
            ):
                return None
            j += 1
        return None

    def _keyword_at(self, tokens: Sequence[Token], i: int) -> tuple[int, Keyword] | None:
        match = self.lang.keywords.match(tokens, i)
        if match is None:
            return None
        n, kw = match
        assert isinstance(kw, Keyword)
        for phrase in self.lang.not_before:
            k = len(phrase)
            for s in range(max(0, i - k + 1), i + 1):
                if tuple(t.folded for t in tokens[s : s + k]) == phrase:
                    return None
        return n, kw

    def _left_modifiers(self, tokens: Sequence[Token], i: int) -> int:
        if self.lang.head_initial:
            return i
        start = i
        while (
            start - 1 >= 0
            and self._is_name_word(tokens[start - 1])
            and tokens[start - 1].folded not in self.lang.stopwords
        ):
            start -= 1
        return start

    def _candidate(self, work, s, e, keyword, kind, title=None, type_code=None):
        start, end, text = work.surface(s, e)
        return InstrumentCandidate(
            s, e, start, end, title or text, keyword, type_code or keyword.instrument_type, kind
        )

    def _numbered(self, work: FindingWork) -> list[InstrumentCandidate]:
        tokens = work.tokens
        out = []
        for i, tok in enumerate(tokens):
            if not tok.is_alpha:
                continue
            kw = self._keyword_at(tokens, i)
            if kw is None or not kw[1].numbered:
                continue
            j = i + kw[0]
            marker = self._number_markers.match(tokens, j)
            if marker is not None:
                j += marker[0]
            if marker is None and (date_end := self._date_after(tokens, j)) is not None:
                # "délibération du 14 avril 2021": a dated act without a number.
                start = self._left_modifiers(tokens, i)
                type_code = self.lang.numbered_types.get(tokens[i].folded, kw[1].instrument_type)
                cand = self._candidate(
                    work, start, date_end, kw[1], "numbered", type_code=type_code
                )
                cand.creator_tok = self._creator_after(work, date_end)
                out.append(cand)
                continue
            if j >= len(tokens) or not tokens[j].is_number:
                continue
            number_start = j
            j += 1
            # "13.445/2017", "1.234": glued digits and separators are one number.
            while (
                j + 1 < len(tokens)
                and tokens[j].text in {".", "/", "-"}
                and tokens[j].start == tokens[j - 1].end
                and tokens[j + 1].is_number
                and tokens[j + 1].start == tokens[j].end
            ):
                j += 2
            if j - number_start == 1 and re.fullmatch(r"\d{4}", tokens[number_start].text):
                work.number_spans.append((tokens[number_start].start, tokens[number_start].end))
            link = self._year_links.match(tokens, j)
            if link is not None and j + link[0] < len(tokens):
                year_tok = tokens[j + link[0]]
                if re.fullmatch(r"\d{4}", year_tok.text):
                    j += link[0] + 1
            date_end = self._date_after(tokens, j)
            if date_end is not None:
                j = date_end  # "n° 2019-45 du 3 juin 2019"
            start = self._left_modifiers(tokens, i)
            type_code = self.lang.numbered_types.get(tokens[i].folded, kw[1].instrument_type)
            cand = self._candidate(work, start, j, kw[1], "numbered", type_code=type_code)
            cand.creator_tok = self._creator_after(work, j)
            out.append(cand)
        return out

    def _date_after(self, tokens: Sequence[Token], j: int) -> int | None:
        """End of a full date that follows a reference ("du 3 juin 2019", "del 5 de
        mayo de 2020", "of 3 June 2019"), or None."""
        link = self._year_links.match(tokens, j)
        if link is None or tokens[j].text in {",", "/"}:
            return None
        k = j + link[0]
        if k >= len(tokens) or not (
            re.fullmatch(r"\d{1,2}", tokens[k].text) or tokens[k].folded in self.lang.months
        ):
            return None
        month = False
        for m in range(k, min(len(tokens), k + 6)):
            t = tokens[m]
            if t.folded in self.lang.months and not t.is_number:
                month = True
            elif re.fullmatch(r"\d{4}", t.text):
                return m + 1 if month else None
            elif (
                not (re.fullmatch(r"\d{1,2}", t.text) or t.text in {",", "º", "°"})
                and (t.folded,) not in self.lang.connectors
                and t.folded != "er"
            ):
                return None
        return None

    def _title_extent(self, work: FindingWork, j: int) -> tuple[int, int, int | None]:
        """Extend a title to the right: (end token, named words, creator token)."""
        tokens = work.tokens
        lang = self.lang
        last = j
        named = 0
        while j < len(tokens):
            t = tokens[j]
            if t.text in {"«", "“", '"'} and j == last:
                close = {"«": "»", "“": "”", '"': '"'}[t.text]
                k = j + 1
                while k < len(tokens) and tokens[k].text != close:
                    k += 1
                if k < len(tokens) and k > j + 1:
                    j = k + 1
                    last = j
                    named += 1
                    break
                break
            if (
                t.text in {"–", "—", "-"}
                and 0 < j < len(tokens) - 1
                and tokens[j - 1].is_number
                and tokens[j + 1].is_number
            ):
                j += 1  # "2020–2025": the en dash is a token of its own
                continue
            if not t.is_word:
                break
            conn = lang.connectors.match(tokens, j)
            if conn is not None:
                nxt = j + conn[0]
                if nxt >= len(tokens):
                    break
                nt = tokens[nxt]
                words = tuple(x.folded for x in tokens[j:nxt])
                if words[0] in lang.coordinators and (
                    nt.folded in lang.determiners or not (nt.is_cap or nt.is_number)
                ):
                    break
                if (
                    nt.is_cap
                    and lang.heads.match(tokens, nxt) is not None
                    and not self._is_place_at(tokens, nxt)
                    and lang.head_initial
                    and len(words) == 1
                    and words[0] in lang.coordinators
                    and named
                ):
                    # "Política … de Proteção e Defesa Civil": a head right after a bare
                    # coordinator, with no article, is a word of the title, not a body.
                    j = nxt + 1
                    last = j
                    named += 1
                    continue
                if (
                    nt.is_cap
                    and lang.heads.match(tokens, nxt) is not None
                    and not self._is_place_at(tokens, nxt)
                ):
                    return (
                        last,
                        named,
                        (nxt if words in lang.parent_connectors or len(words) == 1 else None),
                    )
                year_link = self._year_links.match(tokens, j) is not None
                if (
                    self._is_name_word(nt)
                    or (nt.is_number and year_link)
                    or nt.folded in lang.title_words
                ):
                    j = nxt
                    continue
                if (
                    lang.lowercase_complements
                    and nt.is_alpha
                    and not nt.is_cap
                    and nt.folded not in lang.determiners
                    and lang.connectors.match(tokens, nxt) is None
                ):
                    j = nxt + 1  # French titles are in sentence case
                    last = j
                    named += 1
                    continue
                break
            if self._is_name_word(t) or t.is_number or t.folded in lang.title_words:
                if self._is_name_word(t) and lang.heads.match(tokens, j) is not None and named:
                    break
                j += 1
                last = j
                named += 1
                continue
            if not t.is_cap and t.is_alpha and t.folded in lang.name_adjectives:
                j += 1
                last = j
                continue
            break
        return last, named, None

    def _titled(self, work: FindingWork) -> list[InstrumentCandidate]:
        tokens = work.tokens
        out = []
        for i, tok in enumerate(tokens):
            if not (tok.is_alpha and tok.is_cap):
                continue
            kw = self._keyword_at(tokens, i)
            if kw is None or kw[1].plural:
                continue
            after = i + kw[0]
            marker = self._number_markers.match(tokens, after)
            if marker is not None:
                after += marker[0]
            if kw[1].numbered and after < len(tokens) and tokens[after].is_number:
                continue  # "Circular 254 de 2018": the numbered pass reads it
            if self._apposition_head(tokens, self._after_title(work, i + kw[0])) is not None:
                continue
            start = self._left_modifiers(tokens, i)
            end, named, creator = self._title_extent(work, i + kw[0])
            multiword = len(kw[1].label.split()) > 1
            if named and self._sentence_case(tokens, i, kw[0]):
                end = self._year_suffix(tokens, end)
            if not named and start == i and self._sentence_case(tokens, i, kw[0]):
                # "Convenio sobre la seguridad social (norma mínima), 1952 (núm. 102)"
                end = self._sentence_case_end(tokens, i + kw[0])
                if end is not None:
                    type_code = self.lang.sentence_case_types.get(tokens[i].folded)
                    cand = self._candidate(work, i, end, kw[1], "titled", type_code=type_code)
                    cand.creator_tok = self._creator_after(work, end)
                    out.append(cand)
                    continue
            if not named and start == i and not multiword:
                continue
            if end <= i + kw[0] - 1:
                continue
            cand = self._candidate(work, start, end, kw[1], "titled")
            cand.creator_tok = creator if creator is not None else self._creator_after(work, end)
            out.append(cand)
        return out

    def _sentence_case(self, tokens: Sequence[Token], i: int, n: int) -> bool:
        return tuple(t.folded for t in tokens[i : i + n]) in self.lang.sentence_case

    def _sentence_case_end(self, tokens: Sequence[Token], j: int) -> int | None:
        """A title in sentence case runs on over lower-case words to a clear end: a
        year introduced by a comma or a year link (", 1952", "de 2021"), maybe followed
        by "(núm. 102)"; or a "(núm. N)" of its own. Without such an end there is no
        title (the words may be the sentence's own)."""
        lang = self.lang
        conn = lang.connectors.match(tokens, j)
        if conn is None or tokens[j].folded in lang.coordinators:
            return None
        k = j + conn[0]
        words = 0
        limit = min(len(tokens), j + 24)
        while k < limit:
            t = tokens[k]
            if t.text == "(":
                close = next(
                    (m for m in range(k + 1, min(len(tokens), k + 6)) if tokens[m].text == ")"),
                    None,
                )
                if close is None:
                    return None
                if self._number_markers.match(tokens, k + 1) is not None:
                    return close + 1  # "(núm. 102)"
                if not all(x.is_alpha and not x.is_cap for x in tokens[k + 1 : close]):
                    return None
                k = close + 1
                continue
            if t.text == "," or (t.is_word and self._year_links.match(tokens, k) is not None):
                link = self._year_links.match(tokens, k)
                step = link[0] if link is not None else 1
                if k + step < len(tokens) and re.fullmatch(r"\d{4}", tokens[k + step].text):
                    end = k + step + 1
                    if (
                        end + 1 < len(tokens)
                        and tokens[end].text == "("
                        and self._number_markers.match(tokens, end + 1) is not None
                    ):
                        close = next(
                            (
                                m
                                for m in range(end + 2, min(len(tokens), end + 6))
                                if tokens[m].text == ")"
                            ),
                            None,
                        )
                        if close is not None:
                            end = close + 1
                    return end
                if t.text == ",":
                    return None
            if not t.is_alpha:
                return None
            if t.is_cap and lang.heads.match(tokens, k) is not None:
                return None
            words += 1
            if words > 12:
                return None
            k += 1
        return None

    def _year_suffix(self, tokens: Sequence[Token], end: int) -> int:
        """ ", 1961" (and "(no 143)") closing a convention's title belongs to it."""
        if not (
            end + 1 < len(tokens)
            and tokens[end].text == ","
            and re.fullmatch(r"\d{4}", tokens[end + 1].text)
        ):
            return end
        k = end + 2
        if k < len(tokens) and tokens[k].is_word:
            return end  # ", 2015 a vu …": the year starts a clause
        if (
            k + 1 < len(tokens)
            and tokens[k].text == "("
            and self._number_markers.match(tokens, k + 1)
        ):
            close = next(
                (m for m in range(k + 2, min(len(tokens), k + 6)) if tokens[m].text == ")"), None
            )
            if close is not None:
                return close + 1
        return k

    def _quoted(self, work: FindingWork) -> list[InstrumentCandidate]:
        text = work.finding.text
        tokens = work.tokens
        out = []
        for qs, qe in quote_pairs(text):
            inner = [k for k, t in enumerate(tokens) if qs <= t.start and t.end <= qe]
            if not inner:
                continue
            a, b = inner[0], inner[-1] + 1
            kw = self._keyword_at(tokens, a)
            before = self._keyword_before(tokens, a - 2)
            after = self.lang.keywords.match(tokens, b + 1) if b + 1 < len(tokens) else None
            keyword: Keyword | None = None
            if kw is not None:
                keyword = kw[1]
            elif before is not None:
                keyword = before
            elif after is not None and not self.lang.head_initial:
                keyword = after[1]
            if keyword is None:
                continue
            if before is None and self._apposition_head(tokens, b + 1) is not None:
                continue
            start, end = tokens[a].start, tokens[b - 1].end
            cand = InstrumentCandidate(
                a, b, start, end, text[start:end], keyword, keyword.instrument_type, "quoted"
            )
            cand.creator_tok = self._creator_after(work, b + 1)
            out.append(cand)
        return out

    def _keyword_before(self, tokens: Sequence[Token], k: int) -> Keyword | None:
        """A keyword right before a quotation, maybe with adjectives between
        ("programa municipal «…»")."""
        steps = 0
        while k >= 0 and steps < 3:
            for s in range(max(0, k - 3), k + 1):
                match = self.lang.keywords.match(tokens, s)
                if match is not None and s + match[0] - 1 == k:
                    return match[1]
            if not (tokens[k].is_alpha and not tokens[k].is_cap):
                return None
            k -= 1
            steps += 1
        return None

    def _apposition_head(self, tokens: Sequence[Token], k: int) -> Head | None:
        """'“X” es un grupo de WhatsApp': the text says X is a body (a head noun
        after a copula), so X is an institution, not an instrument."""
        if k >= len(tokens) or tokens[k].folded not in self.lang.copulas:
            return None
        k += 1
        if k < len(tokens) and tokens[k].folded in self.lang.determiners:
            k += 1
        match = self.lang.heads.match(tokens, k)
        if match is None or self.lang.keywords.match(tokens, k) is not None:
            return None
        head = match[1]
        assert isinstance(head, Head)
        return None if head.plural else head

    def _after_title(self, work: FindingWork, j: int) -> int:
        """First token after a capitalised title starting at j (for apposition checks)."""
        tokens = work.tokens
        while j < len(tokens) and self._is_name_word(tokens[j]):
            j += 1
        if j < len(tokens) and tokens[j].text in {"”", "»", '"'}:
            j += 1
        return j

    def _generic(self, work: FindingWork) -> list[InstrumentCandidate]:
        """Unnamed but existing instruments written in lower case."""
        tokens = work.tokens
        lang = self.lang
        out = []
        for i, tok in enumerate(tokens):
            if not tok.is_alpha or tok.is_cap or tok.folded not in lang.generic_keywords:
                continue
            kw = self._keyword_at(tokens, i)
            if kw is None:
                continue
            if lang.head_initial:
                j = i + 1
                adjectives = 0
                while (
                    j < len(tokens)
                    and adjectives < 2
                    and tokens[j].is_alpha
                    and not tokens[j].is_cap
                    and lang.generic_complement_starts.match(tokens, j) is None
                    and lang.connectors.match(tokens, j) is None
                    and tokens[j].folded not in lang.determiners
                ):
                    j += 1
                    adjectives += 1
                comp = lang.generic_complement_starts.match(tokens, j)
                if comp is None:
                    continue
                if not adjectives and tokens[j].folded in lang.contractions:
                    # "les parcours des familles": a complement with an article is an
                    # argument ("the paths of the people"), not a kind of instrument.
                    continue
                k = j + comp[0]
                if (
                    k >= len(tokens)
                    or not tokens[k].is_alpha
                    or tokens[k].folded in lang.determiners
                ):
                    continue
                end = k + 1
                while (
                    end < len(tokens)
                    and tokens[end].is_alpha
                    and (tokens[end].is_cap or self._name_adjective(tokens[end], by_suffix=True))
                ):
                    end += 1
                # Follow "de X" chains ("vivienda de interés social").
                while end + 1 < len(tokens):
                    conn = lang.connectors.match(tokens, end)
                    if conn is None or tokens[end].folded in lang.coordinators:
                        break
                    words = tuple(x.folded for x in tokens[end : end + conn[0]])
                    if words[0] not in {"de", "del", "d'", "do", "da", "dos", "das", "du", "des"}:
                        break
                    nxt = end + conn[0]
                    if nxt >= len(tokens) or not tokens[nxt].is_alpha:
                        break
                    end = nxt + 1
                    while (
                        end < len(tokens)
                        and tokens[end].is_alpha
                        and (
                            tokens[end].is_cap or self._name_adjective(tokens[end], by_suffix=True)
                        )
                    ):
                        end += 1
                start = i
            else:
                start = i
                mods = 0
                while (
                    start - 1 >= 0
                    and tokens[start - 1].is_alpha
                    and not tokens[start - 1].is_cap
                    and tokens[start - 1].folded not in lang.determiners
                    and tokens[start - 1].folded not in lang.negations
                    and mods < 3
                ):
                    start -= 1
                    mods += 1
                if not mods or self._determiner_before(work, start) is None:
                    continue
                end = i + kw[0]
            cand = self._candidate(work, start, end, kw[1], "generic")
            out.append(cand)
        return out

    def _creator_after(self, work: FindingWork, j: int) -> int | None:
        """'… de la Alcaldía de X', '… of the City Council': the issuer's first token."""
        tokens = work.tokens
        cue = self.lang.creator_cues.match(tokens, j) if j < len(tokens) else None
        if cue is None:
            return None
        k = j + cue[0]
        if k < len(tokens) and tokens[k].folded in self.lang.articles:
            k += 1
        return k if k < len(tokens) and tokens[k].is_cap else None
