"""The command line: ``python -m core train | predict | check | reproduce | advise``.

Exit codes (DESIGN.md, "Public contracts"): 0 success; 2 bad input, with one line on
stderr and no traceback; 1 a bug or a failed self-check. Messages come from
core/locales/cli.toml in the language of ``--lang``, else ``DOJO_LANG``, else English.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from core import bundle, catalog, clean_process, config, predict_template
from core.errors import DojoError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message, t

TASK_CHOICES: tuple[str, ...] = ("auto", "classification", "regression", "clustering",
                                 "dimensionality_reduction")
TASKS_WITHOUT_TARGET: frozenset[str] = frozenset({"clustering", "dimensionality_reduction"})
MAX_SHOWN_MISMATCHES = 10


# --- language and output -------------------------------------------------------------

def language(argv: list[str]) -> str:
    """``--lang`` from the raw arguments (needed before parsing, for parse errors), else
    ``DOJO_LANG``, else English."""
    chosen = os.environ.get("DOJO_LANG", DEFAULT_LANGUAGE)
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def say(text: str) -> None:
    """A line of the report on standard output."""
    print(text, flush=True)


def complain(text: str) -> None:
    """One line on stderr: newlines inside a message would break the one-line contract."""
    print(" ".join(text.split()), file=sys.stderr, flush=True)


# --- argument parsing ----------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """argparse that raises DojoError (one translated line, exit 2) instead of printing usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise DojoError("cli.bad_arguments", detail=message, command=self.prog)


def _common(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=t("cli.help.lang", lang))


def _train_parser(commands: Any, lang: str) -> None:
    p = commands.add_parser("train", help=t("cli.help.train", lang))
    p.add_argument("data", help=t("cli.help.data", lang))
    p.add_argument("--target", help=t("cli.help.target", lang))
    p.add_argument("--task", choices=TASK_CHOICES, default="auto", help=t("cli.help.task", lang))
    p.add_argument("--algorithms", help=t("cli.help.algorithms", lang))
    p.add_argument("--params", help=t("cli.help.params", lang))
    p.add_argument("--seed", type=int, default=42, help=t("cli.help.seed", lang))
    p.add_argument("--valid-size", type=float, default=0.2, help=t("cli.help.valid_size", lang))
    p.add_argument("--test-size", type=float, default=0.2, help=t("cli.help.test_size", lang))
    p.add_argument("--requirements", help=t("cli.help.requirements", lang))
    p.add_argument("--out", help=t("cli.help.out", lang))
    p.add_argument("--threads", type=int, help=t("cli.help.threads", lang))
    _common(p, lang)
    p.set_defaults(handler=cmd_train)


def _other_parsers(commands: Any, lang: str) -> None:
    p = commands.add_parser("predict", help=t("cli.help.predict", lang))
    p.add_argument("bundle", help=t("cli.help.bundle", lang))
    p.add_argument("data", help=t("cli.help.data", lang))
    p.add_argument("-o", "--output", help=t("cli.help.output", lang))
    _common(p, lang)
    p.set_defaults(handler=cmd_predict)
    p = commands.add_parser("check", help=t("cli.help.check", lang))
    p.add_argument("bundle", help=t("cli.help.bundle", lang))
    _common(p, lang)
    p.set_defaults(handler=cmd_check)
    p = commands.add_parser("reproduce", help=t("cli.help.reproduce", lang))
    p.add_argument("bundle", help=t("cli.help.bundle", lang))
    p.add_argument("data", help=t("cli.help.data", lang))
    p.add_argument("--threads", type=int, help=t("cli.help.threads", lang))
    _common(p, lang)
    p.set_defaults(handler=cmd_reproduce)
    p = commands.add_parser("advise", help=t("cli.help.advise", lang))
    p.add_argument("--requirements", help=t("cli.help.requirements", lang))
    p.add_argument("--data", help=t("cli.help.data", lang))
    p.add_argument("--target", help=t("cli.help.target", lang))
    p.add_argument("--json", action="store_true", help=t("cli.help.json", lang))
    _common(p, lang)
    p.set_defaults(handler=cmd_advise)


def build_parser(lang: str = DEFAULT_LANGUAGE) -> argparse.ArgumentParser:
    """The ``python -m core`` parser, with help texts in ``lang``."""
    parser = _Parser(prog="python -m core", description=t("cli.help.description", lang))
    _common(parser, lang)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _train_parser(commands, lang)
    _other_parsers(commands, lang)
    return parser


# --- reading the inputs of train -----------------------------------------------------

def parse_params(text: str | None) -> dict[str, dict[str, Any]]:
    """``--params`` JSON, keyed by algorithm id, each key a hyperparameter of that algorithm."""
    if not text:
        return {}
    try:
        params = json.loads(text)
    except ValueError as exc:
        raise DojoError("cli.params_not_json", detail=str(exc)) from exc
    if not isinstance(params, dict) or not all(isinstance(v, dict) for v in params.values()):
        raise DojoError("cli.params_not_json", detail="expected {\"id\": {\"name\": value}}")
    for algorithm_id, values in params.items():
        spec = catalog.get(algorithm_id)  # unknown id -> DojoError listing the known ones
        known = list(dict.fromkeys(h.name for h in spec.hyperparameters))
        unknown = [name for name in values if name not in known]
        if unknown:
            raise DojoError("cli.unknown_param", algorithm=algorithm_id,
                            names=", ".join(unknown), known=", ".join(known) or "-")
    return params


def parse_algorithms(text: str | None) -> list[str] | None:
    """``--algorithms`` as a list of known ids (None: the task's default candidates)."""
    if text is None:
        return None
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise DojoError("cli.no_algorithms")
    for algorithm_id in ids:
        catalog.get(algorithm_id)
    return ids


def load_requirements(path: str | None) -> Any:
    """The requirements card from ``--requirements``; malformed or impossible → DojoError."""
    if path is None:
        return None
    from core import requirements
    card = requirements.load_card(path)
    problems = requirements.conflicts(card)
    if problems:
        first = problems[0]
        raise DojoError("cli.requirements_conflict", path=path,
                        detail={lang: first.text(lang) for lang in LANGUAGES})
    return card


def load_data(path: str) -> Any:
    """The table at ``path`` through core.data (size limit, encodings, missing markers)."""
    from core import data
    return data.load_table(Path(path))


def check_target(target: str | None, task: str, frame: pd.DataFrame) -> None:
    """--target is given when the task needs one, and names a column of the data.

    Clustering and dimensionality reduction need none; a target given anyway is kept out
    of the features (and named in the bundle's "unsupervised" section).
    """
    shown = ", ".join(str(c) for c in list(frame.columns)[:20])
    if target is None and task not in TASKS_WITHOUT_TARGET:
        # Say both ways out: name a target, or choose a task that needs none.
        raise DojoError("unsupervised.cli_target_required", columns=shown)
    if target is not None and target not in frame.columns:
        raise DojoError("cli.target_not_found", target=target, columns=shown)


def check_threads(threads: int | None) -> None:
    """--threads, when given, is at least 1."""
    if threads is not None and threads < 1:
        raise DojoError("cli.bad_threads", threads=threads)


# --- train ---------------------------------------------------------------------------

def default_algorithms(task: str) -> list[str]:
    """The catalog's default candidates for ``task`` (all its algorithms if it names none)."""
    ids = catalog.DEFAULT_CANDIDATES.get(task) or catalog.ids_for_task(task)
    if not ids:
        raise DojoError("cli.no_algorithms_for_task", task=task)
    return list(ids)


def _progress(key: str, stage: str, fraction: float) -> None:
    # Only on a terminal: in scripts and tests stderr must stay free for the error line.
    if sys.stderr.isatty():
        print(f"  [{fraction:4.0%}] {key}: {stage}", file=sys.stderr, flush=True)


def pick_best(results: list[Any], task: str) -> Any:
    """The best candidate by the primary metric; all failed -> the first failure as DojoError."""
    from core import training
    candidates = [r for r in results if not r.is_baseline]
    best = training.best_candidate(candidates, task)
    if best is None:
        best = next((r for r in candidates if r.ok), None)
    if best is not None:
        return best
    failed = next((r for r in candidates if r.error is not None), None)
    if failed is not None:
        raise DojoError(failed.error.key, **failed.error.params)
    raise DojoError("cli.no_candidate_trained")


def strongest_baseline(results: list[Any], task: str) -> Any:
    """The baseline a model must beat: the best-scoring one, so no weak straw man is chosen."""
    from core.evaluation import PRIMARY_METRIC, higher_is_better
    metric = PRIMARY_METRIC.get(task)
    scored = [r for r in results if r.is_baseline and r.ok
              and (r.metrics.get("validation") or {}).get(metric) is not None]
    if not scored:
        return next((r for r in results if r.is_baseline and r.ok), None)
    sign = 1 if higher_is_better(metric) else -1
    return max(scored, key=lambda r: sign * r.metrics["validation"][metric])


def print_leaderboard(results: list[Any], task: str, lang: str) -> None:
    """The app's leaderboard (core.evaluation) as a text table, baselines included."""
    from core.evaluation import leaderboard
    table = leaderboard(results, task, lang).drop(columns=["key"], errors="ignore")
    # Baselines without a target do look at the features (random centres or directions).
    heading = ("unsupervised.cli_leaderboard_heading" if task in TASKS_WITHOUT_TARGET
               else "cli.leaderboard_heading")
    say(t(heading, lang))
    say(table.to_string(index=False))


def print_test_scores(best: Any, baseline: Any, task: str, lang: str) -> None:
    """The primary metric on the test rows, scored once, for the best model and baseline."""
    from core.evaluation import PRIMARY_METRIC
    metric = PRIMARY_METRIC.get(task)
    best_value = (best.metrics.get("test") or {}).get(metric)
    base_value = (baseline.metrics.get("test") or {}).get(metric) if baseline else None
    if best_value is None:
        return
    say(t("cli.test_scores", lang, metric=metric, name=best.name.get(lang, best.key),
          value=f"{best_value:.4f}",
          baseline="–" if base_value is None else f"{base_value:.4f}"))


def print_warnings(messages: list[Message], lang: str) -> None:
    """Each distinct warning (dropped rows, leakage, ...) once, on stderr."""
    seen: set[str] = set()
    for message in messages:
        text = message.text(lang)
        if text not in seen:
            seen.add(text)
            print(t("cli.warning", lang, text=text), file=sys.stderr, flush=True)


def default_bundle_path(data_name: str, algorithm_id: str) -> Path:
    """``DOJO_HOME/bundles/<data stem>-<algorithm>-<UTC timestamp>.zip``."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(data_name).stem).strip("._") or "data"
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return config.dojo_home() / "bundles" / f"{stem}-{algorithm_id}-{stamp}.zip"


def bundle_path(out: str | None, data_name: str, algorithm_id: str) -> Path:
    """``--out``, or the default name inside ``--out`` when it is a folder, or the default."""
    default = default_bundle_path(data_name, algorithm_id)
    if out is None:
        return default
    path = Path(out)
    return path / default.name if path.is_dir() or out.endswith(("/", os.sep)) else path


def _train_inputs(args: argparse.Namespace) -> tuple[dict, list[str] | None, Any]:
    """Everything checkable before the data is read, so typos fail fast."""
    check_threads(args.threads)
    params = parse_params(args.params)
    algorithms = parse_algorithms(args.algorithms)
    return params, algorithms, load_requirements(args.requirements)


def _card_metric(card: Any, results: list[Any]) -> str | None:
    """The card's accuracy metric when the candidates report it: it picks the best model."""
    metric = card.accuracy.metric if card is not None and card.accuracy else None
    reported = any(metric in (r.metrics.get("validation") or {}) for r in results)
    return metric if reported else None


def _train(setup: Any, ids: list[str], params: dict, card: Any) -> list[Any]:
    """Train with every candidate recorded in the experiment store."""
    from core import tracking
    return tracking.train_and_record(setup, ids, params, include_baselines=True,
                                     progress=_progress, write_bundles=False,
                                     requirements=card.to_dict() if card else None)


def _finish_tracking(results: list[Any], lang: str) -> None:
    from core import tracking
    for result in results:
        tracking.record_test_scores(result)
    tracking.flush(120)
    warning = tracking.status().warning
    if warning is not None:
        complain(warning.text(lang))


def cmd_train(args: argparse.Namespace, lang: str) -> int:
    """Load, prepare, train candidates and baselines, write the best bundle, check it."""
    from core import tracking
    tracking.record_in_child()   # MLflow's import runs beside ours, on the core we leave idle
    try:
        return _train_and_check(args, lang)
    finally:
        tracking.flush(tracking.EXIT_FLUSH_SECONDS)   # ends the child, also after bad input


def _train_and_check(args: argparse.Namespace, lang: str) -> int:
    """``train`` itself; the caller owns the experiment store's child process."""
    params, algorithms, card = _train_inputs(args)
    from core import tracking
    loaded = load_data(args.data)
    task = card.problem_type if card is not None and args.task == "auto" else args.task
    check_target(args.target, task, loaded.frame)
    tracking.prepare()           # the store opens while the data is prepared
    from core import training  # scikit-learn takes a second to import: not before bad input
    setup = training.prepare_setup(loaded, args.target, task=task,
                                   valid_size=args.valid_size, test_size=args.test_size,
                                   seed=args.seed, n_jobs=args.threads)
    ids = algorithms or default_algorithms(setup.task)
    results = _train(setup, ids, params, card)
    setup.forget("train")   # the largest part is not needed again: the check's process needs room
    metric = _card_metric(card, results)
    best = (training.best_candidate(results, setup.task, metric) if metric else None) \
        or pick_best(results, setup.task)
    with bundle.check_folder() as folder:
        # The check's clean interpreter imports the model's libraries while we finish up.
        interpreter = clean_process.WarmInterpreter(Path(folder),
                                                    bundle.modules_to_preload(best.pipeline))
        try:
            out = _deliver(args, lang, loaded, setup, results, best, card)
            report = bundle.check_bundle(out, interpreter)
        finally:
            interpreter.close()
    return report_check(report, out, lang, written=True)


def _deliver(args: argparse.Namespace, lang: str, loaded: Any, setup: Any, results: list[Any],
             best: Any, card: Any) -> Path:
    """Score the test rows, print the leaderboard and write the best bundle (its path)."""
    from core import training
    baseline = strongest_baseline(results, setup.task)
    scored = [result for result in (best, baseline) if result is not None]
    for result in scored:
        training.score_test(setup, result)
    # The last runs' scores go to the store now; its process then ends and frees its memory.
    _finish_tracking(scored, lang)
    print_leaderboard(results, setup.task, lang)
    print_test_scores(best, baseline, setup.task, lang)
    print_warnings(list(loaded.notes) + list(setup.notes) + list(best.notes), lang)
    scorecard = _scorecard(best, card, setup, lang)
    out = bundle.write_bundle(setup, best, bundle_path(args.out, loaded.name, best.algorithm_id),
                              requirements=card.to_dict() if card else None,
                              scorecard=scorecard, baseline=baseline, lang=lang)
    return out


def _scorecard(best: Any, card: Any, setup: Any, lang: str) -> dict[str, Any] | None:
    """The best model's scorecard against the card, printed and returned for the bundle."""
    if card is None:
        return None
    from core import scorecard
    data = scorecard.score_candidate(best, card, setup).to_dict()
    for line in scorecard.scorecard_markdown(data, lang):
        say(line)
    return data


# --- predict, check, reproduce, advise -----------------------------------------------

def read_prediction_input(path: str, metadata: dict[str, Any]) -> pd.DataFrame:
    """DATA read exactly as the bundle's predict.py reads it; other formats via core.data."""
    source = Path(path)
    if not source.is_file():
        raise DojoError("cli.file_not_found", path=path)
    suffix = source.suffix.lower()
    if suffix in predict_template.DELIMITED_SUFFIXES + (".parquet", ".pq", ".xlsx", ".json",
                                                         ".jsonl", ".ndjson"):
        try:
            return predict_template.read_input(source, metadata)
        except predict_template.InputError as exc:
            raise DojoError("cli.data_unreadable", path=path, detail=str(exc)) from exc
    return load_data(path).frame


def write_predictions(predictions: pd.DataFrame, output: str | None, lang: str) -> None:
    """CSV to ``output``, or to standard output without one (then nothing else is printed)."""
    if output is None:
        predictions.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    try:
        predictions.to_csv(output, index=False, lineterminator="\n")
    except OSError as exc:
        raise DojoError("cli.cannot_write", path=output, detail=exc.strerror or str(exc)) from exc
    say(t("cli.predictions_written", lang, rows=len(predictions), path=output))


def cmd_predict(args: argparse.Namespace, lang: str) -> int:
    """Verify and load the bundle, predict DATA, write CSV to -o or standard output."""
    loaded = bundle.load_bundle(args.bundle)
    frame = read_prediction_input(args.data, loaded.metadata)
    write_predictions(bundle.predict_loaded(loaded, frame), args.output, lang)
    return 0


def report_check(report: bundle.CheckReport, path: Path | str, lang: str,
                 written: bool = False) -> int:
    """Print a check's outcome: 0 passed, 2 refused signature, 1 predictions not reproduced."""
    if not report.signature_ok:
        complain(report.message.text(lang))
        return 2
    if not report.ok:
        complain(report.message.text(lang))
        for line in report.mismatches[:MAX_SHOWN_MISMATCHES]:
            print(f"  {line}", file=sys.stderr)
        if report.detail:
            print(report.detail.rstrip(), file=sys.stderr)
        return 1
    say(report.message.text(lang))
    if written:
        say(t("cli.bundle_written", lang, path=str(path)))
    return 0


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    """Verify the bundle and reproduce its sample predictions in a clean process."""
    return report_check(bundle.check_bundle(args.bundle), args.bundle, lang)


def print_reproduce_report(report: bundle.ReproduceReport, lang: str) -> None:
    """Data, feature and library differences, then the verdict."""
    if not report.data_matches:
        say(t("cli.reproduce_other_data", lang))
    for line in report.feature_differences:
        say(t("cli.reproduce_feature_difference", lang, detail=line))
    for name, bundled, now in report.library_differences:
        say(t("cli.reproduce_library_difference", lang, library=name, bundled=bundled, now=now))
    if not report.library_differences:
        say(t("cli.reproduce_same_libraries", lang))
    say(report.message.text(lang))


def cmd_reproduce(args: argparse.Namespace, lang: str) -> int:
    """Retrain from the bundle's metadata on DATA and compare predictions with the bundle."""
    check_threads(args.threads)
    loaded = load_data(args.data)
    report = bundle.reproduce_bundle(args.bundle, loaded, n_jobs=args.threads)
    print_reproduce_report(report, lang)
    return 0 if report.ok else 1


def cmd_advise(args: argparse.Namespace, lang: str) -> int:
    """Rank the catalog for a requirements card and, optionally, a data file's profile."""
    from core.advisor import advise_command
    code, text = advise_command(args.requirements, args.data, args.target, args.json, lang)
    if code == 2:
        complain(text)
    else:
        say(text)
    return code


# --- entry point ---------------------------------------------------------------------

def _run(handler: Callable[[argparse.Namespace, str], int], args: argparse.Namespace,
         lang: str) -> int:
    """Run a command, keeping library warnings out of the way of the one-line error."""
    # The interpreter's filters stay in force (deprecations stay hidden); what they would
    # show is printed after success only, so a failure still prints exactly one line.
    with warnings.catch_warnings(record=True) as caught:
        code = handler(args, lang)
    shown = {f"{w.category.__name__}: {w.message}" for w in caught}
    for text in sorted(shown)[:MAX_SHOWN_MISMATCHES]:
        print(t("cli.warning", lang, text=text), file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = language(arguments)
    try:
        args = build_parser(lang).parse_args(arguments)
        lang = getattr(args, "lang", None) or lang
        return _run(args.handler, args, lang)
    except DojoError as exc:
        complain(exc.message(lang))
        return 2
    except predict_template.InputError as exc:
        complain(str(exc))
        return 2
    except KeyboardInterrupt:
        complain(t("cli.interrupted", lang))
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: not an error of ours. Point stdout at
        # devnull so the interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
