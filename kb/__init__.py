"""MGI Knowledge Graph: MGI profiles as a validated, published RDF knowledge graph."""

from kb.errors import KbError, ProfileParseError
from kb.model import Assessment, Domain, Finding, Level, Profile

__all__ = [
    "Assessment",
    "Domain",
    "Finding",
    "KbError",
    "Level",
    "Profile",
    "ProfileParseError",
]
