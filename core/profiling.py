"""Profiling a table: column roles with reasons, the problem type, leakage warnings."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.errors import DojoError
from core.i18n import Message

ROLES: tuple[str, ...] = ("numeric", "categorical", "datetime", "text", "id", "constant", "empty")
FEATURE_ROLES: tuple[str, ...] = ("numeric", "categorical")
SUPERVISED_TASKS: tuple[str, ...] = ("classification", "regression")
UNSUPERVISED_TASKS: tuple[str, ...] = ("clustering", "dimensionality_reduction")
TASK_CHOICES: tuple[str, ...] = ("auto", *SUPERVISED_TASKS, *UNSUPERVISED_TASKS)

MAX_CLASSES_AUTO = 20          # integer targets with at most this many values are classes
MAX_CLASS_SHARE_AUTO = 0.5     # ... and only if values repeat (distinct / rows at most this)
MANY_CLASSES = 50              # above this a classification target earns a warning
ID_SHARE = 0.95                # strings this unique are identifiers (phone numbers, codes)
TEXT_MIN_LENGTH = 30           # mean characters of free text
TEXT_MIN_SHARE = 0.5           # share of distinct values of free text
DATE_MIN_SHARE = 0.9           # share of a sample that must parse as dates
SAMPLE_VALUES = 500            # values sampled for string checks
LEAKAGE_ROWS = 5000            # rows sampled for the single-feature leakage models
LEAKAGE_MIN_ROWS = 30          # fewer rows say nothing reliable about leakage
LEAKAGE_THRESHOLD = 0.98
SEQUENCE_MIN_ROWS = 10         # a consecutive integer run this long is a row number

_ID_WORD = re.compile(r"(^|[^A-Za-z])(id|no|nr|num|number|code|key|uuid|guid|idx)\.?$", re.IGNORECASE)
_ID_PREFIX = re.compile(r"^(id|no)([^A-Za-z]|$)", re.IGNORECASE)
_ID_CAMEL = re.compile(r"[a-z](Id|ID|No|Nr|Num|Number|Code|Key)$")
_ID_UPPER = re.compile(r"(^|[^A-Z])ID($|[^A-Za-z])")
_ID_JAPANESE = ("番号", "ＩＤ", "コード", "識別子", "№")
_DATE_LIKE = re.compile(
    r"^\s*(\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?"              # 2024-01-31, 2024/1/31, 2024-01
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"                    # 31.01.2024, 01/31/24
    r"|\d{4}\s*年\s*\d{1,2}\s*月"                          # 2024年1月31日
    r"|\d{1,2}:\d{2}"                                      # 10:30
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}"  # Jan 31, 2024
    r"|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4})"              # 31 Jan 2024
)


@dataclass
class ColumnProfile:
    name: str
    dtype: str
    role: str                 # one of ROLES
    reason: Message           # why this role (and why excluded, if it is)
    missing_share: float
    distinct: int
    is_feature: bool          # role in FEATURE_ROLES and not the target


@dataclass
class TaskInfo:
    task: str                 # "classification" | "regression"
    subtype: str | None       # "binary" | "multiclass" | None
    classes: list[Any] | None  # sorted labels for classification


@dataclass
class DataProfile:
    rows: int
    columns: list[ColumnProfile]
    target: str | None = None
    task: TaskInfo | None = None
    target_distribution: dict[str, Any] = field(default_factory=dict)
    leakage: list[str] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def features(self) -> list[str]:
        return [c.name for c in self.columns if c.is_feature]

    @property
    def feature_roles(self) -> dict[str, str]:
        return {c.name: c.role for c in self.columns if c.is_feature}

    def column(self, name: str) -> ColumnProfile:
        return next(c for c in self.columns if c.name == name)


# ---------------------------------------------------------------- the problem type


def infer_task(target: pd.Series) -> TaskInfo:
    """Classification or regression, judged from the target's values.

    Classification when the target is text, boolean or categorical, or holds whole numbers
    with at most ``MAX_CLASSES_AUTO`` distinct values that repeat; regression otherwise.

    Raises
    ------
    DojoError
        ``data.target_all_missing`` when the target has no values.
    """
    values = target.dropna()
    if values.empty:
        raise DojoError("data.target_all_missing", target=str(target.name))
    if _is_numeric(values) and not _looks_like_classes(values):
        return TaskInfo("regression", None, None)
    return _classification_info(values)


def _is_numeric(values: pd.Series) -> bool:
    """Numbers a regression can learn; booleans are yes/no labels, not amounts."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _looks_like_classes(values: pd.Series) -> bool:
    distinct = values.nunique()
    return (_is_integer_valued(values) and distinct <= MAX_CLASSES_AUTO
            and distinct <= MAX_CLASS_SHARE_AUTO * len(values))


def _is_integer_valued(values: pd.Series) -> bool:
    """Whole numbers, whether stored as integers or as floats (a column with gaps is float)."""
    if pd.api.types.is_integer_dtype(values):
        return True
    if not pd.api.types.is_float_dtype(values):
        return False
    array = values.dropna().to_numpy(dtype=float)
    # Measured values reveal themselves in the first few rows; only whole-number columns pay
    # for the full check.
    for part in (array[:1000], array):
        if not (np.all(np.isfinite(part)) and np.array_equal(part, np.floor(part))):
            return False
    return True


def _classification_info(values: pd.Series) -> TaskInfo:
    classes = sorted_labels(values)
    subtype = "binary" if len(classes) == 2 else "multiclass" if len(classes) > 2 else None
    return TaskInfo("classification", subtype, classes)


def sorted_labels(values: pd.Series) -> list[Any]:
    """The distinct non-missing labels as plain Python scalars, sorted."""
    labels = [v.item() if isinstance(v, np.generic) else v for v in pd.unique(values.dropna())]
    try:
        return sorted(labels)
    except TypeError:  # mixed types: sort by their text
        return sorted(labels, key=str)


def _resolve_task(target: pd.Series, name: str, task: str) -> TaskInfo:
    """The task the caller asked for, checked against the target, or the inferred one."""
    values = target.dropna()
    if values.empty:
        raise DojoError("data.target_all_missing", target=name)
    if task == "regression" and not _is_numeric(values):
        raise DojoError("data.regression_needs_numbers", target=name)
    if task == "auto":
        info = infer_task(target)
    elif task == "classification":
        info = _classification_info(values)
    else:
        info = TaskInfo("regression", None, None)
    if info.task == "classification" and len(info.classes or []) < 2:
        raise DojoError("data.target_one_class", target=name, value=str(values.iloc[0])[:40])
    return info


# ---------------------------------------------------------------- the profile


def profile_frame(frame: pd.DataFrame, target: str | None = None, task: str = "auto",
                  role_overrides: dict[str, str] | None = None) -> DataProfile:
    """Profile every column of ``frame`` and, with a target, the problem type and leakage.

    Parameters
    ----------
    frame : DataFrame
        The loaded table.
    target : str, optional
        The column to predict; never a feature.
    task : str
        "auto" (infer), "classification", "regression", or an unsupervised task
        ("clustering", "dimensionality_reduction") for which no target checks are made.
    role_overrides : dict, optional
        {column: role} chosen by the user; wins over detection.

    Returns
    -------
    DataProfile

    Raises
    ------
    DojoError
        Unknown target, task, override column or role; a target without values, with one
        class, or a regression on a non-numeric target.
    """
    overrides = _validate_request(frame, target, task, role_overrides)
    columns = [_profile_column(frame.iloc[:, i], str(name), name == target, overrides.get(name))
               for i, name in enumerate(frame.columns)]
    profile = DataProfile(rows=len(frame), columns=columns, target=target)
    if target is None or task in UNSUPERVISED_TASKS:
        return profile
    y = frame[target]
    profile.task = _resolve_task(y, target, task)
    profile.target_distribution = target_distribution(y, profile.task)
    profile.warnings.extend(_target_warnings(y, target, profile.task))
    for column, score in find_leakage(frame, target, profile.task, profile.feature_roles):
        profile.leakage.append(column)
        profile.warnings.append(Message(f"data.leakage_{profile.task.task}",
                                        {"column": column, "score": f"{score:.3f}"}))
    return profile


def _validate_request(frame: pd.DataFrame, target: str | None, task: str,
                      role_overrides: dict[str, str] | None) -> dict[str, str]:
    """Check target, task and overrides up front, so errors name what the user typed."""
    if task not in TASK_CHOICES:
        raise DojoError("data.unknown_task", task=task, tasks=", ".join(TASK_CHOICES))
    if target is not None and target not in frame.columns:
        raise DojoError("data.target_not_found", target=target, available=_some_columns(frame))
    overrides = dict(role_overrides or {})
    for column, role in overrides.items():
        if column not in frame.columns:
            raise DojoError("data.override_column_not_found", column=column,
                            available=_some_columns(frame))
        if role not in ROLES:
            raise DojoError("data.unknown_role", column=column, role=role, roles=", ".join(ROLES))
    return overrides


def _some_columns(frame: pd.DataFrame, limit: int = 10) -> str:
    names = [str(c) for c in frame.columns[:limit]]
    return ", ".join(names) + (", …" if frame.shape[1] > limit else "")


def _profile_column(series: pd.Series, name: str, is_target: bool,
                    override: str | None) -> ColumnProfile:
    non_missing = series.dropna()
    distinct = _count_distinct(non_missing)
    if override is not None:
        role, reason = override, Message("data.role_override", {"role": override})
    else:
        role, reason = detect_role(series, name, non_missing, distinct)
    if is_target:
        reason = Message("data.role_target", {})
    missing_share = 1 - len(non_missing) / len(series) if len(series) else 1.0
    return ColumnProfile(name=name, dtype=str(series.dtype), role=role, reason=reason,
                         missing_share=float(missing_share), distinct=distinct,
                         is_feature=role in FEATURE_ROLES and not is_target)


def _count_distinct(non_missing: pd.Series) -> int:
    """Distinct values; numbers by sorting, which beats hashing on large float columns."""
    if _is_numeric(non_missing) and non_missing.dtype.kind in "iuf":
        return int(len(np.unique(non_missing.to_numpy())))
    try:
        return int(non_missing.nunique())
    except TypeError:  # unhashable values such as nested JSON lists
        return int(non_missing.astype(str).nunique())


# ---------------------------------------------------------------- roles


def detect_role(series: pd.Series, name: str, non_missing: pd.Series | None = None,
                distinct: int | None = None) -> tuple[str, Message]:
    """The role of one column and the reason for it (see ``ROLES``)."""
    non_missing = series.dropna() if non_missing is None else non_missing
    distinct = _count_distinct(non_missing) if distinct is None else distinct
    if non_missing.empty:
        return "empty", Message("data.role_empty", {})
    if distinct == 1:
        return "constant", Message("data.role_constant", {"value": str(non_missing.iloc[0])[:40]})
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype):
        return "categorical", Message("data.role_categorical", {"distinct": distinct})
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return "datetime", Message("data.role_datetime", {})
    if pd.api.types.is_numeric_dtype(dtype):
        return _numeric_role(series, name, non_missing, distinct)
    return _string_role(name, non_missing, distinct)


def _numeric_role(series: pd.Series, name: str, non_missing: pd.Series,
                  distinct: int) -> tuple[str, Message]:
    """Numbers are features unless they are whole numbers numbering the rows."""
    unique_per_row = distinct == len(series) and len(series) > 1
    if unique_per_row and _is_integer_valued(non_missing):
        if looks_like_id_name(name) or _is_sequence(non_missing):
            return "id", Message("data.role_id", {"distinct": distinct, "rows": len(series)})
    return "numeric", Message("data.role_numeric", {})


def _is_sequence(values: pd.Series) -> bool:
    """Row numbers: unique integers that are sorted or fill a consecutive range."""
    if len(values) < SEQUENCE_MIN_ROWS:
        return False
    if values.is_monotonic_increasing or values.is_monotonic_decreasing:
        return True
    return bool(values.max() - values.min() + 1 == len(values))


def looks_like_id_name(name: str) -> bool:
    """Whether a column name reads like an identifier: id, ID, No, number, code, 番号 ..."""
    name = name.strip()
    return (any(token in name for token in _ID_JAPANESE) or bool(_ID_WORD.search(name))
            or bool(_ID_PREFIX.match(name)) or bool(_ID_CAMEL.search(name))
            or bool(_ID_UPPER.search(name)))


def _string_role(name: str, non_missing: pd.Series, distinct: int) -> tuple[str, Message]:
    """Text-like columns: dates, free text, identifiers or categories."""
    sample = non_missing
    if len(sample) > SAMPLE_VALUES:
        sample = sample.sample(n=SAMPLE_VALUES, random_state=0)
    sample = sample.astype(str)
    if _looks_like_dates(sample):
        return "datetime", Message("data.role_datetime", {})
    share = distinct / len(non_missing)
    if share > TEXT_MIN_SHARE and _looks_like_free_text(sample):
        return "text", Message("data.role_text", {})
    if share >= ID_SHARE:
        return "id", Message("data.role_id", {"distinct": distinct, "rows": len(non_missing)})
    return "categorical", Message("data.role_categorical", {"distinct": distinct})


def _looks_like_free_text(sample: pd.Series) -> bool:
    return bool(sample.str.len().mean() > TEXT_MIN_LENGTH
                and sample.str.contains(r"\s", regex=True).mean() >= 0.5)


def _looks_like_dates(sample: pd.Series) -> bool:
    """Most values look like and parse as dates (numbers such as 2024 or 1.5 do not count)."""
    if sample.str.match(_DATE_LIKE).mean() < DATE_MIN_SHARE:
        return False
    if pd.to_numeric(sample, errors="coerce").notna().mean() >= DATE_MIN_SHARE:
        return False
    # pandas does not read 2024年1月31日; the same date written with dashes it does.
    normalised = sample.str.replace(r"\s*[年月]\s*", "-", regex=True).str.replace("日", "", regex=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(normalised, format="mixed", errors="coerce")
    return bool(parsed.notna().mean() >= DATE_MIN_SHARE)


# ---------------------------------------------------------------- the target


def target_distribution(target: pd.Series, info: TaskInfo) -> dict[str, Any]:
    """Rows per class (keys are the labels as text, in class order), or a numeric summary."""
    values = target.dropna()
    if info.task == "classification":
        counts = values.value_counts()
        return {str(label): int(counts.get(label, 0)) for label in info.classes or []}
    numbers = values.astype(float)
    return {"min": float(numbers.min()), "max": float(numbers.max()), "mean": float(numbers.mean()),
            "median": float(numbers.median()), "std": float(numbers.std(ddof=1)) if len(numbers) > 1
            else 0.0}


def _target_warnings(target: pd.Series, name: str, info: TaskInfo) -> list[Message]:
    notes: list[Message] = []
    missing = int(target.isna().sum())
    if missing:
        notes.append(Message("data.target_missing_values", {"target": name, "count": missing}))
    if info.task != "classification":
        return notes
    counts = target.value_counts()
    rare = [str(label) for label, count in counts.items() if count < 2]
    if rare:
        notes.append(Message("data.rare_class", {"target": name, "classes": ", ".join(rare[:10])}))
    if len(counts) > MANY_CLASSES:
        notes.append(Message("data.many_classes", {"target": name, "count": len(counts)}))
    return notes


def drop_missing_target(frame: pd.DataFrame, target: str) -> tuple[pd.DataFrame, int]:
    """Drop rows whose target is missing; return the rest (index reset) and how many went.

    The caller warns with ``Message("data.rows_dropped_missing_target", {"target", "count"})``
    when the count is not zero. The frame is returned as is when nothing is missing.
    """
    if target not in frame.columns:
        raise DojoError("data.target_not_found", target=target, available=_some_columns(frame))
    keep = frame[target].notna()
    dropped = int((~keep).sum())
    if dropped == 0:
        return frame, 0
    return frame.loc[keep].reset_index(drop=True), dropped


# ---------------------------------------------------------------- leakage


def find_leakage(frame: pd.DataFrame, target: str, info: TaskInfo,
                 feature_roles: dict[str, str]) -> list[tuple[str, float]]:
    """Features that alone predict the target almost perfectly, with their scores.

    Each feature gets a depth-limited tree, scored by 3-fold cross-validation on at most
    ``LEAKAGE_ROWS`` rows: balanced accuracy (and accuracy) or R² of at least 0.98 is
    suspicious, since real signals are rarely that clean on their own.
    """
    rows = np.flatnonzero(frame[target].notna().to_numpy())
    if len(rows) < LEAKAGE_MIN_ROWS or not feature_roles:
        return []
    if len(rows) > LEAKAGE_ROWS:
        rows = np.sort(np.random.default_rng(0).choice(rows, LEAKAGE_ROWS, replace=False))
    y = frame[target].iloc[rows]
    classify = info.task == "classification"
    y_array = pd.factorize(y)[0] if classify else y.to_numpy(dtype=float)
    if not classify and np.var(y_array) == 0:
        return []
    folds = _fold_ids(len(rows))
    found = []
    with warnings.catch_warnings():  # e.g. "many classes": expected for a tiny probe model
        warnings.simplefilter("ignore")
        for column, role in feature_roles.items():
            x = _single_feature(frame[column].iloc[rows], role)
            score = _single_feature_score(x, y_array, folds, classify)
            if score >= LEAKAGE_THRESHOLD:
                found.append((column, score))
    return found


def _fold_ids(n: int, folds: int = 3) -> np.ndarray:
    """A shuffled fold number for every row, the same on every call."""
    return np.random.default_rng(0).permutation(np.arange(n) % folds)


def _single_feature(values: pd.Series, role: str) -> np.ndarray:
    """One column as a float matrix: categories as codes, gaps as a value below the rest."""
    if role == "categorical" or not _is_numeric(values):
        return pd.factorize(values)[0].astype(float).reshape(-1, 1)
    array = values.to_numpy(dtype=float, na_value=np.nan)
    finite = array[np.isfinite(array)]
    fill = finite.min() - 1 if finite.size else 0.0
    return np.where(np.isfinite(array), array, fill).reshape(-1, 1)


def _single_feature_score(x: np.ndarray, y: np.ndarray, folds: np.ndarray, classify: bool) -> float:
    """Out-of-fold balanced accuracy (capped by accuracy) or R² of a small tree on ``x``.

    A tree fitted and scored on all rows first rules out most features for a third of the
    cost: when even its in-sample score is below the threshold, cross-validation is skipped.
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    in_sample = _small_tree(classify).fit(x, y, check_input=False).predict(x, check_input=False)
    if _score(y, in_sample, classify) < LEAKAGE_THRESHOLD:
        return _score(y, in_sample, classify)
    predicted = np.empty_like(y, dtype=float)
    for fold in np.unique(folds):
        test = folds == fold
        model = _small_tree(classify).fit(x[~test], y[~test], check_input=False)
        predicted[test] = model.predict(x[test], check_input=False)
    return _score(y, predicted, classify)


def _small_tree(classify: bool) -> Any:
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    return (DecisionTreeClassifier if classify else DecisionTreeRegressor)(max_depth=6, random_state=0)


def _score(y: np.ndarray, predicted: np.ndarray, classify: bool) -> float:
    """min(accuracy, balanced accuracy) for classes, R² for numbers."""
    if classify:
        accuracy = float(np.mean(predicted == y))
        recalls = [np.mean(predicted[y == label] == label) for label in np.unique(y)]
        return min(accuracy, float(np.mean(recalls)))
    return float(1 - np.sum((y - predicted) ** 2) / np.sum((y - y.mean()) ** 2))
