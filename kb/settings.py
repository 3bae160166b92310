"""Configuration: one `Settings` object, built by the CLI or the app factory.

Every field can be set by an environment variable `KB_<FIELD>` (for example
`KB_STORE=/srv/mgi/store`) or a `.env` file in the working directory; CLI
options override both. Relative paths are taken from the working directory.
Nothing reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kb.iris import DEFAULT_BASE, Iris


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KB_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    base_iri: str = DEFAULT_BASE
    """Base under which data IRIs are minted (id/profile/…, id/org/…)."""
    profiles: Path = Path("data/profiles")
    """Directory of profile texts that `kb build` reads."""
    reference: Path = Path("data/reference")
    """Curated reference data (places, institutions)."""
    ontology: Path = Path("ontology/mgi.ttl")
    shapes: Path = Path("shapes")
    queries: Path = Path("queries")
    """Example SPARQL queries (`*.rq`)."""
    store: Path = Path(".kb")
    """Root of the embedded store: builds/ and the `current` pointer."""

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.endswith("/"):
            raise ValueError("base IRI must end with '/'")
        return value

    @property
    def iris(self) -> Iris:
        return Iris(self.base_iri)
