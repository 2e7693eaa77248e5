"""Decision trees drawn as Graphviz DOT, in the raw feature names and category values.

Which tree is drawn (``TreeDrawing.kind``):

- decision tree, random forest (each tree), XGBoost, LightGBM and hist gradient boosting
  (each boosting tree, per round and class): the model's own trees ("model");
- every other model, or on request any model: a *surrogate* — a shallow decision tree
  fitted to the model's predictions on the given rows, with its fidelity (accuracy or R²
  against the model's predictions on those rows) ("surrogate").

Split conditions on ordinal-coded columns are decoded back to category sets
("colour in {red, blue}"); samples, class shares or means are shown where the library
records them (XGBoost keeps only the hessian "cover", shown as such).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from core.explain import (ColumnMap, RawCodec, cached, column_map, data_fingerprint,
                          is_lightgbm, model_fingerprint, model_of, sample_rows,
                          xgboost_estimators)
from core.i18n import Message, t

DEFAULT_DEPTH = 3
SURROGATE_MAX_ROWS = 5000
MAX_LISTED_CATEGORIES = 6
CLASS_COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6",
                 "#9D755D", "#BAB0AC", "#EECA3B")
VALUE_COLOUR = "#F58518"


@dataclass
class TreeDrawing:
    """One drawn tree: its DOT source and what it is."""

    dot: str
    kind: str                          # "model" | "surrogate"
    tree_index: int
    n_trees: int
    depth_shown: int
    tree_depth: int
    round: int | None = None           # boosting round of the tree
    class_label: Any = None            # class the boosting tree scores (multiclass)
    fidelity: float | None = None      # surrogate: agreement with the model's predictions
    fidelity_metric: str | None = None  # "accuracy" | "r2"
    rows: int = 0                      # surrogate: rows it was fitted on
    caption: Message | None = None


@dataclass
class _Node:
    """One node, whatever library it came from; ``feature`` is None for a leaf."""

    feature: int | None = None         # encoded column index
    threshold: float = 0.0
    strict: bool = False               # "<" (XGBoost) rather than "<="
    yes: int | None = None
    no: int | None = None
    missing_yes: bool | None = None
    samples: float | None = None
    cover: float | None = None
    value: float | None = None         # mean (regression trees) or score (boosting)
    shares: np.ndarray | None = None   # class shares (classification trees)


Nodes = dict[int, _Node]


# --- reading each library's trees -------------------------------------------------------------

def _sklearn_nodes(estimator: Any, classifier: bool) -> Nodes:
    tree = estimator.tree_
    missing_left = getattr(tree, "missing_go_to_left", None)
    nodes: Nodes = {}
    for i in range(tree.node_count):
        leaf = tree.children_left[i] < 0
        value = np.asarray(tree.value[i, 0], dtype=float)
        nodes[i] = _Node(
            None if leaf else int(tree.feature[i]), float(tree.threshold[i]), False,
            None if leaf else int(tree.children_left[i]),
            None if leaf else int(tree.children_right[i]),
            None if leaf or missing_left is None else bool(missing_left[i]),
            samples=float(tree.n_node_samples[i]),
            value=None if classifier else float(value[0]),
            shares=value / max(value.sum(), 1e-12) if classifier else None)
    return nodes


def _hgb_nodes(predictor: Any) -> Nodes:
    nodes: Nodes = {}
    for i, row in enumerate(predictor.nodes):
        leaf = bool(row["is_leaf"])
        # Internal nodes hold no meaningful value in hist gradient boosting: leaves only.
        nodes[i] = _Node(None if leaf else int(row["feature_idx"]), float(row["num_threshold"]),
                         False, None if leaf else int(row["left"]),
                         None if leaf else int(row["right"]),
                         None if leaf else bool(row["missing_go_to_left"]),
                         samples=float(row["count"]), value=float(row["value"]) if leaf else None)
    return nodes


def _xgb_nodes(tree: dict[str, Any], index_of: Callable[[str], int]) -> Nodes:
    nodes: Nodes = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        if "leaf" in node:
            nodes[node["nodeid"]] = _Node(value=float(node["leaf"]), cover=node.get("cover"))
            continue
        nodes[node["nodeid"]] = _Node(index_of(node["split"]), float(node["split_condition"]),
                                      True, node["yes"], node["no"],
                                      node.get("missing") == node["yes"], cover=node.get("cover"))
        stack.extend(node.get("children", []))
    return nodes


def _lgb_missing_left(node: dict[str, Any]) -> bool:
    # With missing_type "None" LightGBM treats a missing value as 0.
    if node.get("missing_type") in ("NaN", "Zero"):
        return bool(node.get("default_left", True))
    return 0.0 <= float(node["threshold"])


def _lgb_nodes(structure: dict[str, Any]) -> Nodes:
    nodes: Nodes = {}
    stack, next_id = [(structure, 0)], 1
    while stack:
        node, nid = stack.pop()
        if "leaf_value" in node:
            nodes[nid] = _Node(samples=node.get("leaf_count"), value=float(node["leaf_value"]))
            continue
        yes, no, next_id = next_id, next_id + 1, next_id + 2
        nodes[nid] = _Node(int(node["split_feature"]), float(node["threshold"]), False, yes, no,
                           _lgb_missing_left(node), samples=node.get("internal_count"),
                           value=node.get("internal_value"))
        stack += [(node["left_child"], yes), (node["right_child"], no)]
    return nodes


# --- which trees a model has ------------------------------------------------------------------

@dataclass(frozen=True)
class _TreeSource:
    """How to enumerate and read a model's trees."""

    count: int
    fetch: Callable[[int], Nodes]
    describe: Callable[[int], tuple[int | None, Any]]   # (boosting round, class label)
    classes: list[Any] | None          # labels of class shares (classification trees)
    value_key: str                     # how node values are labelled


def _no_round(i: int) -> tuple[int | None, Any]:
    return None, None


def _sklearn_source(model: Any) -> _TreeSource:
    from sklearn.base import is_classifier
    trees = list(getattr(model, "estimators_", [model]))
    classifier = is_classifier(model)
    return _TreeSource(len(trees), lambda i: _sklearn_nodes(trees[i], classifier), _no_round,
                       list(model.classes_) if classifier else None, "inspect.tree.mean")


def _per_round(count_per_round: int, classes: list[Any]) -> Callable[[int], tuple[int, Any]]:
    """(round, class) of flat tree ``i`` when each round grows one tree per class."""
    def describe(i: int) -> tuple[int, Any]:
        label = classes[i % count_per_round] if count_per_round > 1 else None
        return i // count_per_round + 1, label
    return describe


def _hgb_source(model: Any) -> _TreeSource:
    predictors = model._predictors     # private, hence the surrogate fallback in draw_tree
    per_round = len(predictors[0])
    classes = list(getattr(model, "classes_", []))
    return _TreeSource(len(predictors) * per_round,
                       lambda i: _hgb_nodes(predictors[i // per_round][i % per_round]),
                       _per_round(per_round, classes), None, "inspect.tree.score")


def _lgb_source(model: Any) -> _TreeSource:
    booster = model.booster_
    per_round = booster.num_model_per_iteration()
    rounds = getattr(model, "best_iteration_", 0) or booster.current_iteration()

    def fetch(i: int) -> Nodes:
        # Dumping one round is cheap; dumping all 500 trees for one drawing is not.
        info = booster.dump_model(start_iteration=i // per_round, num_iteration=1)
        return _lgb_nodes(info["tree_info"][i % per_round]["tree_structure"])
    return _TreeSource(rounds * per_round, fetch,
                       _per_round(per_round, list(getattr(model, "classes_", []))), None,
                       "inspect.tree.score")


def _xgb_parts(est: Any) -> tuple[Any, int, int, Callable[[str], int]]:
    """(booster, rounds used, trees per round, split name -> column) of one XGBoost model."""
    booster = est.get_booster()
    best = getattr(est, "best_iteration", None)
    rounds = best + 1 if best is not None else booster.num_boosted_rounds()
    per_round = len(booster[0:1].get_dump())
    names = booster.feature_names
    index_of = (lambda n: names.index(n)) if names else (lambda n: int(n[1:]))
    return booster, rounds, per_round, index_of


def _xgb_source(model: Any) -> _TreeSource:
    classes = list(getattr(model, "classes_", []))
    parts = [_xgb_parts(est) for est in xgboost_estimators(model)]
    offsets = np.cumsum([0] + [rounds * per for _, rounds, per, _ in parts])

    def locate(i: int) -> tuple[int, int]:
        j = int(np.searchsorted(offsets, i, side="right") - 1)
        return j, i - int(offsets[j])

    def fetch(i: int) -> Nodes:
        j, k = locate(i)
        booster, _, per, index_of = parts[j]
        dump = booster[k // per:k // per + 1].get_dump(dump_format="json", with_stats=True)
        return _xgb_nodes(json.loads(dump[k % per]), index_of)

    def describe(i: int) -> tuple[int, Any]:
        j, k = locate(i)
        per = parts[j][2]
        if len(parts) > 1:             # one-vs-rest: one model per class
            return k // per + 1, classes[j]
        return k // per + 1, classes[k % per] if per > 1 else None
    return _TreeSource(int(offsets[-1]), fetch, describe, None, "inspect.tree.score")


def _tree_source(pipeline: Any) -> _TreeSource | None:
    """The model's own trees, or None when it has none (or they cannot be read)."""
    model = model_of(pipeline)
    try:
        if is_lightgbm(model):
            return _lgb_source(model)
        if xgboost_estimators(model) is not None:
            return _xgb_source(model)
        if type(model).__name__.startswith("HistGradientBoosting"):
            return _hgb_source(model)
        if hasattr(model, "tree_") or type(model).__name__.startswith(("RandomForest",
                                                                      "ExtraTrees")):
            return _sklearn_source(model)
    except (AttributeError, IndexError, KeyError, TypeError):
        return None                    # unreadable internals: the caller draws a surrogate
    return None


def tree_count(pipeline: Any) -> int:
    """How many trees of its own the model has (0: only a surrogate can be drawn)."""
    def count() -> int:
        source = _tree_source(pipeline)
        return source.count if source else 0
    return cached(("tree_count", model_fingerprint(pipeline)), count)


# --- DOT --------------------------------------------------------------------------------------

def _fmt(x: float) -> str:
    """Numbers short but exact enough to read: 0.125, 3.5, 152,000."""
    if abs(x) >= 10_000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _category_set(values: list[Any], lang: str) -> str:
    shown = [str(v) for v in values[:MAX_LISTED_CATEGORIES]]
    if len(values) > MAX_LISTED_CATEGORIES:
        shown.append(t("inspect.tree.more_values", lang, count=len(values) - len(shown)))
    return "{" + ", ".join(shown) + "}"


def condition_text(cmap: ColumnMap, node: _Node, lang: str = "en") -> str:
    """The yes-branch condition in raw terms: "x1 ≤ 0.5" or "colour in {red, blue}"."""
    name = cmap.raw_name(node.feature)
    categories = cmap.categories.get(node.feature)
    if categories is None:
        return f"{name} {'<' if node.strict else '≤'} {_fmt(node.threshold)}"
    below = (lambda c: c < node.threshold) if node.strict else (lambda c: c <= node.threshold)
    known = [(code, v) for code, v in enumerate(categories) if not _is_missing(v)]
    chosen = [v for code, v in known if below(code)]
    rest = [v for code, v in known if not below(code)]
    if below(cmap.missing_code.get(node.feature, np.nan)):
        chosen.append(t("inspect.tree.missing", lang))   # -1 coded missing goes with low codes
    if len(chosen) > MAX_LISTED_CATEGORIES and len(rest) < len(chosen):
        # The shorter list reads better: "not in {a, b}" rather than twenty names.
        return t("inspect.tree.not_in", lang, feature=name, values=_category_set(rest, lang))
    return t("inspect.tree.in", lang, feature=name, values=_category_set(chosen, lang))


@dataclass(frozen=True)
class _Style:
    classes: list[Any] | None
    value_key: str
    low: float
    high: float
    with_missing: frozenset[str] | None = None    # None: mark missing on every split


def _shares_text(shares: np.ndarray, classes: list[Any]) -> str:
    order = np.argsort(-shares)[:3]
    return " · ".join(f"{classes[k]} {shares[k]:.0%}" for k in order)


def _node_lines(node: _Node, cmap: ColumnMap, style: _Style, cut: int, lang: str) -> list[str]:
    lines = [condition_text(cmap, node, lang)] if node.feature is not None and not cut else []
    if node.samples is not None:
        lines.append(t("inspect.tree.samples", lang, count=_fmt(node.samples)))
    elif node.cover is not None:
        lines.append(t("inspect.tree.cover", lang, cover=_fmt(node.cover)))
    if node.shares is not None and style.classes:
        lines.append(_shares_text(node.shares, style.classes))
        if node.feature is None:
            lines.append(f"→ {style.classes[int(np.argmax(node.shares))]}")
    if node.value is not None:
        lines.append(t(style.value_key, lang, value=_fmt(node.value)))
    if cut:
        lines.append(t("inspect.tree.hidden", lang, count=cut))
    return lines


def _blend(colour: str, weight: float) -> str:
    """``colour`` mixed with white; weight 0 is white, 1 the colour itself."""
    weight = float(np.clip(weight, 0.05, 0.85))
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 + (c - 255) * weight):02x}" for c in channels)


def _fill(node: _Node, style: _Style) -> str:
    if node.shares is not None and len(node.shares) > 1:
        k = int(np.argmax(node.shares))
        purity = (node.shares[k] - 1 / len(node.shares)) / (1 - 1 / len(node.shares))
        return _blend(CLASS_COLOURS[k % len(CLASS_COLOURS)], purity)
    if node.value is not None and style.high > style.low:
        return _blend(VALUE_COLOUR, (node.value - style.low) / (style.high - style.low))
    return "#ffffff"


def _depths(nodes: Nodes, root: int) -> dict[int, int]:
    depth, stack = {root: 0}, [root]
    while stack:
        nid = stack.pop()
        for child in (nodes[nid].yes, nodes[nid].no):
            if child is not None:
                depth[child] = depth[nid] + 1
                stack.append(child)
    return depth


def _edge_label(yes: bool, missing_yes: bool | None, lang: str) -> str:
    label = t("inspect.tree.yes" if yes else "inspect.tree.no", lang)
    if missing_yes is not None and bool(missing_yes) == yes:
        label += " · " + t("inspect.tree.missing", lang)
    return label


def _subtree_sizes(nodes: Nodes, depth: dict[int, int]) -> dict[int, int]:
    """Nodes in each node's subtree (itself included), deepest first."""
    size: dict[int, int] = {}
    for nid in sorted(depth, key=depth.get, reverse=True):
        node = nodes[nid]
        size[nid] = 1 + sum(size[c] for c in (node.yes, node.no) if c is not None)
    return size


def to_dot(nodes: Nodes, cmap: ColumnMap, style: _Style, max_depth: int, title: str,
           lang: str = "en") -> str:
    """DOT source of the tree rooted at node 0, cut below ``max_depth`` levels.

    Where missing values go is only marked for features that have missing values
    (``style.with_missing``); elsewhere it would be noise on every edge.
    """
    depth = _depths(nodes, 0)
    size = _subtree_sizes(nodes, depth)
    lines = ["digraph Tree {",
             f'  graph [labelloc=t, fontname="Helvetica", fontsize=12, label="{_escape(title)}"];',
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, '
             'color="#888888"];', '  edge [fontname="Helvetica", fontsize=9];']
    for nid in sorted(n for n in depth if depth[n] <= max_depth):
        node = nodes[nid]
        # A node on the last drawn level says how much of the tree is hidden below it.
        cut = size[nid] - 1 if depth[nid] == max_depth else 0
        label = "\\n".join(_escape(line) for line in _node_lines(node, cmap, style, cut, lang))
        dashed = ', style="rounded,filled,dashed"' if cut else ""
        lines.append(f'  n{nid} [label="{label}", fillcolor="{_fill(node, style)}"{dashed}];')
        if node.feature is not None and not cut:
            missing = node.missing_yes if _shows_missing(cmap, node, style) else None
            lines += [_edge(nid, node.yes, True, missing, lang),
                      _edge(nid, node.no, False, missing, lang)]
    lines.append("}")
    return "\n".join(lines)


def _shows_missing(cmap: ColumnMap, node: _Node, style: _Style) -> bool:
    return style.with_missing is None or cmap.raw_name(node.feature) in style.with_missing


def _edge(parent: int, child: int, yes: bool, missing_yes: bool | None, lang: str) -> str:
    return f'  n{parent} -> n{child} [label="{_escape(_edge_label(yes, missing_yes, lang))}"];'


def _style_for(nodes: Nodes, classes: list[Any] | None, value_key: str,
               with_missing: frozenset[str] | None) -> _Style:
    values = [n.value for n in nodes.values() if n.value is not None]
    return _Style(classes, value_key, min(values, default=0.0), max(values, default=0.0),
                  with_missing)


# --- drawing ----------------------------------------------------------------------------------

def _model_tree(pipeline: Any, features: list[str], source: _TreeSource, index: int,
                max_depth: int, lang: str, with_missing: frozenset[str] | None) -> TreeDrawing:
    index = int(np.clip(index, 0, source.count - 1))
    nodes = source.fetch(index)
    round_, label = source.describe(index)
    caption = Message("inspect.tree.caption_model", {"index": index + 1, "count": source.count})
    if source.count == 1:
        caption = Message("inspect.tree.caption_single")
    if label is not None:
        caption = Message("inspect.tree.caption_model_class", {
            "index": index + 1, "count": source.count, "round": round_, "label": label})
    title = caption.text(lang)
    dot = to_dot(nodes, column_map(pipeline, features),
                 _style_for(nodes, source.classes, source.value_key, with_missing), max_depth,
                 title, lang)
    full = max(_depths(nodes, 0).values())
    return TreeDrawing(dot, "model", index, source.count, min(max_depth, full), full, round_,
                       label, caption=caption)


def _ordered_categories(column: pd.Series, score: np.ndarray) -> np.ndarray:
    """Categories ordered by the model's mean prediction, so one split can group them well."""
    frame = pd.DataFrame({"value": column.astype(object), "score": score}).dropna()
    return np.asarray(frame.groupby("value")["score"].mean().sort_values().index, dtype=object)


def _surrogate_codec(rows: pd.DataFrame, predicted: np.ndarray, task: str) -> RawCodec:
    if task == "regression":
        score = np.asarray(predicted, dtype=float)
    else:
        score = (predicted == pd.Series(predicted).mode().iloc[0]).astype(float)
    categories = {name: _ordered_categories(rows[name], score) for name in rows.columns
                  if not (pd.api.types.is_numeric_dtype(rows[name])
                          and not pd.api.types.is_bool_dtype(rows[name]))}
    return RawCodec(list(rows.columns), dict(rows.dtypes), categories)


@dataclass
class Surrogate:
    """A shallow decision tree imitating a model, on raw features (categories as codes)."""

    tree: Any
    cmap: ColumnMap
    fidelity: float
    metric: str                        # "accuracy" | "r2"
    rows: int


def fit_surrogate(pipeline: Any, X: pd.DataFrame, task: str, max_depth: int = DEFAULT_DEPTH,
                  seed: int = 0) -> Surrogate:
    """Fit (once, cached) a depth-limited tree to the model's predictions on ``X``.

    Fidelity is measured on the same rows: how often the tree gives the model's label
    (accuracy) or how much of the variance of the model's predictions it explains (R²).
    """
    rows = sample_rows(X, SURROGATE_MAX_ROWS, seed)
    key = ("surrogate", model_fingerprint(pipeline), data_fingerprint(rows), task, max_depth,
           seed)
    return cached(key, lambda: _fit_surrogate(pipeline, rows, task, max_depth, seed))


def _fit_surrogate(pipeline: Any, rows: pd.DataFrame, task: str, max_depth: int,
                   seed: int) -> Surrogate:
    from sklearn.metrics import accuracy_score, r2_score
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
    predicted = np.asarray(pipeline.predict(rows))
    codec = _surrogate_codec(rows, predicted, task)
    Z = codec.encode(rows)
    regression = task == "regression"
    tree = (DecisionTreeRegressor if regression else DecisionTreeClassifier)(
        max_depth=max_depth, min_samples_leaf=max(1, len(rows) // 200), random_state=seed)
    tree.fit(Z, predicted.astype(float) if regression else predicted.astype(str))
    imitated = tree.predict(Z)
    fidelity = (r2_score(predicted.astype(float), imitated) if regression
                else accuracy_score(predicted.astype(str), imitated))
    cmap = ColumnMap.identity(codec.columns, {k: list(v) for k, v in codec.categories.items()})
    return Surrogate(tree, cmap, float(fidelity), "r2" if regression else "accuracy", len(rows))


def _surrogate_tree(pipeline: Any, X: pd.DataFrame, task: str, max_depth: int, seed: int,
                    lang: str, with_missing: frozenset[str] | None) -> TreeDrawing:
    surrogate = fit_surrogate(pipeline, X, task, max_depth, seed)
    fidelity = (f"{surrogate.fidelity:.0%}" if surrogate.metric == "accuracy"
                else f"{surrogate.fidelity:.2f}")
    caption = Message(f"inspect.tree.caption_surrogate_{surrogate.metric}", {
        "depth": max_depth, "fidelity": fidelity, "rows": surrogate.rows})
    classifier = surrogate.metric == "accuracy"
    nodes = _sklearn_nodes(surrogate.tree, classifier)
    style = _style_for(nodes, list(surrogate.tree.classes_) if classifier else None,
                       "inspect.tree.mean", with_missing)
    title = t("inspect.tree.surrogate_title", lang, fidelity=fidelity)
    dot = to_dot(nodes, surrogate.cmap, style, max_depth, title, lang)
    depth = int(surrogate.tree.get_depth())
    return TreeDrawing(dot, "surrogate", 0, 1, depth, depth, fidelity=surrogate.fidelity,
                       fidelity_metric=surrogate.metric, rows=surrogate.rows, caption=caption)


def _with_missing(X: pd.DataFrame | None) -> frozenset[str] | None:
    return None if X is None else frozenset(X.columns[X.isna().any().to_numpy()])


def draw_tree(pipeline: Any, features: list[str], X: pd.DataFrame | None = None, *,
              task: str = "classification", tree_index: int = 0,
              max_depth: int = DEFAULT_DEPTH, surrogate: bool = False, lang: str = "en",
              seed: int = 0, with_missing: frozenset[str] | None = None) -> TreeDrawing:
    """Draw one of the model's own trees, or a surrogate tree fitted on ``X``.

    Models without trees (or with unreadable ones) get the surrogate; ``X`` is then
    required. ``max_depth`` limits the levels drawn (and the surrogate's depth). The
    branch missing values take is marked for the features in ``with_missing`` (default:
    those with gaps in ``X``; every feature when there is no ``X``).
    """
    if with_missing is None:
        with_missing = _with_missing(X)
    if not surrogate and tree_count(pipeline) > 0:
        key = ("tree", model_fingerprint(pipeline), tree_index, max_depth, lang, with_missing)
        try:
            return cached(key, lambda: _model_tree(pipeline, list(features),
                                                   _tree_source(pipeline), tree_index,
                                                   max_depth, lang, with_missing))
        except (KeyError, IndexError, TypeError, ValueError):
            pass   # a split this reader does not know (e.g. a native categorical): imitate
    if X is None:
        raise ValueError("a surrogate tree needs rows to imitate the model on")
    return _surrogate_tree(pipeline, X, task, max_depth, seed, lang, with_missing)


def draw_candidate_tree(setup: Any, candidate: Any, tree_index: int = 0,
                        max_depth: int = DEFAULT_DEPTH, surrogate: bool = False,
                        lang: str = "en") -> TreeDrawing:
    """:func:`draw_tree` for a CandidateResult: surrogates imitate it on validation rows
    (the training rows when the validation part is too small to learn from)."""
    X, _ = setup.part("validation")
    if len(X) < 50:
        X, _ = setup.part("train")
    # The profile already knows which columns have gaps: no need to scan the rows again.
    gaps = frozenset(c.name for c in setup.profile.columns if c.missing_share > 0)
    return draw_tree(candidate.pipeline, setup.features, X, task=setup.task,
                     tree_index=tree_index, max_depth=max_depth, surrogate=surrogate, lang=lang,
                     seed=setup.seed, with_missing=gaps)
