"""Demo mode: bundled sample feeds that the service serves to itself, in its own database.

``alignwatch serve --demo`` needs no network: it writes a feeds.yml whose URLs point back
at this server's ``/demo/feeds/`` route, so a newcomer sees polling, storage and the rest
of the pipeline work end to end without touching the real feeds or database.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

DEMO_DATABASE_URL = "sqlite+aiosqlite:///./alignwatch-demo.db"
FEEDS_PACKAGE = "service.demo"


def demo_feed_names() -> list[str]:
    """File names of the bundled feeds."""
    folder = resources.files(FEEDS_PACKAGE) / "feeds"
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith((".xml", ".rdf")))


def demo_feed_bytes(name: str) -> bytes | None:
    """One bundled feed's bytes, or None when there is no such feed."""
    if name not in demo_feed_names():
        return None
    return (resources.files(FEEDS_PACKAGE) / "feeds" / name).read_bytes()


def demo_feeds_file(base_url: str, folder: Path | None = None) -> Path:
    """Write the demo feeds.yml pointing at ``base_url`` and return its path."""
    template = (resources.files(FEEDS_PACKAGE) / "feeds.yml.template").read_text("utf-8")
    folder = folder or Path(tempfile.mkdtemp(prefix="alignwatch-demo-"))
    path = folder / "feeds.yml"
    path.write_text(template.replace("{base_url}", base_url.rstrip("/")), "utf-8")
    return path
