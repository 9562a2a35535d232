"""Where the test suite finds the read-only shared material (samples, labelled data, feed farm).

CI clones the repository into a fresh folder with a copy of ``shared/`` beside it, so the
default is ``<repo>/../shared``; ``ALIGNWATCH_SHARED_DIR`` overrides it.
"""

import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("ALIGNWATCH_SHARED_DIR", REPO_DIR.parent / "shared")).resolve()
SAMPLES_DIR = SHARED_DIR / "feeds-samples"
DATA_DIR = SHARED_DIR / "data"
FEEDFARM = SHARED_DIR / "bench" / "feedfarm.py"
