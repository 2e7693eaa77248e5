"""The preprocessing half of each candidate's Pipeline, chosen from the catalog traits."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from core.catalog import Traits

# One-hot keeps at most this many categories per column; rarer ones share an "infrequent" slot.
MAX_ONEHOT_CATEGORIES = 30


def _numeric_branch(traits: Traits) -> Any:
    steps: list[tuple[str, Any]] = []
    if not traits.native_missing:
        steps.append(("impute", SimpleImputer(strategy="median", keep_empty_features=True)))
    if traits.needs_scaling:
        steps.append(("scale", StandardScaler()))
    return Pipeline(steps) if steps else "passthrough"


def _categorical_branch(traits: Traits) -> Any:
    if traits.category_encoding == "ordinal":
        # NaN stays NaN for models that route missing values themselves; -1 otherwise.
        missing = np.nan if traits.native_missing else -1
        return OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=missing,
                              encoded_missing_value=missing)
    encoder = OneHotEncoder(handle_unknown="infrequent_if_exist", sparse_output=False,
                            max_categories=MAX_ONEHOT_CATEGORIES)
    if traits.needs_scaling:
        return Pipeline([("onehot", encoder), ("scale", StandardScaler())])
    return encoder


def build_preprocessor(feature_roles: dict[str, str], traits: Traits) -> Any:
    """A ColumnTransformer for the raw features, or ``"passthrough"`` when none is needed.

    Passthrough (all numeric, model copes with NaN and unscaled values) avoids copying
    a large table just to hand it on unchanged.
    """
    numeric = [name for name, role in feature_roles.items() if role == "numeric"]
    categorical = [name for name, role in feature_roles.items() if role == "categorical"]
    numeric_branch = _numeric_branch(traits)
    if not categorical and numeric_branch == "passthrough":
        return "passthrough"
    transformers: list[tuple[str, Any, list[str]]] = []
    if numeric:
        transformers.append(("numeric", numeric_branch, numeric))
    if categorical:
        transformers.append(("categorical", _categorical_branch(traits), categorical))
    return ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)
