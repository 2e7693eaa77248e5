"""Model bundles: writing, reading, verifying, loading, self-checking and reproducing them.

A bundle is a signed zip (see DESIGN.md, "Model bundle"): the fitted Pipeline, its
metadata, a standalone ``predict.py`` (``core/predict_template.py`` verbatim), pinned
requirements, a model card and a few sample rows with their predictions. Loading a
joblib file runs code, so nothing here unpickles a bundle before its signature verifies.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import importlib
import importlib.metadata
import io
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

import core
from core import clean_process, predict_template, signing, unsupervised
from core.errors import DojoError
from core.i18n import DEFAULT_LANGUAGE, Message, t

FORMAT_VERSION = 1
SIGNATURE_FILE = "signature"
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
PREDICT_FILE = "predict.py"
SAMPLE_INPUT_FILE = "sample_input.csv"
SAMPLE_PREDICTIONS_FILE = "sample_predictions.csv"
CONTENT_FILES: tuple[str, ...] = (
    MODEL_FILE, METADATA_FILE, PREDICT_FILE, "requirements.txt", "README.md",
    SAMPLE_INPUT_FILE, SAMPLE_PREDICTIONS_FILE,
)
EXTRAS_DIR = "extras/"
_EXTRA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
MAX_MEMBER_BYTES = 1 << 30   # 1 GiB: far above any model a workshop trains, far below a zip bomb
MAX_MEMBERS = 64
SAMPLE_ROWS = 5
CHECK_RELATIVE_TOLERANCE = 1e-9
REPRODUCE_TOLERANCE = 1e-3        # relative (absolute below 1) difference accepted by reproduce
REPRODUCE_LABEL_SHARE = 0.01      # share of differing labels accepted by reproduce
# Import name -> pip name of the libraries a bundle may need.
_BASE_LIBRARIES = {"pandas": "pandas", "numpy": "numpy", "sklearn": "scikit-learn",
                   "scipy": "scipy", "joblib": "joblib"}
_MODEL_LIBRARIES = {"xgboost": "xgboost", "lightgbm": "lightgbm"}
_OPTIONAL_LIBRARIES = {"pyarrow": "parquet input", "openpyxl": "xlsx input"}
# Module -> the distributions that may install it (xgboost-cpu installs xgboost).
_DISTRIBUTIONS = {"sklearn": ("scikit-learn",), "xgboost": ("xgboost", "xgboost-cpu")}


@dataclass
class LoadedBundle:
    """A verified bundle's fitted Pipeline and metadata."""

    pipeline: Any
    metadata: dict[str, Any]
    path: Path | None = None
    embedding: pd.DataFrame | None = None   # stored coordinates (t-SNE cannot transform)


@dataclass
class CheckReport:
    """The outcome of re-running a bundle's predict.py on its sample rows."""

    ok: bool
    signature_ok: bool
    rows: int
    mismatches: list[str]
    message: Message
    detail: str = ""              # the subprocess's error output when it failed


# --- JSON-safe metadata -------------------------------------------------------------

def json_safe(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers, NaN/inf as None, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [json_safe(v) for v in items]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        return json_safe(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Message):
        return {"key": value.key, "params": json_safe(value.params)}
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe(dataclasses.asdict(value))
    return None if _is_missing(value) else str(value)


def _is_missing(value: Any) -> bool:
    """True for pandas missing scalars (pd.NA, NaT); False for anything else."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _object_modules(pipeline: Any) -> set[str]:
    """The module of every object inside the pipeline (its nested estimators included)."""
    objects = [pipeline]
    get_params = getattr(pipeline, "get_params", None)
    if callable(get_params):
        objects += list(get_params(deep=True).values())
    return {type(obj).__module__ for obj in objects}


def _modules_used(pipeline: Any) -> set[str]:
    """Top-level packages of every object inside the pipeline (its nested estimators)."""
    return {module.split(".")[0] for module in _object_modules(pipeline)}


def modules_to_preload(pipeline: Any) -> list[str]:
    """The modules a clean process needs to run ``predict.py`` with ``pipeline``: what
    predict.py imports, and the module of every object inside the pipeline."""
    modules = _object_modules(pipeline) - {"builtins"}
    return sorted({"numpy", "pandas", "joblib"} | modules)


def library_versions(pipeline: Any, library: str | None = None) -> dict[str, str]:
    """Pip name -> installed version of the libraries loading and predicting need."""
    used = _modules_used(pipeline) | ({library} if library else set())
    wanted = dict(_BASE_LIBRARIES)
    wanted.update({m: pip for m, pip in _MODEL_LIBRARIES.items() if m in used})
    versions = {}
    for module_name, pip_name in wanted.items():
        versions[pip_name] = _version_of(module_name) or "unknown"
    return versions


def _version_of(module_name: str) -> str | None:
    """The installed version; read from the package metadata when the module is not
    imported yet (importing openpyxl only to learn its version costs 50 ms)."""
    if module_name not in sys.modules:
        for distribution in _DISTRIBUTIONS.get(module_name, (module_name,)):
            try:
                return importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                continue
    try:
        return str(importlib.import_module(module_name).__version__)
    except (ImportError, AttributeError):
        return None


def requirements_text(libraries: dict[str, str]) -> str:
    """requirements.txt: the exact versions, plus optional readers as comments."""
    lines = ["# Exact versions this model was trained with (pip install -r requirements.txt)."]
    lines += [f"{name}=={version}" for name, version in libraries.items() if version != "unknown"]
    for module_name, purpose in _OPTIONAL_LIBRARIES.items():
        version = _version_of(module_name)
        if version:
            lines.append(f"# optional, for {purpose}: {module_name}=={version}")
    if "xgboost" in libraries:
        lines.append("# xgboost-cpu of the same version works too (smaller, no GPU).")
    return "\n".join(lines) + "\n"


# --- metadata -----------------------------------------------------------------------

def _feature_schema(setup: Any) -> list[dict[str, Any]]:
    """Each feature with its role and its dtype as loaded (before categories became text),
    which tells predict.py how to parse it the way the loader did."""
    loaded = {c.name: c.dtype for c in getattr(setup.profile, "columns", [])}
    return [{"name": name, "dtype": loaded.get(name, str(setup.frame[name].dtype)),
             "role": setup.feature_roles.get(name, "numeric")} for name in setup.features]


def _excluded_columns(setup: Any) -> list[dict[str, Any]]:
    """Columns that are neither target nor feature, with the reason the profile gave."""
    out = []
    for column in getattr(setup.profile, "columns", []):
        if column.is_feature or column.name == setup.target:
            continue
        reason = column.reason
        out.append({"name": column.name, "dtype": column.dtype, "role": column.role,
                    "reason": getattr(reason, "key", str(reason)),
                    "reason_params": getattr(reason, "params", {})})
    return out


def _data_section(setup: Any) -> dict[str, Any]:
    return {
        "name": setup.data_name, "sha256": setup.data_sha256,
        "rows": int(len(setup.frame)), "columns": int(setup.frame.shape[1]),
        "features": _feature_schema(setup), "excluded": _excluded_columns(setup),
        "role_overrides": dict(setup.role_overrides or {}),
        "notes": [{"key": note.key, "params": note.params} for note in setup.notes],
    }


def _baseline_section(baseline: Any) -> dict[str, Any] | None:
    if baseline is None:
        return None
    return {"algorithm": baseline.algorithm_id, "key": baseline.key,
            "hyperparameters": baseline.hyperparameters, "metrics": baseline.metrics}


def _check_threshold(setup: Any, threshold: float | None) -> None:
    if threshold is None:
        return
    binary = setup.task == "classification" and len(setup.classes or []) == 2
    if not binary or not 0.0 <= float(threshold) <= 1.0:
        raise DojoError("bundle.bad_threshold", threshold=threshold)


def build_metadata(setup: Any, result: Any, model_size_bytes: int, baseline: Any = None,
                   requirements: dict[str, Any] | None = None,
                   scorecard: Any = None, decision_threshold: float | None = None) -> dict[str, Any]:
    """metadata.json's content (JSON-safe), as DESIGN.md's bundle section lists it."""
    commit, dirty = core.code_commit()
    metadata: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "app_version": core.__version__, "code_commit": commit, "code_dirty": dirty,
        "python": platform.python_version(),
        "libraries": library_versions(result.pipeline, result.library),
        "random_seed": setup.seed, "threads": setup.n_jobs,
        **_task_section(setup),
        "algorithm": {"id": result.algorithm_id, "key": result.key,
                      "name": result.name.get("en", result.algorithm_id),
                      "names": result.name, "library": result.library},
        "hyperparameters": result.hyperparameters,
        "data": _data_section(setup),
        "split": dataclasses.asdict(setup.split.info),
        "metrics": {"validation": result.metrics.get("validation"),
                    "test": result.metrics.get("test")},
        "baseline": _baseline_section(baseline),
        "timings": result.timings, "model_size_bytes": model_size_bytes,
    }
    _add_optional(metadata, requirements, scorecard, decision_threshold)
    if unsupervised.is_unsupervised(setup.task):
        metadata["unsupervised"] = _unsupervised_section(setup, result)
    return json_safe(metadata)


def _task_section(setup: Any) -> dict[str, Any]:
    """task, target and classes; without a target, a column given anyway only coloured the
    plots, so it is no target (the "unsupervised" section names it)."""
    if unsupervised.is_unsupervised(setup.task):
        return {"task": setup.task, "target": None, "classes": None}
    return {"task": setup.task, "target": setup.target, "classes": setup.classes}


def _unsupervised_section(setup: Any, result: Any) -> dict[str, Any]:
    """What predict.py outputs without a target, and whether it can place new rows."""
    stored = not unsupervised.can_score_new_rows(result.pipeline, setup.task)
    return unsupervised.bundle_facts(setup, result,
                                     predict_template.EMBEDDING_FILE if stored else None)


def _add_optional(metadata: dict[str, Any], requirements: Any, scorecard: Any,
                  decision_threshold: float | None) -> None:
    if requirements is not None:
        metadata["requirements"] = requirements
    if scorecard is not None:
        metadata["scorecard"] = scorecard
    if decision_threshold is not None:
        metadata["decision_threshold"] = float(decision_threshold)


def metadata_bytes(metadata: dict[str, Any]) -> bytes:
    """metadata.json's bytes; allow_nan=False proves json_safe left no NaN behind."""
    text = json.dumps(json_safe(metadata), indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


# --- sample rows, model card, zip ---------------------------------------------------

def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _sample_rows(setup: Any, metadata: dict[str, Any]) -> pd.DataFrame:
    """Up to SAMPLE_ROWS raw validation rows (train rows when there is no validation part,
    or when the model only knows its training rows, as t-SNE does)."""
    parts = (("validation", "train") if predict_template.transforms_new_rows(metadata)
             else ("train",))
    for part in parts:
        features, _ = setup.part(part)
        if len(features):
            return features.head(SAMPLE_ROWS)
    raise DojoError("bundle.no_sample_rows")


def sample_files(setup: Any, pipeline: Any, metadata: dict[str, Any],
                 embedding: pd.DataFrame | None = None) -> tuple[bytes, bytes]:
    """sample_input.csv and sample_predictions.csv.

    The predictions are made on the rows as read back from sample_input.csv, by the
    same code predict.py runs, so ``check`` can demand they match exactly.
    """
    sample_input = _csv_bytes(_sample_rows(setup, metadata))
    read_back = predict_template.read_delimited(sample_input, metadata)
    try:
        predictions = predict_template.predict(read_back, pipeline, metadata, embedding)
    except predict_template.InputError as exc:
        raise DojoError("bundle.cannot_predict", detail=str(exc)) from exc
    return sample_input, _csv_bytes(predictions)


def embedding_csv(setup: Any, pipeline: Any, metadata: dict[str, Any]) -> bytes:
    """extras/embedding.csv for a model that cannot transform new rows (t-SNE): the
    coordinates of each training row, keyed by predict.py's fingerprint of that row."""
    X, _ = setup.part("train")
    features = predict_template.prepare_features(X, metadata)
    table = unsupervised.fitted_embedding(setup, pipeline)
    table.index = pd.Index(predict_template.row_keys(pipeline, features),
                           name=predict_template.ROW_KEY)
    table = table[~table.index.duplicated()]
    return table.to_csv(lineterminator="\n").encode("utf-8")


def _with_embedding(setup: Any, result: Any, metadata: dict[str, Any],
                    extra_files: dict[str, bytes] | None
                    ) -> tuple[dict[str, bytes], pd.DataFrame | None]:
    """The extra files plus extras/embedding.csv for a model that cannot transform new rows,
    and that embedding as predict.py will read it (None for every other model)."""
    files = dict(extra_files or {})
    if predict_template.transforms_new_rows(metadata):
        return files, None
    stored = embedding_csv(setup, result.pipeline, metadata)
    files[predict_template.EMBEDDING_FILE] = stored
    return files, predict_template.read_embedding(stored)


def dump_model(pipeline: Any) -> bytes:
    """model.joblib's bytes (uncompressed: the zip compresses it)."""
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer)
    return buffer.getvalue()


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.4g}"
    return "–" if value is None else str(value)


def _scalar_metrics(*sections: dict[str, Any] | None) -> list[str]:
    names: list[str] = []
    for section in sections:
        for name, value in (section or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and name not in names:
                names.append(name)
    return names


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(v).replace("|", "\\|") for v in row) + " |" for row in rows]
    return lines


def _card_purpose(meta: dict[str, Any], lang: str) -> list[str]:
    algorithm = meta["algorithm"]
    params = {"algorithm": algorithm["names"].get(lang, algorithm["name"]),
              "library": algorithm["library"], "task": meta["task"],
              "target": meta["target"], "data": meta["data"]["name"],
              "rows": meta["data"]["rows"], "app_version": meta["app_version"],
              "created_at": meta["created_at"]}
    has_target = meta["target"] is not None and meta.get("unsupervised") is None
    key = "bundle.readme.purpose" if has_target else "bundle.readme.purpose_no_target"
    lines = [t("bundle.readme.title", lang, **params), "",
             t("bundle.readme.purpose_heading", lang), "", t(key, lang, **params)]
    if meta.get("decision_threshold") is not None:
        lines += ["", t("bundle.readme.threshold", lang, positive=meta["classes"][1],
                        threshold=meta["decision_threshold"])]
    return lines


def _card_schema(meta: dict[str, Any], lang: str) -> list[str]:
    features = meta["data"]["features"]
    markers = ", ".join(f"`{m}`" for m in predict_template.MISSING_MARKERS if m)
    header = [t(f"bundle.readme.col_{name}", lang) for name in ("name", "dtype", "role")]
    rows = [[f"`{f['name']}`", f["dtype"], f["role"]] for f in features]
    return ["", t("bundle.readme.schema_heading", lang), "",
            t("bundle.readme.schema_intro", lang, count=len(features), markers=markers), "",
            *_table(header, rows)]


def _card_usage(meta: dict[str, Any], lang: str) -> list[str]:
    output_key = {"classification": "bundle.readme.output_classification",
                  "clustering": "unsupervised.readme.output_clusters",
                  "dimensionality_reduction": "bundle.readme.output_components"}
    facts = meta.get("unsupervised") or {}
    stored = ([] if facts.get("new_rows", True) else
              ["", t("unsupervised.readme.stored_embedding", lang, file=facts.get("embedding_file"),
                     rows=(meta["split"].get("sizes") or {}).get("train", 0))])
    return [*stored, "", t("bundle.readme.run_heading", lang), "",
            t("bundle.readme.run_standalone", lang),
            "", "```", "pip install -r requirements.txt",
            "python predict.py data.csv -o predictions.csv", "```", "",
            t("bundle.readme.run_dojo", lang), "", "```",
            "python -m core check bundle.zip",
            "python -m core predict bundle.zip data.csv -o predictions.csv", "```", "",
            t(output_key.get(meta["task"], "bundle.readme.output_value"), lang)]


def _card_metrics(meta: dict[str, Any], lang: str) -> list[str]:
    model = meta["metrics"]
    baseline = (meta.get("baseline") or {}).get("metrics") or {}
    names = _scalar_metrics(model.get("validation"), model.get("test"))
    header = [t(f"bundle.readme.metrics_{name}", lang)
              for name in ("metric", "model_validation", "model_test",
                           "baseline_validation", "baseline_test")]
    rows = [[name, (model.get("validation") or {}).get(name), (model.get("test") or {}).get(name),
             (baseline.get("validation") or {}).get(name), (baseline.get("test") or {}).get(name)]
            for name in names]
    base_key = (meta.get("baseline") or {}).get("key", "–")
    without_target = meta.get("unsupervised") is not None
    intro = "unsupervised.readme.metrics_intro" if without_target else "bundle.readme.metrics_intro"
    note = ["", t("unsupervised.readme.metrics_note", lang)] if without_target else []
    return ["", t("bundle.readme.metrics_heading", lang), "",
            t(intro, lang, baseline=base_key), *note, "", *_table(header, rows)]


def _card_timings(meta: dict[str, Any], lang: str) -> list[str]:
    timings = meta.get("timings") or {}
    names = ("train_seconds", "latency_p50_ms", "latency_p95_ms", "rows_per_second")
    rows = [[t(f"bundle.readme.timing_{name}", lang), timings.get(name)] for name in names]
    rows.append([t("bundle.readme.timing_model_size", lang), meta["model_size_bytes"]])
    header = [t("bundle.readme.col_measure", lang), t("bundle.readme.col_value", lang)]
    return ["", t("bundle.readme.timings_heading", lang), "", *_table(header, rows)]


def _card_provenance(meta: dict[str, Any], lang: str) -> list[str]:
    split = meta["split"]
    sizes = split.get("sizes") or {}
    libraries = ", ".join(f"{k} {v}" for k, v in meta["libraries"].items())
    dirty = {True: t("bundle.readme.dirty", lang), False: "", None: ""}[meta["code_dirty"]]
    return ["", t("bundle.readme.split_heading", lang), "",
            t("bundle.readme.split", lang, method=split.get("method"), seed=split.get("seed"),
              train=sizes.get("train", 0), validation=sizes.get("validation", 0),
              test=sizes.get("test", 0), valid_size=split.get("valid_size"),
              test_size=split.get("test_size"), stratified=split.get("stratified")), "",
            t("bundle.readme.provenance", lang, commit=meta["code_commit"] + dirty,
              python=meta["python"], libraries=libraries), "",
            t("bundle.readme.signature", lang)]


def model_card(metadata: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """README.md: purpose, input schema, how to run, metrics vs baseline, timings, split."""
    parts = (_card_purpose, _card_schema, _card_usage, _card_metrics, _card_timings,
             _card_provenance)
    lines = [line for part in parts for line in part(metadata, lang)]
    return "\n".join(lines) + "\n"


def _extra_members(extra_files: dict[str, bytes] | None) -> dict[str, bytes]:
    """Extra files go under extras/ with plain names, so readers can refuse anything else."""
    members = {}
    for name, content in (extra_files or {}).items():
        plain = name[len(EXTRAS_DIR):] if name.startswith(EXTRAS_DIR) else name
        if not _EXTRA_NAME.fullmatch(plain):
            raise DojoError("bundle.bad_extra_name", name=name)
        members[EXTRAS_DIR + plain] = content
    return members


_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed: the zip's bytes depend on the content alone


def _write_zip(files: dict[str, bytes], out_path: Path) -> None:
    """Write the zip next to its destination, then move it: no half-written bundles."""
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(suffix=".zip.part", dir=out_path.parent)
    except OSError as exc:
        raise DojoError("bundle.cannot_write", path=str(out_path),
                        detail=exc.strerror or str(exc)) from exc
    os.close(handle)
    try:
        with zipfile.ZipFile(temp_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16  # readable once unzipped, not executable
                archive.writestr(info, files[name])
        os.replace(temp_name, out_path)
    finally:
        if os.path.exists(temp_name):
            os.remove(temp_name)


def write_bundle(setup: Any, result: Any, out_path: str | Path,
                 requirements: dict[str, Any] | None = None, scorecard: Any = None,
                 extra_files: dict[str, bytes] | None = None, *, baseline: Any = None,
                 decision_threshold: float | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> Path:
    """Write ``result``'s signed bundle to ``out_path`` and return that path.

    ``baseline`` (a CandidateResult) fills metadata "baseline"; ``decision_threshold``
    (binary classification) makes predict.py pick the positive class when P >= it;
    ``extra_files`` are stored under ``extras/``.
    """
    if not result.ok:
        raise DojoError("bundle.no_model", key=result.key)
    _check_threshold(setup, decision_threshold)
    model_bytes = dump_model(result.pipeline)
    metadata = build_metadata(setup, result, len(model_bytes), baseline, requirements,
                              scorecard, decision_threshold)
    extras, embedding = _with_embedding(setup, result, metadata, extra_files)
    sample_input, sample_predictions = sample_files(setup, result.pipeline, metadata, embedding)
    files = {
        MODEL_FILE: model_bytes, METADATA_FILE: metadata_bytes(metadata),
        PREDICT_FILE: Path(predict_template.__file__).read_bytes(),
        "requirements.txt": requirements_text(metadata["libraries"]).encode("utf-8"),
        "README.md": model_card(metadata, lang).encode("utf-8"),
        SAMPLE_INPUT_FILE: sample_input, SAMPLE_PREDICTIONS_FILE: sample_predictions,
        **_extra_members(extras),
    }
    files[SIGNATURE_FILE] = (signing.sign_files(files) + "\n").encode("ascii")
    _write_zip(files, Path(out_path))
    return Path(out_path)


# --- reading and verifying ----------------------------------------------------------

def _allowed_member(name: str) -> bool:
    """Known files, or extras/<plain name>; no folders, absolute paths or '..'."""
    if name in CONTENT_FILES or name == SIGNATURE_FILE:
        return True
    return name.startswith(EXTRAS_DIR) and bool(_EXTRA_NAME.fullmatch(name[len(EXTRAS_DIR):]))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, reading at most MAX_MEMBER_BYTES + 1 whatever its header claims."""
    limit_mb = MAX_MEMBER_BYTES // (1024 * 1024)
    if info.file_size > MAX_MEMBER_BYTES:
        raise DojoError("bundle.member_too_large", name=info.filename, limit_mb=limit_mb)
    with archive.open(info) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise DojoError("bundle.member_too_large", name=info.filename, limit_mb=limit_mb)
    return data


def _read_members(archive: zipfile.ZipFile) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise DojoError("bundle.unexpected_member", name=f"{len(infos)} files")
    files: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir() or not _allowed_member(info.filename) or info.filename in files:
            raise DojoError("bundle.unexpected_member", name=info.filename)
        files[info.filename] = _read_member(archive, info)
    return files


def read_bundle(path: str | Path) -> dict[str, bytes]:
    """The bundle's files by name, refusing anything a bundle never holds.

    Nothing is verified or unpickled here: see verify_bundle and load_bundle.
    """
    bundle = Path(path)
    if not bundle.is_file():
        raise DojoError("bundle.not_found", path=str(bundle))
    try:
        with zipfile.ZipFile(bundle) as archive:
            files = _read_members(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError,
            NotImplementedError, zlib.error) as exc:
        raise DojoError("bundle.not_a_zip", path=str(bundle), detail=str(exc)) from exc
    missing = [name for name in CONTENT_FILES if name not in files]
    if missing:
        raise DojoError("bundle.missing_files", path=str(bundle), names=", ".join(missing))
    return files


def verify_bundle(path: str | Path) -> dict[str, bytes]:
    """The bundle's files, after its signature verified with this app's key."""
    files = read_bundle(path)
    content = {name: data for name, data in files.items() if name != SIGNATURE_FILE}
    signature = files.get(SIGNATURE_FILE, b"").decode("utf-8", "replace")
    if not signature.strip() or not signing.verify_files(content, signature):
        raise DojoError("bundle.bad_signature", path=str(path))
    return files


def parse_metadata(files: dict[str, bytes]) -> dict[str, Any]:
    """metadata.json as a dict, refusing formats newer than this app understands."""
    try:
        metadata = json.loads(files[METADATA_FILE].decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DojoError("bundle.bad_metadata", detail=str(exc)) from exc
    if not isinstance(metadata, dict) or not isinstance(metadata.get("data"), dict):
        raise DojoError("bundle.bad_metadata", detail="not a metadata object")
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        raise DojoError("bundle.unsupported_version", version=version, supported=FORMAT_VERSION)
    return metadata


def load_bundle(path: str | Path) -> LoadedBundle:
    """The verified bundle's Pipeline and metadata; unsigned or altered bundles are refused."""
    files = verify_bundle(path)
    metadata = parse_metadata(files)
    try:
        pipeline = joblib.load(io.BytesIO(files[MODEL_FILE]))
    except (ImportError, AttributeError) as exc:
        # A signed model whose classes this environment lacks (e.g. xgboost missing).
        raise DojoError("bundle.cannot_load_model", detail=str(exc)) from exc
    stored = files.get(predict_template.EMBEDDING_FILE)
    embedding = None
    if stored is not None:
        try:
            embedding = predict_template.read_embedding(stored)
        except predict_template.InputError as exc:
            raise DojoError("bundle.bad_metadata", detail=str(exc)) from exc
    return LoadedBundle(pipeline=pipeline, metadata=metadata, path=Path(path),
                        embedding=embedding)


def predict_loaded(bundle: LoadedBundle, frame: pd.DataFrame) -> pd.DataFrame:
    """Predictions of a loaded bundle for ``frame`` (through predict.py's own code)."""
    try:
        return predict_template.predict(frame, bundle.pipeline, bundle.metadata,
                                        bundle.embedding)
    except predict_template.MissingColumnsError as exc:
        raise DojoError("bundle.missing_columns", columns=", ".join(exc.columns)) from exc
    except predict_template.InputError as exc:
        raise DojoError("bundle.cannot_predict", detail=str(exc)) from exc


def predict_with_bundle(path: str | Path, frame: pd.DataFrame) -> pd.DataFrame:
    """Verify and load the bundle at ``path``, then predict ``frame``."""
    return predict_loaded(load_bundle(path), frame)


# --- self-check in a clean process --------------------------------------------------

def _label_columns(metadata: dict[str, Any]) -> set[str]:
    """Columns compared exactly: class labels and cluster ids."""
    return {"prediction"} if metadata.get("task") in ("classification", "clustering") else set()


def _cells_match(expected: str, actual: str, exact: bool) -> bool:
    if expected == actual:
        return True
    if exact:
        return False
    try:
        a, b = float(expected), float(actual)
    except ValueError:
        return False
    if math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(a, b, rel_tol=CHECK_RELATIVE_TOLERANCE, abs_tol=1e-12)


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def compare_prediction_csv(expected: bytes, actual: bytes,
                           label_columns: set[str]) -> tuple[int, list[str]]:
    """Rows compared and a description of each differing cell (labels exact, numbers 1e-9)."""
    want, got = _csv_rows(expected), _csv_rows(actual)
    if not want or not got or want[0] != got[0]:
        return 0, [f"columns: expected {want[:1]}, got {got[:1]}"]
    if len(want) != len(got):
        return len(want) - 1, [f"rows: expected {len(want) - 1}, got {len(got) - 1}"]
    mismatches = []
    for number, (row_want, row_got) in enumerate(zip(want[1:], got[1:]), start=1):
        for column, a, b in zip(want[0], row_want, row_got):
            if not _cells_match(a, b, exact=column in label_columns):
                mismatches.append(f"row {number}, {column}: expected {a!r}, got {b!r}")
    return len(want) - 1, mismatches


def unpack(files: dict[str, bytes], folder: Path) -> None:
    """Write the (already vetted) members into ``folder``."""
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _failed_run(done: subprocess.CompletedProcess[str]) -> CheckReport:
    lines = [line for line in (done.stderr or "").strip().splitlines() if line.strip()]
    last = lines[-1] if lines else f"exit code {done.returncode}"
    return CheckReport(ok=False, signature_ok=True, rows=0, mismatches=[],
                       message=Message("bundle.check_run_failed", {"detail": last}),
                       detail=done.stderr or "")


def check_folder() -> tempfile.TemporaryDirectory[str]:
    """A fresh temporary folder for :func:`check_bundle` (and its warm interpreter)."""
    return tempfile.TemporaryDirectory(prefix="dojo-check-")


def check_bundle(path: str | Path,
                 interpreter: clean_process.WarmInterpreter | None = None) -> CheckReport:
    """Verify the bundle, run its predict.py in a clean process on sample_input.csv and
    compare with sample_predictions.csv (labels exactly, numbers within 1e-9 relative).

    ``interpreter``: a clean process started earlier in an empty folder from
    :func:`check_folder` that has already imported the model's libraries (``train``);
    without one, a fresh interpreter runs ``predict.py`` in a temporary folder.
    """
    try:
        files = verify_bundle(path)
    except DojoError as exc:
        if exc.key != "bundle.bad_signature":
            raise
        return CheckReport(ok=False, signature_ok=False, rows=0, mismatches=[],
                           message=exc.as_message)
    metadata = parse_metadata(files)
    argv = [PREDICT_FILE, SAMPLE_INPUT_FILE, "-o", "check_output.csv"]
    with contextlib.ExitStack() as stack:
        if interpreter is None:
            folder = Path(stack.enter_context(check_folder()))
            unpack(files, folder)
            done = clean_process.run(argv, folder)
        else:
            folder = interpreter.folder
            unpack(files, folder)
            done = interpreter.run(argv)
        if done.returncode != 0:
            return _failed_run(done)
        actual = (folder / "check_output.csv").read_bytes()
    rows, mismatches = compare_prediction_csv(files[SAMPLE_PREDICTIONS_FILE], actual,
                                              _label_columns(metadata))
    if mismatches:
        message = Message("bundle.check_mismatch", {"count": len(mismatches),
                                                    "first": mismatches[0]})
    else:
        message = Message("bundle.check_ok", {"rows": rows})
    return CheckReport(ok=not mismatches, signature_ok=True, rows=rows,
                       mismatches=mismatches, message=message)


# --- reproducing from the metadata --------------------------------------------------

@dataclass
class PredictionComparison:
    """How far two prediction frames for the same rows are apart."""

    rows: int
    differing_labels: int
    max_difference: float        # largest |a - b| / max(1, |a|, |b|) over numeric columns
    identical: bool

    @property
    def differing_share(self) -> float:
        """Share of rows whose label differs."""
        return self.differing_labels / self.rows if self.rows else 0.0

    @property
    def within_tolerance(self) -> bool:
        """Close enough for algorithms that are not bit-for-bit deterministic."""
        return (self.differing_share <= REPRODUCE_LABEL_SHARE
                and self.max_difference <= REPRODUCE_TOLERANCE)


@dataclass
class ReproduceReport:
    """The outcome of retraining a bundle's model from its metadata."""

    comparison: PredictionComparison
    data_matches: bool                                   # DATA's sha256 equals the training data's
    feature_differences: list[str]
    library_differences: list[tuple[str, str, str]]      # (library, bundled, installed now)
    message: Message
    notes: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Reproduced: identical or within tolerance."""
        return self.comparison.within_tolerance


def _numeric_gap(a: np.ndarray, b: np.ndarray) -> tuple[float, bool]:
    """Largest scaled difference, and whether every value is bitwise-equal (NaN = NaN)."""
    a, b = a.astype(float), b.astype(float)
    both_nan = np.isnan(a) & np.isnan(b)
    gap = np.abs(a - b) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    gap = np.where(both_nan, 0.0, np.nan_to_num(gap, nan=np.inf))
    return (float(gap.max()) if gap.size else 0.0), bool(((a == b) | both_nan).all())


def compare_predictions(old: pd.DataFrame, new: pd.DataFrame,
                        label_columns: set[str]) -> PredictionComparison:
    """Compare two predict_template outputs row by row."""
    if list(old.columns) != list(new.columns) or len(old) != len(new):
        return PredictionComparison(len(old), len(old), math.inf, False)
    differing, worst, identical = 0, 0.0, True
    for column in old.columns:
        a, b = old[column].to_numpy(), new[column].to_numpy()
        if column in label_columns or not pd.api.types.is_numeric_dtype(old[column]):
            differing = max(differing, int((a.astype(str) != b.astype(str)).sum()))
            continue
        gap, equal = _numeric_gap(a, b)
        worst, identical = max(worst, gap), identical and equal
    return PredictionComparison(len(old), differing, worst, identical and differing == 0)


def library_differences(metadata: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(library, version in the bundle, version installed now) where they differ."""
    module_of = {pip: module for module, pip in {**_BASE_LIBRARIES, **_MODEL_LIBRARIES}.items()}
    out = []
    if metadata.get("python") != platform.python_version():
        out.append(("python", str(metadata.get("python")), platform.python_version()))
    for name, version in (metadata.get("libraries") or {}).items():
        now = _version_of(module_of.get(name, name)) or "missing"
        if now != version:
            out.append((name, str(version), now))
    return out


def _setup_from_metadata(metadata: dict[str, Any], loaded: Any, n_jobs: int | None) -> Any:
    """A TrainingSetup built with the bundle's target, task, roles, split settings and seed."""
    from core import training  # training pulls in every model library; only reproduce needs it
    split = metadata["split"]
    # A colour column given without a target was kept out of the features: keep it out again.
    target = metadata["target"] or (metadata.get("unsupervised") or {}).get("colour_column")
    return training.prepare_setup(
        loaded, target, task=metadata["task"],
        role_overrides=metadata["data"].get("role_overrides") or None,
        valid_size=split["valid_size"], test_size=split["test_size"],
        seed=metadata["random_seed"], stratify=bool(split["stratified"]),
        time_column=split.get("time_column"),
        # Boosting libraries may round differently with another thread count.
        n_jobs=n_jobs or metadata.get("threads"))


def _feature_differences(metadata: dict[str, Any], setup: Any) -> list[str]:
    bundled = {f["name"]: f["role"] for f in metadata["data"]["features"]}
    now = {name: setup.feature_roles.get(name) for name in setup.features}
    out = [f"{name}: {bundled.get(name, '-')} -> {now.get(name, '-')}"
           for name in sorted(set(bundled) | set(now), key=str) if bundled.get(name) != now.get(name)]
    return out


def _retrain(setup: Any, metadata: dict[str, Any]) -> Any:
    """The bundle's algorithm trained again with its stored hyperparameters."""
    from core import training
    algorithm_id = metadata["algorithm"]["id"]
    results = training.train_candidates(setup, [algorithm_id],
                                        params={algorithm_id: metadata["hyperparameters"]},
                                        include_baselines=False)
    result = next((r for r in results if not r.is_baseline), None)
    if result is None or not result.ok:
        detail = result.error.text() if result is not None and result.error else algorithm_id
        raise DojoError("bundle.reproduce_failed", detail=detail)
    return result


def reproduce_bundle(path: str | Path, loaded: Any, n_jobs: int | None = None) -> ReproduceReport:
    """Retrain the bundle's model from its metadata on ``loaded`` (a core.data.LoadedData)
    and compare the new model's predictions on it with the bundled model's."""
    bundle = load_bundle(path)
    metadata = bundle.metadata
    setup = _setup_from_metadata(metadata, loaded, n_jobs)
    retrained = _retrain(setup, metadata)
    rows, embedding = loaded.frame, None
    if not predict_template.transforms_new_rows(metadata):
        # t-SNE knows only its training rows: compare the two embeddings of those.
        rows = setup.part("train")[0]
        embedding = predict_template.read_embedding(
            embedding_csv(setup, retrained.pipeline, metadata))
    old = predict_loaded(bundle, rows)
    new = predict_loaded(LoadedBundle(retrained.pipeline, metadata, embedding=embedding), rows)
    comparison = compare_predictions(old, new, _label_columns(metadata))
    if comparison.identical:
        message = Message("bundle.reproduce_identical", {"rows": comparison.rows})
    elif comparison.within_tolerance:
        message = Message("bundle.reproduce_within_tolerance", _comparison_params(comparison))
    else:
        message = Message("bundle.reproduce_differs", _comparison_params(comparison))
    return ReproduceReport(comparison, loaded.sha256 == metadata["data"]["sha256"],
                           _feature_differences(metadata, setup), library_differences(metadata),
                           message, notes=list(setup.notes) + list(retrained.notes))


def _comparison_params(comparison: PredictionComparison) -> dict[str, Any]:
    return {"rows": comparison.rows, "labels": comparison.differing_labels,
            "share": f"{comparison.differing_share:.2%}",
            "difference": f"{comparison.max_difference:.3g}"}
