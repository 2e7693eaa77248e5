"""The algorithm advisor: ranks algorithms against a requirements card and the data.

How it decides
--------------
Every algorithm of the catalog that can do the card's problem type is scored, from its
traits (the catalog is the single source of algorithm facts).

    score = prior × product of the factors of every reason

The *prior* is ``0.55 + 0.45 × TYPICAL_STRENGTH[id]``: how accurate the algorithm usually
is on tables, so that with no requirements the strongest learners lead. Each *rule* below
gives a reason with a verdict and a factor: ``meets`` keeps the score (1.0), ``risky``
lowers it a little (0.7–0.9), ``fails`` a lot (0.02–0.45, lower the further off). So a
single failed requirement sends an algorithm below any that meets everything. Ties keep
catalog order. Times, sizes and latencies come from ``core.cost_model`` (calibrated by
``benchmarks/calibrate_costs.py``) and are said to be estimates. The data size is the
card's ``data`` when stated, else the loaded data's profile, else 10,000 rows × 20
features, which the reasons then say they assumed.

Rules (requirement: what is checked)
- problem_type: the algorithm does the task (always meets); "advice only" when it cannot be
  trained yet; risky when it cannot transform new items (t-SNE).
- explanation: the level it gives by itself (catalog trait) against the level owed. Meets
  at or above it; one level short is risky (post-hoc tools such as SHAP can add it);
  two or more levels short, or anything short of readable rules when rules are owed, fails.
- speed (online): the estimated single-item latency against the tightest of the latency
  budget, the time between arrivals per worker and the deadline. Meets up to 0.8× the
  budget, risky up to 1.5×, fails beyond (graded). An algorithm that cannot transform new
  items fails.
- speed (batch): the estimated time for the batch (items × time per item ÷ workers)
  against the window, with the same thresholds.
- environment: on an edge device, the catalog's edge-friendliness; the estimated model
  size and inference memory against the stated budgets (same thresholds); with a GPU,
  whether the library can use it.
- data: estimated training time (risky over 10 minutes, fails over 2 hours); algorithms
  not built for large data are risky above 100,000 rows; flexible models are risky below
  500 rows; with a profile: heavy missing values (over 20%) are risky for models that need
  imputation, mostly categorical features are risky for distance-based models, and a rare
  class (under 10%) is risky for algorithms without class weights.
- accuracy: strong learners meet a stated target in the usual case; simpler ones are
  risky; a probability metric (log loss) fails for models without probabilities (SVM).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from core import catalog, cost_model
from core.catalog import EXPLANATION_LEVELS, Traits
from core.errors import DojoError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message, t
from core.profiling import DataProfile
from core.requirements import (RequirementsCard, batch_window, format_number, latency_budget,
                               metric_label, render, workers)

VERDICTS: tuple[str, ...] = ("meets", "risky", "fails")
ASSUMED_ROWS, ASSUMED_FEATURES = 10_000, 20
LARGE_ROWS = 100_000
SMALL_ROWS = 500
SLOW_TRAIN_SECONDS, TOO_SLOW_TRAIN_SECONDS = 600.0, 7200.0
MEETS_RATIO, RISKY_RATIO = 0.8, 1.5        # estimate / budget
HEAVY_MISSING, MOSTLY_CATEGORICAL, RARE_CLASS = 0.2, 0.5, 0.1
STRONG = 0.85                               # TYPICAL_STRENGTH from which accuracy "meets"

# How accurate each algorithm usually is on tabular data (0-1); the advisor's prior.
TYPICAL_STRENGTH: dict[str, float] = {
    "linear_regression": 0.70, "ridge": 0.72, "lasso": 0.72, "elastic_net": 0.72,
    "logistic_regression": 0.75, "naive_bayes": 0.60, "decision_tree": 0.65,
    "random_forest": 0.88, "knn": 0.70, "svm": 0.82, "mlp": 0.80, "xgboost": 0.95,
    "lightgbm": 0.95, "hist_gradient_boosting": 0.93,
    "kmeans": 0.80, "gaussian_mixture": 0.78, "pca": 0.85, "truncated_svd": 0.80,
    "nmf": 0.75, "lda": 0.70, "lle": 0.65, "tsne": 0.72,
}
# Libraries with a GPU build.
GPU_LIBRARIES = frozenset({"xgboost", "lightgbm"})


@dataclass(frozen=True)
class AlgorithmFacts:
    """What the advisor knows about one algorithm, from the catalog or the table below."""

    id: str
    names: dict[str, str]
    summary: dict[str, str]
    tasks: tuple[str, ...]
    library: str
    traits: Traits
    trainable: bool
    serves_new_data: bool = True     # can transform or predict items it was not fitted on
    class_weights: bool = False
    probabilities: bool = True


def _catalog_facts(spec: catalog.AlgorithmSpec) -> AlgorithmFacts:
    has_weights = any(hp.name == "class_weight" for hp in spec.hyperparameters)
    return AlgorithmFacts(
        spec.id, dict(spec.names), dict(spec.summary), spec.tasks, spec.library, spec.traits,
        trainable=True, serves_new_data=spec.traits.serves_new_data,
        class_weights=has_weights, probabilities=spec.id != "svm")


def algorithm_facts(task: str) -> list[AlgorithmFacts]:
    """Every algorithm of the catalog that can do ``task``, in catalog order."""
    return [_catalog_facts(spec) for spec in catalog.ALGORITHMS.values()
            if task in spec.tasks and not spec.is_baseline]


# --- reasons and recommendations -----------------------------------------------------------

@dataclass
class Reason:
    """Why an algorithm meets, risks or fails one requirement."""

    requirement: str
    verdict: str
    messages: list[Message]
    factor: float = 1.0

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return " ".join(render(message, lang) for message in self.messages)


@dataclass
class Recommendation:
    """One ranked algorithm: its score in [0, 1] and a reason per requirement."""

    id: str
    names: dict[str, str]
    score: float
    reasons: list[Reason]
    trainable: bool
    summary: dict[str, str] = field(default_factory=dict)
    lang: str = DEFAULT_LANGUAGE

    def name(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        return self.names.get(lang) or self.names.get("en", self.id)

    def verdict(self) -> str:
        """The worst verdict among the reasons."""
        worst = max((VERDICTS.index(r.verdict) for r in self.reasons), default=0)
        return VERDICTS[worst]


def _reason(requirement: str, verdict: str, factor: float, key: str,
            **params: Any) -> Reason:
    return Reason(requirement, verdict, [Message(f"advisor.{key}", params)], factor)


def _name(facts: AlgorithmFacts) -> dict[str, str]:
    # The display name travels by language so that it follows the language of the text.
    return dict(facts.names)


# --- the context the rules read --------------------------------------------------------------

@dataclass(frozen=True)
class DataFacts:
    """The data size and shape the rules judge against."""

    rows: int
    features: int
    assumed: bool                       # True when neither the card nor a profile said
    stated: bool                        # True when rows came from the card or a profile
    missing_share: float | None = None
    categorical_share: float | None = None
    minority_share: float | None = None


def data_facts(card: RequirementsCard, profile: DataProfile | None = None) -> DataFacts:
    """Rows and features from the card (what production will see), else the profile."""
    rows = card.data.rows if card.data is not None and card.data.rows else None
    features = card.data.features if card.data is not None and card.data.features else None
    shape: dict[str, float | None] = {}
    if profile is not None:
        rows = rows or profile.rows
        features = features or len(profile.features)
        shape = _profile_shape(profile)
    return DataFacts(rows=rows or ASSUMED_ROWS, features=features or ASSUMED_FEATURES,
                     assumed=rows is None or features is None, stated=rows is not None,
                     **shape)


def _profile_shape(profile: DataProfile) -> dict[str, float | None]:
    columns = [c for c in profile.columns if c.is_feature]
    if not columns:
        return {}
    missing = sum(c.missing_share for c in columns) / len(columns)
    categorical = sum(c.role == "categorical" for c in columns) / len(columns)
    minority = None
    if profile.task is not None and profile.task.task == "classification":
        counts = [int(v) for v in profile.target_distribution.values()]
        minority = min(counts) / sum(counts) if counts and sum(counts) else None
    return {"missing_share": missing, "categorical_share": categorical,
            "minority_share": minority}


@dataclass(frozen=True)
class Context:
    card: RequirementsCard
    data: DataFacts

    def size_note(self) -> list[Message]:
        """Said after any estimate that depends on an assumed data size."""
        if not self.data.assumed:
            return []
        return [Message("advisor.assumed_size", {"rows": format_number(self.data.rows),
                                                 "features": self.data.features})]


Rule = Callable[[AlgorithmFacts, Context], list[Reason]]


# --- rules -----------------------------------------------------------------------------------

def rule_problem_type(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    """Always meets (only fitting algorithms are scored); notes advice-only and t-SNE."""
    task = Message(f"requirements.problem.{ctx.card.problem_type}")
    reason = _reason("problem_type", "meets", 1.0, "problem.meets", name=_name(facts), task=task)
    if not facts.trainable:
        reason.messages.append(Message("advisor.problem.not_trainable"))
    if not facts.serves_new_data:
        reason.verdict, reason.factor = "risky", 0.8
        reason.messages.append(Message("advisor.problem.no_new_items"))
    return [reason]


def rule_explanation(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    """The level the algorithm gives against the one owed (see the module docstring)."""
    owed = ctx.card.explanation
    if owed is None:
        return []
    gives = facts.traits.explainability
    gap = EXPLANATION_LEVELS.index(owed) - EXPLANATION_LEVELS.index(gives)
    params = {"name": _name(facts), "gives": Message(f"requirements.explanation.{gives}"),
              "owed": Message(f"requirements.explanation.{owed}")}
    if gap <= 0:
        return [_reason("explanation", "meets", 1.0, "explanation.meets", **params)]
    if gap == 1 and owed != "rules":
        return [_reason("explanation", "risky", 0.75, "explanation.risky", **params)]
    return [_reason("explanation", "fails", 0.3, "explanation.fails", **params)]


def _judge(estimate: float, budget: float) -> tuple[str, float]:
    """Verdict and factor of an estimate against a budget (thresholds in the docstring)."""
    ratio = estimate / budget if budget > 0 else float("inf")
    if ratio <= MEETS_RATIO:
        return "meets", 1.0
    if ratio <= RISKY_RATIO:
        return "risky", 0.75
    # Graded by the square root, so 10x over still ranks above 100x over.
    return "fails", max(0.02, min(0.45, 0.45 * math.sqrt(RISKY_RATIO / ratio)))


def _row_dependent(algorithm_id: str, part: str) -> bool:
    cost = cost_model.constants()[2].get(algorithm_id)
    law = getattr(cost, part, None)
    return law is not None and "rows" in law[0]


def rule_speed(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    """Online latency against the tightest budget, or batch time against the window."""
    if not cost_model.known(facts.id):
        return []
    budget = latency_budget(ctx.card)
    if budget is not None:
        return [_online_reason(facts, ctx, budget)]
    window = batch_window(ctx.card)
    if window is not None:
        return [_batch_reason(facts, ctx, *window)]
    return []


def _online_reason(facts: AlgorithmFacts, ctx: Context, budget: Any) -> Reason:
    rows, features = ctx.data.rows, ctx.data.features
    estimate = cost_model.latency_ms(facts.id, rows, features)
    if estimate is None or not facts.serves_new_data:
        return _reason("speed", "fails", 0.1, "speed.no_new_items", name=_name(facts))
    verdict, factor = _judge(estimate, budget.ms)
    scans = _row_dependent(facts.id, "latency")
    how = Message(f"advisor.how.{'support_vectors' if facts.id == 'svm' else 'training_set'}")
    reason = _reason("speed", verdict, factor,
                     f"speed.{'scan' if scans else 'online'}_{verdict}", name=_name(facts),
                     ms=format_number(estimate), rows=format_number(rows),
                     budget=_budget_message(ctx.card, budget), how=how)
    reason.messages.extend(ctx.size_note() if scans else [])
    return reason


def _budget_message(card: RequirementsCard, budget: Any) -> Message:
    speed = card.speed
    if budget.source == "arrival":
        return Message("advisor.budget.arrival", {
            "ms": format_number(budget.ms), "items": format_number(speed.items_per_minute),
            "workers": workers(card)})
    if budget.source == "deadline":
        return Message("advisor.budget.deadline",
                       {"minutes": format_number(speed.deadline_minutes)})
    return Message("advisor.budget.latency", {"ms": format_number(budget.ms)})


def _batch_reason(facts: AlgorithmFacts, ctx: Context, items: int, window: float) -> Reason:
    per_item = cost_model.batch_ms_per_item(facts.id, ctx.data.rows, ctx.data.features)
    minutes = items * per_item / workers(ctx.card) / 60_000.0
    verdict, factor = _judge(minutes, window)
    reason = _reason("speed", verdict, factor, f"speed.batch_{verdict}", name=_name(facts),
                     time=duration(minutes * 60), items=format_number(items),
                     window=duration(window * 60))
    reason.messages.extend(ctx.size_note() if _row_dependent(facts.id, "batch") else [])
    return reason


def rule_environment(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    """Edge-friendliness, model size and memory against the budgets, GPU use."""
    env = ctx.card.environment
    if env is None:
        return []
    reasons = []
    if env.location == "edge":
        friendly = facts.traits.edge_friendly and facts.traits.inference_cost != "high"
        reasons.append(_reason("environment", "meets" if friendly else "risky",
                               1.0 if friendly else 0.7,
                               f"environment.edge_{'meets' if friendly else 'risky'}",
                               name=_name(facts)))
    reasons += _budget_reasons(facts, ctx)
    if env.gpu and facts.library in GPU_LIBRARIES:
        reasons.append(_reason("environment", "meets", 1.0, "environment.gpu",
                               name=_name(facts)))
    return reasons


def _budget_reasons(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    env, rows, features = ctx.card.environment, ctx.data.rows, ctx.data.features
    if not cost_model.known(facts.id):
        return []
    items = batch_window(ctx.card)[0] if batch_window(ctx.card) else 1
    checks = (("max_model_mb", "size", cost_model.model_mb(facts.id, rows, features)),
              ("max_memory_mb", "memory",
               cost_model.memory_mb(facts.id, rows, features, min(items, 10_000))))
    reasons = []
    for budget_name, what, estimate in checks:
        budget = getattr(env, budget_name)
        if budget is None:
            continue
        verdict, factor = _judge(estimate, budget)
        reason = _reason("environment", verdict, factor, f"environment.{what}_{verdict}",
                         name=_name(facts), mb=_mb(estimate), budget=format_number(budget))
        reason.messages.extend(ctx.size_note() if _row_dependent(facts.id, "size") else [])
        reasons.append(reason)
    return reasons


def rule_data(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    """Training time, data size, missing values, categories and class balance."""
    reasons = _size_reasons(facts, ctx) if ctx.data.stated else []
    return reasons + _shape_reasons(facts, ctx.data)


def _size_reasons(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    rows, features = ctx.data.rows, ctx.data.features
    reasons = []
    if cost_model.known(facts.id):
        seconds = cost_model.train_seconds(facts.id, rows, features)
        verdict, factor, key = (("meets", 1.0, "train_meets") if seconds <= SLOW_TRAIN_SECONDS
                                else ("risky", 0.7, "train_risky")
                                if seconds <= TOO_SLOW_TRAIN_SECONDS
                                else ("fails", 0.3, "train_fails"))
        reasons.append(_reason("data", verdict, factor, f"data.{key}", name=_name(facts),
                               time=duration(seconds), rows=format_number(rows),
                               features=features))
    if rows > LARGE_ROWS and not facts.traits.scales_to_large_data:
        reasons.append(_reason("data", "risky", 0.7, "data.large", name=_name(facts),
                               rows=format_number(rows)))
    flexible = facts.id in ("mlp", "xgboost", "lightgbm", "hist_gradient_boosting")
    if rows < SMALL_ROWS and flexible:
        reasons.append(_reason("data", "risky", 0.85, "data.small", name=_name(facts),
                               rows=format_number(rows)))
    return reasons


def _shape_reasons(facts: AlgorithmFacts, data: DataFacts) -> list[Reason]:
    reasons = []
    traits, name = facts.traits, _name(facts)
    if data.missing_share and data.missing_share > 0:
        if traits.native_missing:
            reasons.append(_reason("data", "meets", 1.0, "data.missing_native", name=name))
        elif data.missing_share > HEAVY_MISSING:
            reasons.append(_reason("data", "risky", 0.85, "data.missing_heavy", name=name,
                                   share=_percent(data.missing_share)))
    if data.categorical_share and data.categorical_share > MOSTLY_CATEGORICAL:
        if traits.native_categorical:
            reasons.append(_reason("data", "meets", 1.0, "data.categorical_native", name=name))
        elif traits.needs_scaling:
            reasons.append(_reason("data", "risky", 0.85, "data.categorical_distance",
                                   name=name, share=_percent(data.categorical_share)))
    if data.minority_share is not None and data.minority_share < RARE_CLASS:
        weighted = facts.class_weights
        reasons.append(_reason("data", "meets" if weighted else "risky",
                               1.0 if weighted else 0.8,
                               f"data.rare_class_{'meets' if weighted else 'risky'}",
                               name=name, share=_percent(data.minority_share)))
    return reasons


def rule_accuracy(facts: AlgorithmFacts, ctx: Context) -> list[Reason]:
    """Typical strength against a stated target; probability metrics need probabilities."""
    accuracy = ctx.card.accuracy
    if accuracy is None or accuracy.target is None:
        return []
    metric = {lang: metric_label(accuracy.metric, lang) for lang in LANGUAGES}
    params = {"name": _name(facts), "metric": metric, "target": format_number(accuracy.target)}
    if accuracy.metric == "log_loss" and not facts.probabilities:
        return [_reason("accuracy", "fails", 0.3, "accuracy.no_probabilities", **params)]
    if TYPICAL_STRENGTH.get(facts.id, 0.7) >= STRONG:
        return [_reason("accuracy", "meets", 1.0, "accuracy.strong", **params)]
    return [_reason("accuracy", "risky", 0.85, "accuracy.simple", **params)]


RULES: tuple[Rule, ...] = (rule_problem_type, rule_explanation, rule_speed, rule_environment,
                           rule_data, rule_accuracy)


# --- ranking -----------------------------------------------------------------------------------

def prior(algorithm_id: str) -> float:
    """The score before any requirement: how accurate the algorithm usually is on tables."""
    return 0.55 + 0.45 * TYPICAL_STRENGTH.get(algorithm_id, 0.7)


def recommend(facts: AlgorithmFacts, ctx: Context, lang: str = DEFAULT_LANGUAGE) -> Recommendation:
    """Score one algorithm: its prior times the factor of every reason."""
    reasons = [reason for rule in RULES for reason in rule(facts, ctx)]
    score = prior(facts.id)
    for reason in reasons:
        score *= reason.factor
    return Recommendation(facts.id, facts.names, round(min(max(score, 0.0), 1.0), 4), reasons,
                          facts.trainable, facts.summary, lang)


def advise(card: RequirementsCard, profile: DataProfile | None = None,
           lang: str = DEFAULT_LANGUAGE) -> list[Recommendation]:
    """Every algorithm for the card's problem type, best first, each with its reasons.

    Parameters
    ----------
    card : RequirementsCard
        The requirements; only the problem type is required.
    profile : DataProfile, optional
        The loaded data's profile: its size (unless the card states one), missing values,
        categorical share and class balance feed the data rules.
    lang : str
        Language of the reason texts (``Reason.text()`` can render any other).
    """
    ctx = Context(card, data_facts(card, profile))
    ranked = [recommend(facts, ctx, lang) for facts in algorithm_facts(card.problem_type)]
    return sorted(ranked, key=lambda rec: -rec.score)   # stable: ties keep catalog order


def top_picks(recs: list[Recommendation], count: int = 3) -> list[str]:
    """The ids of the best ``count`` trainable algorithms that fail no requirement.

    Falls back to the best trainable ones when every algorithm fails something.
    """
    trainable = [rec for rec in recs if rec.trainable]
    passing = [rec.id for rec in trainable if rec.verdict() != "fails"]
    return (passing or [rec.id for rec in trainable])[:count]


# --- output --------------------------------------------------------------------------------------

def to_records(recs: list[Recommendation], lang: str | None = None) -> list[dict[str, Any]]:
    """The ranked list as DESIGN.md's ``advise --json`` records."""
    return [{"id": rec.id, "score": round(rec.score, 2),
             "reasons": [{"requirement": r.requirement, "verdict": r.verdict,
                          "text": r.text(lang or rec.lang)} for r in rec.reasons]}
            for rec in recs]


def to_json(recs: list[Recommendation], lang: str | None = None) -> str:
    """``advise --json`` output: the records as indented JSON."""
    return json.dumps(to_records(recs, lang), ensure_ascii=False, indent=2)


MARKS: dict[str, str] = {"meets": "✓", "risky": "!", "fails": "✗"}


def format_table(recs: list[Recommendation], lang: str = DEFAULT_LANGUAGE) -> str:
    """A readable ranking for the terminal: one line per algorithm, its reasons below."""
    header = (f"{'#':>2}  {_pad(t('advisor.table.algorithm', lang), 44)} "
              f"{t('advisor.table.score', lang)}")
    lines = [header, "-" * 56]
    for rank, rec in enumerate(recs, 1):
        note = f" ({t('advisor.table.advice_only', lang)})" if not rec.trainable else ""
        lines.append(f"{rank:>2}  {_pad(rec.name(lang) + note, 44)} {rec.score:>5.2f}")
        for reason in rec.reasons:
            label = t(f"advisor.requirement.{reason.requirement}", lang)
            lines.append(f"      {MARKS[reason.verdict]} {label}: {reason.text(lang)}")
    lines += ["", t("advisor.table.legend", lang), t("advisor.estimates_note", lang)]
    return "\n".join(lines)


# --- the command ---------------------------------------------------------------------------------

def advise_command(requirements_path: str | None, data_path: str | None, target: str | None,
                   as_json: bool, lang: str = DEFAULT_LANGUAGE) -> tuple[int, str]:
    """``python -m core advise``: (exit code, text to print).

    0 with the ranking; 2 with a one-line message for bad input (a malformed card, data
    that cannot be read, or requirements that contradict each other).
    """
    from core.requirements import conflicts, load_card

    try:
        card = load_card(requirements_path) if requirements_path else None
        profile = _profile_for(card, data_path, target)
        card = card or _card_from_profile(profile)
    except DojoError as exc:
        return 2, exc.message(lang)
    problems = conflicts(card)
    if problems:
        return 2, " ".join(problem.text(lang) for problem in problems)
    recs = advise(card, profile, lang)
    return 0, to_json(recs, lang) if as_json else format_table(recs, lang)


def _profile_for(card: RequirementsCard | None, data_path: str | None,
                 target: str | None) -> DataProfile | None:
    from core.data import load_table
    from core.profiling import profile_frame

    if data_path is None:
        if card is None:
            raise DojoError("advisor.nothing_to_advise")
        return None
    task = card.problem_type if card is not None else "auto"
    if target is None and task in ("auto", "classification", "regression"):
        raise DojoError("advisor.target_needed")
    return profile_frame(load_table(data_path).frame, target, task)


def _card_from_profile(profile: DataProfile | None) -> RequirementsCard:
    """Without a card, the problem type comes from the data (its target)."""
    if profile is None or profile.task is None:
        raise DojoError("advisor.nothing_to_advise")
    return RequirementsCard(problem_type=profile.task.task)


# --- small formatting helpers -----------------------------------------------------------------

def duration(seconds: float) -> Message:
    """A time span as a translatable message in the largest fitting unit."""
    for unit, size in (("days", 86_400), ("hours", 3_600), ("minutes", 60)):
        if seconds >= size * (1.5 if unit == "days" else 1):
            return Message(f"advisor.unit.{unit}", {"n": format_number(round(seconds / size, 1))})
    return Message("advisor.unit.seconds", {"n": format_number(round(seconds, 1 if seconds < 10
                                                                      else 0))})


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (Japanese characters take two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


def _mb(value: float) -> str:
    return format_number(round(value, 3) if value < 1 else round(value, 1))


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"
