"""Stage 2, extract: institutions, instruments and years named by each finding.

`extract_mentions(profile, gazetteer)` is the public face; `load_gazetteer`
reads the curated institutions and rule tables of `data/reference/`.
`evaluate` scores the extractor against gold annotations (`kb eval`).
"""

from kb.extract.extractor import extract_mentions
from kb.extract.gazetteer import Gazetteer, load_gazetteer

__all__ = ["Gazetteer", "extract_mentions", "load_gazetteer"]
