"""Curated reference data read from `data/reference/`: places and their kinds.

`load_places(path)` reads `places.toml` and checks it; errors name the file
and the entry. Institutions and extraction rules are read by `kb.extract`.
"""

from kb.reference.places import Place, Places, load_places

__all__ = ["Place", "Places", "load_places"]
