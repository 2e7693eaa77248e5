"""The preprocessing half of each candidate's Pipeline, chosen from the catalog traits."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

from core.catalog import UNSUPERVISED_TASKS, Traits

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


def build_preprocessor(feature_roles: dict[str, str], traits: Traits,
                       task: str | None = None) -> Any:
    """A ColumnTransformer for the raw features, or ``"passthrough"`` when none is needed.

    Passthrough (all numeric, model copes with NaN and unscaled values) avoids copying
    a large table just to hand it on unchanged. Clustering and dimensionality reduction
    get :func:`build_unsupervised_preprocessor` instead.
    """
    if task in UNSUPERVISED_TASKS:
        return build_unsupervised_preprocessor(feature_roles, traits)
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


def _unsupervised_scaler(kind: str) -> Any:
    """The scaler named by ``Traits.input_scaling``; None keeps the numbers as they are."""
    if kind == "standard":
        return StandardScaler()
    if kind == "unit_variance":
        # LSA works on uncentred data: zeros must stay zeros.
        return StandardScaler(with_mean=False)
    if kind == "minmax":
        # NMF refuses negative input; clipping keeps new rows outside the training range >= 0.
        return MinMaxScaler(clip=True)
    return None


def build_unsupervised_preprocessor(feature_roles: dict[str, str], traits: Traits) -> Any:
    """Imputation, one-hot encoding and the algorithm's scaling, for models without a target.

    Always a ColumnTransformer of numbers (never passthrough): distances, variances and
    loadings are measured in its output, whose column names the loadings show. One-hot
    columns stay 0/1: already on the scale of standardised numbers, and non-negative
    counts for NMF and LDA.
    """
    numeric = [name for name, role in feature_roles.items() if role == "numeric"]
    categorical = [name for name, role in feature_roles.items() if role == "categorical"]
    steps: list[tuple[str, Any]] = [
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True))]
    scaler = _unsupervised_scaler(traits.input_scaling)
    if scaler is not None:
        steps.append(("scale", scaler))
    transformers: list[tuple[str, Any, list[str]]] = []
    if numeric:
        transformers.append(("numeric", Pipeline(steps), numeric))
    if categorical:
        transformers.append(("categorical", OneHotEncoder(
            handle_unknown="infrequent_if_exist", sparse_output=False,
            max_categories=MAX_ONEHOT_CATEGORIES), categorical))
    return ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)
