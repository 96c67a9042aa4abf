"""The reference data the tests read, kept inside the repository (tests/data/README.md): a plain
clone runs the suite with nothing beside it."""
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PORTAL_2026_08 = DATA / "portal-2026-08"  # the national portal's evaluation API, Phú Thọ, August 2026
