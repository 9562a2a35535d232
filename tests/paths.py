"""Where the test suite finds the read-only shared material (samples, labelled data, feed farm).

CI clones the repository into a fresh folder with a copy of ``shared/`` beside it, so the
default is ``<repo>/../shared``. A clone made elsewhere from a local checkout (``git clone
/work/main /tmp/x``) finds it beside that checkout instead. ``ALIGNWATCH_SHARED_DIR`` overrides
both.
"""

import os
import subprocess
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path:
    if "ALIGNWATCH_SHARED_DIR" in os.environ:
        return Path(os.environ["ALIGNWATCH_SHARED_DIR"]).resolve()
    beside = REPO_DIR.parent / "shared"
    if beside.is_dir():
        return beside.resolve()
    try:
        origin = subprocess.run(["git", "-C", str(REPO_DIR), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    checkout = Path(origin.removesuffix("/.git")) if origin and "://" not in origin else None
    if checkout is not None and (checkout.parent / "shared").is_dir():
        return (checkout.parent / "shared").resolve()
    return beside.resolve()  # missing: the tests that need it say so


SHARED_DIR = _shared_dir()
# The benchmark modules some tests drive, and their child processes, read the same variable.
os.environ.setdefault("ALIGNWATCH_SHARED_DIR", str(SHARED_DIR))
SAMPLES_DIR = SHARED_DIR / "feeds-samples"
DATA_DIR = SHARED_DIR / "data"
FEEDFARM = SHARED_DIR / "bench" / "feedfarm.py"
