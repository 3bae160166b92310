"""SPARQL text helpers: a lexer-level analysis of query text (`text`), and
query results rendered for people and programs (`results`).
"""
