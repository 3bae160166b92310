"""Stage 1, parse: profile text (FORMAT.md) into a `Profile` model.

`parse_profile(text, *, source)` and `read_profile(path)` are the public face;
`vocabulary` holds the multilingual word tables of the format.
"""

from kb.parse.profile import parse_profile, read_profile

__all__ = ["parse_profile", "read_profile"]
