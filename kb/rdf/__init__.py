"""RDF helpers shared by publication and the web layers: an in-memory triple
index over pyoxigraph terms (`graph`) and the project's JSON-LD writer (`jsonld`).
"""
