"""`kb`: build, validate, query and export the MGI knowledge graph.

Exit codes (all commands): 0 success; 1 the data violates the SHACL shapes
(nothing stored); 2 bad input or a runtime error (message on stderr).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import ValidationError

from kb.errors import KbError
from kb.settings import Settings

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def _fails_cleanly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's typed errors into one stderr line and exit code 2."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KbError as exc:
            _fail(str(exc))
        except ValidationError as exc:  # a setting that does not hold (a bad --base-iri)
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            _fail(f"bad setting: {problems}")
        except MemoryError:
            _fail("out of memory (a profile or reference file far larger than real ones?)")
        except OSError as exc:  # the store or an output path cannot be written
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")

    return run


def _fail(message: str) -> NoReturn:
    # File names that are not UTF-8 arrive as surrogates: print them escaped.
    safe = message.encode("utf-8", "backslashreplace").decode("utf-8")
    click.echo(f"kb: error: {safe}", err=True)
    sys.exit(EXIT_ERROR)


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


store_option = click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    help="Store root directory [env KB_STORE; default .kb].",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mgi-kb")
def cli() -> None:
    """MGI Knowledge Graph: IOM Migration Governance Indicators profiles as linked data.

    Exit codes: 0 success, 1 SHACL shapes violated (nothing stored),
    2 input or runtime error.
    """


@cli.command()
@click.option(
    "--profiles",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory of profile texts [env KB_PROFILES; default data/profiles].",
)
@store_option
@click.option(
    "--reference",
    type=click.Path(path_type=Path, file_okay=False),
    help="Curated reference data [env KB_REFERENCE; default data/reference].",
)
@click.option(
    "--base-iri", help="Base of minted IRIs [env KB_BASE_IRI; default https://w3id.org/mgi/]."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress lines, only the summary.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="number of cores",
    help="Profiles compiled and validated in parallel processes.",
)
@_fails_cleanly
def build(
    profiles: Path | None,
    store: Path | None,
    reference: Path | None,
    base_iri: str | None,
    quiet: bool,
    jobs: int,
) -> None:
    """Parse, link, validate and store every profile; publish the new store atomically.

    A build that fails (bad input: exit 2; shapes violated: exit 1) stores
    nothing and leaves the previously built knowledge graph in place.
    """
    from kb.pipeline import build_knowledge_graph

    settings = _settings(profiles=profiles, store=store, reference=reference, base_iri=base_iri)
    progress = None if quiet else (lambda msg: click.echo(msg, err=True))
    result = build_knowledge_graph(settings, progress=progress, jobs=jobs)
    compiled = result.compiled
    warnings = sum(len(p.report.warnings) for p in compiled.profiles)
    if not result.conforms:
        click.echo(compiled.report_text(include_warnings=False), err=True)
        click.echo("kb: build failed: the data violates the shapes; nothing was stored.", err=True)
        sys.exit(EXIT_VIOLATIONS)
    click.echo(
        f"built {len(compiled.profiles)} profiles, {compiled.findings} findings, "
        f"{result.quads} quads; shapes: conforms ({warnings} warnings); "
        f"{result.seconds:.1f} s -> {result.build_dir}"
    )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--reference",
    type=click.Path(path_type=Path, file_okay=False),
    help="Curated reference data [default data/reference].",
)
@_fails_cleanly
def validate(files: tuple[Path, ...], reference: Path | None) -> None:
    """Validate profile texts (*.txt) or RDF files against the shapes.

    A profile is parsed, linked and built as `kb build` would, then validated
    with the reference data. Prints focus node, path, message and severity of
    each result; exits 1 if any file violates the shapes.
    """
    from kb.pipeline import validate_file

    violated = False
    for path in files:
        report = validate_file(path, _settings(reference=reference))
        verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
        counts = f"{len(report.violations)} violations, {len(report.warnings)} warnings"
        click.echo(f"{path}: {verdict} ({counts})")
        if report.results:
            click.echo(report.text)
        violated = violated or not report.conforms
    sys.exit(EXIT_VIOLATIONS if violated else EXIT_OK)


@cli.command()
@click.argument("sparql")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld"]),
    default="table",
    show_default=True,
    help="json/xml/csv/tsv for SELECT and ASK; turtle/ntriples/jsonld for CONSTRUCT.",
)
@store_option
@_fails_cleanly
def query(sparql: str, fmt: str, store: Path | None) -> None:
    """Run a SPARQL query over the built knowledge graph.

    SPARQL is the query text, `@FILE` to read it from a file (e.g. @queries/x.rq),
    or `-` for standard input. The default graph is the union of all graphs.
    """
    from kb.sparql.results import ResultFormat, serialize_results
    from kb.store import OxigraphStore, StoreLayout

    text = _query_text(sparql)
    settings = _settings(store=store)
    graph_store = OxigraphStore.open_read_only(StoreLayout(settings.store).current_store_path())
    results = graph_store.query(text)
    try:
        output = serialize_results(results, ResultFormat(fmt), base=settings.base_iri)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from exc
    sys.stdout.buffer.write(output)


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        try:
            return Path(argument[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise click.BadParameter(str(exc), param_hint="SPARQL") from exc
    return argument


@cli.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["nq", "trig", "ttl", "jsonld", "nt"]),
    default="nq",
    show_default=True,
    help="nq and trig keep the named graphs; ttl, nt and jsonld give their union.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: standard output).",
)
@store_option
@_fails_cleanly
def export(fmt: str, out: Path | None, store: Path | None) -> None:
    """Write the built knowledge graph in canonical order (byte-identical on rebuild)."""
    from kb.build.canonical import ExportFormat, write_export
    from kb.store import StoreLayout

    dataset = StoreLayout(_settings(store=store).store).current_dataset_path()
    if out is None:
        write_export(dataset, ExportFormat(fmt), sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    # A partial file never takes the target's name.
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("wb") as target:
            write_export(dataset, ExportFormat(fmt), target)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


@cli.command()
@store_option
@click.option("--host", help="Interface to bind [env KB_HOST; default 127.0.0.1].")
@click.option("--port", type=int, help="TCP port [env KB_PORT; default 8000].")
@click.option(
    "--workers", type=int, help="Query worker processes [env KB_WORKERS; default: one per core]."
)
@click.option(
    "--timeout",
    "query_timeout",
    type=float,
    help="Query deadline in seconds [env KB_QUERY_TIMEOUT; default 30].",
)
@click.option(
    "--store-mode",
    type=click.Choice(["auto", "memory", "disk"]),
    help="Workers load the dataset into memory or read the disk store; auto: memory while "
    "it fits in half the RAM [env KB_STORE_MODE; default auto].",
)
@click.option(
    "--root-path", help="Path prefix behind a reverse proxy, e.g. /mgi [env KB_ROOT_PATH]."
)
@click.option(
    "--public-url",
    help="Public base URL, used instead of the Host header in self-descriptions "
    "[env KB_PUBLIC_URL; default http://HOST:PORT/ROOT-PATH/].",
)
@_fails_cleanly
def serve(
    store: Path | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    query_timeout: float | None,
    store_mode: str | None,
    root_path: str | None,
    public_url: str | None,
) -> None:
    """Serve the knowledge graph: a read-only SPARQL 1.1 endpoint at /sparql.

    Every setting can also come from the environment (KB_...) or a .env file;
    docs/sparql-endpoint.md lists them with their defaults.
    """
    from kb.store import StoreLayout
    from kb.web.app import run

    settings = _settings(
        store=store,
        host=host,
        port=port,
        workers=workers,
        query_timeout=query_timeout,
        store_mode=store_mode,
        root_path=root_path,
        public_url=public_url,
    )
    if not settings.sparql_endpoint:  # an external store is checked by the server
        StoreLayout(settings.store).current_build()  # fail fast, before binding the port
    run(settings)


@cli.command(name="eval")
@click.option(
    "--gold",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("../shared/profiles/gold"),
    show_default=True,
    help="Directory of gold annotations (mgi-gold/1 JSON).",
)
@click.option(
    "--profiles",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Directory of the profile texts (default: the gold directory's parent).",
)
@click.option(
    "--reference",
    type=click.Path(path_type=Path, file_okay=False),
    help="Curated reference data [default data/reference].",
)
@_fails_cleanly
def evaluate(gold: Path, profiles: Path | None, reference: Path | None) -> None:
    """Score extraction against gold annotations: precision, recall and F1 of
    institutions and instruments (core and hard), years, every miss and false positive.
    """
    from kb.extract.evaluate import run_eval

    _report, text = run_eval(gold, profiles, _settings(reference=reference).reference)
    click.echo(text)


@cli.command()
@click.option("--profiles", "count", type=click.IntRange(min=0), required=True, help="How many.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same bytes.")
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Directory."
)
@_fails_cleanly
def synth(count: int, seed: int, out: Path) -> None:
    """Write synthetic profiles in the profile text format (all four languages,
    local and national) for scale tests of the real parser, extractor and builder.
    """
    from kb.synth.generator import write_synthetic_profiles

    paths = write_synthetic_profiles(out, count=count, seed=seed)
    click.echo(f"wrote {len(paths)} synthetic profiles to {out}")


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory to write the site into (created).",
)
@store_option
@click.option(
    "--base-iri", help="Base of the IRIs [env KB_BASE_IRI; default https://w3id.org/mgi/]."
)
@click.option(
    "--languages",
    default="en,es,fr,pt",
    show_default=True,
    help="Languages of the HTML pages, comma-separated; the first is index.html's.",
)
@click.option(
    "--formats",
    default="html,ttl,jsonld,nt,rdf",
    show_default=True,
    help="Representations to write, comma-separated (html is required).",
)
@click.option(
    "--live-site",
    metavar="URL",
    help="A running `kb serve` (e.g. https://mgi.example.org/) that static pages link to "
    "for the explorer; without it those links are left out.",
)
@click.option("--clean", is_flag=True, help="Delete the output directory's contents first.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines, only the summary.")
@_fails_cleanly
def publish(
    out: Path,
    store: Path | None,
    base_iri: str | None,
    languages: str,
    formats: str,
    live_site: str | None,
    clean: bool,
    quiet: bool,
) -> None:
    """Write the linked-data site as static files: every resource as HTML, Turtle,
    JSON-LD (…), the vocabulary, the catalogue, dumps and VoID, for any static host.

    docs/linked-data.md gives the Apache and nginx rules for 303s and content
    negotiation over these files.
    """
    import shutil

    from kb.linkeddata.formats import format_by_extension
    from kb.linkeddata.i18n import LANGUAGES
    from kb.linkeddata.site import Site
    from kb.linkeddata.static_site import publish_site

    langs = tuple(x.strip() for x in languages.split(",") if x.strip())
    unknown = [x for x in langs if x not in LANGUAGES]
    if not langs or unknown:
        raise click.BadParameter(f"choose from {', '.join(LANGUAGES)}", param_hint="--languages")
    chosen = [format_by_extension(x.strip()) for x in formats.split(",") if x.strip()]
    if any(f is None for f in chosen) or "html" not in formats.split(","):
        raise click.BadParameter("html plus any of ttl, jsonld, nt, rdf", param_hint="--formats")
    settings = _settings(store=store, base_iri=base_iri)
    site = Site.open(settings)
    if clean and out.exists():
        shutil.rmtree(out)
    progress = None if quiet else (lambda msg: click.echo(msg, err=True))
    report = publish_site(
        site,
        out,
        languages=langs,
        formats=tuple(f for f in chosen if f is not None),
        live_site=live_site,
        progress=progress,
    )
    click.echo(
        f"published {report.resources} resources, {report.files} files, "
        f"{report.bytes / 1_048_576:.1f} MB -> {out}"
    )


def main() -> None:
    cli(prog_name="kb")


if __name__ == "__main__":
    main()
