"""Synthetic profiles in the profile text format, for scale tests (`kb synth`).

`pools` reads the word pools of `data/synth/`; `generator` writes profiles
with their planted mentions as gold.
"""

from kb.synth.generator import write_synthetic_profiles

__all__ = ["write_synthetic_profiles"]
