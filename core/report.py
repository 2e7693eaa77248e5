"""The hand-over report: what was trained, what was chosen and why, and who must say what.

One report comes in two forms built from the same blocks: a self-contained HTML page (the
plotly figures embedded with a single inline copy of plotly.js, so it opens offline) and
Markdown. The communication step of the chapter is generated from the run as one
ready-to-send message per role:

* business roles (product manager, business analyst, data analyst, domain expert): the
  metrics in plain words and the question whether the business case still holds;
* data scientists and ML engineers: a review request on the algorithm choice and accuracy;
* ML and MLOps engineers: the usage document and the training and inference times, to plan
  testing and operations.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

import core
from core.i18n import DEFAULT_LANGUAGE, catalog, t

BUSINESS_ROLES: tuple[str, ...] = ("product_manager", "business_analyst", "data_analyst",
                                   "domain_expert")
REVIEW_ROLES: tuple[str, ...] = ("data_scientist", "ml_engineer")
OPERATIONS_ROLES: tuple[str, ...] = ("ml_engineer", "mlops_engineer")
ROLES: tuple[str, ...] = BUSINESS_ROLES + ("data_scientist", "ml_engineer", "mlops_engineer")
TIMING_NAMES: tuple[str, ...] = ("train_seconds", "latency_p50_ms", "latency_p95_ms",
                                 "rows_per_second")


@dataclass
class Report:
    """A finished report: HTML, Markdown and the message for each role (by role id)."""

    html: str
    markdown: str
    messages: dict[str, str]
    title: str = ""
    lang: str = DEFAULT_LANGUAGE

    def files(self, stem: str = "report") -> dict[str, bytes]:
        """``{stem}.html`` and ``{stem}.md`` as bytes (for downloads and the bundle's extras)."""
        return {f"{stem}.html": self.html.encode("utf-8"),
                f"{stem}.md": self.markdown.encode("utf-8")}


# --- the blocks both forms are rendered from ----------------------------------------------------

@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str
    kind: str = ""          # "" | "note" | "warning"


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]


@dataclass
class Code:
    text: str
    language: str = ""


@dataclass
class Figure:
    title: str
    figure: Any             # plotly Figure


@dataclass
class RoleMessage:
    role: str
    title: str
    text: str


Block = Heading | Para | Table | Code | Figure | RoleMessage


# --- numbers and facts ----------------------------------------------------------------------

def fmt(value: Any) -> str:
    """A number as people read it (4 significant digits); "–" for nothing."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _metric_name(metric: str, lang: str) -> str:
    key = f"eval.metric.{metric}"
    return t(key, lang) if key in catalog() else metric


def _primary_metric(setup: Any, chosen: Any) -> str:
    from core.evaluation import PRIMARY_METRIC

    metric = PRIMARY_METRIC.get(setup.task)
    if metric:
        return metric
    numbers = [k for k, v in chosen.metrics.get("validation", {}).items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return numbers[0] if numbers else ""


@dataclass
class Facts:
    """Everything the sections and the messages quote, computed once."""

    lang: str
    setup: Any
    results: list[Any]
    chosen: Any
    best: Any
    baseline: Any
    metric: str
    card: dict[str, Any] | None
    scorecard: Any
    bundle_name: str
    commit: str = "unknown"
    extra: dict[str, Any] = field(default_factory=dict)

    def name(self, result: Any) -> str:
        """A candidate's display name in the report's language."""
        return result.name.get(self.lang) or result.name.get("en") or result.key

    def value(self, result: Any, part: str = "validation", metric: str | None = None) -> Any:
        """A candidate's score (default: the primary metric on the validation rows)."""
        if result is None:
            return None
        return (result.metrics.get(part) or {}).get(metric or self.metric)

    @property
    def trained(self) -> list[Any]:
        """The successful candidates that are not baselines."""
        return [r for r in self.results if r.ok and not r.is_baseline]

    @property
    def params(self) -> dict[str, Any]:
        """Placeholders every message may use."""
        chosen_value, base_value = self.value(self.chosen), self.value(self.baseline)
        delta = (chosen_value - base_value
                 if isinstance(chosen_value, (int, float)) and isinstance(base_value, (int, float))
                 else None)
        sizes = self.setup.split.info.sizes or {}
        return {
            "model": self.name(self.chosen), "algorithm": self.chosen.algorithm_id,
            "data": self.setup.data_name, "target": self.setup.target or "–",
            "task": t(f"report.task.{self.setup.task}", self.lang),
            "rows": fmt(len(self.setup.frame)), "features": len(self.setup.features),
            "count": len(self.trained), "metric": _metric_name(self.metric, self.lang),
            "value": fmt(chosen_value), "baseline_value": fmt(base_value), "delta": fmt(delta),
            "test_value": fmt(self.value(self.chosen, "test")),
            "train_rows": fmt(sizes.get("train")), "bundle": self.bundle_name,
            **{name: fmt(self.chosen.timings.get(name)) for name in TIMING_NAMES},
            "size_mb": fmt(self.chosen.model_size_bytes / 1e6),
        }


def _card_target(facts: Facts) -> tuple[str, float, Any] | None:
    """(metric, target, achieved) when the card states an accuracy target for a known metric."""
    accuracy = (facts.card or {}).get("accuracy") or {}
    metric, target = accuracy.get("metric"), accuracy.get("target")
    if not metric or not isinstance(target, (int, float)):
        return None
    return metric, float(target), facts.value(facts.chosen, metric=metric)


def _target_line(facts: Facts) -> str:
    """Whether the chosen model reaches the card's accuracy target, in one sentence."""
    from core.evaluation import higher_is_better

    found = _card_target(facts)
    if found is None:
        return t("report.target_none", facts.lang)
    metric, target, achieved = found
    params = {"metric": _metric_name(metric, facts.lang), "target": fmt(target),
              "achieved": fmt(achieved)}
    if not isinstance(achieved, (int, float)):
        return t("report.target_unmeasured", facts.lang, **params)
    met = achieved >= target if higher_is_better(metric) else achieved <= target
    return t("report.target_met" if met else "report.target_missed", facts.lang, **params)


def _speed_line(facts: Facts) -> str | None:
    """The measured speed against the card's online budget or batch window."""
    speed = (facts.card or {}).get("speed") or {}
    timings = facts.chosen.timings
    if speed.get("mode") == "online" and isinstance(speed.get("latency_ms"), (int, float)):
        p95 = timings.get("latency_p95_ms")
        key = ("report.speed_online_ok" if p95 is not None and p95 <= speed["latency_ms"]
               else "report.speed_online_over")
        return t(key, facts.lang, p95=fmt(p95), budget=fmt(speed["latency_ms"]))
    if speed.get("mode") == "batch" and speed.get("items") and speed.get("window_minutes"):
        rate = timings.get("rows_per_second") or 0
        minutes = speed["items"] / rate / 60 if rate else None
        key = ("report.speed_batch_ok" if minutes is not None
               and minutes <= speed["window_minutes"] else "report.speed_batch_over")
        return t(key, facts.lang, items=fmt(speed["items"]), minutes=fmt(minutes),
                 window=fmt(speed["window_minutes"]))
    return None


def gather_facts(setup: Any, results: list[Any], chosen: Any, lang: str,
                 card: dict[str, Any] | None, scorecard: Any, bundle_name: str) -> Facts:
    """The facts of a report; ``chosen`` may be a CandidateResult, its key, or None (the best)."""
    from core import code_commit
    from core.errors import DojoError
    from core.training import baseline_of, best_candidate

    best = best_candidate(results, setup.task) if setup.task in _primary_tasks() else None
    if isinstance(chosen, str):
        chosen = next((r for r in results if r.key == chosen), None)
    chosen = chosen or best or next((r for r in results if r.ok and not r.is_baseline), None)
    if chosen is None:
        raise DojoError("report.no_model")
    baseline = baseline_of(results) or next((r for r in results if r.is_baseline and r.ok), None)
    facts = Facts(lang, setup, results, chosen, best or chosen, baseline,
                  _primary_metric(setup, chosen), card, scorecard, bundle_name)
    facts.commit = code_commit()[0]
    return facts


def _primary_tasks() -> set[str]:
    from core.evaluation import PRIMARY_METRIC

    return set(PRIMARY_METRIC)


# --- sections -------------------------------------------------------------------------------

def _title_section(facts: Facts) -> list[Block]:
    p, lang = facts.params, facts.lang
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return [Heading(t("report.title", lang, **p), 1),
            Para(t("report.generated", lang, date=now, app_version=core.__version__,
                   commit=facts.commit[:12])),
            Heading(t("report.summary_heading", lang)),
            Para(t("report.summary", lang, **p)), Para(_target_line(facts))]


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [pair for key, inner in value.items()
                for pair in _flatten(inner, f"{prefix}{key}.")]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [pair for i, inner in enumerate(value) for pair in _flatten(inner, f"{prefix}{i}.")]
    return [(prefix.rstrip("."), value)]


def _card_section(facts: Facts) -> list[Block]:
    if not facts.card:
        return []
    lang = facts.lang
    rows = [[_card_label(path, lang), _plain(value)] for path, value in _flatten(facts.card)]
    return [Heading(t("report.card_heading", lang)), Para(t("report.card_intro", lang)),
            Table([t("report.col_requirement", lang), t("report.col_value", lang)], rows)]


def _card_label(path: str, lang: str) -> str:
    section, _, rest = path.partition(".")
    key = f"report.card_section.{section}"
    name = t(key, lang) if key in catalog() else section
    return f"{name} · {rest}" if rest else name


def _plain(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return fmt(value) if not isinstance(value, str) else value


def _scorecard_rows(scorecard: Any, chosen_key: str) -> tuple[list[str], list[list[Any]]]:
    """A table from whatever shape the scorecard has (list of checks, or a dict holding one)."""
    from core.bundle import json_safe

    data = json_safe(scorecard)
    if isinstance(data, dict) and chosen_key in data:
        data = data[chosen_key]
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v
                 and all(isinstance(i, dict) for i in v)]
        if not lists:
            return [], [[path, _plain(v)] for path, v in _flatten(data)]
        data = lists[0]
    items = [i for i in (data or []) if isinstance(i, dict)]
    header = list(dict.fromkeys(k for item in items for k in item))
    return header, [[_plain(item.get(k)) for k in header] for item in items]


def _scorecard_section(facts: Facts) -> list[Block]:
    if not facts.scorecard:
        return []
    lang = facts.lang
    header, rows = _scorecard_rows(facts.scorecard, facts.chosen.key)
    header = header or [t("report.col_requirement", lang), t("report.col_value", lang)]
    return [Heading(t("report.scorecard_heading", lang)),
            Para(t("report.scorecard_intro", lang, model=facts.name(facts.chosen))),
            Table(header, rows)]


def _why_lines(facts: Facts) -> list[str]:
    p, lang = facts.params, facts.lang
    if facts.chosen is facts.best:
        lines = [t("report.why_best", lang, **p)]
    else:
        lines = [t("report.why_user", lang, best=facts.name(facts.best),
                   best_value=fmt(facts.value(facts.best)), **p)]
    base, value = facts.value(facts.baseline), facts.value(facts.chosen)
    if isinstance(base, (int, float)) and isinstance(value, (int, float)):
        from core.evaluation import higher_is_better
        beats = value > base if higher_is_better(facts.metric) else value < base
        lines.append(t("report.beats_baseline" if beats else "report.not_beating_baseline",
                       lang, **p))
    return lines


def _chosen_section(facts: Facts) -> list[Block]:
    lang, chosen = facts.lang, facts.chosen
    blocks: list[Block] = [Heading(t("report.chosen_heading", lang))]
    blocks += [Para(line) for line in _why_lines(facts)]
    blocks.append(Table([t("report.col_hyperparameter", lang), t("report.col_value", lang)],
                        [[name, _plain(v)] for name, v in chosen.hyperparameters.items()]))
    test = chosen.metrics.get("test") or {}
    names = [m for m, v in (chosen.metrics.get("validation") or {}).items()
             if isinstance(v, (int, float)) and not isinstance(v, bool)]
    blocks.append(Table([t("report.col_metric", lang), t("report.col_validation", lang),
                         t("report.col_test", lang)],
                        [[_metric_name(m, lang), chosen.metrics["validation"][m], test.get(m)]
                         for m in names]))
    if not test:
        blocks.append(Para(t("report.no_test_scores", lang), "note"))
    return blocks


def _leaderboard_rows(facts: Facts) -> tuple[list[str], list[list[Any]]]:
    from core.evaluation import leaderboard

    try:
        table = leaderboard(facts.results, facts.setup.task, facts.lang).drop(columns=["key"])
    except KeyError:  # a task the leaderboard does not know yet: the primary metric only
        header = [t("eval.col_candidate", facts.lang), _metric_name(facts.metric, facts.lang)]
        return header, [[facts.name(r), facts.value(r)] for r in facts.results]
    return list(table.columns), table.astype(object).where(table.notna(), None).values.tolist()


def _leaderboard_figure(facts: Facts) -> Any:
    import plotly.graph_objects as go

    scored = [r for r in facts.results if isinstance(facts.value(r), (int, float))]
    if not scored:
        return None
    colours = ["#9aa0a6" if r.is_baseline else ("#d62728" if r is facts.chosen else "#1f77b4")
               for r in scored]
    fig = go.Figure(go.Bar(x=[facts.name(r) for r in scored], y=[facts.value(r) for r in scored],
                           marker_color=colours))
    fig.update_layout(title=t("report.leaderboard_plot", facts.lang, metric=facts.params["metric"]),
                      template="plotly_white", height=380, yaxis_title=facts.params["metric"],
                      margin=dict(l=50, r=20, t=60, b=80))
    return fig


def _leaderboard_section(facts: Facts) -> list[Block]:
    lang = facts.lang
    header, rows = _leaderboard_rows(facts)
    baseline = facts.name(facts.baseline) if facts.baseline else "–"
    blocks: list[Block] = [Heading(t("report.leaderboard_heading", lang)),
                           Para(t("report.leaderboard_intro", lang, baseline=baseline,
                                  metric=facts.params["metric"])), Table(header, rows)]
    figure = _leaderboard_figure(facts)
    if figure is not None:
        blocks.append(Figure(t("report.leaderboard_plot", lang, metric=facts.params["metric"]),
                             figure))
    return blocks


def _plots_section(facts: Facts) -> list[Block]:
    from core.plots import candidate_figures

    try:
        figures = candidate_figures(facts.setup, facts.chosen, facts.lang)
    except Exception:  # a plot that cannot be drawn must not cost the whole report
        figures = {}
    if not figures:
        return []
    blocks: list[Block] = [Heading(t("report.plots_heading", facts.lang)),
                           Para(t("report.plots_intro", facts.lang, model=facts.params["model"]))]
    for name, figure in figures.items():
        title = figure.layout.title.text or name
        blocks.append(Figure(title, figure))
    return blocks


def _timings_section(facts: Facts) -> list[Block]:
    lang, p = facts.lang, facts.params
    rows = [[t(f"report.timing.{name}", lang), p[name]] for name in TIMING_NAMES]
    rows.append([t("report.timing.size_mb", lang), p["size_mb"]])
    blocks: list[Block] = [Heading(t("report.timings_heading", lang)),
                           Para(t("report.timings_intro", lang, **p)),
                           Table([t("report.col_measure", lang), t("report.col_value", lang)], rows)]
    speed = _speed_line(facts)
    if speed:
        blocks.append(Para(speed))
    return blocks


def usage_commands(bundle_name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The shell lines that run a bundle, standalone and through Model Dojo."""
    folder = bundle_name.rsplit(".", 1)[0]
    return (f"unzip {bundle_name} -d {folder}\ncd {folder}\n"
            "python -m pip install -r requirements.txt\n"
            "python predict.py sample_input.csv -o predictions.csv\n\n"
            f"# {t('report.usage_dojo_comment', lang)}\n"
            f"python -m core check {bundle_name}\n"
            f"python -m core predict {bundle_name} data.csv -o predictions.csv")


def _usage_section(facts: Facts) -> list[Block]:
    lang, setup = facts.lang, facts.setup
    rows = [[f"`{name}`", str(setup.frame[name].dtype), setup.feature_roles.get(name, "numeric")]
            for name in setup.features]
    return [Heading(t("report.usage_heading", lang)),
            Para(t("report.usage_intro", lang, bundle=facts.bundle_name)),
            Code(usage_commands(facts.bundle_name, lang), "bash"),
            Para(t("report.usage_schema", lang, features=len(rows))),
            Table([t("report.col_column", lang), t("report.col_dtype", lang),
                   t("report.col_role", lang)], rows),
            Para(t("report.usage_signature", lang), "note")]


def _reproduce_section(facts: Facts) -> list[Block]:
    lang, setup = facts.lang, facts.setup
    info = setup.split.info
    sizes = info.sizes or {}
    rows = [[t("report.repro.seed", lang), setup.seed],
            [t("report.repro.split", lang), f"{info.method} · train {sizes.get('train', 0)} · "
             f"validation {sizes.get('validation', 0)} · test {sizes.get('test', 0)}"],
            [t("report.repro.data", lang), f"{setup.data_name} · sha256 {setup.data_sha256[:16]}…"],
            [t("report.repro.commit", lang), facts.commit],
            [t("report.repro.library", lang), facts.chosen.library]]
    return [Heading(t("report.repro_heading", lang)), Table(
        [t("report.col_measure", lang), t("report.col_value", lang)], rows),
        Code(f"python -m core reproduce {facts.bundle_name} {setup.data_name}", "bash")]


# --- the messages ---------------------------------------------------------------------------

def _business_message(facts: Facts, role: str) -> str:
    lang, p = facts.lang, facts.params
    parts = _greeting(facts, "report.msg.business_subject", role) + [
        t("report.msg.business_body", lang, **p), _target_line(facts)]
    speed = _speed_line(facts)
    if speed:
        parts.append(speed)
    parts += ["", t(f"report.msg.ask.{role}", lang, **p), "", t("report.msg.closing", lang)]
    return "\n".join(parts)


def _candidate_lines(facts: Facts) -> list[str]:
    lines = []
    for result in facts.results:
        marker = " ←" if result is facts.chosen else ""
        if result.ok:
            lines.append(f"- {facts.name(result)}: {facts.params['metric']} "
                         f"{fmt(facts.value(result))}, "
                         f"{fmt(result.timings.get('train_seconds'))} s{marker}")
        else:
            lines.append(f"- {facts.name(result)}: "
                         f"{result.error.text(facts.lang) if result.error else '–'}")
    return lines


def _greeting(facts: Facts, subject_key: str, role: str) -> list[str]:
    lang = facts.lang
    return [t(subject_key, lang, **facts.params), "",
            t("report.msg.greeting", lang, role=t(f"report.role.{role}", lang)), ""]


def _review_lines(facts: Facts) -> list[str]:
    """The review request: every candidate, why this one, how it was evaluated, the asks."""
    lang, p = facts.lang, facts.params
    info = facts.setup.split.info
    return [t("report.msg.review_body", lang, **p), *_candidate_lines(facts), "",
            *_why_lines(facts), _target_line(facts),
            t("report.msg.review_split", lang, method=info.method, seed=facts.setup.seed,
              stratified=info.stratified, **p), "", t("report.msg.review_ask", lang, **p)]


def _operations_lines(facts: Facts) -> list[str]:
    """The usage document and the times, to plan testing and operations."""
    lang, p = facts.lang, facts.params
    speed = _speed_line(facts)
    return [t("report.msg.ops_body", lang, **p), "",
            *[f"- {t(f'report.timing.{name}', lang)}: {p[name]}" for name in TIMING_NAMES],
            f"- {t('report.timing.size_mb', lang)}: {p['size_mb']}",
            *([speed] if speed else []), "", t("report.msg.ops_usage", lang, **p), "",
            usage_commands(facts.bundle_name, lang), "", t("report.msg.ops_ask", lang, **p)]


def build_messages(facts: Facts) -> dict[str, str]:
    """One ready-to-send message per role id in ROLES."""
    closing = ["", t("report.msg.closing", facts.lang)]
    messages = {role: _business_message(facts, role) for role in BUSINESS_ROLES}
    messages["data_scientist"] = "\n".join(
        _greeting(facts, "report.msg.review_subject", "data_scientist")
        + _review_lines(facts) + closing)
    messages["ml_engineer"] = "\n".join(
        _greeting(facts, "report.msg.review_ops_subject", "ml_engineer")
        + _review_lines(facts) + ["", "---", ""] + _operations_lines(facts) + closing)
    messages["mlops_engineer"] = "\n".join(
        _greeting(facts, "report.msg.ops_subject", "mlops_engineer")
        + _operations_lines(facts) + closing)
    return messages


def _messages_section(facts: Facts, messages: dict[str, str]) -> list[Block]:
    lang = facts.lang
    blocks: list[Block] = [Heading(t("report.messages_heading", lang)),
                           Para(t("report.messages_intro", lang))]
    blocks += [RoleMessage(role, t(f"report.role.{role}", lang), messages[role]) for role in ROLES]
    return blocks


# --- rendering ------------------------------------------------------------------------------

def _md_cell(value: Any) -> str:
    return fmt(value).replace("|", "\\|").replace("\n", " ")


def _markdown_block(block: Block, lang: str) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {block.text}"
    if isinstance(block, Para):
        return f"> {block.text}" if block.kind else block.text
    if isinstance(block, Table):
        lines = ["| " + " | ".join(_md_cell(h) for h in block.header) + " |",
                 "|" + "---|" * len(block.header)]
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in block.rows]
        return "\n".join(lines)
    if isinstance(block, Code):
        return f"```{block.language}\n{block.text}\n```"
    if isinstance(block, Figure):
        return f"*{t('report.figure_in_html', lang, title=block.title)}*"
    return f"### {block.title}\n\n```text\n{block.text}\n```"


def render_markdown(blocks: list[Block], lang: str) -> str:
    """The blocks as one Markdown document (figures become a pointer to the HTML)."""
    return "\n\n".join(_markdown_block(block, lang) for block in blocks) + "\n"


_INLINE_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _inline(text: str) -> str:
    """Escaped text with `code` and **bold** turned into tags."""
    escaped = html.escape(text)
    return _BOLD.sub(r"<strong>\1</strong>", _INLINE_CODE.sub(r"<code>\1</code>", escaped))


def _html_table(block: Table) -> str:
    head = "".join(f"<th>{_inline(str(h))}</th>" for h in block.header)
    body = "".join("<tr>" + "".join(f"<td>{_inline(fmt(v))}</td>" for v in row) + "</tr>"
                   for row in block.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_figure(block: Figure, index: int) -> str:
    div = block.figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"figure-{index}",
                               config={"displaylogo": False, "responsive": True})
    return f'<figure>{div}<figcaption>{html.escape(block.title)}</figcaption></figure>'


def _html_message(block: RoleMessage, lang: str) -> str:
    button = html.escape(t("report.copy", lang))
    return (f'<section class="message"><h3>{html.escape(block.title)}</h3>'
            f'<button type="button" onclick="copyMessage(\'msg-{block.role}\', this)">{button}'
            f'</button><pre id="msg-{block.role}">{html.escape(block.text)}</pre></section>')


def _html_block(block: Block, index: int, lang: str) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_inline(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        return f'<p class="{block.kind}">{_inline(block.text)}</p>'
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Code):
        return f"<pre><code>{html.escape(block.text)}</code></pre>"
    if isinstance(block, Figure):
        return _html_figure(block, index)
    return _html_message(block, lang)


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;
max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.55}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}pre{background:#f6f8fa;padding:.8rem;overflow-x:auto;white-space:pre-wrap}
p.note,p.warning{border-left:4px solid #54aeff;padding-left:.8rem}
p.warning{border-color:#d4a72c}figure{margin:1rem 0}figcaption{color:#57606a;font-size:.85rem}
section.message{border:1px solid #d0d7de;border-radius:6px;padding:.2rem 1rem;margin:1rem 0}
"""
_COPY_SCRIPT = """function copyMessage(id,button){var text=document.getElementById(id).textContent;
if(navigator.clipboard){navigator.clipboard.writeText(text).then(function(){button.textContent='✓';});}}"""


def render_html(blocks: list[Block], title: str, lang: str) -> str:
    """A complete HTML page with one inline copy of plotly.js (works offline)."""
    from plotly.offline import get_plotlyjs

    needs_plotly = any(isinstance(block, Figure) for block in blocks)
    plotly_js = f'<script type="text/javascript">{get_plotlyjs()}</script>' if needs_plotly else ""
    body = "\n".join(_html_block(block, i, lang) for i, block in enumerate(blocks))
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style>{plotly_js}"
            f"<script>{_COPY_SCRIPT}</script></head><body>\n{body}\n</body></html>\n")


# --- the entry point ------------------------------------------------------------------------

def build_report(setup: Any, results: list[Any], chosen: Any = None, lang: str = DEFAULT_LANGUAGE,
                 card: dict[str, Any] | None = None, scorecard: Any = None,
                 bundle_name: str = "model.zip") -> Report:
    """The hand-over report for ``chosen`` (a CandidateResult or its key; default: the best).

    Parameters
    ----------
    setup : TrainingSetup
    results : list of CandidateResult
        Every candidate of the run, baselines included (the leaderboard).
    card, scorecard : dict, optional
        The requirements card (DESIGN.md) and its scorecard, shown when given.
    bundle_name : str
        The bundle's file name as the reader will receive it, used in the commands.

    Raises
    ------
    DojoError
        ``report.no_model`` when no candidate trained successfully.
    """
    facts = gather_facts(setup, results, chosen, lang, card, scorecard, bundle_name)
    messages = build_messages(facts)
    sections = (_title_section, _card_section, _scorecard_section, _chosen_section,
                _leaderboard_section, _plots_section, _timings_section, _usage_section,
                _reproduce_section)
    blocks = [block for section in sections for block in section(facts)]
    blocks += _messages_section(facts, messages)
    title = t("report.title", lang, **facts.params)
    return Report(html=render_html(blocks, title, lang), markdown=render_markdown(blocks, lang),
                  messages=messages, title=title, lang=lang)


def report_file_name(setup: Any, chosen_key: str, extension: str) -> str:
    """A download name such as ``report-iris-lightgbm.html``."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"report-{setup.data_name}-{chosen_key}")
    return f"{stem}.{extension}"
