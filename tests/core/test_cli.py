"""The command line through ``python -m core``: exit codes, one-line errors, the train →
predict → check → reproduce path, and the workshop's real data."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

from core import cli
from core.errors import DojoError
from core.evaluation import PRIMARY_METRIC, higher_is_better
from core.i18n import Message, catalog, placeholders
from core.training import CandidateResult
from tests.core.conftest import make_classification_frame

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def run_cli(args: list[str], home: Path, extra_env: dict[str, str] | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DOJO_SIGNING_KEY", "DOJO_LANG", "DOJO_MAX_UPLOAD_MB")}
    env.update({"DOJO_HOME": str(home), "PYTHONPATH": str(ROOT), **(extra_env or {})})
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def tiny_csv(folder: Path, frame: pd.DataFrame | None = None, name: str = "tiny.csv") -> Path:
    path = folder / name
    (make_classification_frame(120) if frame is None else frame).to_csv(path, index=False)
    return path


# --- bad input: exit 2, one line on stderr, no traceback -----------------------------

def _error_files(folder: Path) -> str:
    """Bad data files in ``folder``; returns the path of a good CSV beside them."""
    files = {
        "empty.csv": "", "header.csv": "x1,x2,label\n", "data.xyz": "a,b\n1,2\n",
        "one_class.csv": "x,label\n" + "".join(f"{i},a\n" for i in range(30)),
        "no_target_values.csv": "x,label\n" + "".join(f"{i},?\n" for i in range(30)),
        "no_feature.csv": "const,label\n" + "".join(f"1,{'ab'[i % 2]}\n" for i in range(30)),
        "card.json": "{not json",
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    return str(tiny_csv(folder))


def _train(data: str, *more: str) -> list[str]:
    return ["train", data, "--target", "label", *more]


Case = Callable[[Path, str], list[str]]
# The cases DESIGN.md's contract names run as real ``python -m core`` processes.
SUBPROCESS_CASES: dict[str, tuple[Case, dict[str, str]]] = {
    "empty file": (lambda f, good: _train(f"{f}/empty.csv"), {}),
    "header only": (lambda f, good: _train(f"{f}/header.csv"), {}),
    "unknown format": (lambda f, good: _train(f"{f}/data.xyz"), {}),
    "missing target": (lambda f, good: ["train", good, "--target", "nope"], {}),
    "one-class target": (lambda f, good: _train(f"{f}/one_class.csv"), {}),
    "only-missing target": (lambda f, good: _train(f"{f}/no_target_values.csv"), {}),
    "no usable feature": (lambda f, good: _train(f"{f}/no_feature.csv"), {}),
    "over size": (lambda f, good: _train(good), {"DOJO_MAX_UPLOAD_MB": "0.001"}),
    "bad params json": (lambda f, good: _train(good, "--params", "{oops"), {}),
    "unknown param": (lambda f, good: _train(good, "--params", '{"decision_tree": {"depth": 3}}'),
                      {}),
    "unknown algorithm": (lambda f, good: _train(good, "--algorithms", "deep_magic"), {}),
}
# Further bad input, run in this process through cli.main (same code, no start-up cost).
IN_PROCESS_CASES: dict[str, Case] = {
    "missing file": lambda f, good: _train(f"{f}/nothing.csv"),
    "no target given": lambda f, good: ["train", good],
    "params not an object": lambda f, good: _train(good, "--params", "[1]"),
    "params for unselected": lambda f, good: _train(good, "--algorithms", "decision_tree",
                                                    "--params", '{"random_forest": {"max_depth": 3}}'),
    "wrong task": lambda f, good: _train(good, "--algorithms", "ridge"),
    "bad requirements": lambda f, good: _train(good, "--requirements", f"{f}/card.json"),
    "bad split": lambda f, good: _train(good, "--valid-size", "0.7", "--test-size", "0.5"),
    "bad threads": lambda f, good: _train(good, "--threads", "0"),
    "bad arguments": lambda f, good: ["train"],
    "bad task": lambda f, good: _train(good, "--task", "poetry"),
    "bad language": lambda f, good: _train(good, "--lang", "fr"),
    "advise": lambda f, good: ["advise"],
    "predict without bundle": lambda f, good: ["predict", f"{f}/nothing.zip", good],
    "check not a zip": lambda f, good: ["check", good],
}


REAL_DATA = {"churn.txt": ("Churn?", "lightgbm"), "house_prices.csv": ("SalePrice", "ridge")}


@pytest.fixture(scope="module")
def error_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("errors")
    return folder, _error_files(folder)


def _planned_runs(root: Path, error_folder: tuple[Path, str]) -> dict[str, tuple]:
    """name -> (args, DOJO_HOME, extra env) of every ``python -m core`` run of this module."""
    folder, good = error_folder
    plan: dict[str, tuple] = {}
    if SHARED_DATA.exists():
        for name, (target, algorithm) in REAL_DATA.items():
            plan[name] = (["train", str(SHARED_DATA / name), "--target", target, "--algorithms",
                           algorithm, "--out", str(root / f"{name}.zip"), "--threads", "1"],
                          root / "home", {})
    (root / "card.json").write_text(json.dumps({"problem_type": "classification"}))
    plan["tiny"] = (["train", str(tiny_csv(root, make_classification_frame(200))), "--target",
                     "label", "--algorithms", "decision_tree", "--params",
                     '{"decision_tree": {"max_depth": 3}}', "--seed", "7", "--requirements",
                     str(root / "card.json"), "--out", str(root / "model.zip"), "--threads", "1"],
                    root / "home", {})
    for name, (make, env) in SUBPROCESS_CASES.items():
        plan[name] = (make(folder, good), folder / "home", env)
    plan.update(_unsupervised_runs(root))
    return plan


def _unsupervised_runs(root: Path) -> dict[str, tuple]:
    """``train --task clustering`` without --target, and a reduction whose --target only
    colours (it is kept out of the features)."""
    from tests.core.test_unsupervised import blobs_frame
    frame = blobs_frame(120)
    data = str(tiny_csv(root, frame, name="blobs.csv"))
    no_target = str(tiny_csv(root, frame.drop(columns="segment"), name="blobs_no_target.csv"))
    common = ["--threads", "1", "--seed", "3"]
    return {
        "clustering": (["train", no_target, "--task", "clustering",
                        "--out", str(root / "clustering.zip"), *common], root / "home", {}),
        "dimensionality_reduction": (["train", data, "--task", "dimensionality_reduction",
                                      "--target", "segment", "--out",
                                      str(root / "dimensionality_reduction.zip"), *common],
                                     root / "home", {}),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory,
         error_folder: tuple[Path, str]) -> dict[str, Any]:
    """Every subprocess of the module, started together so they share the cores;
    each is a fresh interpreter, as a user's command would be."""
    root = tmp_path_factory.mktemp("runs")
    plan = _planned_runs(root, error_folder)
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(run_cli, args, home, env)
                   for name, (args, home, env) in plan.items()}
        return {"root": root, **{name: future.result() for name, future in futures.items()}}


def assert_one_line(stderr: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and len(lines[0]) > 20, stderr
    # The line is a catalog text, not a key left untranslated.
    assert not re.fullmatch(r"[a-z_]+\.[a-z_.]+", lines[0].strip())


@pytest.mark.parametrize("case", list(SUBPROCESS_CASES))
def test_bad_input_exits_2_with_one_line(runs: dict[str, Any], case: str) -> None:
    done = runs[case]
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert_one_line(done.stderr)


@pytest.mark.parametrize("case", list(IN_PROCESS_CASES))
def test_more_bad_input_exits_2_with_one_line(error_folder: tuple[Path, str], case: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder, good = error_folder
    assert cli.main(IN_PROCESS_CASES[case](folder, good)) == 2
    assert_one_line(capsys.readouterr().err)


def test_error_messages_name_the_problem(runs: dict[str, Any], error_folder: tuple[Path, str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert "nope" in runs["missing target"].stderr
    assert "depth" in runs["unknown param"].stderr
    assert "deep_magic" in runs["unknown algorithm"].stderr
    folder, good = error_folder
    cli.main(IN_PROCESS_CASES["bad requirements"](folder, good))
    assert "card.json" in capsys.readouterr().err
    cli.main(["advise"])
    assert "--requirements" in capsys.readouterr().err


def test_japanese_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    done = run_cli(["train", str(tmp_path / "none.csv"), "--target", "y", "--lang", "ja"], tmp_path)
    assert done.returncode == 2 and re.search(r"[\u3040-\u30ff]", done.stderr)
    monkeypatch.setenv("DOJO_LANG", "ja")
    assert cli.main(["advise"]) == 2
    assert re.search(r"[\u3040-\u30ff]", capsys.readouterr().err)


# --- the happy path ----------------------------------------------------------------

@pytest.fixture(scope="module")
def trained(runs: dict[str, Any]) -> dict[str, Any]:
    root = runs["root"]
    return {"folder": root, "data": root / "tiny.csv", "out": root / "model.zip",
            "run": runs["tiny"]}


def test_train_writes_a_checked_bundle(trained: dict[str, Any]) -> None:
    done = trained["run"]
    assert done.returncode == 0, done.stderr
    assert "Decision tree" in done.stdout and "Baseline" in done.stdout
    assert "Check passed" in done.stdout and str(trained["out"]) in done.stdout
    with zipfile.ZipFile(trained["out"]) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    assert metadata["hyperparameters"]["max_depth"] == 3 and metadata["random_seed"] == 7
    assert metadata["requirements"] == {"problem_type": "classification"}


def test_train_records_every_candidate_with_its_test_scores(
        trained: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from core import tracking
    monkeypatch.setenv("DOJO_HOME", str(trained["folder"] / "home"))
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    runs = tracking.list_runs({"dataset": "tiny.csv"})
    assert sorted(runs["candidate_key"]) == ["baseline", "baseline:stratified", "decision_tree"]
    assert set(runs["status"]) == {"finished"}
    tree = runs[runs["candidate_key"] == "decision_tree"].iloc[0]
    assert tree["metrics.validation_accuracy"] >= 0 and tree["metrics.test_accuracy"] >= 0


@pytest.mark.parametrize("task", ["clustering", "dimensionality_reduction"])
def test_train_without_a_target_writes_a_bundle_check_accepts(
        runs: dict[str, Any], task: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    done, root = runs[task], runs["root"]
    assert done.returncode == 0, done.stderr
    heading = "Silhouette" if task == "clustering" else "Explained variance"
    assert heading in done.stdout and "Baseline" in done.stdout
    assert "Check passed" in done.stdout
    out = root / f"{task}.zip"
    with zipfile.ZipFile(out) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    assert (metadata["task"], metadata["target"]) == (task, None)
    features = [f["name"] for f in metadata["data"]["features"]]
    assert features == ["x", "y", "noise", "shop"]
    monkeypatch.setenv("DOJO_HOME", str(root / "home"))  # the key the bundle was signed with
    if task == "clustering":
        assert metadata["algorithm"]["id"] in ("kmeans", "gaussian_mixture")
        assert cli.main(["check", str(out)]) == 0
        assert "Check passed" in capsys.readouterr().out
    else:
        assert metadata["unsupervised"]["colour_column"] == "segment"
        assert cli.main(["predict", str(out), str(root / "blobs.csv")]) == 0
        assert capsys.readouterr().out.startswith("component_1,component_2")


def test_predict_check_and_reproduce(trained: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    home, out, data = trained["folder"] / "home", str(trained["out"]), str(trained["data"])
    done = run_cli(["predict", out, data], home)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "prediction,probability_no,probability_yes" and len(lines) == 201
    monkeypatch.setenv("DOJO_HOME", str(home))  # the key the bundle was signed with
    target = trained["folder"] / "predictions.csv"
    assert cli.main(["predict", out, data, "-o", str(target)]) == 0
    assert target.read_text().splitlines() == lines
    assert cli.main(["check", out]) == 0
    assert "Check passed" in capsys.readouterr().out
    assert cli.main(["reproduce", out, data, "--threads", "1"]) == 0
    assert "identical" in capsys.readouterr().out


def test_tampered_bundle_is_refused_by_check_and_predict(
        trained: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = trained["folder"]
    tampered = folder / "tampered.zip"
    with zipfile.ZipFile(trained["out"]) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content + b" " if name == "README.md" else content)
    done = run_cli(["check", str(tampered)], folder / "home")
    assert done.returncode == 2 and "DOJO_SIGNING_KEY" in done.stderr
    assert_one_line(done.stderr)
    monkeypatch.setenv("DOJO_HOME", str(folder / "home"))
    assert cli.main(["predict", str(tampered), str(trained["data"])]) == 2
    assert "signature" in capsys.readouterr().err


def test_predict_with_missing_columns_exits_2(trained: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    partial = trained["folder"] / "partial.csv"
    partial.write_text("x1\n1.0\n")
    monkeypatch.setenv("DOJO_HOME", str(trained["folder"] / "home"))
    assert cli.main(["predict", str(trained["out"]), str(partial)]) == 2
    err = capsys.readouterr().err
    assert "x2" in err and "colour" in err
    assert_one_line(err)


def test_default_bundle_path_is_under_dojo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_HOME", str(tmp_path))
    path = cli.bundle_path(None, "my data.csv", "lightgbm")
    assert path.parent == tmp_path / "bundles"
    assert re.fullmatch(r"my_data-lightgbm-\d{8}T\d{6}Z\.zip", path.name)
    assert cli.bundle_path(str(tmp_path), "d.csv", "ridge").parent == tmp_path


def test_all_candidates_failing_reports_the_first_failure() -> None:
    failed = CandidateResult(key="svm", algorithm_id="svm", name={"en": "SVM"},
                             library="scikit-learn", hyperparameters={},
                             error=Message("train.candidate_failed", {"reason": "boom"}))
    with pytest.raises(DojoError) as caught:
        cli.pick_best([failed], "classification")
    assert caught.value.key == "train.candidate_failed" and "boom" in caught.value.message()


def test_cli_and_bundle_keys_exist_in_both_languages() -> None:
    sources = [ROOT / "core" / name for name in ("cli.py", "bundle.py", "signing.py")]
    keys = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""(?:DojoError|Message|\bt)\(\s*["']((?:cli|bundle)\.[\w.]+)""",
                               text))
        for prefix in re.findall(r"""t\(f["']((?:cli|bundle)\.[\w.]+)\{""", text):
            keys |= {key for key in catalog() if key.startswith(prefix)}
    assert len(keys) > 40
    for key in keys:
        entry = catalog().get(key)
        assert entry and entry.get("en") and entry.get("ja"), key
        assert placeholders(entry["en"]) == placeholders(entry["ja"]), key


# --- the workshop's real data -------------------------------------------------------

def _beats_baseline(bundle_path: Path) -> bool:
    with zipfile.ZipFile(bundle_path) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    metric = PRIMARY_METRIC[metadata["task"]]
    model = metadata["metrics"]["test"][metric]
    baseline = metadata["baseline"]["metrics"]["test"][metric]
    return model > baseline if higher_is_better(metric) else model < baseline


@pytest.mark.parametrize("file_name", list(REAL_DATA))
def test_real_data_trains_checks_and_beats_the_baseline(runs: dict[str, Any],
                                                        file_name: str) -> None:
    if not SHARED_DATA.exists():
        pytest.skip("the workshop data folder ../shared/data is not present")
    done = runs[file_name]
    assert done.returncode == 0, done.stderr[-3000:]
    # train ends with the same check as `python -m core check`, in a clean process.
    assert "Check passed" in done.stdout
    assert _beats_baseline(runs["root"] / f"{file_name}.zip")


def test_advise_prints_the_ranked_json_contract(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "card.json"
    card.write_text(json.dumps({"problem_type": "classification", "explanation": "rules"}))
    assert cli.main(["advise", "--requirements", str(card), "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert ranked[0]["id"] in {"decision_tree", "logistic_regression"}
    assert {"requirement", "verdict", "text"} <= set(ranked[0]["reasons"][0])


def test_an_impossible_card_is_refused_before_training(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "card.json"
    card.write_text(json.dumps({"problem_type": "classification",
                                "speed": {"mode": "online", "latency_ms": 0}}))
    data = tmp_path / "d.csv"
    data.write_text("a,b,y\n1,2,x\n3,4,z\n")
    assert cli.main(["train", str(data), "--target", "y", "--requirements", str(card)]) == 2
    assert "latency" in capsys.readouterr().err.lower()
