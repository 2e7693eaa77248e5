"""Cost-aware decisions for binary classification: the cheapest decision threshold.

A classifier's probabilities become labels at a threshold: the positive class
(``classes[1]``, sorted order as in ``core.evaluation``) is predicted when
P(positive) >= threshold. 0.5 treats both mistakes alike; when a missed positive
costs far more than a false alarm (a churner lost against an unneeded retention offer),
a lower threshold is cheaper. ``sweep_thresholds`` tries every threshold that changes a
validation decision, prices each by the expected cost per item and keeps the cheapest;
``business_value`` scales the saving to the volume on the requirements card.

The chosen threshold goes into the bundle as metadata "decision_threshold" (see
``core.bundle.write_bundle``), and the bundle's predict.py applies the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from core.errors import DojoError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message, t

DEFAULT_THRESHOLD = 0.5
# Metrics of the card that move with the threshold (the others, e.g. roc_auc, do not).
THRESHOLD_METRICS: tuple[str, ...] = ("accuracy", "balanced_accuracy", "precision", "recall",
                                      "f1")
_TIE = 1e-12   # costs this close are equal: floating sums must not decide the threshold


@dataclass(frozen=True)
class MistakeCosts:
    """What each kind of decision costs per item, in one currency.

    ``true_positive_value`` is what a correctly caught positive is worth (e.g. a churner
    kept); it is counted as a negative cost. Leave it 0 to weigh mistakes only.
    """

    false_positive: float
    false_negative: float
    true_positive_value: float = 0.0
    currency: str = ""

    @classmethod
    def from_value(cls, value: MistakeCosts | Mapping[str, Any]) -> MistakeCosts:
        """Costs from a ``MistakeCosts`` or a dict with the same keys, checked."""
        if isinstance(value, MistakeCosts):
            raw: dict[str, Any] = value.to_dict()
        elif isinstance(value, Mapping):
            raw = dict(value)
        else:
            raise DojoError("threshold.bad_costs", value=repr(value)[:60])
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(key) for key in raw if key not in known)
        if unknown or "false_positive" not in raw or "false_negative" not in raw:
            raise DojoError("threshold.bad_costs", value=", ".join(unknown) or repr(raw)[:60])
        for name in ("false_positive", "false_negative", "true_positive_value"):
            _check_amount(name, raw.get(name, 0.0))
        return cls(float(raw["false_positive"]), float(raw["false_negative"]),
                   float(raw.get("true_positive_value", 0.0)), str(raw.get("currency", "")))

    def to_dict(self) -> dict[str, Any]:
        return {"false_positive": self.false_positive, "false_negative": self.false_negative,
                "true_positive_value": self.true_positive_value, "currency": self.currency}


def _check_amount(name: str, value: Any) -> None:
    """Costs are amounts of money: finite and not negative (a gain is a true-positive value)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
            or not math.isfinite(float(value)) or value < 0:
        raise DojoError("threshold.bad_cost", name=name, value=repr(value)[:40])


@dataclass
class ThresholdSweep:
    """Expected cost per item at each tried threshold, and the cheapest one.

    ``confusion`` and ``default_confusion`` count tp, fp, tn, fn on the validation rows at
    ``best_threshold`` and at ``default_threshold`` (0.5).
    """

    thresholds: np.ndarray
    cost_per_item: np.ndarray
    best_threshold: float
    best_cost: float
    default_cost: float
    confusion: dict[str, int]
    default_confusion: dict[str, int]
    classes: list[Any]
    costs: MistakeCosts
    rows: int
    default_threshold: float = DEFAULT_THRESHOLD

    @property
    def positive_class(self) -> Any:
        return self.classes[1]

    @property
    def savings_per_item(self) -> float:
        """How much cheaper per item the best threshold is than 0.5 (never negative)."""
        return self.default_cost - self.best_cost

    def summary(self) -> Message:
        """One sentence: the best threshold and its cost against 0.5's."""
        return Message("threshold.summary", {
            "threshold": _fmt(self.best_threshold, 3), "cost": _fmt(self.best_cost),
            "default_cost": _fmt(self.default_cost), "currency": self.costs.currency,
            "positive": str(self.positive_class), "default": _fmt(self.default_threshold)})

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: numbers as floats and ints, the curve as lists."""
        return {"best_threshold": float(self.best_threshold), "best_cost": float(self.best_cost),
                "default_threshold": float(self.default_threshold),
                "default_cost": float(self.default_cost),
                "savings_per_item": float(self.savings_per_item),
                "confusion": dict(self.confusion),
                "default_confusion": dict(self.default_confusion),
                "classes": [_plain(c) for c in self.classes],
                "positive_class": _plain(self.positive_class), "rows": int(self.rows),
                "costs": self.costs.to_dict(),
                "thresholds": [round(float(v), 6) for v in self.thresholds],
                "cost_per_item": [round(float(v), 6) for v in self.cost_per_item],
                "summary": {lang: self.summary().text(lang) for lang in LANGUAGES}}


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _fmt(value: float, digits: int = 2) -> str:
    """A number for a sentence: thousands separators, no trailing zeros."""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- the sweep ------------------------------------------------------------------------------

def _validated_inputs(y_true: Sequence[Any], proba_positive: Sequence[float],
                      classes: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(is_positive, probabilities) after checking the inputs can be swept at all."""
    classes = list(classes)
    if len(classes) != 2:
        raise DojoError("threshold.not_binary", count=len(classes))
    labels = np.asarray(y_true, dtype=object)
    proba = np.asarray(proba_positive, dtype=float).ravel()
    if labels.ndim != 1 or len(labels) != len(proba) or len(labels) == 0:
        raise DojoError("threshold.length_mismatch", labels=len(labels), probabilities=len(proba))
    if not np.all(np.isfinite(proba)) or proba.min() < 0 or proba.max() > 1:
        raise DojoError("threshold.bad_probabilities")
    is_positive = labels == classes[1]
    unknown = ~(is_positive | (labels == classes[0]))
    if unknown.any():
        raise DojoError("threshold.unknown_label", label=str(labels[unknown][0]),
                        classes=", ".join(map(str, classes)))
    if is_positive.all() or not is_positive.any():
        # One class only: the price of the other kind of mistake cannot be weighed.
        present = classes[1] if is_positive.all() else classes[0]
        raise DojoError("threshold.one_class", present=str(present), rows=len(labels))
    return is_positive, proba


def candidate_thresholds(proba: np.ndarray) -> np.ndarray:
    """Every threshold that changes a decision, placed between observed probabilities.

    Midpoints between neighbouring distinct probabilities (plus 0, "all positive", and,
    when possible, a point above the highest, "all negative"): no validation row sits on a
    threshold, so ">=" and ">" agree there, and new rows near a boundary are not decided
    by where one validation row happened to fall. 0.5 is added for the comparison.
    """
    distinct = np.unique(proba)
    middles = (distinct[:-1] + distinct[1:]) / 2
    top = [(distinct[-1] + 1.0) / 2] if distinct[-1] < 1.0 else []
    return np.unique(np.concatenate([[0.0], middles, top, [DEFAULT_THRESHOLD]]))


def _confusions(is_positive: np.ndarray, proba: np.ndarray,
                thresholds: np.ndarray) -> dict[str, np.ndarray]:
    """tp, fp, tn, fn at each threshold, with predict.py's rule P >= threshold."""
    positives = np.sort(proba[is_positive])
    negatives = np.sort(proba[~is_positive])
    tp = len(positives) - np.searchsorted(positives, thresholds, side="left")
    fp = len(negatives) - np.searchsorted(negatives, thresholds, side="left")
    return {"tp": tp, "fp": fp, "tn": len(negatives) - fp, "fn": len(positives) - tp}


def _cost_per_item(counts: dict[str, np.ndarray], costs: MistakeCosts, rows: int) -> np.ndarray:
    total = (costs.false_positive * counts["fp"] + costs.false_negative * counts["fn"]
             - costs.true_positive_value * counts["tp"])
    return np.asarray(total, dtype=float) / rows


def _pick(thresholds: np.ndarray, cost: np.ndarray) -> int:
    """The cheapest threshold; among equally cheap ones, the closest to 0.5 (least change)."""
    cheapest = np.flatnonzero(cost <= cost.min() + _TIE)
    return int(cheapest[np.argmin(np.abs(thresholds[cheapest] - DEFAULT_THRESHOLD))])


def sweep_thresholds(y_true: Sequence[Any], proba_positive: Sequence[float],
                     classes: Sequence[Any],
                     costs: MistakeCosts | Mapping[str, Any]) -> ThresholdSweep:
    """Price every decision threshold on validation rows and keep the cheapest.

    Parameters
    ----------
    y_true : sequence
        The validation labels (each one of ``classes``).
    proba_positive : sequence of float
        P(``classes[1]``) for each row, e.g. ``predict_proba(X)[:, 1]``.
    classes : sequence
        The two class labels in sorted order; ``classes[1]`` is the positive class.
    costs : MistakeCosts or dict
        Cost of a false positive and of a false negative (and optionally the value of a
        true positive), per item.

    Returns
    -------
    ThresholdSweep

    Raises
    ------
    DojoError
        Not two classes, mismatched lengths, probabilities outside [0, 1], unknown labels,
        only one class among the labels, or invalid costs.
    """
    costs = MistakeCosts.from_value(costs)
    is_positive, proba = _validated_inputs(y_true, proba_positive, classes)
    thresholds = candidate_thresholds(proba)
    counts = _confusions(is_positive, proba, thresholds)
    cost = _cost_per_item(counts, costs, len(proba))
    best = _pick(thresholds, cost)
    default = int(np.flatnonzero(thresholds == DEFAULT_THRESHOLD)[0])
    return ThresholdSweep(
        thresholds=thresholds, cost_per_item=cost, best_threshold=float(thresholds[best]),
        best_cost=float(cost[best]), default_cost=float(cost[default]),
        confusion={k: int(v[best]) for k, v in counts.items()},
        default_confusion={k: int(v[default]) for k, v in counts.items()},
        classes=list(classes), costs=costs, rows=len(proba))


def apply_threshold(proba_positive: Sequence[float], classes: Sequence[Any],
                    threshold: float) -> np.ndarray:
    """Labels as the bundle's predict.py gives them: classes[1] where P >= threshold."""
    proba = np.asarray(proba_positive, dtype=float)
    return np.where(proba >= float(threshold), classes[1], classes[0])


# --- from a trained candidate ---------------------------------------------------------------

def sweep_candidate(setup: Any, result: Any,
                    costs: MistakeCosts | Mapping[str, Any]) -> ThresholdSweep:
    """The sweep for a trained candidate (``CandidateResult``) on its validation rows.

    Raises
    ------
    DojoError
        ``threshold.not_binary`` unless the task is binary classification;
        ``threshold.no_proba`` when the model gives no probabilities (e.g. an SVM without
        probability estimates); ``threshold.no_model`` when training failed.
    """
    from core.training import classify

    classes = list(setup.classes or [])
    if setup.task != "classification" or len(classes) != 2:
        raise DojoError("threshold.not_binary", count=len(classes))
    if not getattr(result, "ok", False):
        raise DojoError("threshold.no_model", candidate=result.key)
    X, y = setup.part("validation")
    _, proba, _ = classify(result.pipeline, X, classes, result.is_baseline)
    if proba is None:
        raise DojoError("threshold.no_proba", algorithm=result.name.get(DEFAULT_LANGUAGE,
                                                                        result.key))
    return sweep_thresholds(y.to_numpy(), proba[:, 1], classes, costs)


# --- against the requirements card ----------------------------------------------------------

def _as_card(card: Any) -> Any:
    """A RequirementsCard from itself or DESIGN.md's dict (None stays None)."""
    if card is None:
        return None
    if isinstance(card, Mapping):
        from core.requirements import parse_card_dict
        card = parse_card_dict(dict(card))
    return card


def items_per_period(card: Any) -> tuple[str, float] | None:
    """("batch", items) or ("hour", items_per_minute × 60) from the card, else None."""
    card = _as_card(card)
    speed = getattr(card, "speed", None)
    if speed is None:
        return None
    if speed.mode == "batch" and speed.items:
        return "batch", float(speed.items)
    if speed.mode == "online" and speed.items_per_minute:
        return "hour", float(speed.items_per_minute) * 60.0
    return None


def metric_at(confusion: Mapping[str, int], metric: str) -> float | None:
    """A threshold-dependent metric from counts (None for any other metric)."""
    tp, fp, tn, fn = (confusion[k] for k in ("tp", "fp", "tn", "fn"))
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    specificity = tn / (tn + fp) if tn + fp else 0.0
    values = {"accuracy": (tp + tn) / max(tp + fp + tn + fn, 1), "recall": recall,
              "precision": precision, "balanced_accuracy": (recall + specificity) / 2,
              "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0}
    return values.get(metric)


def _accuracy_check(sweep: ThresholdSweep, card: Any) -> dict[str, Any] | None:
    """The card's accuracy metric at 0.5 and at the best threshold, against its target."""
    from core.requirements import meets_target

    accuracy = getattr(_as_card(card), "accuracy", None)
    if accuracy is None or accuracy.metric not in THRESHOLD_METRICS:
        return None
    at_default = metric_at(sweep.default_confusion, accuracy.metric)
    at_best = metric_at(sweep.confusion, accuracy.metric)
    target = accuracy.target
    return {"metric": accuracy.metric, "target": target, "at_default": at_default,
            "at_best": at_best,
            "meets_at_default": None if target is None else meets_target(accuracy.metric,
                                                                         at_default, target),
            "meets_at_best": None if target is None else meets_target(accuracy.metric,
                                                                      at_best, target)}


def business_value(sweep: ThresholdSweep, card: Any = None) -> dict[str, Any]:
    """What the best threshold saves against 0.5, per item and per period of the card.

    ``card`` is a ``RequirementsCard`` or DESIGN.md's dict. The period is the batch
    (``speed.items``) or one hour of online traffic (``items_per_minute`` × 60);
    savings = (cost at 0.5 − cost at best) × items. Without a volume on the card only
    the per-item numbers are given. JSON-safe; ``text`` holds the sentence per language.
    """
    card = _as_card(card)
    volume = items_per_period(card)
    period, items = volume if volume is not None else (None, None)
    out: dict[str, Any] = {
        "currency": sweep.costs.currency, "threshold": sweep.best_threshold,
        "default_threshold": sweep.default_threshold,
        "cost_per_item_default": sweep.default_cost, "cost_per_item_best": sweep.best_cost,
        "savings_per_item": sweep.savings_per_item, "period": period, "items": items,
        "cost_default": None if items is None else sweep.default_cost * items,
        "cost_best": None if items is None else sweep.best_cost * items,
        "savings": None if items is None else sweep.savings_per_item * items,
        "accuracy": _accuracy_check(sweep, card)}
    message = _value_message(out)
    out["text"] = {lang: message.text(lang) for lang in LANGUAGES}
    return out


def _value_message(value: dict[str, Any]) -> Message:
    common = {"currency": value["currency"], "threshold": _fmt(value["threshold"], 3),
              "per_item": _fmt(value["savings_per_item"])}
    if value["period"] is None:
        return Message("threshold.value_per_item", common)
    return Message(f"threshold.value_{value['period']}", {
        **common, "items": _fmt(value["items"], 0), "savings": _fmt(value["savings"], 0),
        "cost_default": _fmt(value["cost_default"], 0), "cost_best": _fmt(value["cost_best"], 0)})


# --- the figure -----------------------------------------------------------------------------

def cost_figure(sweep: ThresholdSweep, lang: str = DEFAULT_LANGUAGE) -> Any:
    """Expected cost per item against the threshold, the cheapest and 0.5 marked (plotly)."""
    import plotly.graph_objects as go

    unit = f" ({sweep.costs.currency})" if sweep.costs.currency else ""
    fig = go.Figure(go.Scatter(x=sweep.thresholds, y=sweep.cost_per_item, mode="lines",
                               line_shape="hv", name=t("threshold.curve", lang)))
    fig.add_trace(go.Scatter(
        x=[sweep.default_threshold], y=[sweep.default_cost], mode="markers",
        marker=dict(size=11, symbol="circle-open", color="#888888"),
        name=t("threshold.default_marker", lang, threshold=_fmt(sweep.default_threshold),
               cost=_fmt(sweep.default_cost))))
    fig.add_trace(go.Scatter(
        x=[sweep.best_threshold], y=[sweep.best_cost], mode="markers",
        marker=dict(size=13, symbol="star", color="#d62728"),
        name=t("threshold.best_marker", lang, threshold=_fmt(sweep.best_threshold, 3),
               cost=_fmt(sweep.best_cost))))
    fig.add_vline(x=sweep.best_threshold, line_dash="dot", line_color="#d62728")
    fig.update_layout(
        title=t("threshold.figure_title", lang),
        xaxis_title=t("threshold.axis_threshold", lang, positive=str(sweep.positive_class)),
        yaxis_title=t("threshold.axis_cost", lang) + unit, template="plotly_white",
        margin=dict(l=40, r=20, t=60, b=40), height=420, xaxis_range=[0, 1],
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return fig
