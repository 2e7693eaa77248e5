"""The requirements scorecard: each trained candidate measured against the card.

For every successfully trained candidate (baselines excluded), one line per stated
requirement, each passed or failed with the measured and the required number:

- latency: p95 single-item latency against the tightest online budget (latency, time
  between arrivals per worker, deadline), measured with the thread count of the stated
  environment: when the card's ``cpu_cores`` differs from the threads training used, the
  latency is measured again under that limit;
- batch: the time for the stated batch (items ÷ rows per second ÷ workers) against the
  window, rows per second re-measured under the stated thread count when it differs;
- model_size: the saved model's size against ``max_model_mb``;
- memory: the loaded model plus the peak memory of one prediction (a batch of the stated
  size, at most ``MEMORY_ROWS`` rows; one row online) against ``max_memory_mb``. The peak
  is taken with tracemalloc, which sees Python and NumPy allocations, not the private
  buffers of native libraries (XGBoost, LightGBM), so treat it as a lower bound there;
- explanation: the level the algorithm gives against the level owed;
- accuracy: the validation metric against the target.

``price_of_explainability`` sets the best candidate that gives the explanation owed
beside the best overall, each with whether it meets the accuracy target.
No plotting here: pages render ``Scorecard.to_dict()`` or ``scorecard_rows``.
"""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pandas as pd

from core import catalog
from core.catalog import EXPLANATION_LEVELS
from core.evaluation import PRIMARY_METRIC, measure_latency
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message, t
from core.requirements import (RequirementsCard, batch_window, format_number, latency_budget,
                               meets_target, metric_direction, metric_label, render, threads,
                               workers)

MEMORY_ROWS = 1000
LATENCY_ROWS = 100
BYTES_PER_MB = 1024 * 1024


@dataclass
class ScoreLine:
    """One requirement checked on one candidate; ``passed`` is None when not measurable."""

    requirement: str        # latency | batch | model_size | memory | explanation | accuracy
    passed: bool | None
    measured: float | str | None
    required: float | str | None
    unit: str
    message: Message

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return render(self.message, lang)

    def to_dict(self) -> dict[str, Any]:
        return {"requirement": self.requirement, "passed": self.passed,
                "measured": self.measured, "required": self.required, "unit": self.unit,
                "text": {lang: self.text(lang) for lang in LANGUAGES}}


@dataclass
class Scorecard:
    """A candidate's pass/fail against every stated requirement."""

    key: str
    algorithm_id: str
    name: dict[str, str]
    threads: int
    lines: list[ScoreLine] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when no line failed (lines that could not be measured do not count)."""
        return all(line.passed is not False for line in self.lines)

    def line(self, requirement: str) -> ScoreLine | None:
        return next((line for line in self.lines if line.requirement == requirement), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, as stored in the bundle's metadata."""
        return {"candidate": self.key, "algorithm": self.algorithm_id, "name": dict(self.name),
                "threads": self.threads, "passed": self.passed,
                "lines": [line.to_dict() for line in self.lines]}


# --- measuring under a thread limit ----------------------------------------------------------

def _parallel_parts(obj: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every estimator inside ``obj`` (pipelines, column transformers, wrappers)."""
    seen = set() if seen is None else seen
    if id(obj) in seen or not hasattr(obj, "get_params"):
        return
    seen.add(id(obj))
    yield obj
    children = [step for _, step in getattr(obj, "steps", [])]
    children += [step for _, step, _ in getattr(obj, "transformers_", [])]
    children += list(getattr(obj, "estimators_", []) or [])
    for child in children:
        yield from _parallel_parts(child, seen)


@contextlib.contextmanager
def thread_limit(pipeline: Any, count: int) -> Iterator[None]:
    """Run with at most ``count`` threads: the estimators' ``n_jobs`` and native pools.

    ``n_jobs`` is set on every part that has one and restored afterwards; threadpoolctl
    caps the BLAS and OpenMP pools that LightGBM, XGBoost and NumPy use underneath.
    """
    from threadpoolctl import threadpool_limits

    changed = []
    for part in _parallel_parts(pipeline):
        params = part.get_params(deep=False)
        if "n_jobs" in params:
            changed.append((part, params["n_jobs"]))
            part.set_params(n_jobs=count)
    try:
        with threadpool_limits(limits=count):
            yield
    finally:
        for part, old in changed:
            part.set_params(n_jobs=old)


def rows_per_second(pipeline: Any, X: pd.DataFrame) -> float:
    """Rows predicted per second in one batch call (best of two, after a warm-up)."""
    pipeline.predict(X.head(5))
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        pipeline.predict(X)
        best = min(best, time.perf_counter() - start)
    return len(X) / max(best, 1e-9)


def peak_inference_mb(pipeline: Any, X: pd.DataFrame,
                      call: Callable[[pd.DataFrame], Any] | None = None) -> float:
    """Peak memory (MB) Python and NumPy allocate while predicting ``X`` in one call.

    A warm-up call first, so one-off imports and caches are not counted.
    """
    call = call or pipeline.predict
    call(X.head(1))
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    try:
        call(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(peak - before, 0) / BYTES_PER_MB


# --- the lines -------------------------------------------------------------------------------

def _line(requirement: str, passed: bool | None, measured: Any, required: Any, unit: str,
          key: str, **params: Any) -> ScoreLine:
    return ScoreLine(requirement, passed, measured, required, unit,
                     Message(f"scorecard.{key}", params))


def _outcome(passed: bool) -> str:
    return "pass" if passed else "fail"


def _latency_line(result: Any, card: RequirementsCard, X: pd.DataFrame | None,
                  env_threads: int, train_threads: int) -> ScoreLine | None:
    budget = latency_budget(card)
    if budget is None:
        return None
    p95 = result.timings.get("latency_p95_ms")
    if env_threads != train_threads and X is not None and len(X):
        with thread_limit(result.pipeline, env_threads):
            p95 = measure_latency(result.pipeline, X, max_rows=LATENCY_ROWS,
                                  budget_seconds=1.0).get("latency_p95_ms", p95)
    if p95 is None:
        return _line("latency", None, None, budget.ms, "ms", "not_measured")
    passed = p95 <= budget.ms
    return _line("latency", passed, round(p95, 3), round(budget.ms, 3), "ms",
                 f"latency_{_outcome(passed)}", ms=format_number(p95),
                 budget=format_number(budget.ms), threads=env_threads)


def _batch_line(result: Any, card: RequirementsCard, X: pd.DataFrame | None,
                env_threads: int, train_threads: int) -> ScoreLine | None:
    window = batch_window(card)
    if window is None:
        return None
    items, minutes = window
    speed = result.timings.get("rows_per_second")
    if env_threads != train_threads and X is not None and len(X):
        with thread_limit(result.pipeline, env_threads):
            speed = rows_per_second(result.pipeline, X)
    if not speed:
        return _line("batch", None, None, minutes, "min", "not_measured")
    needed = items / speed / workers(card) / 60.0
    passed = needed <= minutes
    return _line("batch", passed, round(needed, 4), minutes, "min", f"batch_{_outcome(passed)}",
                 items=format_number(items), needed=format_number(needed),
                 window=format_number(minutes), threads=env_threads)


def _size_line(result: Any, card: RequirementsCard) -> ScoreLine | None:
    env = card.environment
    if env is None or env.max_model_mb is None:
        return None
    size_mb = result.model_size_bytes / BYTES_PER_MB
    passed = size_mb <= env.max_model_mb
    return _line("model_size", passed, round(size_mb, 4), env.max_model_mb, "MB",
                 f"size_{_outcome(passed)}", mb=format_number(round(size_mb, 3)),
                 budget=format_number(env.max_model_mb))


def _memory_line(result: Any, card: RequirementsCard, X: pd.DataFrame | None) -> ScoreLine | None:
    env = card.environment
    if env is None or env.max_memory_mb is None:
        return None
    if X is None or not len(X):
        return _line("memory", None, None, env.max_memory_mb, "MB", "not_measured")
    window = batch_window(card)
    batch = X.head(min(window[0] if window else 1, MEMORY_ROWS))
    peak = peak_inference_mb(result.pipeline, batch)
    total = result.model_size_bytes / BYTES_PER_MB + peak
    passed = total <= env.max_memory_mb
    return _line("memory", passed, round(total, 4), env.max_memory_mb, "MB",
                 f"memory_{_outcome(passed)}", mb=format_number(round(total, 3)),
                 peak=format_number(round(peak, 3)), rows=len(batch),
                 budget=format_number(env.max_memory_mb))


def explanation_level(algorithm_id: str) -> str:
    """The explanation an algorithm gives by itself (catalog trait)."""
    return catalog.get(algorithm_id).traits.explainability


def gives_explanation(algorithm_id: str, owed: str) -> bool:
    return (EXPLANATION_LEVELS.index(explanation_level(algorithm_id))
            >= EXPLANATION_LEVELS.index(owed))


def _explanation_line(result: Any, card: RequirementsCard) -> ScoreLine | None:
    if card.explanation is None:
        return None
    gives = explanation_level(result.algorithm_id)
    passed = gives_explanation(result.algorithm_id, card.explanation)
    return _line("explanation", passed, gives, card.explanation, "level",
                 f"explanation_{_outcome(passed)}",
                 gives=Message(f"requirements.explanation.{gives}"),
                 owed=Message(f"requirements.explanation.{card.explanation}"))


def _accuracy_line(result: Any, card: RequirementsCard) -> ScoreLine | None:
    accuracy = card.accuracy
    if accuracy is None or accuracy.target is None:
        return None
    metric = accuracy.metric
    label = {lang: metric_label(metric, lang) for lang in LANGUAGES}
    value = result.metrics.get("validation", {}).get(metric)
    if value is None:
        return _line("accuracy", None, None, accuracy.target, metric, "accuracy_not_measured",
                     metric=label)
    passed = meets_target(metric, value, accuracy.target)
    return _line("accuracy", passed, round(float(value), 6), accuracy.target, metric,
                 f"accuracy_{_outcome(passed)}", metric=label, value=format_number(value),
                 target=format_number(accuracy.target))


# --- building -------------------------------------------------------------------------------

def score_candidate(result: Any, card: RequirementsCard, setup: Any = None) -> Scorecard:
    """The scorecard of one trained candidate (a ``CandidateResult``).

    ``setup`` (the ``TrainingSetup`` it was trained on) supplies rows for re-measuring
    latency, throughput and memory; without it those lines use the training timings or
    say they could not be measured.
    """
    train_threads = getattr(setup, "n_jobs", None) or threads(card, 1)
    env_threads = threads(card, train_threads)
    X = setup.part("validation")[0] if setup is not None else None
    lines = [_latency_line(result, card, X, env_threads, train_threads),
             _batch_line(result, card, X, env_threads, train_threads),
             _size_line(result, card), _memory_line(result, card, X),
             _explanation_line(result, card), _accuracy_line(result, card)]
    return Scorecard(result.key, result.algorithm_id, dict(result.name), env_threads,
                     [line for line in lines if line is not None])


def build_scorecards(results: list[Any], card: RequirementsCard,
                     setup: Any = None) -> list[Scorecard]:
    """Scorecards of every successful non-baseline candidate, in the order given."""
    return [score_candidate(result, card, setup) for result in results
            if result.ok and not result.is_baseline]


# --- the price of explainability -----------------------------------------------------------

@dataclass
class Pick:
    """One candidate in the price-of-explainability comparison."""

    key: str
    algorithm_id: str
    name: dict[str, str]
    value: float
    explanation: str
    meets_target: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"candidate": self.key, "algorithm": self.algorithm_id, "name": dict(self.name),
                "value": self.value, "explanation": self.explanation,
                "meets_target": self.meets_target}


@dataclass
class ExplainabilityPrice:
    """The best candidate that gives the explanation owed, beside the best overall."""

    metric: str
    owed: str
    target: float | None
    best_overall: Pick | None
    best_explainable: Pick | None

    @property
    def cost(self) -> float | None:
        """How much of the metric the explanation costs (0 when the best already explains)."""
        if self.best_overall is None or self.best_explainable is None:
            return None
        gap = self.best_overall.value - self.best_explainable.value
        return round(metric_direction(self.metric) * gap, 6)

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "owed": self.owed, "target": self.target,
                "best_overall": self.best_overall.to_dict() if self.best_overall else None,
                "best_explainable": (self.best_explainable.to_dict()
                                     if self.best_explainable else None),
                "cost": self.cost}

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return render(price_message(self), lang)


def _pick(result: Any, metric: str, target: float | None) -> Pick:
    value = float(result.metrics["validation"][metric])
    return Pick(result.key, result.algorithm_id, dict(result.name), value,
                explanation_level(result.algorithm_id),
                None if target is None else meets_target(metric, value, target))


def _card_metric(results: list[Any], card: RequirementsCard) -> str:
    """The card's metric when the candidates report it, else the task's primary metric."""
    metric = card.accuracy.metric if card.accuracy is not None else None
    measured = any(r.ok and r.metrics.get("validation", {}).get(metric) is not None
                   for r in results)
    return metric if metric and measured else PRIMARY_METRIC.get(card.problem_type, "")


def price_of_explainability(results: list[Any], card: RequirementsCard) -> ExplainabilityPrice:
    """The best candidate meeting the explanation requirement beside the best overall.

    Both are judged by the card's metric on the validation part, and each says whether
    it meets the card's target (None when the card states none).
    """
    from core.training import best_candidate

    metric = _card_metric(results, card)
    target = card.accuracy.target if card.accuracy is not None else None
    owed = card.owed_explanation
    overall = best_candidate(results, card.problem_type, metric) if metric else None
    explainable = [r for r in results if r.ok and not r.is_baseline
                   and gives_explanation(r.algorithm_id, owed)]
    best_explainable = best_candidate(explainable, card.problem_type, metric) if metric else None
    return ExplainabilityPrice(metric, owed, target,
                               _pick(overall, metric, target) if overall else None,
                               _pick(best_explainable, metric, target) if best_explainable
                               else None)


def price_message(price: ExplainabilityPrice) -> Message:
    """One sentence: what the owed explanation costs in the metric, if anything."""
    label = {lang: metric_label(price.metric, lang) for lang in LANGUAGES}
    owed = Message(f"requirements.explanation.{price.owed}")
    overall, explainable = price.best_overall, price.best_explainable
    if overall is None:
        return Message("scorecard.price.nothing_trained")
    if explainable is None:
        return Message("scorecard.price.none_explains", {"owed": owed, "best": overall.name,
                                                        "metric": label})
    if explainable.key == overall.key:
        return Message("scorecard.price.free", {"best": overall.name, "owed": owed,
                                                "metric": label,
                                                "value": format_number(overall.value)})
    return Message("scorecard.price.cost", {
        "best": overall.name, "value": format_number(overall.value), "owed": owed,
        "explainable": explainable.name, "explainable_value": format_number(explainable.value),
        "metric": label, "cost": format_number(price.cost)})


# --- display helpers -------------------------------------------------------------------------

MARKS: dict[bool | None, str] = {True: "✓", False: "✗", None: "–"}


def scorecard_rows(scorecards: list[Scorecard],
                   lang: str = DEFAULT_LANGUAGE) -> list[dict[str, str]]:
    """One row per candidate, one column per requirement ("✓ 3.1 ms ≤ 5 ms"), for a table."""
    rows = []
    for card in scorecards:
        row = {t("scorecard.col.candidate", lang): card.name.get(lang) or card.key,
               t("scorecard.col.overall", lang): MARKS[card.passed]}
        for line in card.lines:
            row[t(f"scorecard.requirement.{line.requirement}", lang)] = (
                f"{MARKS[line.passed]} {line.text(lang)}")
        rows.append(row)
    return rows


def scorecard_markdown(data: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """A stored scorecard (``Scorecard.to_dict()``) as Markdown lines for a model card."""
    passed = MARKS[data.get("passed")]
    lines = [f"## {t('scorecard.heading', lang)}", "",
             t("scorecard.summary", lang, mark=passed, threads=data.get("threads", "-")), "",
             f"| {t('scorecard.col.requirement', lang)} | {t('scorecard.col.result', lang)} |",
             "|---|---|"]
    for line in data.get("lines", []):
        text = line.get("text", {})
        shown = text.get(lang) or text.get(DEFAULT_LANGUAGE, "") if isinstance(text, dict) \
            else str(text)
        label = t(f"scorecard.requirement.{line.get('requirement')}", lang)
        lines.append(f"| {label} | {MARKS.get(line.get('passed'), '–')} {shown} |")
    return lines
