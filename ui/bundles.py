"""Model bundles for the session: written once per candidate under DOJO_HOME/bundles."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from core.config import dojo_home
from ui.state import DojoState


def bundle_path(state: DojoState, key: str) -> Path:
    """model-<data>-<candidate>-<run>.zip: readable, and unique per training run."""
    setup = state.results_setup
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(setup.data_name).stem).strip("_") or "data"
    run = re.sub(r"[^A-Za-z0-9]+", "", str(state.results_run or ""))[-8:]
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", f"{stem[:40]}-{key}-{setup.data_sha256[:6]}{run}")
    return dojo_home() / "bundles" / f"model-{name}.zip"


def ensure_bundle(state: DojoState, key: str) -> Path:
    """The bundle of candidate ``key``; written on first use only."""
    from core.bundle import write_bundle
    from core.training import baseline_of, score_test

    known = state.bundles.get(key)
    if known and Path(known).is_file():
        return Path(known)
    out = bundle_path(state, key)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.is_file():
        result, baseline = state.result(key), baseline_of(state.results)
        # The test rows are scored only for the model handed over, so they stay unbiased.
        for candidate in (result, baseline):
            if candidate is not None and not candidate.metrics.get("test"):
                score_test(state.results_setup, candidate)
        out = Path(write_bundle(state.results_setup, result, out, baseline=baseline,
                                lang=state.language))
    state.bundles[key] = str(out)
    state.last_bundle_path = str(out)
    return out


def bundle_listing(path: Path) -> list[dict[str, Any]]:
    """The files inside a bundle with their sizes."""
    with zipfile.ZipFile(path) as archive:
        return [{"file": info.filename, "bytes": info.file_size} for info in archive.infolist()]


def bundle_text(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8", errors="replace")


def bundle_metadata(path: Path) -> dict[str, Any]:
    return json.loads(bundle_text(path, "metadata.json"))
