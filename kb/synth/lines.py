"""The trailer of a synthetic profile and its lines as written (markers, blanks, stray lines)."""

from __future__ import annotations

from kb.model import Assessment, Domain
from kb.synth.pools import (
    LANGUAGES,
    LanguagePack,
)
from kb.synth.style import (
    BLANK_STYLE_WEIGHTS,
    BLANK_STYLES,
    CASE_STYLES,
    CASE_WEIGHTS,
    DATE_FORMS,
    FRENCH_COLON_WEIGHTS,
    FRENCH_COLONS,
    INDENT_WEIGHTS,
    INDENTS,
    MARKER_WEIGHTS,
    MARKERS,
    P_ABOUT,
    P_ABOUT_TITLE_TWICE,
    P_CRLF,
    P_FINAL_NEWLINE,
    P_INDENTED_LINES,
    P_MIXED_MARKERS,
    P_ONE_DESCRIPTION,
    P_STRAY_ANYWHERE,
    P_STRAY_DIGITS,
    P_TRAILING_BLANKS,
    P_TRAILING_WHITESPACE,
    P_WD_PREFIX,
    P_WHITESPACE_BLANKS,
    SyntheticFinding,
    SyntheticLayout,
    apply_case,
    capitalise,
)
from kb.text import fold_accents


class LineWriting:
    """Methods of `kb.synth.generator.ProfileWriter`; its state lives there."""

    # -- trailer -------------------------------------------------------------------

    def _date_line(self) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        month_lang = (
            self.chrome if roll < 0.5 else self.lang if roll < 0.75 else rng.choice(LANGUAGES)
        )
        month = rng.choice(self.pools.languages[month_lang].months[self.month - 1])
        forms = list(DATE_FORMS)
        if month_lang not in ("es", "pt") and rng.random() > 0.1:
            forms.remove("month-de-year")  # "Juillet de 2020" is allowed but rare
        form = rng.choice(forms)
        text = {
            "year-month": f"{self.year} {month}",
            "month-year": f"{month} {self.year}",
            "month-de-year": f"{month} de {self.year}",
        }[form]
        roll = rng.random()
        if roll < 0.15:
            text = text.upper()
        elif roll < 0.3:
            text = text.lower()
        if rng.random() < 0.15:
            text = fold_accents(text)
        return text, form

    # -- writing the lines -----------------------------------------------------------

    def _write(
        self,
        title: str,
        date_text: str,
        date_form: str,
        intro_heading: str,
        intro: list[str],
        findings: list[SyntheticFinding],
    ) -> tuple[SyntheticLayout, str]:
        rng = self.rng
        chrome = self.pools.languages[self.chrome]
        about = rng.random() < P_ABOUT
        stray_digits = rng.random() < P_STRAY_DIGITS
        stray_anywhere = rng.random() < P_STRAY_ANYWHERE
        marker_line = rng.choice(chrome.key_findings)
        primary = rng.choices(MARKERS, weights=MARKER_WEIGHTS)[0]
        markers = [primary]
        if rng.random() < P_MIXED_MARKERS:
            markers += rng.sample([m for m in MARKERS if m != primary], k=rng.randint(1, 2))
        indent = rng.choices(INDENTS, weights=INDENT_WEIGHTS)[0]
        after_marker = rng.choices((" ", "  ", "   "), weights=(8, 1, 1))[0]
        self.blank_style = rng.choices(BLANK_STYLES, weights=BLANK_STYLE_WEIGHTS)[0]
        self.whitespace_blanks = rng.random() < P_WHITESPACE_BLANKS
        heading_case = rng.choices(CASE_STYLES, weights=CASE_WEIGHTS)[0]
        mixed_case = rng.random() < 0.1
        trailing_ws = rng.random() < P_TRAILING_WHITESPACE
        crlf = rng.random() < P_CRLF
        colon = rng.choices(FRENCH_COLONS, weights=FRENCH_COLON_WEIGHTS)[0]
        with_prefix = rng.random() < P_WD_PREFIX
        wd_heading = self._list_heading(rng.choice(self.pack.well_developed), colon)
        if with_prefix:
            prefix = self._list_heading(rng.choice(self.pack.well_developed_prefix), colon)
            wd_heading = f"{prefix} {wd_heading}"
        pot_heading = self._list_heading(rng.choice(self.pack.potential), colon)
        click_line = rng.choice(chrome.click)
        # FORMAT.md §1: any line may be indented; real profiles indent only bullets.
        pad = indent if rng.random() < P_INDENTED_LINES else ""
        stray_lines = ["1", "1", "2", "12", click_line]

        lines: list[str] = []
        self.lines = lines
        if about:
            self._about(chrome)

        def marker() -> None:
            if lines:  # no blank lines before the first line of the file
                self._blank("block")
            if stray_digits:
                lines.append(f"{pad}1")
            lines.append(f"{pad}{marker_line}")
            self._blank("marker")

        def stray() -> None:
            if stray_anywhere and rng.random() < 0.15:
                lines.append(rng.choice(stray_lines))

        # Intro block.
        marker()
        lines.append(intro_heading)
        self._blank("heading")
        click_at = rng.choices(("middle", "end", "none"), weights=(7, 1, 2))[0]
        for i, paragraph in enumerate(intro):
            if i == len(intro) - 1 and click_at == "middle":
                lines.append(click_line)
                self._blank("major")
            lines.append(paragraph)
            self._blank("major")
        if click_at == "end":
            lines.append(click_line)

        # Domain blocks.
        by_domain: dict[Domain, list[SyntheticFinding]] = {}
        for finding in findings:
            by_domain.setdefault(finding.domain, []).append(finding)
        for domain, block in by_domain.items():
            marker()
            style = rng.choice(CASE_STYLES) if mixed_case else heading_case
            heading = self._typography(rng.choice(self.pack.domains[domain.value - 1]))
            lines.append(pad + apply_case(heading, style))
            self._blank("heading")
            for assessment, list_heading in (
                (Assessment.WELL_DEVELOPED, wd_heading),
                (Assessment.POTENTIAL, pot_heading),
            ):
                if assessment is Assessment.POTENTIAL:
                    self._blank("major")
                lines.append(f"{pad}{list_heading}")
                self._blank("heading")
                stray()
                bullet = rng.choice(markers)
                items = [f for f in block if f.assessment is assessment]
                for j, finding in enumerate(items):
                    tail = (
                        rng.choice((" ", "\t", "  ")) if trailing_ws and rng.random() < 0.3 else ""
                    )
                    lines.append(f"{indent}{bullet}{after_marker}{finding.text}{tail}")
                    if j < len(items) - 1:
                        self._blank("bullet")
                        stray()

        # Trailer.
        self._blank("trailer")
        lines.append(date_text)
        self._blank("trailer")
        lines.append(title)
        if rng.random() < P_TRAILING_BLANKS:
            lines.append("")
        separator = "\r\n" if crlf else "\n"
        text = separator.join(lines)
        if rng.random() < P_FINAL_NEWLINE:
            text += separator
        layout = SyntheticLayout(
            about_block=about,
            stray_number_lines=stray_digits,
            stray_lines_anywhere=stray_anywhere,
            indented_lines=bool(pad),
            key_findings_marker=marker_line,
            bullet_markers=tuple(markers),
            indent=indent,
            heading_case="mixed" if mixed_case else heading_case,
            date_form=date_form,
            domain_order=tuple(by_domain),
            crlf=crlf,
            ends_with_newline=text.endswith("\n"),
            curly_apostrophes=self.curly,
        )
        return layout, text

    def _list_heading(self, wording: str, colon: str) -> str:
        # The pools write French colons as " :"; re-space them as drawn.
        if self.lang != "fr":
            return self._typography(wording)
        return self._typography(wording.rstrip(" :\u00a0\u202f") + colon)

    def _about(self, chrome: LanguagePack) -> None:
        rng, lines = self.rng, self.lines
        about_title = rng.choice(chrome.about_titles)
        lines.extend([about_title] * (2 if rng.random() < P_ABOUT_TITLE_TWICE else 1))
        one_description = rng.random() < P_ONE_DESCRIPTION
        for d in range(6):
            self._blank("about")
            name = self._typography(chrome.about_domains[d])
            lines.extend([name, name])
            topic = chrome.about_topics[d]
            descriptions = [rng.choice(chrome.about_national)]
            if not one_description:
                descriptions.append(rng.choice(chrome.about_local))
            for description in descriptions:
                lines.append("")
                lines.append(self._typography(capitalise(description.replace("{topic}", topic))))
        self._blank("about")

    def _blank(self, where: str) -> None:
        """Blank lines between two lines; they carry no meaning (FORMAT.md §2)."""
        rng, style = self.rng, self.blank_style
        if style == "messy":
            count = rng.randint(0, 2)
        elif where in ("about", "trailer"):
            count = 1 if style != "tight" else rng.randint(0, 1)
        elif where == "marker":
            count = 1 if style == "loose" and rng.random() < 0.3 else 0
        elif where == "bullet":
            count = 1 if style == "loose" else 0
        elif where == "heading":
            count = 0 if style == "tight" else 1
        elif where == "block":  # before a block's "1"/marker; Bucaramanga often has none
            count = 0 if style == "tight" or (style == "compact" and rng.random() < 0.5) else 1
        else:  # major
            count = 0 if style == "tight" and rng.random() < 0.8 else 1
        for _ in range(count):
            if self.whitespace_blanks and rng.random() < 0.5:
                self.lines.append(rng.choice((" ", "  ", "\t", " \t")))
            else:
                self.lines.append("")
