"""The SPARQL behind every explorer panel and API answer (constants; see `sparql.py`).

Conventions: `$lang` is a language tag literal for labels of vocabulary terms
(the ontology has en/es/fr/pt); labels of data resources are their
`rdfs:label`. Pages that can grow with the data (an institution in hundreds
of profiles, thousands of institutions) are paged with `LIMIT`/`OFFSET` and
their counts come from one aggregate query, never from a query per row.
"""

from __future__ import annotations

from kb.sparql.binding import Query, Raw, prefixes

_P = prefixes("mgi", "org", "skos", "rdfs", "dcterms", "schema")

# --- vocabulary (from the ontology graph; cached for the server's life) -------------------
VOCABULARY = Query(
    "vocabulary",
    "Domains, assessments and institution types with their labels",
    _P
    + """SELECT DISTINCT ?scheme ?concept ?notation ?label WHERE {
  VALUES ?scheme { mgi:Domains mgi:Assessments mgi:InstitutionTypes mgi:InstrumentTypes }
  ?concept skos:inScheme ?scheme ;
           skos:prefLabel ?label .
  OPTIONAL { ?concept skos:notation ?notation }
}""",
)

ONTOLOGY_TERMS = Query(
    "ontology-terms",
    "Classes and properties of the vocabulary, for autocompletion",
    _P
    + """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?term ?kind (SAMPLE(?l) AS ?label) WHERE {
  { ?term a owl:Class . BIND("class" AS ?kind) }
  UNION { ?term a owl:ObjectProperty . BIND("property" AS ?kind) }
  UNION { ?term a owl:DatatypeProperty . BIND("property" AS ?kind) }
  UNION { ?term a rdf:Property . BIND("property" AS ?kind) }
  FILTER(isIRI(?term))
  OPTIONAL { ?term rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
}
GROUP BY ?term ?kind""",
)

# --- home ---------------------------------------------------------------------------------
HOME_COUNTS = Query(
    "home-counts",
    "What the graph holds: profiles, places, institutions, findings, instruments",
    _P
    + """SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { VALUES (?what ?class) {
      ("profiles" mgi:Profile) ("findings" mgi:Finding)
      ("institutions" org:Organization) ("instruments" mgi:PolicyInstrument) }
    ?x a ?class }
  UNION
  { BIND("places" AS ?what) ?profile mgi:assessedPlace ?x }
}
GROUP BY ?what""",
)

# --- search ---------------------------------------------------------------------------------
# $pattern is a regular expression (built by `search.pattern` from the words asked
# for) written as a literal straight into REGEX: Oxigraph compiles a constant
# pattern once, but a pattern bound through VALUES for every row (100x slower).
SEARCH_INSTITUTIONS = Query(
    "search-institutions",
    "Institutions whose name or acronym matches the search",
    _P
    + """SELECT ?org (SAMPLE(?name) AS ?label) (SAMPLE(?hit) AS ?matched)
       (SAMPLE(?jurisdictionName) AS ?jurisdiction) (COUNT(DISTINCT ?finding) AS ?findings)
WHERE {
  ?org a org:Organization .
  { ?org skos:prefLabel ?hit } UNION { ?org skos:altLabel ?hit } UNION { ?org rdfs:label ?hit }
  FILTER(REGEX(STR(?hit), $pattern, "i"))
  OPTIONAL { ?org rdfs:label ?name }
  OPTIONAL { ?org mgi:jurisdiction/rdfs:label ?jurisdictionName }
  OPTIONAL { ?finding mgi:mentions ?org }
}
GROUP BY ?org
ORDER BY DESC(?findings) ?label
LIMIT $limit""",
)

# The same, with each institution's number of findings read from the build-time
# statistics graph (kb.publication.statistics: `<org> mgi:findingCount ?n`) instead of counted here.
SEARCH_INSTITUTIONS_STATS = Query(
    "search-institutions",
    "Institutions whose name or acronym matches the search (counts from the statistics graph)",
    _P
    + """SELECT ?org (SAMPLE(?name) AS ?label) (SAMPLE(?hit) AS ?matched)
       (SAMPLE(?jurisdictionName) AS ?jurisdiction) (COALESCE(MAX(?n), 0) AS ?findings)
WHERE {
  ?org a org:Organization .
  { ?org skos:prefLabel ?hit } UNION { ?org skos:altLabel ?hit } UNION { ?org rdfs:label ?hit }
  FILTER(REGEX(STR(?hit), $pattern, "i"))
  OPTIONAL { ?org rdfs:label ?name }
  OPTIONAL { ?org mgi:jurisdiction/rdfs:label ?jurisdictionName }
  OPTIONAL { GRAPH $statistics { ?org mgi:findingCount ?n } }
}
GROUP BY ?org
ORDER BY DESC(?findings) ?label
LIMIT $limit""",
)

SEARCH_PLACES = Query(
    "search-places",
    "Places whose name matches the search",
    _P
    + """SELECT ?place (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?profile) AS ?profiles) WHERE {
  { ?place a schema:City } UNION { ?place a schema:Country }
  { ?place skos:prefLabel ?hit } UNION { ?place schema:name ?hit } UNION { ?place rdfs:label ?hit }
  FILTER(REGEX(STR(?hit), $pattern, "i"))
  OPTIONAL { ?place rdfs:label ?name }
  OPTIONAL { ?profile mgi:assessedPlace ?place }
}
GROUP BY ?place
ORDER BY DESC(?profiles) ?label
LIMIT $limit""",
)

SEARCH_FINDINGS = Query(
    "search-findings",
    "Findings whose text matches the search",
    _P
    + """SELECT DISTINCT ?finding ?text ?domain ?assessment ?profile ?place ?placeLabel ?issued
WHERE {
  ?finding a mgi:Finding ;
           mgi:text ?text .
  FILTER(REGEX(STR(?text), $pattern, "i"))
  ?finding mgi:domain ?domain ;
           mgi:assessment ?assessment ;
           mgi:profile ?profile .
  ?profile mgi:assessedPlace ?place .
  OPTIONAL { ?profile dcterms:issued ?issued }
  OPTIONAL { ?place rdfs:label ?placeLabel }
}
ORDER BY ?placeLabel DESC(?issued) ?finding
LIMIT $limit OFFSET $offset""",
)

SEARCH_FINDINGS_COUNT = Query(
    "search-findings-count",
    "How many findings match the search",
    _P
    + """SELECT (COUNT(DISTINCT ?finding) AS ?total) WHERE {
  ?finding a mgi:Finding ;
           mgi:text ?text .
  FILTER(REGEX(STR(?text), $pattern, "i"))
}""",
)

# --- institutions index -------------------------------------------------------------------
# Sort keys -> ORDER BY fragments (the only text a request chooses, from this table).
INSTITUTION_ORDER: dict[str, tuple[Raw, Raw]] = {
    "name": (Raw("?sortLabel ?org"), Raw("DESC(?sortLabel) ?org")),
    "type": (Raw("?typeLabel ?sortLabel ?org"), Raw("DESC(?typeLabel) ?sortLabel ?org")),
    "jurisdiction": (
        Raw("?jurisdictionLabel ?sortLabel ?org"),
        Raw("DESC(?jurisdictionLabel) ?sortLabel ?org"),
    ),
    "findings": (Raw("?findings ?sortLabel ?org"), Raw("DESC(?findings) ?sortLabel ?org")),
    "profiles": (Raw("?profiles ?sortLabel ?org"), Raw("DESC(?profiles) ?sortLabel ?org")),
    "domains": (Raw("?domains ?sortLabel ?org"), Raw("DESC(?domains) ?sortLabel ?org")),
}

# Labels of an index row. The union default graph repeats a triple that several
# profile graphs hold (an institution minted by many profiles), so the rows are
# grouped again and each label sampled.
_INDEX_SELECT = """SELECT ?org (SAMPLE(?l) AS ?label) ?type (SAMPLE(?tl) AS ?typeLabel)
       (SAMPLE(?j) AS ?jurisdiction) (SAMPLE(?jl) AS ?jurisdictionLabel)
       ?findings ?profiles ?domains
       (LCASE(STR(COALESCE(SAMPLE(?l), STR(?org)))) AS ?sortLabel)
"""
_INDEX_LABELS = """  VALUES ?lang { $lang }
  OPTIONAL { ?org rdfs:label ?l }
  OPTIONAL { ?type skos:prefLabel ?tl FILTER(LANGMATCHES(LANG(?tl), ?lang)) }
  OPTIONAL { ?org mgi:jurisdiction ?j . OPTIONAL { ?j rdfs:label ?jl } }
}
GROUP BY ?org ?type ?findings ?profiles ?domains"""

# Labels of the rows a page query chose (each row already carries its label).
_PAGE_LABELS = """  VALUES ?lang { $lang }
  OPTIONAL { ?type skos:prefLabel ?tl FILTER(LANGMATCHES(LANG(?tl), ?lang)) }
  OPTIONAL { ?org mgi:jurisdiction ?j . OPTIONAL { ?j rdfs:label ?jl } }
}
GROUP BY ?org ?label ?type ?findings ?profiles ?domains ?sortLabel
ORDER BY $order"""

# Every institution, mentioned or not (no place or domain filter).
INSTITUTIONS_ALL = Query(
    "institutions-index",
    "Institutions with their type, jurisdiction and how many findings, profiles and domains",
    _P
    + _INDEX_SELECT
    + """WHERE {
  { SELECT ?org ?type (COUNT(DISTINCT ?finding) AS ?findings)
           (COUNT(DISTINCT ?profile) AS ?profiles) (COUNT(DISTINCT ?domain) AS ?domains)
    WHERE {
      VALUES ?type { $type }
      ?org a org:Organization ;
           org:classification ?type .
      OPTIONAL { ?finding mgi:mentions ?org ;
                          mgi:profile ?profile ;
                          mgi:domain ?domain }
    }
    GROUP BY ?org ?type }
"""
    + _INDEX_LABELS
    + """
ORDER BY $order
LIMIT $limit OFFSET $offset""",
)

# The same, with the counts read from the build-time statistics graph (kb.publication.statistics:
# `<org> mgi:findingCount ?n ; mgi:profileCount ?p ; mgi:domainCount ?d`, written for
# every institution some finding mentions) instead of aggregated over every finding.
INSTITUTIONS_ALL_STATS = Query(
    "institutions-index",
    "Institutions with their type, jurisdiction and how many findings, profiles and domains "
    "(counts from the statistics graph)",
    _P
    + _INDEX_SELECT
    + """WHERE {
  { SELECT DISTINCT ?org ?type ?findings ?profiles ?domains
    WHERE {
      VALUES ?type { $type }
      ?org a org:Organization ;
           org:classification ?type .
      OPTIONAL { GRAPH $statistics {
        ?org mgi:findingCount ?f ; mgi:profileCount ?p ; mgi:domainCount ?d } }
      BIND(COALESCE(?f, 0) AS ?findings)
      BIND(COALESCE(?p, 0) AS ?profiles)
      BIND(COALESCE(?d, 0) AS ?domains)
    } }
"""
    + _INDEX_LABELS
    + """
ORDER BY $order
LIMIT $limit OFFSET $offset""",
)

# The same page chosen before it is labelled (sorts by name or by a count): the
# inner query orders every institution by its count and name and keeps the page's
# rows; only those are joined with their type's label and their jurisdiction.
INSTITUTIONS_PAGE_STATS = Query(
    "institutions-index",
    "Institutions with their type, jurisdiction and how many findings, profiles and domains "
    "(counts from the statistics graph; the page chosen first, then labelled)",
    _P
    + """SELECT ?org ?label ?type (SAMPLE(?tl) AS ?typeLabel)
       (SAMPLE(?j) AS ?jurisdiction) (SAMPLE(?jl) AS ?jurisdictionLabel)
       ?findings ?profiles ?domains ?sortLabel
WHERE {
  { SELECT ?org ?type ?findings ?profiles ?domains (SAMPLE(?l) AS ?label)
           (LCASE(STR(COALESCE(SAMPLE(?l), STR(?org)))) AS ?sortLabel)
    WHERE {
      { SELECT DISTINCT ?org ?type WHERE {
          VALUES ?type { $type }
          ?org a org:Organization ;
               org:classification ?type . } }
      OPTIONAL { GRAPH $statistics {
        ?org mgi:findingCount ?f ; mgi:profileCount ?p ; mgi:domainCount ?d } }
      BIND(COALESCE(?f, 0) AS ?findings)
      BIND(COALESCE(?p, 0) AS ?profiles)
      BIND(COALESCE(?d, 0) AS ?domains)
      OPTIONAL { ?org rdfs:label ?l }
    }
    GROUP BY ?org ?type ?findings ?profiles ?domains
    ORDER BY $order
    LIMIT $limit OFFSET $offset }
"""
    + _PAGE_LABELS,
)

# For the count sorts, largest first: the smallest count among the first
# $rows (offset + limit) institutions, and how many were ranked. When $rows were
# ranked and that count is positive, every institution of the page has at least
# that count, so the page is chosen among those few (INSTITUTIONS_TOP_STATS).
INSTITUTIONS_TOP_FLOOR = Query(
    "institutions-index-floor",
    "The smallest count on the first pages of the institutions index (statistics graph)",
    _P
    + """SELECT (COUNT(*) AS ?ranked) (MIN(?c) AS ?lowest) WHERE {
  { SELECT DISTINCT ?org ?type ?c WHERE {
      VALUES ?type { $type }
      GRAPH $statistics { ?org $count ?c }
      ?org a org:Organization ;
           org:classification ?type . }
    ORDER BY DESC(?c)
    LIMIT $rows }
}""",
)

INSTITUTIONS_TOP_STATS = Query(
    "institutions-index",
    "Institutions with their type, jurisdiction and how many findings, profiles and domains "
    "(the page chosen among the most counted, then labelled)",
    _P
    + """SELECT ?org ?label ?type (SAMPLE(?tl) AS ?typeLabel)
       (SAMPLE(?j) AS ?jurisdiction) (SAMPLE(?jl) AS ?jurisdictionLabel)
       ?findings ?profiles ?domains ?sortLabel
WHERE {
  { SELECT ?org ?type ?findings ?profiles ?domains (SAMPLE(?l) AS ?label)
           (LCASE(STR(COALESCE(SAMPLE(?l), STR(?org)))) AS ?sortLabel)
    WHERE {
      { SELECT DISTINCT ?org ?type ?findings ?profiles ?domains WHERE {
          VALUES ?type { $type }
          GRAPH $statistics {
            ?org $count ?c FILTER(?c >= $floor)
            ?org mgi:findingCount ?findings ; mgi:profileCount ?profiles ;
                 mgi:domainCount ?domains }
          ?org a org:Organization ;
               org:classification ?type . } }
      OPTIONAL { ?org rdfs:label ?l }
    }
    GROUP BY ?org ?type ?findings ?profiles ?domains
    ORDER BY $order
    LIMIT $limit OFFSET $offset }
"""
    + _PAGE_LABELS,
)

# The statistics graph's property for each count sort.
INSTITUTION_COUNT_PROPERTY: dict[str, Raw] = {
    "findings": Raw("mgi:findingCount"),
    "profiles": Raw("mgi:profileCount"),
    "domains": Raw("mgi:domainCount"),
}

# Whether the build wrote its statistics graph (builds older than
# kb.publication.statistics have none).
STATISTICS_PRESENT = Query(
    "statistics-present",
    "Does the store hold the build-time statistics graph?",
    _P + "SELECT ?org WHERE { GRAPH $statistics { ?org mgi:findingCount ?n } } LIMIT 1",
)

INSTITUTIONS_ALL_COUNT = Query(
    "institutions-index-count",
    "How many institutions the index lists",
    _P
    + """SELECT (COUNT(DISTINCT ?org) AS ?total) WHERE {
  VALUES ?type { $type }
  ?org a org:Organization ;
       org:classification ?type .
}""",
)

# Institutions mentioned in findings of a place's profiles and/or of a domain;
# the counts are those of the matching findings.
INSTITUTIONS_FILTERED = Query(
    "institutions-index-filtered",
    "Institutions mentioned in the chosen place and domain, with their counts there",
    _P
    + _INDEX_SELECT
    + """WHERE {
  { SELECT ?org ?type (COUNT(DISTINCT ?finding) AS ?findings)
           (COUNT(DISTINCT ?profile) AS ?profiles) (COUNT(DISTINCT ?domain) AS ?domains)
    WHERE {
      VALUES ?place { $place }
      VALUES ?domain { $domain }
      VALUES ?type { $type }
      ?profile mgi:assessedPlace ?place .
      ?finding mgi:profile ?profile ;
               mgi:domain ?domain ;
               mgi:mentions ?org .
      ?org a org:Organization ;
           org:classification ?type .
    }
    GROUP BY ?org ?type }
"""
    + _INDEX_LABELS
    + """
ORDER BY $order
LIMIT $limit OFFSET $offset""",
)

INSTITUTIONS_FILTERED_COUNT = Query(
    "institutions-index-filtered-count",
    "How many institutions are mentioned in the chosen place and domain",
    _P
    + """SELECT (COUNT(DISTINCT ?org) AS ?total) WHERE {
  VALUES ?place { $place }
  VALUES ?domain { $domain }
  VALUES ?type { $type }
  ?profile mgi:assessedPlace ?place .
  ?finding mgi:profile ?profile ;
           mgi:domain ?domain ;
           mgi:mentions ?org .
  ?org a org:Organization ;
       org:classification ?type .
}""",
)

# --- one institution ----------------------------------------------------------------------
INSTITUTION_ABOUT = Query(
    "institution-about",
    "One institution: labels, acronyms, type, parent and child bodies, jurisdiction",
    _P
    + """SELECT DISTINCT ?field ?value ?valueLabel WHERE {
  { VALUES ?org { $org } BIND("type" AS ?field) ?org a org:Organization . BIND(?org AS ?value) }
  UNION { VALUES ?org { $org } BIND("label" AS ?field) ?org rdfs:label ?value }
  UNION { VALUES ?org { $org } BIND("prefLabel" AS ?field) ?org skos:prefLabel ?value }
  UNION { VALUES ?org { $org } BIND("altLabel" AS ?field) ?org skos:altLabel ?value }
  UNION { VALUES ?org { $org } BIND("classification" AS ?field)
          ?org org:classification ?value . OPTIONAL { ?value skos:prefLabel ?valueLabel } }
  UNION { VALUES ?org { $org } BIND("parent" AS ?field)
          ?org org:subOrganizationOf ?value . OPTIONAL { ?value rdfs:label ?valueLabel } }
  UNION { VALUES ?org { $org } BIND("child" AS ?field)
          ?value org:subOrganizationOf ?org . OPTIONAL { ?value rdfs:label ?valueLabel } }
  UNION { VALUES ?org { $org } BIND("jurisdiction" AS ?field)
          ?org mgi:jurisdiction ?value . OPTIONAL { ?value skos:prefLabel ?valueLabel } }
  UNION { VALUES ?org { $org } BIND("note" AS ?field) ?org skos:scopeNote ?value }
  UNION { VALUES ?org { $org } BIND("curated" AS ?field) ?org mgi:curated ?value }
}""",
)

INSTITUTION_TOTALS = Query(
    "institution-totals",
    "How many findings, profiles, places and domains mention one institution",
    _P
    + """SELECT (COUNT(DISTINCT ?finding) AS ?findings) (COUNT(DISTINCT ?profile) AS ?profiles)
       (COUNT(DISTINCT ?place) AS ?places) (COUNT(DISTINCT ?domain) AS ?domains)
WHERE {
  VALUES ?org { $org }
  ?finding mgi:mentions ?org ;
           mgi:profile ?profile ;
           mgi:domain ?domain .
  ?profile mgi:assessedPlace ?place .
}""",
)

INSTITUTION_CHART = Query(
    "institution-domain-assessment",
    "Findings that mention one institution, per domain and assessment",
    _P
    + """SELECT ?domain ?notation ?assessment (COUNT(DISTINCT ?finding) AS ?findings)
       (COUNT(DISTINCT ?profile) AS ?profiles)
WHERE {
  VALUES ?org { $org }
  ?finding mgi:mentions ?org ;
           mgi:domain ?domain ;
           mgi:assessment ?assessment ;
           mgi:profile ?profile .
  ?domain skos:notation ?notation .
}
GROUP BY ?domain ?notation ?assessment
ORDER BY ?notation ?assessment""",
)

# The mention's offsets come along as "start:end" pairs (several if it is named twice).
# The page's findings are chosen first and only theirs are looked up; the
# mention's target is the constant IRI (through a variable bound outside the
# OPTIONAL, Oxigraph reads every mention of the store: 6x slower at 1,000 profiles).
INSTITUTION_FINDINGS = Query(
    "institution-findings",
    "The findings that mention one institution, by place, profile, domain and assessment",
    _P
    + """SELECT ?finding ?profile ?issued ?place ?placeLabel ?domain ?notation ?assessment
       ?position ?text (GROUP_CONCAT(DISTINCT ?span; separator=" ") AS ?spans)
WHERE {
  { SELECT ?finding ?profile ?issued ?place ?placeLabel ?domain ?notation ?assessment
           ?position ?text
    WHERE {
      VALUES ?org { $org }
      VALUES ?domain { $domain }
      VALUES ?assessment { $assessment }
      ?finding mgi:mentions ?org ;
               mgi:profile ?profile ;
               mgi:domain ?domain ;
               mgi:assessment ?assessment ;
               mgi:position ?position ;
               mgi:text ?text .
      ?domain skos:notation ?notation .
      ?profile mgi:assessedPlace ?place .
      OPTIONAL { ?profile dcterms:issued ?issued }
      OPTIONAL { ?place rdfs:label ?placeLabel }
    }
    GROUP BY ?finding ?profile ?issued ?place ?placeLabel ?domain ?notation ?assessment
             ?position ?text
    ORDER BY ?placeLabel DESC(?issued) ?profile ?notation ?assessment ?position
    LIMIT $limit OFFSET $offset }
  OPTIONAL {
    ?finding mgi:hasMention ?mention .
    ?mention mgi:refersTo $org ;
             mgi:start ?start ;
             mgi:end ?end .
    BIND(CONCAT(STR(?start), ":", STR(?end)) AS ?span)
  }
}
GROUP BY ?finding ?profile ?issued ?place ?placeLabel ?domain ?notation ?assessment
         ?position ?text
ORDER BY ?placeLabel DESC(?issued) ?profile ?notation ?assessment ?position""",
)

INSTITUTION_FINDINGS_COUNT = Query(
    "institution-findings-count",
    "How many findings mentioning one institution match the filter",
    _P
    + """SELECT (COUNT(DISTINCT ?finding) AS ?total) WHERE {
  VALUES ?org { $org }
  VALUES ?domain { $domain }
  VALUES ?assessment { $assessment }
  ?finding mgi:mentions ?org ;
           mgi:domain ?domain ;
           mgi:assessment ?assessment .
}""",
)

INSTITUTION_INSTRUMENTS = Query(
    "institution-instruments",
    "Policy instruments named in the same findings as one institution, or issued by it",
    _P
    + """SELECT ?instrument (SAMPLE(?t) AS ?title) (SAMPLE(?ty) AS ?type)
       (SAMPLE(?iss) AS ?issued) (COUNT(DISTINCT ?finding) AS ?shared)
       (MAX(?isCreator) AS ?creator)
WHERE {
  { VALUES ?org { $org }
    ?finding mgi:mentions ?org , ?instrument .
    ?instrument a mgi:PolicyInstrument .
    BIND(false AS ?isCreator) }
  UNION
  { VALUES ?org { $org }
    ?instrument dcterms:creator ?org ;
                a mgi:PolicyInstrument .
    BIND(true AS ?isCreator) }
  OPTIONAL { ?instrument dcterms:title ?t }
  OPTIONAL { ?instrument mgi:instrumentType ?ty }
  OPTIONAL { ?instrument dcterms:issued ?iss }
}
GROUP BY ?instrument
ORDER BY DESC(?shared) ?title
LIMIT $limit""",
)

INSTITUTION_COMENTIONS = Query(
    "institution-co-mentions",
    "Institutions named in the same findings as one institution, by shared findings",
    _P
    + """SELECT ?other (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?finding) AS ?shared)
WHERE {
  VALUES ?org { $org }
  ?finding mgi:mentions ?org , ?other .
  FILTER(?other != ?org)
  ?other a org:Organization .
  OPTIONAL { ?other rdfs:label ?name }
}
GROUP BY ?other
ORDER BY DESC(?shared) ?label
LIMIT $limit""",
)

INSTITUTION_COMENTION_COUNT = Query(
    "institution-co-mention-count",
    "How many institutions are named in the same findings as one institution",
    _P
    + """SELECT (COUNT(DISTINCT ?other) AS ?total) WHERE {
  VALUES ?org { $org }
  ?finding mgi:mentions ?org , ?other .
  FILTER(?other != ?org)
  ?other a org:Organization .
}""",
)

# The same two, from the statistics graph's co-mention pairs (kb.publication.statistics: a
# mgi:CoMention counts the findings naming both of its two institutions).
INSTITUTION_COMENTIONS_STATS = Query(
    "institution-co-mentions",
    "Institutions named in the same findings as one institution, by shared findings "
    "(from the statistics graph)",
    _P
    # The top pairs are chosen before any label is read: a hub has thousands of
    # partners (3x faster at 10,000 profiles); ties at the cut go by IRI.
    + """SELECT ?other (SAMPLE(?name) AS ?label) ?shared
WHERE {
  { SELECT ?other (MAX(?n) AS ?shared) WHERE {
      GRAPH $statistics {
        ?pair mgi:countedInstitution $org , ?other ;
              mgi:findingCount ?n .
        FILTER(?other != $org)
      }
    }
    GROUP BY ?other
    ORDER BY DESC(?shared) ?other
    LIMIT $limit }
  OPTIONAL { ?other rdfs:label ?name }
}
GROUP BY ?other ?shared
ORDER BY DESC(?shared) ?label""",
)

INSTITUTION_COMENTION_COUNT_STATS = Query(
    "institution-co-mention-count",
    "How many institutions are named in the same findings as one institution "
    "(from the statistics graph)",
    _P
    + """SELECT (COUNT(DISTINCT ?other) AS ?total) WHERE {
  GRAPH $statistics {
    ?pair mgi:countedInstitution $org , ?other .
    FILTER(?other != $org)
  }
}""",
)

# Edges of the co-mention network among its top neighbours, within the focal
# institution's findings ($nodes are IRIs taken from the previous answer).
INSTITUTION_NETWORK_EDGES = Query(
    "institution-network-edges",
    "Co-mentions among the institutions named with one institution",
    _P
    + """SELECT ?a ?b (COUNT(DISTINCT ?finding) AS ?shared) WHERE {
  VALUES ?org { $org }
  VALUES ?a { $nodes }
  VALUES ?b { $nodes }
  FILTER(STR(?a) < STR(?b))
  ?finding mgi:mentions ?org , ?a , ?b .
}
GROUP BY ?a ?b""",
)

# --- places and profiles ------------------------------------------------------------------
PLACE_ORDER: dict[str, tuple[Raw, Raw]] = {
    "name": (Raw("?sortLabel ?place"), Raw("DESC(?sortLabel) ?place")),
    "country": (Raw("?countryLabel ?sortLabel"), Raw("DESC(?countryLabel) ?sortLabel")),
    "profiles": (Raw("?profiles ?sortLabel"), Raw("DESC(?profiles) ?sortLabel")),
    "findings": (Raw("?findings ?sortLabel"), Raw("DESC(?findings) ?sortLabel")),
}

PLACES = Query(
    "places-index",
    "Assessed places with their country, profiles and findings",
    _P
    + """SELECT ?place (SAMPLE(?l) AS ?label) (SAMPLE(?k) AS ?kind) (SAMPLE(?c) AS ?country)
       (SAMPLE(?cl) AS ?countryLabel) (SAMPLE(?lat) AS ?latitude) (SAMPLE(?long) AS ?longitude)
       ?profiles ?findings (LCASE(STR(COALESCE(SAMPLE(?l), STR(?place)))) AS ?sortLabel)
WHERE {
  { SELECT ?place (COUNT(DISTINCT ?profile) AS ?profiles) (COUNT(DISTINCT ?finding) AS ?findings)
    WHERE { ?profile mgi:assessedPlace ?place .
            OPTIONAL { ?profile mgi:hasFinding ?finding } }
    GROUP BY ?place }
  OPTIONAL { ?place rdfs:label ?l }
  OPTIONAL { ?place a ?k . FILTER(?k IN (schema:City, schema:Country)) }
  OPTIONAL { ?place schema:latitude ?lat ; schema:longitude ?long }
  OPTIONAL { ?place schema:containedInPlace ?c . ?c a schema:Country .
             OPTIONAL { ?c rdfs:label ?cl } }
}
GROUP BY ?place ?profiles ?findings
ORDER BY $order
LIMIT $limit OFFSET $offset""",
)

PLACES_COUNT = Query(
    "places-count",
    "How many places have a profile",
    _P
    + """SELECT (COUNT(DISTINCT ?place) AS ?total) WHERE { ?profile mgi:assessedPlace ?place }""",
)

PLACE_ABOUT = Query(
    "place-about",
    "One place: names, kind, coordinates, the places it lies in",
    _P
    + """SELECT DISTINCT ?field ?value ?valueLabel WHERE {
  { VALUES ?place { $place } BIND("label" AS ?field) ?place rdfs:label ?value }
  UNION { VALUES ?place { $place } BIND("name" AS ?field) ?place skos:prefLabel ?value }
  UNION { VALUES ?place { $place } BIND("kind" AS ?field) ?place a ?value }
  UNION { VALUES ?place { $place } BIND("latitude" AS ?field) ?place schema:latitude ?value }
  UNION { VALUES ?place { $place } BIND("longitude" AS ?field) ?place schema:longitude ?value }
  UNION { VALUES ?place { $place } BIND("within" AS ?field)
          ?place schema:containedInPlace ?value . OPTIONAL { ?value rdfs:label ?valueLabel } }
}""",
)

PLACE_PROFILES = Query(
    "place-profiles",
    "The profiles of one place, newest first, with their findings per assessment",
    _P
    + """SELECT ?profile ?issued (SAMPLE(?t) AS ?title) ?assessment (COUNT(?finding) AS ?findings)
WHERE {
  VALUES ?place { $place }
  ?profile mgi:assessedPlace ?place ;
           mgi:hasFinding ?finding .
  ?finding mgi:assessment ?assessment .
  OPTIONAL { ?profile dcterms:issued ?issued }
  OPTIONAL { ?profile dcterms:title ?t }
}
GROUP BY ?profile ?issued ?assessment
ORDER BY DESC(?issued) ?profile ?assessment""",
)

PROFILE_ABOUT = Query(
    "profile-about",
    "One profile: title, date, language, kind, place and country",
    _P
    + """SELECT DISTINCT ?field ?value ?valueLabel WHERE {
  { VALUES ?profile { $profile } BIND("title" AS ?field) ?profile dcterms:title ?value }
  UNION { VALUES ?profile { $profile } BIND("issued" AS ?field) ?profile dcterms:issued ?value }
  UNION { VALUES ?profile { $profile } BIND("language" AS ?field)
          ?profile dcterms:language ?value }
  UNION { VALUES ?profile { $profile } BIND("source" AS ?field) ?profile dcterms:source ?value }
  UNION { VALUES ?profile { $profile } BIND("publisher" AS ?field)
          ?profile dcterms:publisher ?value . OPTIONAL { ?value rdfs:label ?valueLabel } }
  UNION { VALUES ?profile { $profile } BIND("kind" AS ?field) ?profile a ?value .
          FILTER(?value IN (mgi:LocalProfile, mgi:NationalProfile)) }
  UNION { VALUES ?profile { $profile } BIND("place" AS ?field)
          ?profile mgi:assessedPlace ?value . OPTIONAL { ?value rdfs:label ?valueLabel } }
  UNION { VALUES ?profile { $profile } BIND("country" AS ?field)
          ?profile mgi:assessedPlace/schema:containedInPlace ?value .
          ?value a schema:Country . OPTIONAL { ?value rdfs:label ?valueLabel } }
}""",
)

PROFILE_FINDINGS = Query(
    "profile-findings",
    "Every finding of one profile with its domain, assessment and text",
    _P
    + """SELECT DISTINCT ?finding ?domain ?notation ?assessment ?position ?text WHERE {
  VALUES ?profile { $profile }
  ?profile mgi:hasFinding ?finding .
  ?finding mgi:domain ?domain ;
           mgi:assessment ?assessment ;
           mgi:position ?position ;
           mgi:text ?text .
  ?domain skos:notation ?notation .
}
ORDER BY ?notation ?assessment ?position""",
)

PROFILE_MENTIONS = Query(
    "profile-mentions",
    "Where each finding of one profile names an institution or instrument",
    _P
    + """SELECT DISTINCT ?finding ?start ?end ?target ?targetLabel ?isOrg WHERE {
  VALUES ?profile { $profile }
  ?profile mgi:hasFinding ?finding .
  ?finding mgi:hasMention ?mention .
  ?mention mgi:refersTo ?target ;
           mgi:start ?start ;
           mgi:end ?end .
  OPTIONAL { ?target rdfs:label ?targetLabel }
  BIND(EXISTS { ?target a org:Organization } AS ?isOrg)
}""",
)

PROFILE_CHART = Query(
    "profile-domain-assessment",
    "Findings of one profile per domain and assessment",
    _P
    + """SELECT ?domain ?notation ?assessment (COUNT(DISTINCT ?finding) AS ?findings) WHERE {
  VALUES ?profile { $profile }
  ?profile mgi:hasFinding ?finding .
  ?finding mgi:domain ?domain ;
           mgi:assessment ?assessment .
  ?domain skos:notation ?notation .
}
GROUP BY ?domain ?notation ?assessment
ORDER BY ?notation ?assessment""",
)

PROFILE_INSTITUTIONS = Query(
    "profile-institutions",
    "The institutions most involved in one profile",
    _P
    + """SELECT ?org (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?finding) AS ?findings)
       (COUNT(DISTINCT ?domain) AS ?domains)
       (SUM(IF(?assessment = mgi:WellDeveloped, 1, 0)) AS ?wellDeveloped)
WHERE {
  VALUES ?profile { $profile }
  ?profile mgi:hasFinding ?finding .
  ?finding mgi:mentions ?org ;
           mgi:domain ?domain ;
           mgi:assessment ?assessment .
  ?org a org:Organization .
  OPTIONAL { ?org rdfs:label ?name }
}
GROUP BY ?org
ORDER BY DESC(?findings) ?label
LIMIT $limit""",
)

COMPARE = Query(
    "compare-places",
    "Findings per domain and assessment for several places, profile by profile",
    _P
    + """SELECT ?place ?placeLabel ?profile ?issued ?notation ?assessment
       (COUNT(DISTINCT ?finding) AS ?findings)
WHERE {
  VALUES ?place { $places }
  ?profile mgi:assessedPlace ?place ;
           mgi:hasFinding ?finding .
  ?finding mgi:domain ?domain ;
           mgi:assessment ?assessment .
  ?domain skos:notation ?notation .
  OPTIONAL { ?profile dcterms:issued ?issued }
  OPTIONAL { ?place rdfs:label ?placeLabel }
}
GROUP BY ?place ?placeLabel ?profile ?issued ?notation ?assessment
ORDER BY ?placeLabel DESC(?issued) ?notation ?assessment""",
)

# --- one finding --------------------------------------------------------------------------
FINDING = Query(
    "finding",
    "One finding: text, domain, assessment, profile, place and years",
    _P
    + """SELECT ?text ?domain ?notation ?assessment ?position ?profile ?issued ?place ?placeLabel
       (GROUP_CONCAT(DISTINCT STR(?year); separator=" ") AS ?years)
WHERE {
  VALUES ?finding { $finding }
  ?finding mgi:text ?text ;
           mgi:domain ?domain ;
           mgi:assessment ?assessment ;
           mgi:position ?position ;
           mgi:profile ?profile .
  ?domain skos:notation ?notation .
  ?profile mgi:assessedPlace ?place .
  OPTIONAL { ?profile dcterms:issued ?issued }
  OPTIONAL { ?place rdfs:label ?placeLabel }
  OPTIONAL { ?finding mgi:refersToYear ?year }
}
GROUP BY ?text ?domain ?notation ?assessment ?position ?profile ?issued ?place ?placeLabel""",
)

FINDING_MENTIONS = Query(
    "finding-mentions",
    "What one finding names, and where in its text",
    _P
    + """SELECT DISTINCT ?start ?end ?surface ?target ?targetLabel ?isOrg WHERE {
  VALUES ?finding { $finding }
  ?finding mgi:hasMention ?mention .
  ?mention mgi:refersTo ?target ;
           mgi:start ?start ;
           mgi:end ?end .
  OPTIONAL { ?mention mgi:surfaceForm ?surface }
  OPTIONAL { ?target rdfs:label ?targetLabel }
  BIND(EXISTS { ?target a org:Organization } AS ?isOrg)
}
ORDER BY ?start""",
)

ALL: tuple[Query, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Query))
