"""The institutions and instruments a synthetic finding names, with their planted mentions."""

from __future__ import annotations

from kb.model import EntityKind, Level
from kb.synth.pools import (
    PLACEHOLDER,
    Area,
    Institution,
    InstitutionName,
    NameForm,
)
from kb.synth.style import (
    STRAIGHT_QUOTES,
    FindingState,
    PlantedMention,
    UnfillableError,
    auto_acronym,
)
from kb.text import slugify


class MentionWriting:
    """Methods of `kb.synth.generator.ProfileWriter`; its state lives there."""

    # -- institutions ----------------------------------------------------------------

    def _qualified_key(self, key: str, scope: str) -> str:
        if scope == "international":
            return key
        if scope == "municipal":
            return f"{key}@{self.place_slug}"
        return f"{key}@{self.country_slug}"

    def _fill_name(self, text: str, *, canonical: bool) -> str:
        place = self.place_name
        if not canonical and self.short_name != self.place_name and self.rng.random() < 0.3:
            place = self.short_name
        return text.replace("{place}", place).replace("{country}", self.country)

    def _institution(self, role: str, state: FindingState) -> tuple[str, str]:
        if role == "sec":
            return self._secretariat(state)
        if role == "secs":
            return self._secretariat_pair(state)
        pool = self.pools.by_role.get((self.lang, self.level, role))
        if pool is None:
            raise UnfillableError
        for _ in range(15):
            inst: Institution = self.rng.choices(pool.items, cum_weights=pool.cum_weights)[0]
            key = self._qualified_key(inst.key, inst.scope)
            if key not in state.used:
                break
        else:
            raise UnfillableError
        state.used.add(key)
        names = inst.names[self.lang]
        art, text, surface = self._name_in_text(key, inst, names)
        canonical = self._fill_name(names.forms[0].text, canonical=True)
        state.mentions.append(
            PlantedMention(
                kind=EntityKind.ORGANIZATION,
                key=key,
                name=canonical,
                surface_forms=surface,
                type=inst.type,
                scope=inst.scope,
                tier=inst.tier,
            )
        )
        return art, text

    def _name_in_text(
        self, key: str, inst: Institution, names: InstitutionName
    ) -> tuple[str, str, tuple[str, ...]]:
        """Which form, and whether with or as an acronym, this mention is written in."""
        rng = self.rng
        forms = names.forms
        form: NameForm = (
            forms[0] if len(forms) == 1 or rng.random() < 0.6 else rng.choice(forms[1:])
        )
        written = self._fill_name(form.text, canonical=False)
        acronym = names.acronym
        if acronym == "auto":
            # Initials only make sense after the full, qualified name.
            acronym = auto_acronym(written) if form is forms[0] else None
        if acronym and key in self.introduced and rng.random() < 0.5:
            return names.acr_art, acronym, (acronym,)
        if acronym and inst.scope == "international" and rng.random() < 0.25:
            return names.acr_art, acronym, (acronym,)
        if acronym and rng.random() < 0.45:
            self.introduced.add(key)
            return form.art, f"{written} ({acronym})", (written, acronym)
        return form.art, written, (written,)

    def _area(self, state: FindingState) -> tuple[Area, str]:
        areas = self.pools.areas
        # The sentence's own hint first ("vaccinated" -> health), then the domain's
        # usual actors (labour in well-being), now and then any area.
        if state.areas:
            fitting = [a for a in areas.items if a.key in state.areas]
        else:
            fitting = [a for a in areas.items if state.domain in a.domains]
        for _ in range(15):
            if fitting and (state.areas or self.rng.random() < 0.7):
                area = self.rng.choices(fitting, weights=[a.weight for a in fitting])[0]
            else:
                area = self.rng.choices(areas.items, cum_weights=areas.cum_weights)[0]
            if self.level is Level.LOCAL:
                key = self._qualified_key(f"secretariat-{area.key}", "municipal")
            else:
                key = self._qualified_key(f"ministry-{area.key}", "national")
            if key not in state.used:
                state.used.add(key)
                return area, key
        raise UnfillableError

    def _secretariat_forms(self) -> tuple[tuple[NameForm, ...], NameForm, str, str]:
        forms = self.pools.secretariats[self.lang]
        if self.level is Level.LOCAL:
            return forms.local, forms.local_pair, "municipal-secretariat", "municipal"
        return forms.national, forms.national_pair, "ministry", "national"

    def _area_fill(self, text: str, area: Area, *, canonical: bool) -> str:
        name, de = area.names[self.lang]
        text = text.replace("{area_de}", de).replace("{area}", name)
        return self._fill_name(text, canonical=canonical)

    def _secretariat_mention(
        self, area: Area, key: str, surface: tuple[str, ...], tier: str
    ) -> PlantedMention:
        options, _, kind, scope = self._secretariat_forms()
        # Canonical: the form with the place qualifier if there is one (gold §8.3).
        canonical = next((f for f in options if "{place}" in f.text), options[0])
        return PlantedMention(
            kind=EntityKind.ORGANIZATION,
            key=key,
            name=self._area_fill(canonical.text, area, canonical=True),
            surface_forms=surface,
            type=kind,
            scope=scope,
            tier=tier,
        )

    def _secretariat(self, state: FindingState) -> tuple[str, str]:
        options, _, _, _ = self._secretariat_forms()
        area, key = self._area(state)
        # The bare form ("Secretaría de Salud") is the common one in real profiles.
        form = (
            options[0]
            if len(options) == 1 or self.rng.random() < 0.6
            else self.rng.choice(options[1:])
        )
        written = self._area_fill(form.text, area, canonical=False)
        state.mentions.append(self._secretariat_mention(area, key, (written,), "core"))
        return form.art, written

    def _secretariat_pair(self, state: FindingState) -> tuple[str, str]:
        _, pair, _, _ = self._secretariat_forms()
        (a, key_a), (b, key_b) = self._area(state), self._area(state)
        (a_name, a_de), (b_name, b_de) = a.names[self.lang], b.names[self.lang]
        written = (
            pair.text.replace("{a_de}", a_de)
            .replace("{b_de}", b_de)
            .replace("{a}", a_name)
            .replace("{b}", b_name)
        )
        written = self._fill_name(written, canonical=False)
        # "las Secretarías de Salud y Educación" names two bodies at once: hard tier.
        for area, key in ((a, key_a), (b, key_b)):
            state.mentions.append(self._secretariat_mention(area, key, (written,), "hard"))
        return pair.art, written

    # -- instruments ---------------------------------------------------------------

    def _instrument(self, role: str, state: FindingState) -> tuple[str, str]:
        patterns = self.pools.instruments.get((self.lang, self.level, role))
        if not patterns:
            raise UnfillableError
        for _ in range(8):
            pattern = self.rng.choice(patterns)
            years: list[int] = []
            title = PLACEHOLDER.sub(
                lambda m, years=years: self._instrument_value(m.group(1), years),
                pattern.text,
            )
            key = f"{slugify(title)}@{self.place_slug}"
            if key not in state.used:
                break
        else:
            raise UnfillableError
        state.used.add(key)
        state.years.update(years)
        state.mentions.append(
            PlantedMention(
                kind=EntityKind.INSTRUMENT,
                key=key,
                name=title,
                surface_forms=(title,),
                type=pattern.type,
                scope="national" if Level.LOCAL not in pattern.levels else None,
                tier="core",
                years=tuple(dict.fromkeys(years)),
                status=pattern.status,
            )
        )
        return pattern.art, title

    def _instrument_value(self, name: str, years: list[int]) -> str:
        rng = self.rng
        if name == "year":
            year = self._past_year(set())
            years.append(year)
            return str(year)
        if name == "range":
            # Usually still running when the profile was written, as in real ones.
            start = rng.randint(self.year - 4, self.year - 1)
            end = start + rng.choice((3, 4))
            years.extend((start, end))
            return f"{start}{self.range_dash}{end}"
        if name == "n":
            return str(rng.randint(1, 250))
        if name == "n3":
            number = rng.randint(1, 250)
            return f"{number:03d}" if rng.random() < 0.5 else str(number)
        if name == "nlaw":
            # Four-digit law numbers that look like years but are not (FORMAT.md §8.6).
            return str(rng.randint(1000, 2199))
        if name == "ndot":
            return f"{rng.randint(1000, 19_999):,}".replace(",", ".")
        if name == "motto":
            return self._fill(rng.choice(self.pack.motto), {}, typography=False)
        return {"place": self.place_name, "short": self.short_name, "country": self.country}[name]

    # -- text helpers ----------------------------------------------------------------

    def _fill(self, text: str, values: dict[str, str], *, typography: bool = True) -> str:
        values = {"short": self.short_name, "place": self.place_name, **values}
        filled = PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
        return self._typography(filled) if typography else filled

    def _typography(self, text: str) -> str:
        """Curly apostrophes and quotes for the whole profile, or straight ones."""
        if not self.curly:
            return text
        return STRAIGHT_QUOTES.sub("“\\1”", text).replace("'", "’")
