"""Predict with a Model Dojo bundle: ``python predict.py INPUT [-o OUTPUT]``.

This file is copied unchanged into every model bundle as ``predict.py``, and Model Dojo
itself predicts through it, so the app, the command line and a bundle used on its own
all read input and score it the same way. It needs only the standard library, numpy,
pandas and joblib (plus the libraries named in requirements.txt to unpickle the model).

Command line::

    python predict.py data.csv                 # predictions as CSV on standard output
    python predict.py data.csv -o out.csv      # ... written to out.csv

From Python::

    import predict
    model, metadata = predict.load()           # the files next to predict.py
    predictions = predict.predict("data.csv")  # or a pandas DataFrame

The input needs every feature column listed in metadata.json ("data" -> "features");
other columns are ignored. The output has a ``prediction`` column (the label for
classification, the number for regression, the cluster number for clustering), plus one
``probability_<class>`` column per class for classifiers that give probabilities (one
``probability_<cluster>`` per cluster for a Gaussian mixture), or ``component_<n>``
columns for dimensionality reduction.

t-SNE cannot transform new rows. Its bundle holds the coordinates of the training rows
(extras/embedding.csv, keyed by a fingerprint of each preprocessed row): input rows
identical to training rows get their stored coordinates; any other row stops the
prediction with exit code 2 and a message saying so.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

# Must equal core.data.MISSING_MARKERS (a test checks): the same cells count as missing
# when predicting as when training.
MISSING_MARKERS: tuple[str, ...] = ("", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "?", "-")
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp932", "euc_jp", "latin-1")
DELIMITED_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt")
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
EMBEDDING_FILE = "extras/embedding.csv"
ROW_KEY = "row_key"
KEY_DECIMALS = 9      # fingerprints ignore differences below this (float noise)
# pandas >= 3.1 reads floats round-trip by default and deprecates the option.
_PANDAS_VERSION = tuple(int(part) for part in pd.__version__.split(".")[:2] if part.isdigit())
_ROUND_TRIP: dict[str, str] = {} if _PANDAS_VERSION >= (3, 1) else {"float_precision": "round_trip"}
_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "0.0"})


class InputError(ValueError):
    """The input cannot be scored (unreadable file, missing columns): exit code 2."""


class MissingColumnsError(InputError):
    """The input lacks feature columns the model was trained on."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        super().__init__("the input lacks the feature column(s) "
                         + ", ".join(repr(c) for c in columns)
                         + "; add them (other columns are ignored)")


# --- loading the bundle -------------------------------------------------------------

def _bundle_dir(bundle_dir: str | Path | None) -> Path:
    return Path(bundle_dir) if bundle_dir is not None else Path(__file__).resolve().parent


def load_metadata(bundle_dir: str | Path | None = None) -> dict[str, Any]:
    """The bundle's metadata.json (from the folder of this file by default)."""
    path = _bundle_dir(bundle_dir) / METADATA_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def read_embedding(raw: bytes) -> pd.DataFrame:
    """extras/embedding.csv as a table of coordinates indexed by row fingerprint."""
    try:
        table = pd.read_csv(io.BytesIO(raw), index_col=ROW_KEY, dtype={ROW_KEY: str},
                            **_ROUND_TRIP)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read {EMBEDDING_FILE}: {exc}") from exc
    return table[~table.index.duplicated()]


def load_embedding(bundle_dir: str | Path | None = None) -> pd.DataFrame | None:
    """The stored embedding of a model that cannot transform new rows (t-SNE), if any."""
    path = _bundle_dir(bundle_dir) / EMBEDDING_FILE
    return read_embedding(path.read_bytes()) if path.is_file() else None


def load(bundle_dir: str | Path | None = None) -> tuple[Any, dict[str, Any]]:
    """The fitted model and its metadata from ``bundle_dir`` (default: beside this file).

    Only load bundles you trust: unpickling a model runs code. Model Dojo checks the
    bundle's signature before it gets here.
    """
    folder = _bundle_dir(bundle_dir)
    metadata = load_metadata(folder)
    try:
        model = joblib.load(folder / MODEL_FILE)
    except FileNotFoundError as exc:
        raise InputError(f"cannot find {folder / MODEL_FILE}") from exc
    return model, metadata


# --- reading input ------------------------------------------------------------------

def _features(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    return list(metadata.get("data", {}).get("features", []))


def _string_features(metadata: dict[str, Any]) -> list[str]:
    """Categorical features the loader kept as text: read them as text, so "01234" keeps
    its leading zero as it did in training instead of becoming the number 1234."""
    return [str(f["name"]) for f in _features(metadata)
            if f.get("role") == "categorical" and _is_text_dtype(f.get("dtype", ""))]


def _is_text_dtype(dtype: str) -> bool:
    return dtype in ("str", "string", "object", "category") or dtype.startswith("string")


def _decode(raw: bytes) -> str:
    """The text of ``raw``, trying the encodings Japanese and Western files use."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def _separator(text: str, suffix: str) -> str:
    """Tab for .tsv; otherwise whichever of , tab ; | the header uses most, else whitespace."""
    if suffix == ".tsv":
        return "\t"
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    if counts[best]:
        return best
    return r"\s+" if len(header.split()) > 1 else ","


def read_delimited(raw: bytes, metadata: dict[str, Any], suffix: str = ".csv") -> pd.DataFrame:
    """A CSV/TSV/TXT file's rows, with the training's missing markers as missing."""
    text = _decode(raw)
    separator = _separator(text, suffix)
    text_columns = {name: str for name in _string_features(metadata)}
    try:
        # The same options Model Dojo's loader uses, so cells parse as they did in training.
        frame = pd.read_csv(
            io.StringIO(text), sep=separator, dtype=text_columns,
            na_values=list(MISSING_MARKERS), keep_default_na=False,
            skipinitialspace=separator != r"\s+", **_ROUND_TRIP)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the input as a table: {exc}") from exc
    frame.columns = [str(name).strip() for name in frame.columns]
    return frame


def _read_other(path: Path, suffix: str, metadata: dict[str, Any]) -> pd.DataFrame:
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(path)
    if suffix in (".xlsx", ".xls"):
        text_columns = {name: str for name in _string_features(metadata)}
        return pd.read_excel(path, dtype=text_columns, na_values=list(MISSING_MARKERS),
                             keep_default_na=False)
    if suffix in (".json", ".jsonl", ".ndjson"):
        # No guessing of types or dates: coerce_column converts each feature as trained.
        options = {"dtype": False, "convert_dates": False}
        lines = suffix != ".json"
        try:
            return pd.read_json(path, lines=lines, **options)
        except ValueError:
            return pd.read_json(path, lines=not lines, **options)
    raise InputError(f"cannot read {path.name}: use .csv, .tsv, .txt, .parquet, .xlsx or .json")


def read_input(source: str | Path, metadata: dict[str, Any]) -> pd.DataFrame:
    """The rows of an input file (csv/tsv/txt, parquet, xlsx, json), raw as in training."""
    path = Path(source)
    suffix = path.suffix.lower()
    try:
        if suffix in DELIMITED_SUFFIXES or not suffix:
            return read_delimited(path.read_bytes(), metadata, suffix or ".csv")
        frame = _blank_markers(_read_other(path, suffix, metadata))
        # The loader strips header names, so " age" in a sheet is the feature "age".
        frame.columns = [c.strip() if isinstance(c, str) else c for c in frame.columns]
        return frame
    except InputError:
        raise
    except (OSError, ValueError, ImportError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def _blank_markers(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing markers in text cells of formats read without na_values become missing."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_object_dtype(out[name]) or pd.api.types.is_string_dtype(out[name]):
            out[name] = out[name].mask(out[name].isin(MISSING_MARKERS))
    return out


# --- coercing to the training schema ------------------------------------------------

def _to_bool(series: pd.Series) -> pd.Series:
    """True/False from bools, 0/1 and yes/no words; anything else is missing."""
    def convert(value: Any) -> Any:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        word = str(value).strip().lower()
        return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else np.nan
    values = series.map(convert, na_action="ignore")
    return values.astype(bool) if values.notna().all() else values.astype(object)


def as_category_text(series: pd.Series) -> pd.Series:
    """Text values with missing cells kept missing (not the string "nan").

    Numbers get the spelling Model Dojo gave them in training: whole numbers without
    ".0" ("415", as a CSV holds them), so a JSON or parquet input matches a CSV-trained model.
    """
    if pd.api.types.is_string_dtype(series):
        return series.astype("str")
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.dropna()
        if len(values) and (values == values.round()).all():
            return series.astype("Int64").astype("str")
    return series.astype("str")


def _is_number_dtype(dtype: str) -> bool:
    return dtype.lower().startswith(("int", "uint", "float"))


def coerce_column(series: pd.Series, feature: dict[str, Any]) -> pd.Series:
    """``series`` converted the way Model Dojo converted the feature in training.

    ``feature["dtype"]`` is the dtype the loader gave the column; categorical features
    became text, numbers spelled as the loader parsed them.
    """
    dtype = str(feature.get("dtype", ""))
    if feature.get("role") == "categorical":
        if _is_number_dtype(dtype) and not pd.api.types.is_numeric_dtype(series):
            numbers = pd.to_numeric(series, errors="coerce")
            # The loader turned all-numeric text into numbers; do the same before spelling.
            if numbers.notna().sum() == series.notna().sum():
                series = numbers
        return as_category_text(series)
    if dtype in ("bool", "boolean"):
        return _to_bool(series)
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    return pd.to_numeric(series, errors="coerce")


def _find_column(frame: pd.DataFrame, name: Any) -> Any:
    """The input column for feature ``name``; CSV headers are text, so 0 matches "0"."""
    if name in frame.columns:
        return name
    matches = [c for c in frame.columns if str(c) == str(name)]
    return matches[0] if matches else None


def prepare_features(frame: pd.DataFrame, metadata: dict[str, Any]) -> pd.DataFrame:
    """The feature columns of ``frame`` in training order and dtypes; extra columns dropped."""
    features = _features(metadata)
    found = {f["name"]: _find_column(frame, f["name"]) for f in features}
    missing = [str(name) for name, column in found.items() if column is None]
    if missing:
        raise MissingColumnsError(missing)
    columns = {f["name"]: coerce_column(frame[found[f["name"]]], f) for f in features}
    return pd.DataFrame(columns, index=frame.index)


# --- predicting ---------------------------------------------------------------------

def _classes(model: Any, metadata: dict[str, Any]) -> list[Any]:
    classes = getattr(model, "classes_", None)
    return list(classes) if classes is not None else list(metadata.get("classes") or [])


def _classify(model: Any, features: pd.DataFrame, metadata: dict[str, Any]) -> pd.DataFrame:
    """Labels, with the bundle's decision threshold for binary models, and probabilities."""
    proba = model.predict_proba(features) if hasattr(model, "predict_proba") else None
    classes = _classes(model, metadata)
    threshold = metadata.get("decision_threshold")
    if threshold is not None and proba is not None and len(classes) == 2:
        # classes[1] is the positive class: predicted when P(positive) >= threshold.
        labels = np.where(proba[:, 1] >= float(threshold), classes[1], classes[0])
    else:
        labels = model.predict(features)
    out = pd.DataFrame({"prediction": np.asarray(labels)}, index=features.index)
    if proba is not None:
        for position, label in enumerate(classes):
            out[f"probability_{label}"] = proba[:, position]
    return out


def _transform(model: Any, features: pd.DataFrame) -> pd.DataFrame:
    if not hasattr(model, "transform"):
        raise InputError("this model cannot project new rows (it has no transform)")
    try:
        values = np.asarray(model.transform(features))
    except ValueError as exc:   # e.g. LDA given negative numbers
        raise InputError(f"cannot transform these rows: {exc}") from exc
    names = [f"component_{i + 1}" for i in range(values.shape[1])]
    return pd.DataFrame(values, columns=names, index=features.index)


def _assign(model: Any, features: pd.DataFrame) -> pd.DataFrame:
    """Cluster numbers, and membership probabilities where the model has them."""
    out = pd.DataFrame({"prediction": np.asarray(model.predict(features))}, index=features.index)
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(features)
        for cluster in range(proba.shape[1]):
            out[f"probability_{cluster}"] = proba[:, cluster]
    return out


def row_keys(model: Any, features: pd.DataFrame) -> list[str]:
    """A fingerprint of each row as the model's preprocessing sees it (rounded, so float
    noise does not matter); identical rows get identical keys."""
    values = np.round(np.asarray(model[:-1].transform(features), dtype=float), KEY_DECIMALS)
    values = np.ascontiguousarray(values + 0.0)   # + 0.0 turns -0.0 into 0.0
    return [hashlib.sha256(row.tobytes()).hexdigest()[:32] for row in values]


def transforms_new_rows(metadata: dict[str, Any]) -> bool:
    """False for a reduction that only knows its training rows (t-SNE)."""
    return bool((metadata.get("unsupervised") or {}).get("new_rows", True))


def _stored_embedding(model: Any, features: pd.DataFrame,
                      embedding: pd.DataFrame | None) -> pd.DataFrame:
    """The stored coordinates of rows identical to training rows; any other row is refused."""
    table = embedding if embedding is not None else load_embedding()
    if table is None:
        raise InputError(f"t-SNE cannot transform new rows, and {EMBEDDING_FILE} with the "
                         "coordinates of its training rows is missing")
    found = table.reindex(row_keys(model, features))
    unknown = int(found.isna().any(axis=1).sum())
    if unknown:
        raise InputError(
            f"t-SNE cannot transform new rows: {unknown} of {len(found)} input rows are not "
            f"among the {len(table)} training rows it embedded ({EMBEDDING_FILE}). Train "
            "again with these rows included, or use PCA or LLE, which can transform new rows")
    found.index = features.index
    return found


def predict(frame_or_path: pd.DataFrame | str | Path, model: Any = None,
            metadata: dict[str, Any] | None = None,
            embedding: pd.DataFrame | None = None) -> pd.DataFrame:
    """Predictions for a DataFrame or an input file, one output row per input row.

    ``model`` and ``metadata`` default to the bundle beside this file; so does
    ``embedding``, the stored coordinates of a model that cannot transform new rows.
    """
    if model is None or metadata is None:
        loaded_model, loaded_metadata = load()
        model = loaded_model if model is None else model
        metadata = loaded_metadata if metadata is None else metadata
    frame = (frame_or_path if isinstance(frame_or_path, pd.DataFrame)
             else read_input(frame_or_path, metadata))
    features = prepare_features(frame, metadata)
    task = metadata.get("task")
    if task == "classification":
        return _classify(model, features, metadata)
    if task == "dimensionality_reduction":
        if not transforms_new_rows(metadata):
            return _stored_embedding(model, features, embedding)
        return _transform(model, features)
    if task == "clustering":
        return _assign(model, features)
    if not hasattr(model, "predict"):
        raise InputError("this model cannot score new rows (it has no predict)")
    return pd.DataFrame({"prediction": np.asarray(model.predict(features))}, index=features.index)


# --- command line -------------------------------------------------------------------

def write_output(predictions: pd.DataFrame, output: str | None) -> None:
    """CSV to ``output`` or, without one, to standard output."""
    if output is None:
        predictions.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        predictions.to_csv(output, index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    """Score INPUT and write CSV; exit 2 with one line on stderr for bad input."""
    parser = argparse.ArgumentParser(description="Predict with this Model Dojo bundle.")
    parser.add_argument("input", help="csv, tsv, txt, parquet, xlsx or json file")
    parser.add_argument("-o", "--output", help="CSV file to write (default: standard output)")
    args = parser.parse_args(argv)
    try:
        model, metadata = load()
        predictions = predict(args.input, model, metadata)
        write_output(predictions, args.output)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: silence the interpreter's final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
