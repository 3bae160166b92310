"""The lexer that finds the query form, updates, FROM and SERVICE before a query runs."""

from __future__ import annotations

import pytest

from kb.sparql.text import QueryForm, analyse, error_position

CASES = [
    ("SELECT * WHERE { ?s ?p ?o }", QueryForm.SELECT, False, False, ()),
    ("PREFIX ex: <http://e/> ask { ex:a ex:b ex:c }", QueryForm.ASK, False, False, ()),
    ("CONSTRUCT WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT, False, False, ()),
    ("DESCRIBE <http://e/x>", QueryForm.DESCRIBE, False, False, ()),
    ("# SELECT\nINSERT DATA { <a> <b> <c> }", None, True, False, ()),
    ("CLEAR ALL", None, True, False, ()),
    ("LOAD <http://e/x.ttl>", None, True, False, ()),
    ("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", None, True, False, ()),
    ("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }", QueryForm.SELECT, False, True, ()),
    ("SELECT * FROM NAMED <http://e/g> { GRAPH ?g {} }", QueryForm.SELECT, False, True, ()),
    ("SELECT ?from WHERE { ?s <http://e/from> ?from }", QueryForm.SELECT, False, False, ()),
    ("SELECT * { ?s ?p 'FROM <x>' }", QueryForm.SELECT, False, False, ()),
    (
        "SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }",
        QueryForm.SELECT,
        False,
        False,
        ("http://e/sparql",),
    ),
    (
        "SELECT * { SERVICE SILENT <http://e/sparql> { ?s ?p ?o } }",
        QueryForm.SELECT,
        False,
        False,
        ("http://e/sparql",),
    ),
    ("SELECT * { SERVICE ?x { ?s ?p ?o } }", QueryForm.SELECT, False, False, (None,)),
    (
        "PREFIX e: <http://e/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        QueryForm.SELECT,
        False,
        False,
        ("http://e/sparql",),
    ),
    ("SELECT * { SERVICE u:x { ?s ?p ?o } }", QueryForm.SELECT, False, False, (None,)),
    (
        "BASE <http://e/> SELECT * { SERVICE <sparql> {} }",
        QueryForm.SELECT,
        False,
        False,
        ("http://e/sparql",),
    ),
    (
        'SELECT * { ?s ?p """SERVICE <http://x/> {}""" } # SERVICE <http://y/>',
        QueryForm.SELECT,
        False,
        False,
        (),
    ),
    (
        "SELECT * { ?s <http://e/SERVICE> ?o . ?s ex:SERVICE ?o }",
        QueryForm.SELECT,
        False,
        False,
        (),
    ),
    (
        "SELECT * { FILTER(?a<1) SERVICE <http://x/> {} FILTER(?b>2) }",
        QueryForm.SELECT,
        False,
        False,
        ("http://x/",),
    ),
    ("SELECT * { ?s ?p 'it''s' } SERVICE", QueryForm.SELECT, False, False, (None,)),
    (
        "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * { ?s ?p ?o } } }",
        QueryForm.CONSTRUCT,
        False,
        False,
        (),
    ),
]


@pytest.mark.parametrize(("text", "form", "update", "dataset", "services"), CASES)
def test_analyse(
    text: str,
    form: QueryForm | None,
    update: bool,
    dataset: bool,
    services: tuple[str | None, ...],
) -> None:
    shape = analyse(text)
    assert shape.form is form
    assert shape.is_update is update
    assert shape.has_dataset_clause is dataset
    assert shape.services == services


@pytest.mark.parametrize(
    ("message", "position"),
    [
        ("error at 1:25: expected one of LATERAL", (1, 25)),
        ("error at 12:3: unexpected end", (12, 3)),
        ("something else", None),
    ],
)
def test_error_position(message: str, position: tuple[int, int] | None) -> None:
    assert error_position(message) == position
