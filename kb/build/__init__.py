"""Stage 3, build: RDF graphs from parsed profiles and reference data.

`build_profile_graph` makes one profile's named graph, `build_places_graph`
and `build_institutions_graph` the reference graphs; `canonical` writes
N-Quads in one canonical order (byte-identical for the same input).
"""

from kb.build.institutions import build_institutions_graph
from kb.build.profile_graph import build_places_graph, build_profile_graph

__all__ = ["build_institutions_graph", "build_places_graph", "build_profile_graph"]
