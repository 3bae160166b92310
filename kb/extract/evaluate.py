"""Measure the extractor against gold annotations (FORMAT.md §8.6, "Suggested scoring").

Work finding by finding. A predicted entity (all mentions of one target in one
finding, as gold has one mention object per entity per finding) matches a gold
mention when one of its surface forms, normalised (FORMAT.md §7), equals the gold
name, acronym, an alternative label or a surface form, or when one of its spans
overlaps an occurrence of a gold surface form. Matching is one-to-one and
maximises core matches first. Core mentions make up the recall denominator; a
matched hard mention is a true positive, a missed one costs nothing. A prediction
that matches nothing is a false positive unless its text is a place reference.
Years are compared as sets per finding. Matched mentions also score type and
parent accuracy.

`run_eval(gold_dir, profiles_dir, reference_dir)` is what `kb eval` calls.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.errors import ProfileParseError, ReferenceDataError
from kb.extract.extractor import extract_mentions
from kb.extract.gazetteer import Gazetteer, load_gazetteer
from kb.extract.rules import DEFAULT_REFERENCE_DIR, RULES_FILE, rules_at
from kb.model import EntityKind, Extraction, Mention, Organization, Profile
from kb.text import normalise

INSTITUTIONS = "institutions"
INSTRUMENTS = "instruments"


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives, false negatives, with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold mention (or year) the extractor did not find."""

    profile: str
    finding: int
    kind: str  # institutions | instruments | years
    tier: str
    text: str


@dataclass(frozen=True, slots=True)
class FalsePositive:
    """A prediction that matches no gold mention (or year)."""

    profile: str
    finding: int
    kind: str
    text: str
    target: str = ""


@dataclass(frozen=True, slots=True)
class KindScores:
    """Scores of one kind (institutions or instruments) over some findings.

    `predicted` counts predicted entities per finding, place references excluded;
    precision is matched / predicted (core and hard matches both count), core
    recall is matched core / gold core, hard recall matched hard / gold hard.
    """

    core_total: int = 0
    core_matched: int = 0
    hard_total: int = 0
    hard_matched: int = 0
    predicted: int = 0
    ignored: int = 0
    type_correct: int = 0
    parent_correct: int = 0
    parent_total: int = 0
    misses: tuple[Miss, ...] = ()
    false_positives: tuple[FalsePositive, ...] = ()

    def __add__(self, other: KindScores) -> KindScores:
        return KindScores(
            *(getattr(self, f) + getattr(other, f) for f in _KIND_FIELDS),
        )

    @property
    def matched(self) -> int:
        return self.core_matched + self.hard_matched

    @property
    def core(self) -> Counts:
        """Core counts: tp = matched core, fn = missed core, fp = unmatched predictions."""
        return Counts(
            self.core_matched, self.predicted - self.matched, self.core_total - self.core_matched
        )

    @property
    def overall(self) -> Counts:
        """Core and hard together: tp = every match, fn = missed core and hard."""
        return Counts(
            self.matched,
            self.predicted - self.matched,
            self.core_total + self.hard_total - self.matched,
        )

    @property
    def precision(self) -> float:
        return self.overall.precision

    @property
    def core_recall(self) -> float:
        return self.core.recall

    @property
    def hard_recall(self) -> float:
        return self.hard_matched / self.hard_total if self.hard_total else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.matched if self.matched else 1.0

    @property
    def parent_accuracy(self) -> float:
        return self.parent_correct / self.parent_total if self.parent_total else 1.0


_KIND_FIELDS = (
    "core_total",
    "core_matched",
    "hard_total",
    "hard_matched",
    "predicted",
    "ignored",
    "type_correct",
    "parent_correct",
    "parent_total",
    "misses",
    "false_positives",
)


@dataclass(frozen=True, slots=True)
class ProfileScores:
    profile: str  # gold profile slug
    institutions: KindScores
    instruments: KindScores
    years: Counts
    year_misses: tuple[Miss, ...] = ()
    year_false_positives: tuple[FalsePositive, ...] = ()


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    profiles: tuple[ProfileScores, ...] = ()

    @property
    def institutions(self) -> KindScores:
        return sum((p.institutions for p in self.profiles), KindScores())

    @property
    def instruments(self) -> KindScores:
        return sum((p.instruments for p in self.profiles), KindScores())

    @property
    def years(self) -> Counts:
        return sum((p.years for p in self.profiles), Counts())

    @property
    def year_misses(self) -> tuple[Miss, ...]:
        return tuple(m for p in self.profiles for m in p.year_misses)

    @property
    def year_false_positives(self) -> tuple[FalsePositive, ...]:
        return tuple(m for p in self.profiles for m in p.year_false_positives)


# --- matching ------------------------------------------------------------------------


@dataclass(slots=True)
class _Gold:
    tier: str
    names: set[str]
    spans: list[tuple[int, int]]
    mention: Mapping[str, Any]
    registry: Mapping[str, Any]


@dataclass(slots=True)
class _Predicted:
    target: str
    surfaces: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(needle)
    while needle and start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def _gold_mentions(
    finding: Mapping[str, Any], kind: str, registry: Mapping[str, Mapping[str, Any]]
) -> list[_Gold]:
    text = finding["text"]
    out = []
    for mention in finding["mentions"][kind]:
        entry = registry.get(mention["key"], {})
        names = [
            mention.get("name") or mention.get("title"),
            mention.get("acronym"),
            entry.get("name") or entry.get("title"),
            entry.get("acronym"),
            *entry.get("alt_labels", []),
            *mention.get("surface_forms", []),
        ]
        spans = [s for form in mention.get("surface_forms", []) for s in _occurrences(text, form)]
        out.append(
            _Gold(
                mention.get("tier", "core"),
                {normalise(n) for n in names if n},
                spans,
                mention,
                entry,
            )
        )
    return out


def _predictions(mentions: Iterable[Mention]) -> list[_Predicted]:
    grouped: dict[str, _Predicted] = {}
    for m in mentions:
        group = grouped.setdefault(m.target, _Predicted(m.target))
        group.surfaces.append(m.surface_form)
        group.spans.append((m.start, m.end))
    return list(grouped.values())


def _matches(pred: _Predicted, gold: _Gold) -> bool:
    if any(normalise(s) in gold.names for s in pred.surfaces):
        return True
    return any(a < d and c < b for a, b in pred.spans for c, d in gold.spans)


def _assign(preds: Sequence[_Predicted], golds: Sequence[_Gold]) -> dict[int, int]:
    """Maximum one-to-one matching (prediction index -> gold index), core first.

    Augmenting paths never unmatch a gold mention, so the core matching found in
    the first pass survives the second."""
    owner: dict[int, int] = {}  # gold -> prediction

    def augment(p: int, allowed: set[int], seen: set[int]) -> bool:
        for g in allowed:
            if g in seen or not _matches(preds[p], golds[g]):
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], allowed, seen):
                owner[g] = p
                return True
        return False

    core = {g for g, gold in enumerate(golds) if gold.tier == "core"}
    for allowed in (core, set(range(len(golds)))):
        ordered = sorted(allowed)
        for p in range(len(preds)):
            if p not in owner.values():
                augment(p, set(ordered), set())
    return {p: g for g, p in owner.items()}


def _parent_ok(
    predicted: Organization | None,
    gold: _Gold,
    orgs: Mapping[str, Organization],
    registry: Mapping[str, Mapping[str, Any]],
) -> bool | None:
    """Does the predicted parent name the gold parent? None when not scored."""
    gold_parent = gold.mention.get("parent")
    parent_slug = predicted.parent if predicted is not None else None
    if gold_parent is None and parent_slug is None:
        return True
    if gold_parent is None or parent_slug is None:
        return False
    parent = orgs.get(parent_slug)
    if parent is None:
        return False
    predicted_names = {normalise(x) for x in (parent.label, *parent.alt_labels)}
    gold_names = {normalise(gold_parent)}
    for entry in registry.values():
        if entry.get("name") == gold_parent:
            gold_names |= {
                normalise(x) for x in (entry.get("acronym"), *entry.get("alt_labels", [])) if x
            }
    return bool(predicted_names & gold_names)


def _score_kind(
    profile_slug: str,
    gold: Mapping[str, Any],
    extraction: Extraction,
    kind: str,
) -> KindScores:
    entity_kind = EntityKind.ORGANIZATION if kind == INSTITUTIONS else EntityKind.INSTRUMENT
    registry = {e["key"]: e for e in gold[kind]}
    places = {normalise(p) for p in gold.get("place_references", [])}
    orgs = {o.slug: o for o in extraction.organizations}
    types = {o.slug: o.institution_type for o in extraction.organizations}
    types |= {i.slug: i.instrument_type for i in extraction.instruments}
    by_finding: dict[int, list[Mention]] = {}
    for m in extraction.mentions:
        if m.kind is entity_kind:
            by_finding.setdefault(m.finding_n, []).append(m)

    scores = KindScores()
    misses: list[Miss] = []
    false_positives: list[FalsePositive] = []
    counts = dict.fromkeys(_KIND_FIELDS[:-2], 0)
    for finding in gold["findings"]:
        n = finding["n"]
        golds = _gold_mentions(finding, kind, registry)
        preds = []
        for pred in _predictions(by_finding.get(n, [])):
            if all(normalise(s) in places for s in pred.surfaces):
                counts["ignored"] += 1
            else:
                preds.append(pred)
        assignment = _assign(preds, golds)
        counts["predicted"] += len(preds)
        for g_index, g in enumerate(golds):
            counts[f"{g.tier}_total"] += 1
            if g_index in assignment.values():
                counts[f"{g.tier}_matched"] += 1
            elif g.tier == "core":
                label = (
                    g.mention.get("name")
                    or g.mention.get("title")
                    or g.registry.get("name")
                    or g.registry.get("title")
                    or g.mention.get("key")
                )
                forms = " | ".join(g.mention.get("surface_forms", []))
                misses.append(Miss(profile_slug, n, kind, g.tier, f"{label}  [{forms}]"))
        for p_index, pred in enumerate(preds):
            g_index = assignment.get(p_index)
            if g_index is None:
                text = " | ".join(dict.fromkeys(pred.surfaces))
                false_positives.append(FalsePositive(profile_slug, n, kind, text, pred.target))
                continue
            g = golds[g_index]
            if types.get(pred.target) == g.mention.get("type"):
                counts["type_correct"] += 1
            if kind == INSTITUTIONS:
                ok = _parent_ok(orgs.get(pred.target), g, orgs, registry)
                if ok is not None:
                    counts["parent_total"] += 1
                    counts["parent_correct"] += int(ok)
    scores = KindScores(**counts, misses=tuple(misses), false_positives=tuple(false_positives))
    return scores


def evaluate_profile(
    profile: Profile, extraction: Extraction, gold: Mapping[str, Any]
) -> ProfileScores:
    """Score one profile's extraction against its gold annotation."""
    slug = gold.get("profile", {}).get("slug") or profile.source
    texts = {f.n: f.text for f in profile.findings}
    for finding in gold["findings"]:
        if texts.get(finding["n"]) != finding["text"]:
            raise ProfileParseError(
                f"finding {finding['n']} differs from the gold text; parser and gold disagree",
                path=profile.source,
            )
    year_counts = Counts()
    year_misses: list[Miss] = []
    year_fps: list[FalsePositive] = []
    for finding in gold["findings"]:
        n = finding["n"]
        wanted = {y["year"] for y in finding["mentions"]["years"]}
        got = set(extraction.years.get(n, ()))
        year_counts += Counts(len(wanted & got), len(got - wanted), len(wanted - got))
        year_misses += [Miss(slug, n, "years", "core", str(y)) for y in sorted(wanted - got)]
        year_fps += [FalsePositive(slug, n, "years", str(y)) for y in sorted(got - wanted)]
    return ProfileScores(
        profile=slug,
        institutions=_score_kind(slug, gold, extraction, INSTITUTIONS),
        instruments=_score_kind(slug, gold, extraction, INSTRUMENTS),
        years=year_counts,
        year_misses=tuple(year_misses),
        year_false_positives=tuple(year_fps),
    )


def _read_gold(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(f"cannot read gold annotation: {exc}", path=path) from exc
    if data.get("schema") != "mgi-gold/1":
        raise ReferenceDataError("not a gold annotation (schema mgi-gold/1)", path=path)
    return data


def _profile_path(gold_path: Path, gold: Mapping[str, Any], profiles_dir: Path | None) -> Path:
    name = gold["source_file"]
    if profiles_dir is not None:
        return profiles_dir / name
    beside = gold_path.parent / name
    return beside if beside.is_file() else gold_path.parent.parent / name


def evaluate_gold_dir(
    gold_dir: Path, profiles_dir: Path | None, gazetteer: Gazetteer
) -> EvaluationReport:
    """Parse, extract and score every `*.json` gold file of a folder.

    The profile text is the gold's `source_file`, read from `profiles_dir`, or
    by default beside the gold folder (profiles/ holds gold/).
    """
    from kb.parse.profile import read_profile  # the parser is a sibling stage

    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise ReferenceDataError("no gold annotation (*.json) in directory", path=gold_dir)
    rules_path = gazetteer.rules_path or DEFAULT_REFERENCE_DIR / RULES_FILE
    rules = rules_at(Path(rules_path))
    results = []
    for path in files:
        gold = _read_gold(path)
        profile = read_profile(_profile_path(path, gold, profiles_dir))
        extraction = extract_mentions(profile, gazetteer, rules=rules)
        results.append(evaluate_profile(profile, extraction, gold))
    return EvaluationReport(tuple(results))


def _pct(x: float) -> str:
    return f"{x:6.3f}"


def _kind_rows(name: str, s: KindScores) -> list[str]:
    core, overall = s.core, s.overall
    rows = [
        f"  {name:<13} core   P {_pct(core.precision)}  R {_pct(core.recall)}  F1 {_pct(core.f1)}"
        f"   ({s.core_matched}/{s.core_total} core found, {s.predicted - s.matched} false positives"
        f" of {s.predicted} predicted)",
        f"  {'':<13} hard   found {s.hard_matched}/{s.hard_total}  (R {_pct(s.hard_recall)})",
        f"  {'':<13} all    P {_pct(overall.precision)}  R {_pct(overall.recall)}"
        f"  F1 {_pct(overall.f1)}",
        f"  {'':<13} type accuracy {_pct(s.type_accuracy)} ({s.type_correct}/{s.matched})"
        + (
            f"   parent accuracy {_pct(s.parent_accuracy)} ({s.parent_correct}/{s.parent_total})"
            if name == INSTITUTIONS
            else ""
        ),
    ]
    return rows


def _year_row(counts: Counts) -> str:
    return (
        f"  {'years':<13}        P {_pct(counts.precision)}  R {_pct(counts.recall)}"
        f"  F1 {_pct(counts.f1)}   ({counts.tp} found, {counts.fn} missed, {counts.fp} false)"
    )


def format_report(report: EvaluationReport) -> str:
    """Plain-text report: figures per profile and overall, then every miss and
    every false positive."""
    lines = ["Extraction quality against gold annotations (FORMAT.md §8.6)", ""]
    sections = [(p.profile, p.institutions, p.instruments, p.years) for p in report.profiles]
    sections.append(("OVERALL", report.institutions, report.instruments, report.years))
    for title, inst, instr, years in sections:
        lines.append(title)
        lines += _kind_rows(INSTITUTIONS, inst)
        lines += _kind_rows(INSTRUMENTS, instr)
        lines.append(_year_row(years))
        lines.append("")
    misses = [
        *report.institutions.misses,
        *report.instruments.misses,
        *report.year_misses,
    ]
    fps = [
        *report.institutions.false_positives,
        *report.instruments.false_positives,
        *report.year_false_positives,
    ]
    lines.append(f"Missed core mentions ({len(misses)}):")
    lines += [f"  {m.profile} #{m.finding} {m.kind}: {m.text}" for m in misses] or ["  none"]
    lines.append("")
    lines.append(f"False positives ({len(fps)}):")
    lines += [
        f"  {f.profile} #{f.finding} {f.kind}: {f.text}" + (f"  -> {f.target}" if f.target else "")
        for f in fps
    ] or ["  none"]
    return "\n".join(lines)


def run_eval(
    gold_dir: Path,
    profiles_dir: Path | None = None,
    reference_dir: Path = DEFAULT_REFERENCE_DIR,
) -> tuple[EvaluationReport, str]:
    """What `kb eval` runs: load the gazetteer, evaluate a gold folder, format."""
    gazetteer = load_gazetteer(reference_dir / "institutions.toml")
    report = evaluate_gold_dir(gold_dir, profiles_dir, gazetteer)
    return report, format_report(report)
