"""Read an MGI profile text into a `Profile` (the rules are FORMAT.md's).

`parse_profile` works on text and touches no files; `read_profile` is the one
function that reads a file. Anything that cannot be read as a profile raises
`ProfileParseError` with the file, the 1-based line, what was expected and the
FORMAT.md section; a profile is returned whole or not at all.

The words the parser looks for live in `kb.parse.vocabulary`; this module
only knows the layout.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum, auto
from pathlib import Path

from kb.errors import ProfileParseError
from kb.model import Assessment, Domain, Finding, Intro, PlaceKind, Profile
from kb.parse import vocabulary as vocab
from kb.parse.source import MAX_PROFILE_BYTES, check_line_lengths, read_bounded
from kb.text import normalise

__all__ = ["decode_profile", "parse_profile", "read_profile"]


# --- vocabulary in matching form, built once -------------------------------------


def _by_language(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Normalised wording -> language; the first language listed wins a tie."""
    found: dict[str, str] = {}
    for language, wordings in table.items():
        for wording in wordings:
            found.setdefault(normalise(wording), language)
    return found


def _all_words(table: Mapping[object, Iterable[str]]) -> frozenset[str]:
    return frozenset(normalise(w) for wordings in table.values() for w in wordings)


_MARKERS = _by_language(vocab.KEY_FINDINGS_MARKERS)
_INTRO_HEADINGS = _all_words(vocab.INTRO_HEADINGS)
_CLICK_PREFIXES = tuple(sorted(_all_words(vocab.CLICK_PREFIXES)))
_PROFILE_PHRASES = _by_language(vocab.PROFILE_PHRASES)
_HEREINAFTER = _all_words(vocab.HEREINAFTER_PHRASES)
_DATE_CONNECTORS = frozenset(normalise(w) for w in vocab.DATE_CONNECTORS)
_DOMAIN_WORDINGS = {
    normalise(wording): domain
    for domain, by_language in vocab.DOMAIN_WORDINGS.items()
    for wordings in by_language.values()
    for wording in wordings
}
_DOMAIN_LABELS = {domain: vocab.DOMAIN_WORDINGS[domain]["en"][0] for domain in Domain}
_MONTHS = {
    normalise(name): month
    for month, by_language in vocab.MONTH_NAMES.items()
    for names in by_language.values()
    for name in names
}
_LIST_KEYWORDS = tuple(
    (assessment, normalise(keyword), language)
    for assessment, keyword, language in vocab.LIST_HEADING_KEYWORDS
)
# Longest first over every kind, so "estado plurinacional" (a country) is
# tried before "estado" (a region).
_PLACE_TYPES = tuple(
    sorted(
        ((word, kind) for kind, table in vocab.PLACE_TYPES.items() for word in _all_words(table)),
        key=lambda entry: len(entry[0]),
        reverse=True,
    )
)
_PREPOSITIONS = frozenset(normalise(p) for p in vocab.PREPOSITIONS)
_ELIDED_PREPOSITIONS = tuple(p for p in _PREPOSITIONS if p.endswith("'"))
_MULTIWORD_PREPOSITIONS = tuple(
    sorted((p for p in _PREPOSITIONS if " " in p), key=lambda p: p.count(" "), reverse=True)
)

_BULLET = re.compile(
    "[^\\S\\n]*[" + re.escape("".join(vocab.BULLET_MARKERS)) + "](?:\\s+(.*))?",
    re.DOTALL,
)
_DIGITS = re.compile("[0-9]+")
_YEAR = re.compile("[0-9]{4}")
_WORD = re.compile(r"\S+")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
# Quote marks and punctuation around a short name: "(ci-après : « X »)".
_NAME_STRIP = "\"'“”„«»‘’‹›:, \t\u00a0\u202f"

# Wordings quoted in error messages come from the tables too.
_INTRO_NAMES = " / ".join(
    dict.fromkeys(w.upper() for ws in vocab.INTRO_HEADINGS.values() for w in ws)
)
_HEADING_EXAMPLES = f"{_INTRO_NAMES} or one of the six domain headings"


def _list_example(wanted: Assessment) -> str:
    keywords = " / ".join(k for a, k, _ in vocab.LIST_HEADING_KEYWORDS if a is wanted)
    return f"a line ending with ':' that says {keywords}"


_WD_EXAMPLE = _list_example(Assessment.WELL_DEVELOPED)
_POTENTIAL_EXAMPLE = _list_example(Assessment.POTENTIAL)
_MISSING_MARKER_HINT = (
    "; it looks like a domain heading: is the key-findings marker before it missing?"
)


# --- lines --------------------------------------------------------------------------


class _Kind(Enum):
    BLANK = auto()
    DIGITS = auto()  # stray page number, §2.2
    CLICK = auto()  # "click the wheel" chrome, §2.6
    MARKER = auto()  # key-findings marker, §2.2
    BULLET = auto()
    TEXT = auto()


_STRAY = frozenset({_Kind.BLANK, _Kind.DIGITS, _Kind.CLICK})


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based
    text: str  # trimmed
    kind: _Kind
    bullet: str = ""  # finding text, for bullets only

    def quoted(self, limit: int = 70) -> str:
        shown = self.text if len(self.text) <= limit else self.text[: limit - 1] + "…"
        return repr(shown)


def _starts_with_words(normalised: str, prefix: str) -> bool:
    """True when `normalised` begins with `prefix` as whole words."""
    if not normalised.startswith(prefix):
        return False
    rest = normalised[len(prefix) :]
    return not rest or not rest[0].isalnum()


def _classify(number: int, raw: str) -> _Line:
    text = raw.strip()
    if not text:
        return _Line(number, text, _Kind.BLANK)
    if _DIGITS.fullmatch(text):
        return _Line(number, text, _Kind.DIGITS)
    bullet = _BULLET.fullmatch(raw)
    if bullet:
        # The marker counts only when whitespace (or the line end) follows it.
        return _Line(number, text, _Kind.BULLET, (bullet.group(1) or "").rstrip())
    matching = normalise(text)
    if matching in _MARKERS:
        return _Line(number, text, _Kind.MARKER)
    if any(_starts_with_words(matching, prefix) for prefix in _CLICK_PREFIXES):
        return _Line(number, text, _Kind.CLICK)
    return _Line(number, text, _Kind.TEXT)


def _split_lines(text: str) -> list[_Line]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return [_classify(number, raw) for number, raw in enumerate(text.split("\n"), 1)]


# --- matching helpers (pure) ----------------------------------------------------------


def _domain_of(heading: str, *, fallback: bool = True) -> Domain | None:
    """Domain of a block heading: exact wording first, then keywords (§3)."""
    matching = normalise(heading)
    if matching in _DOMAIN_WORDINGS:
        return _DOMAIN_WORDINGS[matching]
    if not fallback:
        return None
    for domain, groups in vocab.DOMAIN_KEYWORDS:
        if all(any(keyword in matching for keyword in group) for group in groups):
            return domain
    return None


def _list_keywords(text: str) -> tuple[Assessment, str | None] | None:
    """Assessment and language named by list-heading keywords (§2.4, §4)."""
    matching = normalise(text)
    for assessment, keyword, language in _LIST_KEYWORDS:
        if keyword in matching:
            return assessment, language
    return None


def _list_heading(line: _Line) -> tuple[Assessment, str | None] | None:
    """A non-bullet line ending with ':' that names a list."""
    if line.kind is not _Kind.TEXT or not line.text.endswith(":"):
        return None
    return _list_keywords(line.text)


def _read_date(text: str) -> str | None:
    """'2022 March', 'Marzo 2021', 'Março de 2019' -> 'YYYY-MM' (§2.5)."""
    words = normalise(text).split(" ")
    year = month = None
    if len(words) == 2 and _YEAR.fullmatch(words[0]) and words[1] in _MONTHS:
        year, month = words[0], _MONTHS[words[1]]
    elif len(words) == 2 and words[0] in _MONTHS and _YEAR.fullmatch(words[1]):
        year, month = words[1], _MONTHS[words[0]]
    elif (
        len(words) == 3
        and words[0] in _MONTHS
        and words[1] in _DATE_CONNECTORS
        and _YEAR.fullmatch(words[2])
    ):
        year, month = words[2], _MONTHS[words[0]]
    if year is None or month is None:
        return None
    return f"{year}-{month:02d}"


def _read_title(text: str) -> tuple[str, str] | None:
    """'<profile phrase>: <designation>' -> (title language, designation)."""
    phrase, colon, designation = text.partition(":")
    language = _PROFILE_PHRASES.get(normalise(phrase)) if colon else None
    if language is None:
        return None
    return language, designation.strip()


def _leading_words(text: str, words: Sequence[re.Match[str]], wanted: str) -> int:
    """How many leading words of `text` normalise to `wanted` (0 if they don't)."""
    for count, word in enumerate(words, 1):
        matching = normalise(text[: word.end()])
        if matching == wanted:
            return count
        if not wanted.startswith(matching):
            break
    return 0


def _raw_prefix_length(word: str, wanted: str) -> int:
    """Length of the raw prefix of `word` that normalises to `wanted` ("d’")."""
    for end in range(1, len(word) + 1):
        if normalise(word[:end]) == wanted:
            return end
    return 0


def _name_after_preposition(designation: str, words: Sequence[re.Match[str]], start: int) -> str:
    """The place name: everything after the first preposition from word `start` on."""
    for index in range(start, len(words)):
        word = words[index]
        for preposition in _MULTIWORD_PREPOSITIONS:
            size = preposition.count(" ") + 1
            tail = words[index + 1 : index + size]
            # "de la Ciudad de X" splits after "de la"; in "de La Molina" the
            # capital shows the article belongs to the name.
            if (
                len(tail) == size - 1
                and all(w.group().islower() for w in tail)
                and normalise(designation[word.start() : tail[-1].end()]) == preposition
            ):
                return designation[tail[-1].end() :].strip()
        matching = normalise(word.group())
        if matching in _PREPOSITIONS:
            return designation[word.end() :].strip()
        for elided in _ELIDED_PREPOSITIONS:
            if matching.startswith(elided) and len(matching) > len(elided):
                cut = _raw_prefix_length(word.group(), elided)
                return (word.group()[cut:] + designation[word.end() :]).strip()
    # No preposition ("República Dominicana"): the place-type word is part of the name.
    return designation.strip()


def _split_designation(designation: str) -> tuple[PlaceKind, str]:
    """'Municipio de Santa Inés de Guaracá' -> (CITY, 'Santa Inés de Guaracá')."""
    words = list(_WORD.finditer(designation))
    for place_type, kind in _PLACE_TYPES:
        count = _leading_words(designation, words, place_type)
        if count:
            return kind, _name_after_preposition(designation, words, count)
    return PlaceKind.COUNTRY, designation.strip()


def _short_name(paragraphs: Iterable[str]) -> str | None:
    """X from the first '(en adelante, X)' / '(hereinafter, X)' … in the intro."""
    for paragraph in paragraphs:
        for group in _PARENTHESES.finditer(paragraph):
            content = group.group(1)
            words = list(_WORD.finditer(content))
            # The phrase is a few words, optionally followed by a comma.
            for word in words[:4]:
                phrase, comma, _ = content[: word.end()].partition(",")
                if normalise(phrase) in _HEREINAFTER:
                    cut = len(phrase) + len(comma)
                    name = content[cut:].strip(_NAME_STRIP)
                    if name:
                        return name
    return None


# --- the reader -----------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    """One key-findings marker and the significant lines up to the next one."""

    marker: _Line
    lines: list[_Line]
    is_last: bool


@dataclass(slots=True)
class _DomainBlock:
    domain: Domain
    heading: _Line
    list_headings: dict[Assessment, _Line] = field(default_factory=dict)
    bullets: list[tuple[Assessment, _Line]] = field(default_factory=list)
    language: str | None = None  # findings language named by the list headings

    def count(self, assessment: Assessment) -> int:
        return sum(1 for a, _ in self.bullets if a is assessment)

    @property
    def reading(self) -> Assessment | None:
        """The list being read, None before the first list heading."""
        if Assessment.POTENTIAL in self.list_headings:
            return Assessment.POTENTIAL
        if Assessment.WELL_DEVELOPED in self.list_headings:
            return Assessment.WELL_DEVELOPED
        return None

    @property
    def complete(self) -> bool:
        return self.count(Assessment.WELL_DEVELOPED) > 0 and self.count(Assessment.POTENTIAL) > 0

    def name(self) -> str:
        label = _DOMAIN_LABELS[self.domain]
        return f"domain {self.domain.value} ({label}) at line {self.heading.number}"


class _Reader:
    def __init__(self, text: str, *, source: str, error_path: str | Path) -> None:
        self.source = source
        self.error_path = error_path
        self.lines = _split_lines(text)

    def error(self, message: str, line: int, section: str) -> ProfileParseError:
        return ProfileParseError(message, path=self.error_path, line=line, section=section)

    # -- overall layout

    def read(self) -> Profile:
        significant = [line for line in self.lines if line.kind not in _STRAY]
        if not significant:
            raise self.error("empty profile: the file has no text", 0, "2")
        blocks = self.blocks()
        intro_block, domain_blocks = blocks[0], blocks[1:]
        intro, trailer = self.read_intro(intro_block)
        domains: dict[Domain, _DomainBlock] = {}
        domain = None  # the last block's, once the loop is done
        for block in domain_blocks:
            domain, trailer = self.read_domain(block)
            if domain.domain in domains:
                first = domains[domain.domain]
                raise self.error(
                    f"domain block {domain.heading.quoted()} repeats "
                    f"{first.name()}: each domain has exactly one block",
                    domain.heading.number,
                    "2.4",
                )
            domains[domain.domain] = domain
        self.check_complete(domains, domain, trailer)
        date_line, title_line = self.check_trailer(trailer)
        return self.assemble(blocks[0].marker, intro, list(domains.values()), date_line, title_line)

    def blocks(self) -> list[_Block]:
        markers = [index for index, line in enumerate(self.lines) if line.kind is _Kind.MARKER]
        if not markers:
            known = ", ".join(repr(m) for ms in vocab.KEY_FINDINGS_MARKERS.values() for m in ms)
            raise self.error(
                f"no key-findings marker: expected a line such as {known} "
                "before the intro and before each domain block",
                0,
                "2.2",
            )
        blocks = []
        for position, start in enumerate(markers):
            end = markers[position + 1] if position + 1 < len(markers) else len(self.lines)
            body = [line for line in self.lines[start + 1 : end] if line.kind not in _STRAY]
            is_last = position + 1 == len(markers)
            if not body:
                after = (
                    "the file ends there"
                    if is_last
                    else f"the next marker follows at line {self.lines[end].number}"
                )
                raise self.error(
                    f"block heading expected after the key-findings marker, but {after}",
                    self.lines[start].number,
                    "2.2",
                )
            blocks.append(_Block(self.lines[start], body, is_last))
        return blocks

    # -- intro (§2.3)

    def read_intro(self, block: _Block) -> tuple[list[_Line], list[_Line]]:
        """Intro paragraphs, and the trailer if the file ends in the intro."""
        heading = block.lines[0]
        if heading.kind is _Kind.BULLET:
            raise self.error(
                f"finding outside any domain: bullet {heading.quoted()} before any domain "
                "block; expected the intro heading after the first key-findings marker",
                heading.number,
                "2.4",
            )
        if _list_heading(heading):
            raise self.error(
                f"list heading {heading.quoted()} before any domain block: expected the "
                "intro heading after the first key-findings marker",
                heading.number,
                "2.4",
            )
        if normalise(heading.text) not in _INTRO_HEADINGS:
            domain = _domain_of(heading.text) if heading.kind is _Kind.TEXT else None
            found = f"domain heading {heading.quoted()}" if domain else heading.quoted()
            raise self.error(
                f"intro heading ({_INTRO_NAMES}) expected after "
                f"the first key-findings marker (line {block.marker.number}), found {found}",
                heading.number,
                "2.3",
            )
        body = block.lines[1:]
        trailer: list[_Line] = []
        if block.is_last:
            for index, line in enumerate(body):
                if line.kind is _Kind.TEXT and _read_date(line.text):
                    body, trailer = body[:index], body[index:]
                    break
        for line in body:
            if line.kind is _Kind.BULLET:
                raise self.error(
                    f"finding outside any domain: bullet {line.quoted()} in the intro block; "
                    "findings belong in domain blocks, after a list heading",
                    line.number,
                    "2.4",
                )
            if _list_heading(line):
                raise self.error(
                    f"list heading {line.quoted()} in the intro block, before any domain "
                    "block: expected a key-findings marker and a domain heading first",
                    line.number,
                    "2.4",
                )
        return [heading, *body], trailer

    # -- domain blocks (§2.4, §3)

    def read_domain(self, block: _Block) -> tuple[_DomainBlock, list[_Line]]:
        """The block's lists, and the trailer if this is the last block."""
        heading = block.lines[0]
        domain = self.heading_domain(block)
        result = _DomainBlock(domain, heading)
        body = block.lines[1:]
        for index, line in enumerate(body):
            if line.kind is _Kind.BULLET:
                self.add_bullet(result, line)
                continue
            named = _list_heading(line)
            if named is not None:
                self.add_list_heading(result, line, *named)
                continue
            # The last block runs into the trailer: a date line, or any other
            # line once both lists are there (checked as the trailer).
            if block.is_last and (result.complete or _read_date(line.text)):
                return result, body[index:]
            raise self.unexpected_line(result, line, is_last=block.is_last)
        if not block.is_last:
            self.check_lists(result)
        return result, []

    def heading_domain(self, block: _Block) -> Domain:
        heading = block.lines[0]
        if heading.kind is _Kind.BULLET:
            raise self.error(
                f"finding outside any domain: bullet {heading.quoted()} right after the "
                f"key-findings marker at line {block.marker.number}; expected a domain heading",
                heading.number,
                "2.4",
            )
        if _list_heading(heading):
            raise self.error(
                f"list heading {heading.quoted()} right after the key-findings marker at line "
                f"{block.marker.number}: the domain heading is missing",
                heading.number,
                "2.4",
            )
        if normalise(heading.text) in _INTRO_HEADINGS:
            raise self.error(
                f"second intro heading {heading.quoted()}: the intro is the first block only",
                heading.number,
                "2.3",
            )
        domain = _domain_of(heading.text)
        if domain is None:
            raise self.error(
                f"unknown block heading {heading.quoted()}: it is not an intro heading and "
                f"names none of the six domains (expected {_HEADING_EXAMPLES})",
                heading.number,
                "3",
            )
        return domain

    def add_bullet(self, result: _DomainBlock, line: _Line) -> None:
        if result.reading is None:
            raise self.error(
                f"finding outside any list: bullet {line.quoted()} in {result.name()} comes "
                f"before the well-developed list heading ({_WD_EXAMPLE})",
                line.number,
                "2.4",
            )
        if not line.bullet:
            raise self.error(
                "bullet without finding text: expected '<marker> <text>'", line.number, "2.4"
            )
        result.bullets.append((result.reading, line))

    def add_list_heading(
        self, result: _DomainBlock, line: _Line, assessment: Assessment, language: str | None
    ) -> None:
        if assessment in result.list_headings:
            first = result.list_headings[assessment]
            raise self.error(
                f"second {assessment.value} list heading in {result.name()} "
                f"(the first is at line {first.number})",
                line.number,
                "2.4",
            )
        if assessment is Assessment.POTENTIAL:
            if Assessment.WELL_DEVELOPED not in result.list_headings:
                raise self.error(
                    f"{result.name()} has no well-developed list: its potential list heading "
                    f"at line {line.number} comes first (expected the well-developed list "
                    f"before it: {_WD_EXAMPLE})",
                    result.heading.number,
                    "2.4",
                )
            self.check_not_empty(result, Assessment.WELL_DEVELOPED)
        elif Assessment.POTENTIAL in result.list_headings:
            raise self.error(
                f"well-developed list heading after the potential list in {result.name()}: "
                "the well-developed list comes first",
                line.number,
                "2.4",
            )
        result.list_headings[assessment] = line
        if result.language is None:
            result.language = language

    def check_not_empty(self, result: _DomainBlock, assessment: Assessment) -> None:
        if result.count(assessment) == 0:
            heading = result.list_headings[assessment]
            raise self.error(
                f"the {assessment.value} list of {result.name()} has no bullets: expected at "
                "least one '• finding' line after its heading",
                heading.number,
                "2.4",
            )

    def check_lists(self, result: _DomainBlock) -> None:
        """Both lists present, each with a bullet; a missing list names the domain line."""
        reading = result.reading
        if reading is None:
            raise self.error(
                f"{result.name()} has no lists: expected the well-developed list heading "
                f"({_WD_EXAMPLE}), its bullets, then the potential list",
                result.heading.number,
                "2.4",
            )
        self.check_not_empty(result, Assessment.WELL_DEVELOPED)
        if reading is Assessment.WELL_DEVELOPED:
            raise self.error(
                f"{result.name()} has no potential list: expected its heading "
                f"({_POTENTIAL_EXAMPLE}) and bullets after the well-developed bullets",
                result.heading.number,
                "2.4",
            )
        self.check_not_empty(result, Assessment.POTENTIAL)

    def unexpected_line(self, result: _DomainBlock, line: _Line, *, is_last: bool) -> Exception:
        expected = {
            None: f"the well-developed list heading ({_WD_EXAMPLE})",
            Assessment.WELL_DEVELOPED: f"a bullet or the potential list heading "
            f"({_POTENTIAL_EXAMPLE})",
            Assessment.POTENTIAL: "a bullet or the next key-findings marker"
            + (" or the date line" if is_last else ""),
        }[result.reading]
        hint = ""
        if _domain_of(line.text, fallback=False):
            hint = _MISSING_MARKER_HINT
        elif _list_keywords(line.text) and not line.text.endswith(":"):
            hint = "; it reads like a list heading, but list headings end with ':'"
        elif line.text.endswith(":"):
            hint = "; a list heading names 'well-developed' or 'potential' areas"
        return self.error(
            f"unexpected line {line.quoted()} in {result.name()}: expected {expected}{hint}",
            line.number,
            "2.4",
        )

    # -- after the last block

    def last_line(self) -> int:
        return max(line.number for line in self.lines if line.kind is not _Kind.BLANK)

    def check_complete(
        self,
        domains: dict[Domain, _DomainBlock],
        last: _DomainBlock | None,
        trailer: list[_Line],
    ) -> None:
        missing = [d for d in Domain if d not in domains]
        missing_text = ", ".join(f"{d.value} ({_DOMAIN_LABELS[d]})" for d in missing)
        if not trailer and (missing or (last is not None and not last.complete)):
            # Nothing after the last bullet: name everything that is not there.
            parts = []
            if last is None:
                parts.append("the file ends after the intro block")
            elif not last.complete:
                parts.append(f"the file ends inside {last.name()}, {self.lists_missing(last)}")
            else:
                parts.append(f"the file ends after {last.name()}")
            if missing:
                parts.append(f"missing domain blocks: {missing_text}")
            parts.append("no trailer (date line and title line); the text looks truncated")
            raise self.error("; ".join(parts), self.last_line(), "2")
        if last is not None:
            self.check_lists(last)
        if missing and not _read_date(trailer[0].text):
            # A line that is not the date: say what it is before counting domains.
            self.check_trailer(trailer)
        if missing:
            raise self.error(
                f"expected six domain blocks, found {len(domains)}; missing: {missing_text}",
                trailer[0].number,
                "2.4",
            )

    def lists_missing(self, result: _DomainBlock) -> str:
        if result.reading is None:
            return "before its well-developed list"
        if result.reading is Assessment.WELL_DEVELOPED:
            return "before its potential list"
        return "with an empty potential list"

    def check_trailer(self, trailer: list[_Line]) -> tuple[_Line, _Line]:
        if not trailer:
            raise self.error(
                "the file ends without the trailer: expected a date line (e.g. '2022 March') "
                "and then the title line after the last bullet",
                self.last_line(),
                "2.5",
            )
        date_line = trailer[0]
        if date_line.kind is not _Kind.TEXT or not _read_date(date_line.text):
            hint = ""
            if _domain_of(date_line.text, fallback=False):
                hint = _MISSING_MARKER_HINT
            raise self.error(
                f"date line expected after the last bullet, found {date_line.quoted()}: "
                "expected 'YYYY Month', 'Month YYYY' or 'Month de YYYY'" + hint,
                date_line.number,
                "2.5",
            )
        if len(trailer) == 1:
            raise self.error(
                "title line expected after the date line (e.g. 'Migration Governance Profile: "
                "City of X'), but the file ends there",
                date_line.number,
                "2.5",
            )
        if len(trailer) > 2:
            raise self.error(
                f"unexpected line {trailer[1].quoted()} after the date line: only the title "
                "line may follow it, as the last non-blank line",
                trailer[1].number,
                "2.5",
            )
        title_line = trailer[1]
        phrases = ", ".join(repr(p) for ps in vocab.PROFILE_PHRASES.values() for p in ps)
        title = _read_title(title_line.text) if title_line.kind is _Kind.TEXT else None
        if title is None:
            raise self.error(
                f"title line {title_line.quoted()} is not '<profile phrase>: <designation>' "
                f"with a known profile phrase ({phrases})",
                title_line.number,
                "2.5",
            )
        _, designation = title
        if not designation or not _split_designation(designation)[1]:
            raise self.error(
                f"title line {title_line.quoted()} names no place after the profile phrase",
                title_line.number,
                "2.5",
            )
        return date_line, title_line

    # -- result

    def assemble(
        self,
        marker: _Line,
        intro: list[_Line],
        domains: list[_DomainBlock],
        date_line: _Line,
        title_line: _Line,
    ) -> Profile:
        findings: list[Finding] = []
        for block in domains:
            positions = dict.fromkeys(Assessment, 0)
            for assessment, line in block.bullets:
                positions[assessment] += 1
                findings.append(
                    Finding(
                        n=len(findings) + 1,
                        domain=block.domain,
                        assessment=assessment,
                        position=positions[assessment],
                        text=line.bullet,
                        line=line.number,
                    )
                )
        title_language, designation = _read_title(title_line.text) or ("", "")
        place_kind, place_name = _split_designation(designation)
        paragraphs = tuple(line.text for line in intro[1:])
        findings_language = next((b.language for b in domains if b.language), None)
        if findings_language is None:
            # Only "potencial" headings: shared by es and pt, so say so.
            raise self.error(
                "cannot tell the findings language: no well-developed list heading names it",
                domains[0].list_headings[Assessment.WELL_DEVELOPED].number,
                "4",
            )
        return Profile(
            title=title_line.text,
            title_language=title_language,
            place_name=place_name,
            designation=designation,
            level=place_kind.level,
            findings_language=findings_language,
            chrome_language=_MARKERS[normalise(marker.text)],
            date=_read_date(date_line.text) or "",
            date_text=date_line.text,
            intro=Intro(heading=intro[0].text, paragraphs=paragraphs),
            findings=tuple(findings),
            short_name=_short_name(paragraphs),
            source=self.source,
            place_kind=place_kind,
        )


# --- public API -----------------------------------------------------------------------


def parse_profile(text: str, *, source: str = "<text>") -> Profile:
    """Parse the text of one MGI profile (FORMAT.md) into a `Profile`.

    `source` names the text in errors and becomes `Profile.source`. CRLF line
    ends and a leading BOM are accepted.
    """
    return _Reader(text, source=source, error_path=source).read()


def decode_profile(data: bytes, *, source: str) -> str:
    """Decode a profile file: UTF-8 (a BOM is dropped), CRLF turned into LF.

    Binary data (a NUL byte) or bytes that are not UTF-8 raise
    `ProfileParseError` at the line of the first bad byte.

    >>> decode_profile(b"\\xef\\xbb\\xbfKey findings\\r\\nINTRODUCTION", source="x.txt")
    'Key findings\\nINTRODUCTION'
    >>> try:
    ...     decode_profile(b"ok\\n\\x89PNG", source="x.png")
    ... except ProfileParseError as exc:
    ...     print(exc.line, exc.message)
    2 not UTF-8 text: byte 0x89 at line 2, column 1
    """
    body = data.removeprefix(codecs.BOM_UTF8)
    nul = body.find(b"\x00")
    try:
        text = body.decode("utf-8")
        bad = -1
    except UnicodeDecodeError as exc:
        text, bad = "", exc.start
    if nul >= 0 and (bad < 0 or nul < bad):
        line = body.count(b"\n", 0, nul) + 1
        raise ProfileParseError(
            f"binary data, not a profile text: NUL byte at line {line}",
            path=source,
            line=line,
            section="1",
        )
    if bad >= 0:
        line = body.count(b"\n", 0, bad) + 1
        column = bad - (body.rfind(b"\n", 0, bad) + 1) + 1
        raise ProfileParseError(
            f"not UTF-8 text: byte 0x{body[bad]:02x} at line {line}, column {column}",
            path=source,
            line=line,
            section="1",
        )
    text = text.replace("\r\n", "\n")
    check_line_lengths(text, source)
    return text


def read_profile(path: Path) -> Profile:
    """Read, decode and parse one profile file; `Profile.source` is its file name.

    Errors name the path as given, so a caller can print them as they are.
    Only a regular file of at most `MAX_PROFILE_BYTES` is read: a FIFO, a
    device or a link to one is refused before a byte is read, so a build
    never waits on a pipe or reads /dev/zero.
    """
    path = Path(path)
    data = read_bounded(path, MAX_PROFILE_BYTES)
    text = decode_profile(data, source=str(path))
    return _Reader(text, source=path.name, error_path=path).read()
