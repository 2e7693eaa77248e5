"""Models to predict with: the session's candidates or an uploaded, signature-checked bundle.

Predictions go through core.predict_template, the same code that ships as a bundle's
predict.py, so the app scores rows exactly as the downloaded bundle will.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from core.config import dojo_home
from core.errors import DojoError
from ui.i18n import text_of
from ui.state import DojoState, PredictSource

CATEGORY_CHOICES = 50


def session_metadata(setup: Any, result: Any) -> dict[str, Any]:
    """What predict_template needs to know about a candidate trained in this session."""
    features = [{"name": name, "dtype": str(setup.frame[name].dtype),
                 "role": setup.feature_roles.get(name, "numeric")} for name in setup.features]
    return {"task": setup.task, "target": setup.target, "classes": setup.classes,
            "data": {"name": setup.data_name, "features": features},
            "algorithm": {"id": result.algorithm_id, "name": dict(result.name)}}


def session_source(state: DojoState, key: str) -> PredictSource:
    setup, result = state.results_setup, state.result(key)
    return PredictSource("session", text_of(result.name), result.pipeline,
                         session_metadata(setup, result), f"{state.results_run}:{key}")


def bundle_source(content: bytes, name: str) -> PredictSource:
    """Load an uploaded bundle; core.bundle refuses it (DojoError) unless its signature verifies."""
    from core import predict_template
    from core.bundle import SAMPLE_INPUT_FILE, load_bundle, read_bundle

    digest = hashlib.sha256(content).hexdigest()
    folder = dojo_home() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bundle-{digest[:16]}.zip"
    if not path.is_file():
        path.write_bytes(content)
    loaded = load_bundle(path)
    metadata = dict(loaded.metadata)
    sample = read_bundle(path).get(SAMPLE_INPUT_FILE)
    examples = predict_template.read_delimited(sample, metadata) if sample else None
    algorithm = metadata.get("algorithm", {})
    label = text_of(algorithm.get("names") or algorithm.get("name") or name)
    return PredictSource("bundle", f"{label} ({name})", loaded.pipeline, metadata, digest,
                         examples)


def features_of(source: PredictSource) -> list[dict[str, Any]]:
    return list(source.metadata.get("data", {}).get("features", []))


def example_values(state: DojoState, source: PredictSource) -> dict[str, Any]:
    """A typical value per feature (median / most frequent) to start the what-if form from."""
    frame = reference_frame(state, source)
    values: dict[str, Any] = {}
    for feature in features_of(source):
        name = feature["name"]
        if (frame is None or name not in frame.columns or frame[name].dropna().empty
                or frame[name].isna().mean() > 0.5):
            values[name] = None   # a typical row leaves a mostly-empty column empty
        elif feature.get("role") == "numeric" and pd.api.types.is_numeric_dtype(frame[name]):
            median = float(frame[name].median())
            values[name] = round(median) if is_whole_number(feature) else median
        else:
            values[name] = frame[name].dropna().astype(str).mode().iloc[0]
    return values


def is_whole_number(feature: dict[str, Any]) -> bool:
    dtype = str(feature.get("dtype", "")).lower()
    return dtype.startswith(("int", "uint"))


def category_options(state: DojoState, source: PredictSource, name: str) -> list[str]:
    frame = reference_frame(state, source)
    if frame is None or name not in frame.columns:
        return []
    counts = frame[name].dropna().astype(str).value_counts()
    return list(counts.index[:CATEGORY_CHOICES])


def reference_frame(state: DojoState, source: PredictSource) -> pd.DataFrame | None:
    """Rows that show what inputs look like: the training rows, or the bundle's sample."""
    if source.kind == "session" and state.results_setup is not None:
        setup = state.results_setup
        return setup.frame.iloc[setup.split.train]
    return source.examples


def predict_frame(source: PredictSource, frame: pd.DataFrame) -> pd.DataFrame:
    """Predictions for ``frame`` (raises DojoError with the reason when it cannot be scored)."""
    from core.bundle import LoadedBundle, predict_loaded

    return predict_loaded(LoadedBundle(source.pipeline, source.metadata), frame)


def read_batch(source: PredictSource, content: bytes, name: str) -> pd.DataFrame:
    """An uploaded batch file read exactly as the bundle's predict.py reads it."""
    from core import predict_template

    folder = dojo_home() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"batch-{hashlib.sha256(content).hexdigest()[:16]}{Path(name).suffix.lower()}"
    path.write_bytes(content)
    try:
        return predict_template.read_input(path, source.metadata)
    except predict_template.InputError as exc:
        raise DojoError("app.predict.bad_input", detail=str(exc)) from None
    finally:
        path.unlink(missing_ok=True)
