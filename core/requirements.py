"""The requirements card: what the business needs before any algorithm is chosen.

The card (see DESIGN.md, "Requirements card") records the problem type, the speed the
business needs (online latency or a batch window), where inference runs, how much
explanation the model owes and the accuracy that makes it worth it. The app writes and
reads the same JSON file the command line takes with ``--requirements``.

This module holds
- the card as dataclasses with strict JSON loading (a malformed card raises ``DojoError``
  naming the field and what is allowed) and lossless saving;
- ``conflicts``: contradictory or impossible requirements, each named with what to relax;
- the chapter's business-value formulas (quality, cost, delivery) and the novice-expert
  range, which turn business value into an accuracy target;
- the mapping from business questions to problem types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from core.catalog import EXPLANATION_LEVELS
from core.errors import DojoError
from core.i18n import DEFAULT_LANGUAGE, Message, catalog, t

PROBLEM_TYPES: tuple[str, ...] = ("classification", "regression", "clustering",
                                  "dimensionality_reduction")
SPEED_MODES: tuple[str, ...] = ("online", "batch")
LOCATIONS: tuple[str, ...] = ("cloud", "edge")
# Metrics a card may name, by problem type (the training metrics plus the unsupervised ones).
METRICS: dict[str, tuple[str, ...]] = {
    "classification": ("f1", "f1_macro", "accuracy", "balanced_accuracy", "precision", "recall",
                       "precision_macro", "recall_macro", "roc_auc", "log_loss"),
    "regression": ("rmse", "mae", "r2", "mape"),
    "clustering": ("silhouette",),
    "dimensionality_reduction": ("explained_variance",),
}
LOWER_IS_BETTER: frozenset[str] = frozenset({"rmse", "mae", "mape", "log_loss"})
# (lowest, highest) possible value; None is unbounded.
METRIC_RANGE: dict[str, tuple[float | None, float | None]] = {
    **{m: (0.0, 1.0) for m in ("f1", "f1_macro", "accuracy", "balanced_accuracy", "precision",
                               "recall", "precision_macro", "recall_macro", "roc_auc",
                               "explained_variance")},
    "r2": (None, 1.0), "silhouette": (-1.0, 1.0),
    "rmse": (0.0, None), "mae": (0.0, None), "mape": (0.0, None), "log_loss": (0.0, None),
}

# Business questions of the chapter and the problem type each one is (None: not this tool).
BUSINESS_QUESTIONS: dict[str, str | None] = {
    "remaining_life": "regression",
    "demand": "regression",
    "loan_approval": "classification",
    "defective": "classification",
    "group_customers": "clustering",
    "too_many_columns": "dimensionality_reduction",
    "recommend_products": None,
}


# --- the card -----------------------------------------------------------------------------

@dataclass
class Speed:
    """Online: a latency per item (and an arrival rate, a deadline); batch: items per window."""

    mode: str = "online"
    latency_ms: float | None = None
    items_per_minute: float | None = None
    deadline_minutes: float | None = None
    items: int | None = None
    window_minutes: float | None = None


@dataclass
class Environment:
    """Where inference runs; the model and memory budgets matter on an edge device."""

    location: str = "cloud"
    cpu_cores: int | None = None
    gpu: bool | None = None
    workers: int | None = None
    max_model_mb: float | None = None
    max_memory_mb: float | None = None


@dataclass
class Accuracy:
    """The metric and its target, with where the target came from.

    ``novice`` and ``expert`` (optional, beyond DESIGN.md's minimum) record the range the
    target was taken from, so a re-imported card shows it again.
    """

    metric: str
    target: float | None = None
    value_formula: str | None = None
    novice: float | None = None
    expert: float | None = None


@dataclass
class DataSize:
    """The data the model will be trained on, when known before it is loaded."""

    rows: int | None = None
    features: int | None = None


@dataclass
class RequirementsCard:
    """One use case's requirements; every part but the problem type is optional."""

    problem_type: str
    speed: Speed | None = None
    environment: Environment | None = None
    explanation: str | None = None
    accuracy: Accuracy | None = None
    data: DataSize | None = None

    def to_dict(self) -> dict[str, Any]:
        """The card as DESIGN.md's JSON; parts and fields not stated are left out."""
        out: dict[str, Any] = {"problem_type": self.problem_type}
        for name in ("speed", "environment", "explanation", "accuracy", "data"):
            value = getattr(self, name)
            if value is None:
                continue
            out[name] = value if isinstance(value, str) else _section_dict(value)
        return out

    @classmethod
    def from_dict(cls, raw: Any) -> RequirementsCard:
        """A card from parsed JSON, or DojoError naming the first thing that is wrong."""
        return parse_card_dict(raw)

    @property
    def owed_explanation(self) -> str:
        return self.explanation or "none"

    @property
    def is_edge(self) -> bool:
        return self.environment is not None and self.environment.location == "edge"


def _section_dict(section: Any) -> dict[str, Any]:
    values = {f.name: getattr(section, f.name) for f in fields(section)}
    return {name: value for name, value in values.items() if value is not None}


# --- reading and writing ------------------------------------------------------------------

_SECTIONS: dict[str, type] = {"speed": Speed, "environment": Environment, "accuracy": Accuracy,
                              "data": DataSize}
_TOP_KEYS = ("problem_type", "speed", "environment", "explanation", "accuracy", "data")
# Per field: kind of value and whether it must be a whole number.
_NUMBER_FIELDS: dict[str, bool] = {
    "latency_ms": False, "items_per_minute": False, "deadline_minutes": False, "items": True,
    "window_minutes": False, "cpu_cores": True, "workers": True, "max_model_mb": False,
    "max_memory_mb": False, "rows": True, "features": True,
}
_CHOICES: dict[str, tuple[str, ...]] = {"mode": SPEED_MODES, "location": LOCATIONS}
# Bounded scores may be negative (r2, silhouette); every other number is a size or a time.
_SIGNED_FIELDS = frozenset({"target", "novice", "expert"})


def parse_card_dict(raw: Any) -> RequirementsCard:
    """Validate parsed JSON field by field and build the card."""
    _expect_object(raw, "card")
    _refuse_unknown(raw, _TOP_KEYS, "card")
    problem_type = raw.get("problem_type")
    if problem_type is None:
        raise DojoError("requirements.missing_problem_type", choices=", ".join(PROBLEM_TYPES))
    card = RequirementsCard(problem_type=_choice("problem_type", problem_type, PROBLEM_TYPES))
    if raw.get("explanation") is not None:
        card.explanation = _choice("explanation", raw["explanation"], EXPLANATION_LEVELS)
    for name, section_type in _SECTIONS.items():
        if raw.get(name) is not None:
            setattr(card, name, _parse_section(name, section_type, raw[name]))
    return card


def _parse_section(name: str, section_type: type, raw: Any) -> Any:
    _expect_object(raw, name)
    known = tuple(f.name for f in fields(section_type))
    _refuse_unknown(raw, known, name)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if value is not None:
            values[key] = _parse_field(f"{name}.{key}", key, value)
    if section_type is Accuracy and "metric" not in values:
        raise DojoError("requirements.missing_metric", field="accuracy.metric")
    return section_type(**values)


def _parse_field(path: str, key: str, value: Any) -> Any:
    """One field's value, checked against its kind."""
    if key in _CHOICES:
        return _choice(path, value, _CHOICES[key])
    if key == "gpu":
        if not isinstance(value, bool):
            raise DojoError("requirements.bad_flag", field=path, value=_shown(value))
        return value
    if key in ("metric", "value_formula"):
        if not isinstance(value, str) or not value.strip():
            raise DojoError("requirements.bad_text", field=path, value=_shown(value))
        return value.strip() if key == "metric" else value
    return _number(path, value, whole=_NUMBER_FIELDS.get(key, False),
                   signed=key in _SIGNED_FIELDS)


def _number(path: str, value: Any, whole: bool, signed: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise DojoError("requirements.bad_number", field=path, value=_shown(value))
    if not signed and value < 0:
        raise DojoError("requirements.negative_number", field=path, value=_shown(value))
    if whole:
        if float(value) != int(value):
            raise DojoError("requirements.not_whole", field=path, value=_shown(value))
        return int(value)
    return value


def _choice(path: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise DojoError("requirements.bad_choice", field=path, value=_shown(value),
                        choices=", ".join(choices))
    return value


def _expect_object(raw: Any, path: str) -> None:
    if not isinstance(raw, dict):
        raise DojoError("requirements.not_object", field=path, value=_shown(raw))


def _refuse_unknown(raw: dict[str, Any], known: tuple[str, ...], path: str) -> None:
    # A misspelt key ("latency" for "latency_ms") would otherwise be ignored silently.
    unknown = [str(key) for key in raw if key not in known]
    if unknown:
        raise DojoError("requirements.unknown_keys", field=path, keys=", ".join(unknown),
                        known=", ".join(known))


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)[:60]


def parse_card(content: str | bytes, name: str = "requirements.json") -> RequirementsCard:
    """A card from JSON text (an uploaded file's bytes or a string)."""
    if isinstance(content, (bytes, bytearray)):
        try:
            content = bytes(content).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DojoError("requirements.not_utf8", name=name) from None
    try:
        raw = json.loads(content)
    except json.JSONDecodeError as exc:
        raise DojoError("requirements.not_json", name=name, line=exc.lineno, column=exc.colno,
                        detail=exc.msg) from None
    return parse_card_dict(raw)


def load_card(path: str | Path) -> RequirementsCard:
    """Read a card file; a missing, unreadable or malformed file raises DojoError."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise DojoError("requirements.file_not_found", path=str(path)) from None
    except OSError as exc:
        raise DojoError("requirements.unreadable", path=str(path), detail=exc.strerror) from None
    return parse_card(content, path.name)


def card_json(card: RequirementsCard) -> str:
    """The card as the JSON text the app offers for download and the CLI reads."""
    return json.dumps(card.to_dict(), ensure_ascii=False, indent=2) + "\n"


def save_card(card: RequirementsCard, path: str | Path) -> Path:
    """Write the card as JSON (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(card_json(card), encoding="utf-8")
    return path


# --- derived numbers ----------------------------------------------------------------------

@dataclass(frozen=True)
class LatencyBudget:
    """The tightest per-item time the online requirements allow, and which one sets it."""

    ms: float
    source: str          # "latency" | "arrival" | "deadline"


def latency_budget(card: RequirementsCard) -> LatencyBudget | None:
    """min(latency budget, time between arrivals per worker, deadline), online mode only."""
    speed = card.speed
    if speed is None or speed.mode != "online":
        return None
    options: list[LatencyBudget] = []
    if speed.latency_ms is not None:
        options.append(LatencyBudget(float(speed.latency_ms), "latency"))
    if speed.items_per_minute:
        options.append(LatencyBudget(60_000.0 * workers(card) / speed.items_per_minute,
                                     "arrival"))
    if speed.deadline_minutes is not None:
        options.append(LatencyBudget(60_000.0 * speed.deadline_minutes, "deadline"))
    return min(options, key=lambda budget: budget.ms) if options else None


def batch_window(card: RequirementsCard) -> tuple[int, float] | None:
    """(items, window in minutes) of a batch card with both stated, else None."""
    speed = card.speed
    if speed is None or speed.mode != "batch" or not speed.items or speed.window_minutes is None:
        return None
    return speed.items, float(speed.window_minutes)


def workers(card: RequirementsCard) -> int:
    """Parallel workers serving predictions (1 unless stated)."""
    env = card.environment
    return max(1, env.workers) if env is not None and env.workers else 1


def threads(card: RequirementsCard, default: int) -> int:
    """CPU threads one worker has in the stated environment (``default`` if not stated)."""
    env = card.environment
    return max(1, env.cpu_cores) if env is not None and env.cpu_cores else default


def metric_direction(metric: str) -> int:
    """+1 when higher is better, -1 when lower is better."""
    return -1 if metric in LOWER_IS_BETTER else 1


def meets_target(metric: str, value: float, target: float) -> bool:
    return value >= target if metric_direction(metric) > 0 else value <= target


# --- contradictory or impossible requirements ---------------------------------------------

@dataclass(frozen=True)
class Conflict:
    """One requirement that cannot be met as stated, with what to relax (in the message)."""

    field: str
    message: Message

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return render(self.message, lang)


def render(message: Message, lang: str = DEFAULT_LANGUAGE) -> str:
    """A message's text; parameters that are messages or {lang: text} follow ``lang`` too."""
    params = {name: _render_param(value, lang) for name, value in message.params.items()}
    return t(message.key, lang, **params)


def _render_param(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, dict) and DEFAULT_LANGUAGE in value:
        return value.get(lang) or value[DEFAULT_LANGUAGE]
    return value


def conflicts(card: RequirementsCard) -> list[Conflict]:
    """Every contradictory or impossible requirement on the card (empty when it is coherent).

    Checks: a zero latency, arrival rate or deadline; a batch window shorter than the
    fastest model needs for the batch; an edge model or memory budget smaller than any
    model; a metric that does not fit the problem type or a target outside its range;
    a novice-expert range the wrong way round or a target beyond the expert; and an
    explanation level no algorithm of the problem type gives.
    """
    found: list[Conflict] = []
    for check in (_speed_conflicts, _batch_conflicts, _edge_conflicts, _accuracy_conflicts,
                  _explanation_conflicts):
        found.extend(check(card))
    return found


def _conflict(path: str, key: str, **params: Any) -> Conflict:
    return Conflict(path, Message(f"requirements.conflict.{key}", params))


def _speed_conflicts(card: RequirementsCard) -> list[Conflict]:
    speed = card.speed
    if speed is None or speed.mode != "online":
        return []
    found = []
    if speed.latency_ms is not None and speed.latency_ms <= 0:
        found.append(_conflict("speed.latency_ms", "zero_latency", ms=_num(speed.latency_ms)))
    if speed.deadline_minutes is not None and speed.deadline_minutes <= 0:
        found.append(_conflict("speed.deadline_minutes", "zero_deadline",
                               minutes=_num(speed.deadline_minutes)))
    budget = latency_budget(card)
    floor = _fastest_latency_ms(card)
    if budget is not None and budget.source == "arrival" and budget.ms < floor:
        found.append(_conflict("speed.items_per_minute", "arrivals_too_fast",
                               items=_num(speed.items_per_minute), workers=workers(card),
                               per_item=_num(budget.ms), fastest=_num(floor)))
    return found


def _batch_conflicts(card: RequirementsCard) -> list[Conflict]:
    speed = card.speed
    if speed is None or speed.mode != "batch":
        return []
    if speed.window_minutes is not None and speed.window_minutes <= 0:
        return [_conflict("speed.window_minutes", "zero_window",
                          minutes=_num(speed.window_minutes))]
    window = batch_window(card)
    if window is None:
        return []
    items, minutes = window
    per_item = minutes * 60_000.0 * workers(card) / items
    fastest = _fastest_batch_ms(card)
    if per_item >= fastest:
        return []
    return [_conflict("speed.window_minutes", "window_too_short", items=f"{items:,}",
                      minutes=_num(minutes), per_item=_num(per_item), fastest=_num(fastest),
                      needed=_num(items * fastest / 60_000.0 / workers(card)))]


def _edge_conflicts(card: RequirementsCard) -> list[Conflict]:
    from core import cost_model

    env = card.environment
    if env is None:
        return []
    smallest = cost_model.smallest_model_mb(_features(card))
    found = []
    for name in ("max_model_mb", "max_memory_mb"):
        budget = getattr(env, name)
        if budget is not None and budget < smallest:
            found.append(_conflict(f"environment.{name}", f"{name}_too_small",
                                   mb=_num(budget), smallest=_num(smallest)))
    return found


def _accuracy_conflicts(card: RequirementsCard) -> list[Conflict]:
    accuracy = card.accuracy
    if accuracy is None:
        return []
    allowed = METRICS[card.problem_type]
    if accuracy.metric not in allowed:
        return [_conflict("accuracy.metric", "metric_for_task", metric=accuracy.metric,
                          problem_type=card.problem_type, metrics=", ".join(allowed))]
    found = []
    for name in ("target", "novice", "expert"):
        value = getattr(accuracy, name)
        if value is not None and not _in_range(accuracy.metric, value):
            found.append(_range_conflict(f"accuracy.{name}", accuracy.metric, value))
    return found or _range_order_conflicts(accuracy)


def _in_range(metric: str, value: float) -> bool:
    low, high = METRIC_RANGE.get(metric, (None, None))
    return (low is None or value >= low) and (high is None or value <= high)


def _range_conflict(path: str, metric: str, value: float) -> Conflict:
    low, high = METRIC_RANGE[metric]
    if high == 1.0 and 1 < value <= 100:
        suggestion = value / 100          # 80 for an F1 of 0.8 is the usual slip
    else:
        suggestion = high if high is not None and value > high else low
    return _conflict(path, "target_out_of_range", metric=metric, target=_num(value),
                     low=_num(low) if low is not None else "-∞",
                     high=_num(high) if high is not None else "∞", suggestion=_num(suggestion))


def _range_order_conflicts(accuracy: Accuracy) -> list[Conflict]:
    novice, expert, target = accuracy.novice, accuracy.expert, accuracy.target
    if novice is None or expert is None:
        return []
    sign = metric_direction(accuracy.metric)
    if sign * (expert - novice) < 0:
        return [_conflict("accuracy.expert", "novice_beats_expert", metric=accuracy.metric,
                          novice=_num(novice), expert=_num(expert))]
    if target is not None and sign * (target - expert) > 0:
        return [_conflict("accuracy.target", "target_beyond_expert", metric=accuracy.metric,
                          target=_num(target), expert=_num(expert))]
    return []


def _explanation_conflicts(card: RequirementsCard) -> list[Conflict]:
    from core.advisor import algorithm_facts

    owed = card.owed_explanation
    levels = [EXPLANATION_LEVELS.index(f.traits.explainability)
              for f in algorithm_facts(card.problem_type)]
    if not levels or max(levels) >= EXPLANATION_LEVELS.index(owed):
        return []
    best = EXPLANATION_LEVELS[max(levels)]
    return [_conflict("explanation", "explanation_unavailable",
                      level=Message(f"requirements.explanation.{owed}"),
                      problem_type=Message(f"requirements.problem.{card.problem_type}"),
                      best=Message(f"requirements.explanation.{best}"))]


def _features(card: RequirementsCard) -> int:
    return card.data.features if card.data is not None and card.data.features else 1


def _rows(card: RequirementsCard) -> int:
    return card.data.rows if card.data is not None and card.data.rows else 1


def _fastest_latency_ms(card: RequirementsCard) -> float:
    from core import cost_model
    from core.advisor import algorithm_facts

    estimates = [cost_model.latency_ms(f.id, 1, _features(card))
                 for f in algorithm_facts(card.problem_type) if cost_model.known(f.id)]
    return min((e for e in estimates if e is not None), default=0.0)


def _fastest_batch_ms(card: RequirementsCard) -> float:
    from core import cost_model
    from core.advisor import algorithm_facts

    ids = [f.id for f in algorithm_facts(card.problem_type)]
    return cost_model.fastest_batch_ms_per_item(ids, 1, _features(card))


def _num(value: float | int | None) -> str:
    """A number as people write it: 5, 0.25, 1,500, 0.0012."""
    if value is None:
        return "-"
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if abs(value) >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.2g}"


format_number = _num


# --- business value -----------------------------------------------------------------------

@dataclass(frozen=True)
class BusinessValue:
    """What a model is worth per period, by one of the chapter's formulas."""

    kind: str                      # "quality" | "cost" | "delivery"
    value: float
    inputs: dict[str, float] = field(default_factory=dict)

    def formula(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The formula with the numbers filled in, e.g. "(120 − 30) × 50,000 = 4,500,000"."""
        shown = {name: _num(number) for name, number in self.inputs.items()}
        return t(f"requirements.value.{self.kind}_formula", lang, value=_num(self.value),
                 **shown)


def _non_negative(**values: float) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise DojoError("requirements.bad_value_input", name=name, value=_shown(value))


def quality_value(claims_before: float, claims_after: float,
                  loss_per_claim: float) -> BusinessValue:
    """Quality: (claims before − claims after) × loss per claim."""
    _non_negative(claims_before=claims_before, claims_after=claims_after,
                  loss_per_claim=loss_per_claim)
    return BusinessValue("quality", (claims_before - claims_after) * loss_per_claim,
                         {"before": claims_before, "after": claims_after, "loss": loss_per_claim})


def cost_value(inspectors_before: float, inspectors_after: float, hours: float,
               hourly_wage: float) -> BusinessValue:
    """Cost: (inspectors before − inspectors after) × hours × hourly wage."""
    _non_negative(inspectors_before=inspectors_before, inspectors_after=inspectors_after,
                  hours=hours, hourly_wage=hourly_wage)
    return BusinessValue("cost", (inspectors_before - inspectors_after) * hours * hourly_wage,
                         {"before": inspectors_before, "after": inspectors_after, "hours": hours,
                          "wage": hourly_wage})


def delivery_value(time_before: float, time_after: float) -> BusinessValue:
    """Delivery: time before − time after (in the unit both are given in)."""
    _non_negative(time_before=time_before, time_after=time_after)
    return BusinessValue("delivery", time_before - time_after,
                         {"before": time_before, "after": time_after})


def quality_recall_target(claims_before: float, loss_per_claim: float,
                          value_needed: float) -> float:
    """The share of today's claims the model must prevent to be worth ``value_needed``.

    Preventing every claim is worth ``claims_before × loss_per_claim``; the model must
    catch ``value_needed`` of that, which is the recall it needs on the defective class.
    Raises DojoError when even a perfect model would not be worth it.
    """
    _non_negative(claims_before=claims_before, loss_per_claim=loss_per_claim,
                  value_needed=value_needed)
    best = claims_before * loss_per_claim
    if best <= 0 or value_needed > best:
        raise DojoError("requirements.value_unreachable", needed=_num(value_needed),
                        best=_num(best))
    return value_needed / best


def expert_range(metric: str, novice: float, expert: float, position: float = 0.0) -> Accuracy:
    """An accuracy target placed between a novice's and an expert's performance.

    ``position`` 0 asks the model to match a novice (the least that is useful), 1 to match
    an expert. Works for lower-is-better metrics too (the expert's error is lower).
    """
    if not 0.0 <= position <= 1.0:
        raise DojoError("requirements.bad_position", value=_shown(position))
    if metric_direction(metric) * (expert - novice) < 0:
        raise DojoError("requirements.conflict.novice_beats_expert", metric=metric,
                        novice=_num(novice), expert=_num(expert))
    target = novice + position * (expert - novice)
    return Accuracy(metric=metric, target=round(target, 6), novice=novice, expert=expert,
                    value_formula=f"{_num(novice)} … {_num(expert)}")


# --- business questions -------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionAnswer:
    """The problem type of a business question (None: outside this tool) and why."""

    question: str
    problem_type: str | None
    reason: Message


def problem_type_for(question: str) -> QuestionAnswer:
    """Map a business question (a key of ``BUSINESS_QUESTIONS``) to its problem type."""
    if question not in BUSINESS_QUESTIONS:
        raise DojoError("requirements.unknown_question", question=question,
                        known=", ".join(BUSINESS_QUESTIONS))
    return QuestionAnswer(question, BUSINESS_QUESTIONS[question],
                          Message(f"requirements.question_why.{question}"))


# --- the card in short form ---------------------------------------------------------------

def summary(card: RequirementsCard, lang: str = DEFAULT_LANGUAGE) -> str:
    """The card in one line for the top of every later page."""
    parts = [t(f"requirements.problem.{card.problem_type}", lang)]
    parts += [text for text in (_speed_summary(card, lang), _environment_summary(card, lang))
              if text]
    if card.explanation:
        parts.append(t(f"requirements.explanation.{card.explanation}", lang))
    if card.accuracy is not None and card.accuracy.target is not None:
        sign = "≥" if metric_direction(card.accuracy.metric) > 0 else "≤"
        parts.append(f"{metric_label(card.accuracy.metric, lang)} {sign} "
                     f"{_num(card.accuracy.target)}")
    if card.data is not None and card.data.rows:
        parts.append(t("requirements.summary.rows", lang, rows=_num(card.data.rows)))
    return " · ".join(parts)


def _speed_summary(card: RequirementsCard, lang: str) -> str:
    budget = latency_budget(card)
    if budget is not None:
        return t("requirements.summary.online", lang, ms=_num(budget.ms))
    window = batch_window(card)
    if window is not None:
        return t("requirements.summary.batch", lang, items=_num(window[0]),
                 minutes=_num(window[1]))
    return ""


def _environment_summary(card: RequirementsCard, lang: str) -> str:
    env = card.environment
    if env is None:
        return ""
    text = t(f"requirements.location.{env.location}", lang)
    budgets = [f"{_num(v)} MB" for v in (env.max_model_mb, env.max_memory_mb) if v is not None]
    return f"{text} ({' / '.join(budgets)})" if budgets else text


def metric_label(metric: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A metric's display name (the leaderboard's where it has one)."""
    for key in (f"eval.metric.{metric}", f"requirements.metric.{metric}"):
        if key in catalog():
            return t(key, lang)
    return metric
