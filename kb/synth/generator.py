"""Synthetic MGI profiles in the profile text format, for scale tests (issue 7).

`write_synthetic_profiles(out_dir, count=N, seed=S)` writes N invented
profiles, `{place-slug}-{year}.txt`, in the text format of
`profiles/FORMAT.md`, so that the real parser, extractor, builder and
validator can be exercised at scale. Each profile draws its own variant of
everything FORMAT.md allows: findings language (en/es/fr/pt) and a page-chrome
language that may differ, local or national level and the matching
designations, About block or none, stray digit and click lines, heading
wordings and case styles, list-heading wordings with or without the prefix,
French space/U+00A0/U+202F before colons, bullet markers, indentation, date
forms with months in any language, CRLF, final newline or not.

Findings are built from templates (`data/synth/{lang}.toml`) that name
institutions from a shared, skewed pool (`data/synth/institutions.toml`), so a
few bodies (IOM, UNHCR, the migration authority of a frequent invented
country) recur in most profiles, as in real corpora. Places, countries and
local bodies are invented; only the five UN bodies are real.

Determinism: profile i depends only on (seed, i), through its own
`random.Random`; the same (count, seed) gives byte-identical files, and a
smaller run is a prefix of a larger one.

Template slots: `{role[instance][:FORM]}`.
- institution roles: intl nat gov sec secs coord rights centre clinic risk
  police civ council; instrument roles: plan norm law prog route draft; `here` is the
  assessed place (its short name, or "el municipio", "the City", …).
- FORM: S (sentence start, capitalised), O (with article; default), DE, A,
  CON (with the language's preposition and contraction: del/al, du/au/des,
  do/da/ao/à, of/to/with).
- a digit makes a second, distinct entity of the same role: {rights2:A}.
- scalars: svc topic gap absent (per-domain phrases), year num short place
  country.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from math import gcd
from pathlib import Path

from kb.model import Assessment, Domain, Level
from kb.synth.lines import LineWriting
from kb.synth.mentions import MentionWriting
from kb.synth.pools import (
    DEFAULT_POOLS,
    INSTRUMENT_ROLES,
    LANGUAGES,
    SLOT,
    PlaceType,
    SynthPoolError,
    SynthPools,
    Template,
    load_pools,
)
from kb.synth.style import (
    CASE_STYLES,
    CASE_WEIGHTS,
    FIRST_YEAR,
    FRENCH_ELISION,
    LAST_YEAR,
    P_BARE_COUNTRY,
    P_CHROME_SAME_AS_FINDINGS,
    P_CURLY,
    P_FINDINGS_IN_COUNTRY_LANGUAGE,
    P_INTRO_EXTRA,
    P_NATIONAL,
    P_SHUFFLED_DOMAINS,
    P_STRAY_QUOTE,
    SCRAMBLE,
    FindingState,
    PlantedMention,
    SyntheticFinding,
    SyntheticLayout,
    SyntheticProfile,
    UnfillableError,
    apply_case,
    capitalise,
    phrase,
    thousands,
)
from kb.text import fold_accents, slugify

__all__ = [
    "DEFAULT_POOLS",
    "PlantedMention",
    "SynthPoolError",
    "SynthPools",
    "SyntheticFinding",
    "SyntheticLayout",
    "SyntheticProfile",
    "build_synthetic_profile",
    "iter_synthetic_profiles",
    "load_pools",
    "profile_rng",
    "synthesize_profile",
    "write_synthetic_profiles",
]


def profile_rng(seed: int, index: int) -> random.Random:
    """The random stream of profile `index` under `seed`.

    A string seed is hashed (SHA-512) by `random`, so the stream is the same on
    every run and platform, and each profile's stream is independent of how
    many profiles are generated.
    """
    # Test data, not secrets: a seeded, reproducible generator is the point.
    return random.Random(f"mgi-synth/{seed}/{index}")  # noqa: S311


def synthesize_profile(index: int, rng: random.Random, pools: SynthPools) -> tuple[str, str]:
    """One synthetic profile as (file name, text); pure given `rng`'s state."""
    profile = build_synthetic_profile(index, rng, pools)
    return profile.file_name, profile.text


def build_synthetic_profile(index: int, rng: random.Random, pools: SynthPools) -> SyntheticProfile:
    """One synthetic profile with the structure it was generated from.

    The place name encodes `index`, so different indices never share a slug.
    """
    return _ProfileWriter(index, rng, pools).build()


def iter_synthetic_profiles(
    count: int, seed: int, pools: SynthPools | None = None
) -> Iterator[SyntheticProfile]:
    """Profiles 0 … count-1 under `seed`, generated lazily."""
    if count < 0:
        raise ValueError("count must not be negative")
    pools = pools or load_pools()
    seen: set[str] = set()
    for index in range(count):
        profile = build_synthetic_profile(index, profile_rng(seed, index), pools)
        if profile.slug in seen:  # unreachable by construction; fail loudly if not
            raise RuntimeError(f"duplicate synthetic slug {profile.slug!r} at index {index}")
        seen.add(profile.slug)
        yield profile


def write_synthetic_profiles(
    out_dir: Path, *, count: int, seed: int, pools: SynthPools | None = None
) -> list[Path]:
    """Write `count` profiles into `out_dir` (created if needed); return their paths.

    Files of the same name are overwritten; other files in `out_dir` are left
    alone.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for profile in iter_synthetic_profiles(count, seed, pools):
        path = out_dir / profile.file_name
        # Bytes, not text mode: CRLF profiles must keep their line ends exactly.
        path.write_bytes(profile.text.encode("utf-8"))
        paths.append(path)
    return paths


class _ProfileWriter(MentionWriting, LineWriting):
    """Draws every choice of one profile from its own random stream, then writes it."""

    def __init__(self, index: int, rng: random.Random, pools: SynthPools) -> None:
        self.index = index
        self.rng = rng
        self.pools = pools
        self.introduced: set[str] = set()  # keys whose acronym the text has given
        self.said: set[str] = set()  # domain phrases already used in this profile
        self.place_refs: list[str] = []

    # -- the profile ---------------------------------------------------------

    def build(self) -> SyntheticProfile:
        rng = self.rng
        self.level = Level.NATIONAL if rng.random() < P_NATIONAL else Level.LOCAL
        country = rng.choices(
            self.pools.countries.items, cum_weights=self.pools.countries.cum_weights
        )[0]
        if self.level is Level.LOCAL and rng.random() < P_FINDINGS_IN_COUNTRY_LANGUAGE:
            self.lang = country.language
        else:
            self.lang = rng.choice(LANGUAGES)
        self.chrome = (
            self.lang if rng.random() < P_CHROME_SAME_AS_FINDINGS else rng.choice(LANGUAGES)
        )
        roll = rng.random()
        self.title_lang = (
            self.lang if roll < 0.7 else self.chrome if roll < 0.9 else rng.choice(LANGUAGES)
        )
        self.pack = self.pools.languages[self.lang]

        self.place_name, self.short_name = self._place_name()
        self.place_slug = slugify(self.place_name)
        self.country = self.place_name if self.level is Level.NATIONAL else country.name
        self.country_slug = slugify(self.country)
        self.year = rng.randint(FIRST_YEAR, LAST_YEAR)
        self.month = rng.randint(1, 12)
        self.curly = rng.random() < P_CURLY
        self.range_dash = "–" if (self.lang == "en") != (rng.random() < 0.2) else "-"
        self.place_refs = [self.place_name, self.short_name]

        title, designation, place_type, prep = self._title()
        intro_heading, intro = self._intro(place_type, prep)
        order = list(Domain)
        if rng.random() < P_SHUFFLED_DOMAINS:
            rng.shuffle(order)  # FORMAT.md §2.4: map blocks by heading, not position
        findings = self._findings(order)
        date_text, date_form = self._date_line()
        layout, text = self._write(title, date_text, date_form, intro_heading, intro, findings)

        slug = f"{self.place_slug}-{self.year}"
        return SyntheticProfile(
            file_name=f"{slug}.txt",
            text=text,
            slug=slug,
            title=title,
            title_language=self.title_lang,
            level=self.level,
            place_name=self.place_name,
            designation=designation,
            place_slug=self.place_slug,
            country=self.country,
            findings_language=self.lang,
            chrome_language=self.chrome,
            date=f"{self.year}-{self.month:02d}",
            date_text=date_text,
            short_name=self.short_name,
            intro_heading=intro_heading,
            intro_paragraphs=tuple(intro),
            findings=tuple(findings),
            place_references=tuple(dict.fromkeys(self.place_refs)),
            layout=layout,
        )

    # -- names -----------------------------------------------------------------

    def _core(self) -> str:
        """Consonant+vowel syllables that spell the (scrambled) index: unique per index."""
        names = self.pools.names
        syllables = [c + v for c in names.consonants for v in names.vowels]
        base = len(syllables)
        length, offset = 3, self.index
        while offset >= base**length:
            offset -= base**length
            length += 1
        span = base**length
        multiplier = SCRAMBLE
        while gcd(multiplier, base) != 1:
            multiplier += 1
        code = (offset * multiplier + 7_919) % span  # a bijection on [0, span)
        parts = []
        for _ in range(length):
            code, digit = divmod(code, base)
            parts.append(syllables[digit])
        return "".join(parts)

    def _word(self, core: str) -> str:
        """`core` with a suffix and maybe one accent, capitalised.

        Only the core's vowels take accents and the suffix never doubles the
        core's last vowel ("Zatoka" + "ara"), so names read naturally; neither
        choice changes the slug's core, which is what keeps slugs unique.
        """
        rng, names = self.rng, self.pools.names
        endings = [e for e in names.suffixes[self.lang] if fold_accents(e[:1]) != core[-1]]
        suffix = rng.choice(endings or [""])
        accents = names.accents[self.lang]
        if fold_accents(suffix) == suffix and rng.random() < 0.3:
            spots = [i for i, ch in enumerate(core) if ch in accents]
            if spots:
                i = rng.choice(spots)
                core = core[:i] + rng.choice(accents[core[i]]) + core[i + 1 :]
        return capitalise(core + suffix)

    def _place_name(self) -> tuple[str, str]:
        rng, names, lang = self.rng, self.pools.names, self.lang
        core = self._word(self._core())
        if self.level is Level.NATIONAL:
            return core, core
        name = core
        if rng.random() < 0.15:
            prefix = rng.choice(names.prefixes[lang])
            name = f"{prefix}{name}" if prefix.endswith("-") else f"{prefix} {name}"
        if rng.random() >= 0.15:
            return name, name
        second = self._word(
            "".join(rng.choice(names.consonants) + rng.choice(names.vowels) for _ in range(2))
        )
        full = f"{name}{rng.choice(names.links[lang])}{second}"
        # "Santa Inés de Guaracá (en adelante, Santa Inés)": the short name may drop the tail.
        return full, (name if rng.random() < 0.6 else full)

    def _place_type(self, lang: str) -> PlaceType:
        options = [p for p in self.pools.languages[lang].place_types if p.level is self.level]
        return self.rng.choice(options)

    def _title(self) -> tuple[str, str, PlaceType | None, str]:
        rng = self.rng
        pack = self.pools.languages[self.title_lang]
        place_type: PlaceType | None = None
        prep = ""
        if self.level is Level.NATIONAL and rng.random() < P_BARE_COUNTRY:
            designation = self.place_name
        else:
            place_type = self._place_type(self.title_lang)
            prep = rng.choice(place_type.preps)
            designation = self._designation(place_type, prep, self.title_lang)
        separator = rng.choice((" : ", "\u00a0: ")) if self.title_lang == "fr" else ": "
        title = f"{rng.choice(pack.profile_phrases)}{separator}{designation}"
        return title, designation, place_type, prep

    def _designation(self, place_type: PlaceType, prep: str, lang: str) -> str:
        if lang == "fr" and prep == "de" and self.place_name[:1] in FRENCH_ELISION:
            return f"{place_type.word} d'{self.place_name}"  # "Commune d'Île-Kotame"
        return f"{place_type.word} {prep} {self.place_name}"

    # -- intro -------------------------------------------------------------------

    def _intro(self, title_type: PlaceType | None, title_prep: str) -> tuple[str, list[str]]:
        rng, pack = self.rng, self.pack
        if title_type is None:
            of_place = phrase(self.lang, "", self.place_name, "DE")
        else:
            if self.title_lang == self.lang:
                place_type, prep = title_type, title_prep
            else:
                place_type = self._place_type(self.lang)
                prep = rng.choice(place_type.preps)
            designation = self._designation(place_type, prep, self.lang)
            of_place = phrase(self.lang, place_type.art, designation, "DE")
        first = self._fill(rng.choice(pack.intro_first), {"of_place": of_place})
        paragraphs = [first]
        if rng.random() < P_INTRO_EXTRA:
            paragraphs.append(self._typography(rng.choice(pack.intro_extra)))
        paragraphs.append(self._typography(rng.choice(pack.intro_second)))
        style = rng.choices(CASE_STYLES, weights=CASE_WEIGHTS)[0]
        return apply_case(rng.choice(pack.intro_headings), style), paragraphs

    # -- findings ------------------------------------------------------------------

    def _findings(self, order: list[Domain]) -> list[SyntheticFinding]:
        rng = self.rng
        findings: list[SyntheticFinding] = []
        texts: set[str] = set()
        for domain in order:
            total = rng.randint(5, 8)
            well = rng.randint(max(1, total - 5), min(5, total - 1))
            for assessment, count in (
                (Assessment.WELL_DEVELOPED, well),
                (Assessment.POTENTIAL, total - well),
            ):
                # A fresh copy per list: a template used once in a list is not reused in it.
                candidates = list(self.pools.templates[self.lang, self.level, domain, assessment])
                for position in range(1, count + 1):
                    text, mentions, years = self._finding(domain, assessment, candidates, texts)
                    texts.add(text)
                    findings.append(
                        SyntheticFinding(
                            n=len(findings) + 1,
                            domain=domain,
                            assessment=assessment,
                            position=position,
                            text=text,
                            mentions=mentions,
                            years=years,
                        )
                    )
        return findings

    def _finding(
        self, domain: Domain, assessment: Assessment, candidates: list[Template], seen: set[str]
    ) -> tuple[str, tuple[PlantedMention, ...], tuple[int, ...]]:
        """One finding: a fresh template and text if possible, a repeated text if not."""
        every = self.pools.templates[self.lang, self.level, domain, assessment]
        repeat: tuple[Template, str, FindingState] | None = None
        for attempt in range(60):
            # Unused templates of this list first; then any of them.
            template = self.rng.choice(candidates if attempt < 30 else every)
            introduced = set(self.introduced)
            try:
                text, state = self._render(template, domain)
            except UnfillableError:
                self.introduced = introduced  # discarded: its acronyms never reached the text
                continue
            if text not in seen:
                break
            repeat = repeat or (template, text, state)
            self.introduced = introduced
        else:
            if repeat is None:
                raise SynthPoolError(
                    f"{self.lang}.toml: no fillable template for domain {domain.value}"
                )
            template, text, state = repeat  # a sentence said twice beats no sentence
            self.introduced |= {m.key for m in state.mentions if len(m.surface_forms) > 1}
        if template in candidates and len(candidates) > 1:
            candidates.remove(template)
        self.said.update(state.phrases)
        for mention in state.mentions:
            for surface in mention.surface_forms:
                if surface not in text:  # a bug in the pools or the writer
                    raise RuntimeError(f"surface form {surface!r} not in {text!r}")
        if self.rng.random() < P_STRAY_QUOTE:
            # Real profiles keep stray punctuation (Bucaramanga: "…entre otras.”").
            text += self.rng.choice(("”", "»", '"'))
        return text, tuple(state.mentions), tuple(sorted(state.years))

    def _render(self, template: Template, domain: Domain) -> tuple[str, FindingState]:
        state = FindingState(domain, template.areas)
        text = self._typography(SLOT.sub(lambda m: self._slot(m, domain, state), template.text))
        state.mentions = [
            PlantedMention(
                kind=m.kind,
                key=m.key,
                name=self._typography(m.name),
                surface_forms=tuple(self._typography(s) for s in m.surface_forms),
                type=m.type,
                scope=m.scope,
                tier=m.tier,
                years=m.years,
                status=m.status,
            )
            for m in state.mentions
        ]
        return text, state

    def _slot(self, match: re.Match[str], domain: Domain, state: FindingState) -> str:
        role, instance, form = match.group(1), match.group(2), match.group(3) or "O"
        rng, pack, lang = self.rng, self.pack, self.lang
        if role == "here":
            if rng.random() < 0.55:
                art, text = "", self.short_name
            else:
                choice = rng.choice(pack.here[self.level])
                art, text = choice.art, choice.text
            self.place_refs.append(text)
            return phrase(lang, art, text, form)
        if role in ("svc", "topic", "gap", "absent"):
            options = pack.phrases[role][domain.value - 1]
            # Prefer phrases the profile has not said yet ("No existe X" … "no cuenta con X").
            value = rng.choice([o for o in options if o not in self.said] or list(options))
            state.phrases.append(value)
            return capitalise(value) if form == "S" else value
        if role == "year":
            if instance not in state.year_slots:
                state.year_slots[instance] = self._past_year(set(state.year_slots.values()))
            state.years.add(state.year_slots[instance])
            return str(state.year_slots[instance])
        if role == "num":
            return thousands(rng.randint(150, 40_000), lang, rng)
        if role in ("short", "place", "country"):
            return {"short": self.short_name, "place": self.place_name, "country": self.country}[
                role
            ]
        key = (role, instance)
        if key not in state.filled:
            if role in INSTRUMENT_ROLES:
                state.filled[key] = self._instrument(role, state)
            else:
                state.filled[key] = self._institution(role, state)
        art, text = state.filled[key]
        return phrase(lang, art, text, form)

    def _past_year(self, avoid: set[int]) -> int:
        for _ in range(10):
            year = self.rng.randint(self.year - 6, self.year)
            if year not in avoid:
                return year
        return self.year
