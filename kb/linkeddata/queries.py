"""SPARQL of the linked-data pages: constant texts with bound variables.

`?iri`, `?p`, `?skip`, `?graph` and `?prefix` are bound through the store's
`substitutions` (never spliced into the text); Oxigraph wants a bound variable
in a SELECT projection, so the SELECTs project them. Paging numbers and `VALUES`
lists of IRIs are `$placeholders` filled by `kb.sparql.binding.Query.bind`, the
one way values reach query text.

`?skip` names a graph the documents leave out: the build-time aggregates
(`{base}graph/statistics`, written by `kb.publication.statistics` for analytic pages) are
derived counts, not statements of the dataset, and are not in its dumps.
"""

from __future__ import annotations

from kb.sparql.binding import Query

_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX mgi: <https://w3id.org/mgi/def#>
"""

EXISTS = "ASK { ?iri ?p ?o }"

# The resource's own triples, then those of its hash resources (`…/1#mention-2`),
# which live in the same document (Cool URIs, hash pattern). Filters on bound
# variables stay in the top group: an external store gets the bindings as a
# VALUES block there, which nested groups would not see.
SELF = """SELECT ?iri ?skip ?p ?o
WHERE { GRAPH ?g { ?iri ?p ?o } FILTER(?g != ?skip) }"""

PARTS = """SELECT DISTINCT ?iri ?skip ?s ?p ?o
WHERE {
  GRAPH ?h { ?iri ?link ?s }
  GRAPH ?g { ?s ?p ?o }
  FILTER(?g != ?skip && ?h != ?skip && isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?iri), "#")))
}"""

# Labels and types of resources a description links to (VALUES from the store).
ABOUT = Query(
    "about",
    "Labels and types of the resources a document links to",
    _PREFIXES
    + """CONSTRUCT { ?r ?lp ?l }
WHERE {
  VALUES ?r { $resources }
  VALUES ?lp { rdfs:label skos:prefLabel rdf:type }
  ?r ?lp ?l
}""",
)

# What a page shows of each finding it lists: where it stands and its text with mentions.
FINDING_CARDS = Query(
    "finding-cards",
    "What a page shows of each finding it lists",
    _PREFIXES
    + """CONSTRUCT { ?f ?p ?o . ?m ?mp ?mo }
WHERE {
  VALUES ?f { $findings }
  { VALUES ?p { rdf:type rdfs:label mgi:profile mgi:domain mgi:assessment mgi:position
                mgi:text mgi:hasMention }
    ?f ?p ?o }
  UNION
  { VALUES ?mp { mgi:refersTo mgi:start mgi:end }
    ?f mgi:hasMention ?m . ?m ?mp ?mo }
}""",
)

# One page of the subjects linking to ?iri with ?p, in natural order: numbers sort as
# numbers (finding 7 before finding 28), first those of the document (profile, then
# finding number), then those of the fragment (`…/7#mention-2` before `…/7#mention-10`).
# Each part sorts by its text without the trailing number, then length, then text.
INCOMING_PAGE = Query(
    "incoming-page",
    "One page of the subjects linking to a resource with one property",
    """SELECT DISTINCT ?iri ?p ?skip ?s
WHERE {
  GRAPH ?g { ?s ?p ?iri }
  FILTER(?g != ?skip && isIRI(?s))
  BIND(IF(CONTAINS(STR(?s), "#"), STRBEFORE(STR(?s), "#"), STR(?s)) AS ?doc)
  BIND(STRAFTER(STR(?s), "#") AS ?part)
}
ORDER BY (REPLACE(?doc, "[0-9]+$", "")) (STRLEN(?doc)) ?doc
         (REPLACE(?part, "[0-9]+$", "")) (STRLEN(?part)) ?part
LIMIT $limit OFFSET $offset""",
)

# The members of some classes (VALUES of class IRIs), by label, for the list pages.
MEMBERS_COUNT = Query(
    "members-count",
    "How many members some classes have",
    "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?class { $classes } ?s a ?class }",
)
MEMBERS_PAGE = Query(
    "members-page",
    "One page of the members of some classes, by label",
    _PREFIXES
    + """SELECT ?s (MIN(?l) AS ?label)
WHERE { VALUES ?class { $classes } ?s a ?class . OPTIONAL { ?s rdfs:label ?l } }
GROUP BY ?s
ORDER BY (LCASE(STR(MIN(?l)))) ?s
LIMIT $limit OFFSET $offset""",
)

# Every resource with its own document (for `kb publish` and the tests).
DOCUMENTED_RESOURCES = """SELECT DISTINCT ?prefix ?s
WHERE { ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?prefix) && !CONTAINS(STR(?s), "#")) }
ORDER BY ?s"""

GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"
