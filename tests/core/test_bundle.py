"""Model bundles: contents and metadata, signature checks, the standalone predict.py,
safe reading, the clean-process self-check and reproduction."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

import core
from core import bundle, clean_process, data, predict_template, signing, training
from core.errors import DojoError
from core.i18n import Message
from core.profiling import ColumnProfile, DataProfile
from core.splitting import DataSplit, SplitInfo
from tests.core.conftest import make_classification_frame, make_regression_frame

METADATA_FIELDS = (
    "format_version", "created_at", "app_version", "code_commit", "code_dirty", "python",
    "libraries", "random_seed", "task", "target", "classes", "algorithm", "hyperparameters",
    "data", "split", "metrics", "baseline", "timings", "model_size_bytes",
)


def train(tmp_path: Path, frame: pd.DataFrame, target: str,
          algorithm: str) -> tuple[Any, Any, Any]:
    """A real (tiny) run through core.data and core.training: setup, result, baseline."""
    path = tmp_path / "table.csv"
    frame.to_csv(path, index=False)
    setup = training.prepare_setup(data.load_table(path), target, seed=0, n_jobs=1)
    results = training.train_candidates(setup, [algorithm])
    result = next(r for r in results if r.key == algorithm)
    baseline = training.baseline_of(results)
    for item in (result, baseline):
        training.score_test(setup, item)
    return setup, result, baseline


@pytest.fixture(scope="module", autouse=True)
def _module_key() -> Any:
    # One key for the whole module, so bundles trained once can be shared by the tests.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(signing.KEY_ENV, "test-bundle-key")
        yield


@pytest.fixture(scope="module")
def trained_bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bundles")
    setup, result, baseline = train(folder, make_classification_frame(), "label",
                                    "logistic_regression")
    cls = bundle.write_bundle(setup, result, folder / "cls.zip", baseline=baseline,
                              requirements={"problem_type": "classification"})
    setup, result, baseline = train(folder, make_regression_frame(), "price", "decision_tree")
    reg = bundle.write_bundle(setup, result, folder / "reg.zip", baseline=baseline)
    return {"classification": cls, "regression": reg}


@pytest.fixture
def classification_bundle(trained_bundles: dict[str, Path], tmp_path: Path) -> Path:
    """A private copy: tests may alter it."""
    copy = tmp_path / "cls.zip"
    copy.write_bytes(trained_bundles["classification"].read_bytes())
    return copy


@pytest.fixture
def regression_bundle(trained_bundles: dict[str, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "reg.zip"
    copy.write_bytes(trained_bundles["regression"].read_bytes())
    return copy


def rewrite(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)


def resign(path: Path, change: dict[str, bytes]) -> None:
    """Change members and sign again with this app's key (a legitimately signed bundle)."""
    files = {**bundle.read_bundle(path), **change}
    files.pop(bundle.SIGNATURE_FILE)
    files[bundle.SIGNATURE_FILE] = signing.sign_files(files).encode()
    rewrite(path, files)


# --- contents ---------------------------------------------------------------------

def test_classification_round_trip(classification_bundle: Path) -> None:
    files = bundle.read_bundle(classification_bundle)
    assert set(files) == set(bundle.CONTENT_FILES) | {bundle.SIGNATURE_FILE}
    metadata = json.loads(files["metadata.json"], parse_constant=pytest.fail)
    assert all(name in metadata for name in METADATA_FIELDS)
    assert metadata["format_version"] == 1 and metadata["task"] == "classification"
    assert metadata["classes"] == ["no", "yes"]
    assert metadata["algorithm"]["id"] == "logistic_regression"
    assert metadata["algorithm"]["library"] == "scikit-learn"
    assert metadata["requirements"] == {"problem_type": "classification"}
    assert metadata["baseline"]["key"] == "baseline" and metadata["baseline"]["metrics"]["test"]
    assert metadata["metrics"]["validation"]["f1_macro"] > metadata["baseline"]["metrics"][
        "validation"]["f1_macro"]
    assert {f["name"]: f["role"] for f in metadata["data"]["features"]} == {
        "x1": "numeric", "x2": "numeric", "colour": "categorical"}
    assert set(metadata["split"]) >= {"method", "sizes", "seed", "stratified", "valid_size",
                                      "test_size", "time_column"}
    assert metadata["model_size_bytes"] == len(files["model.joblib"])
    assert "xgboost" not in metadata["libraries"] and "lightgbm" not in metadata["libraries"]
    requirements = files["requirements.txt"].decode()
    assert "scikit-learn==" in requirements and "pandas==" in requirements
    assert files["predict.py"] == Path(predict_template.__file__).read_bytes()
    readme = files["README.md"].decode()
    assert "python predict.py" in readme and "python -m core predict" in readme
    assert "`colour`" in readme and "baseline" in readme
    report = bundle.check_bundle(classification_bundle)
    assert report.ok and report.signature_ok, (report.message.text(), report.detail)


def test_loaded_bundle_predicts_the_stored_samples(classification_bundle: Path) -> None:
    loaded = bundle.load_bundle(classification_bundle)
    files = bundle.read_bundle(classification_bundle)
    sample = pd.read_csv(io.BytesIO(files["sample_input.csv"]))
    predictions = bundle.predict_with_bundle(classification_bundle, sample)
    assert list(predictions.columns) == ["prediction", "probability_no", "probability_yes"]
    stored = pd.read_csv(io.BytesIO(files["sample_predictions.csv"]))
    assert predictions["prediction"].tolist() == stored["prediction"].tolist()
    np.testing.assert_allclose(predictions["probability_yes"], stored["probability_yes"])
    assert loaded.pipeline.predict(sample).tolist() == stored["prediction"].tolist()


def test_regression_round_trip_and_check(regression_bundle: Path) -> None:
    loaded = bundle.load_bundle(regression_bundle)
    assert loaded.metadata["task"] == "regression" and loaded.metadata["classes"] is None
    stored = pd.read_csv(io.BytesIO(bundle.read_bundle(regression_bundle)["sample_predictions.csv"]))
    assert list(stored.columns) == ["prediction"] and len(stored) == bundle.SAMPLE_ROWS
    report = bundle.check_bundle(regression_bundle)
    assert report.ok and report.signature_ok and report.rows == bundle.SAMPLE_ROWS


def test_check_in_a_warm_interpreter_agrees_with_a_cold_one(classification_bundle: Path) -> None:
    loaded = bundle.load_bundle(classification_bundle)
    modules = bundle.modules_to_preload(loaded.pipeline)
    assert {"pandas", "joblib", "sklearn.pipeline",
            "sklearn.linear_model._logistic"} <= set(modules)
    with bundle.check_folder() as folder:
        interpreter = clean_process.WarmInterpreter(Path(folder), modules)
        warm = bundle.check_bundle(classification_bundle, interpreter)
    cold = bundle.check_bundle(classification_bundle)
    assert warm.ok and cold.ok and warm.rows == cold.rows == bundle.SAMPLE_ROWS
    # A broken predict.py fails the warm check just as it fails the cold one.
    resign(classification_bundle, {"predict.py": b"raise SystemExit('broken on purpose')\n"})
    with bundle.check_folder() as folder:
        interpreter = clean_process.WarmInterpreter(Path(folder), modules)
        broken = bundle.check_bundle(classification_bundle, interpreter)
    assert not broken.ok and broken.signature_ok and "broken on purpose" in broken.detail


def test_check_reports_predictions_that_do_not_match(classification_bundle: Path) -> None:
    files = bundle.read_bundle(classification_bundle)
    stored = pd.read_csv(io.BytesIO(files["sample_predictions.csv"]))
    stored.loc[0, "prediction"] = "no" if stored.loc[0, "prediction"] == "yes" else "yes"
    resign(classification_bundle, {"sample_predictions.csv": stored.to_csv(index=False).encode()})
    report = bundle.check_bundle(classification_bundle)
    assert report.signature_ok and not report.ok
    assert report.mismatches and "row 1, prediction" in report.mismatches[0]


# --- predict.py on its own -----------------------------------------------------------

def clean_run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_predict_py_runs_with_nothing_of_the_repo(classification_bundle: Path, tmp_path: Path) -> None:
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(classification_bundle) as archive:
        archive.extractall(folder)
    done = clean_run(["predict.py", "sample_input.csv"], folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (folder / "sample_predictions.csv").read_text()
    script = ("import importlib.util, predict\n"
              "assert importlib.util.find_spec('core') is None, 'the repository is importable'\n"
              "model, metadata = predict.load()\n"
              "print(list(predict.predict('sample_input.csv', model, metadata).columns))")
    imported = clean_run(["-c", script], folder)
    assert imported.stdout.strip() == "['prediction', 'probability_no', 'probability_yes']", \
        imported.stderr


def test_predict_py_names_missing_columns_and_exits_2(classification_bundle: Path,
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(classification_bundle) as archive:
        archive.extractall(folder)
    (folder / "partial.csv").write_text("x1,extra\n1.0,5\n")
    done = clean_run(["predict.py", "partial.csv"], folder)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "'x2'" in done.stderr and "'colour'" in done.stderr
    with pytest.raises(DojoError) as caught:
        bundle.predict_with_bundle(classification_bundle, pd.DataFrame({"x1": [1.0]}))
    assert caught.value.key == "bundle.missing_columns"


def test_missing_markers_match_the_loader() -> None:
    assert predict_template.MISSING_MARKERS == data.MISSING_MARKERS


def test_input_formats_and_encodings_read_alike(tmp_path: Path) -> None:
    metadata = {"data": {"features": [{"name": "code", "dtype": "str", "role": "categorical"},
                                      {"name": "n", "dtype": "int64", "role": "numeric"}]}}
    frame = pd.DataFrame({"code": ["01234", "東京", None], "n": [1, None, 3]})
    (tmp_path / "a.csv").write_bytes("code,n\n01234,1\n東京,?\n-,3\n".encode("cp932"))
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_json(tmp_path / "a.json", orient="records")
    for name in ("a.csv", "a.parquet", "a.json"):
        read = predict_template.prepare_features(
            predict_template.read_input(tmp_path / name, metadata), metadata)
        assert read["code"].tolist()[:2] == ["01234", "東京"] and pd.isna(read["code"][2]), name
        assert read["n"].tolist()[0] == 1 and pd.isna(read["n"][1]), name


# --- a hand-built setup: text categories with leading zeros, a decision threshold ---

def hand_built_setup() -> tuple[Any, Any]:
    rng = np.random.default_rng(1)
    zips = np.array(["01234", "02345", "1234"])[rng.integers(0, 3, 60)]
    frame = pd.DataFrame({"zip": pd.array(zips, dtype="str"), "x": rng.normal(size=60)})
    frame["y"] = np.where((frame["zip"] == "01234") | (frame["x"] > 1), "B", "A")
    pipeline = Pipeline([
        ("prep", ColumnTransformer([("zip", OneHotEncoder(handle_unknown="ignore"), ["zip"])],
                                   remainder="passthrough")),
        ("model", LogisticRegression())]).fit(frame[["zip", "x"]], frame["y"])
    info = SplitInfo("random", {"train": 40, "validation": 10, "test": 10}, 0, False, 0.2, 0.2)
    split = DataSplit(np.arange(40), np.arange(40, 50), np.arange(50, 60), info)
    reason = Message("data.role_numeric")
    columns = [ColumnProfile("zip", "str", "categorical", reason, 0.0, 3, True),
               ColumnProfile("x", "float64", "numeric", reason, 0.0, 60, True),
               ColumnProfile("y", "str", "categorical", reason, 0.0, 2, False)]
    setup = training.TrainingSetup(
        frame=frame, target="y", task="classification", features=["zip", "x"],
        feature_roles={"zip": "categorical", "x": "numeric"}, split=split,
        profile=DataProfile(60, columns), classes=["A", "B"], data_name="zips.csv",
        data_sha256="0" * 64, seed=0)
    result = training.CandidateResult(
        key="logistic_regression", algorithm_id="logistic_regression",
        name={"en": "Logistic regression", "ja": "ロジスティック回帰"}, library="scikit-learn",
        hyperparameters={"C": np.float64(1.0)}, pipeline=pipeline,
        metrics={"validation": {"f1_macro": np.float64(0.9), "roc_auc": float("nan")}})
    return setup, result


def test_text_categories_keep_leading_zeros(tmp_path: Path) -> None:
    setup, result = hand_built_setup()
    path = bundle.write_bundle(setup, result, tmp_path / "zips.zip")
    files = bundle.read_bundle(path)
    assert b"01234" in files["sample_input.csv"] or b"02345" in files["sample_input.csv"]
    metadata = json.loads(files["metadata.json"])
    assert metadata["metrics"]["validation"]["roc_auc"] is None  # NaN became null
    assert metadata["hyperparameters"] == {"C": 1.0}
    assert bundle.check_bundle(path).ok
    predictions = bundle.predict_with_bundle(path, pd.DataFrame({"zip": ["01234"], "x": [0.0]}))
    assert predictions["prediction"].tolist() == ["B"]


def test_decision_threshold_picks_the_positive_class(tmp_path: Path) -> None:
    setup, result = hand_built_setup()
    path = bundle.write_bundle(setup, result, tmp_path / "t.zip", decision_threshold=0.0)
    assert bundle.load_bundle(path).metadata["decision_threshold"] == 0.0
    rows = pd.DataFrame({"zip": ["1234", "02345"], "x": [-3.0, -3.0]})
    assert bundle.predict_with_bundle(path, rows)["prediction"].tolist() == ["B", "B"]
    with pytest.raises(DojoError) as caught:
        bundle.write_bundle(setup, result, tmp_path / "bad.zip", decision_threshold=1.5)
    assert caught.value.key == "bundle.bad_threshold"


def test_extra_files_are_signed_under_extras(tmp_path: Path) -> None:
    setup, result = hand_built_setup()
    path = bundle.write_bundle(setup, result, tmp_path / "x.zip",
                               extra_files={"report.html": b"<p>hi</p>"})
    assert bundle.verify_bundle(path)["extras/report.html"] == b"<p>hi</p>"
    with pytest.raises(DojoError) as caught:
        bundle.write_bundle(setup, result, tmp_path / "y.zip", extra_files={"../evil": b""})
    assert caught.value.key == "bundle.bad_extra_name"


# --- refusing altered, unsigned and malformed bundles --------------------------------

@pytest.mark.parametrize("member", [*bundle.CONTENT_FILES, bundle.SIGNATURE_FILE])
def test_one_changed_byte_in_any_member_is_refused(classification_bundle: Path,
                                                   member: str) -> None:
    files = bundle.read_bundle(classification_bundle)
    content = bytearray(files[member])
    content[len(content) // 2] ^= 0x01
    rewrite(classification_bundle, {**files, member: bytes(content)})
    for load in (bundle.verify_bundle, bundle.load_bundle):
        with pytest.raises(DojoError) as caught:
            load(classification_bundle)
        assert caught.value.key == "bundle.bad_signature"
    report = bundle.check_bundle(classification_bundle)
    assert not report.ok and not report.signature_ok
    assert "DOJO_SIGNING_KEY" in report.message.text()


def test_unsigned_bundle_is_refused(classification_bundle: Path) -> None:
    files = bundle.read_bundle(classification_bundle)
    files.pop(bundle.SIGNATURE_FILE)
    rewrite(classification_bundle, files)
    with pytest.raises(DojoError) as caught:
        bundle.load_bundle(classification_bundle)
    assert caught.value.key == "bundle.bad_signature"


def test_bundle_signed_with_another_key_is_refused(classification_bundle: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_SIGNING_KEY", "someone else's key")
    with pytest.raises(DojoError) as caught:
        bundle.load_bundle(classification_bundle)
    assert caught.value.key == "bundle.bad_signature"
    assert not bundle.check_bundle(classification_bundle).signature_ok


@pytest.mark.parametrize("name", ["../evil.py", "/etc/passwd", "extras/../x", "sub/",
                                  "notes.txt", "extras/a/b"])
def test_unexpected_paths_are_refused(classification_bundle: Path, name: str) -> None:
    files = bundle.read_bundle(classification_bundle)
    rewrite(classification_bundle, {**files, name: b""})
    with pytest.raises(DojoError) as caught:
        bundle.read_bundle(classification_bundle)
    assert caught.value.key == "bundle.unexpected_member"


def test_missing_and_oversized_members_and_non_zips_are_refused(
        classification_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = bundle.read_bundle(classification_bundle)
    monkeypatch.setattr(bundle, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(DojoError) as caught:
        bundle.read_bundle(classification_bundle)
    assert caught.value.key == "bundle.member_too_large"
    monkeypatch.undo()
    rewrite(classification_bundle, {k: v for k, v in files.items() if k != "model.joblib"})
    expected = {"bundle.missing_files": classification_bundle,
                "bundle.not_a_zip": Path(__file__),
                "bundle.not_found": tmp_path / "nothing.zip"}
    for key, path in expected.items():
        with pytest.raises(DojoError) as caught:
            bundle.read_bundle(path)
        assert caught.value.key == key


def test_newer_format_versions_are_refused(classification_bundle: Path) -> None:
    metadata = json.loads(bundle.read_bundle(classification_bundle)["metadata.json"])
    resign(classification_bundle,
           {"metadata.json": json.dumps({**metadata, "format_version": 2}).encode()})
    with pytest.raises(DojoError) as caught:
        bundle.load_bundle(classification_bundle)
    assert caught.value.key == "bundle.unsupported_version"


# --- helpers and reproduction --------------------------------------------------------

def test_json_safe_converts_numpy_and_missing_values() -> None:
    value = {"a": np.int64(3), "b": [np.float32(0.5), float("inf")], "c": (1, pd.NA),
             "d": np.array([1, 2]), 4: Message("x.y", {"n": np.int8(1)})}
    assert bundle.json_safe(value) == {"a": 3, "b": [0.5, None], "c": [1, None], "d": [1, 2],
                                       "4": {"key": "x.y", "params": {"n": 1}}}


def test_code_commit_is_a_hash_or_unknown() -> None:
    commit, dirty = core.code_commit()
    assert commit == "unknown" or (len(commit) == 40 and isinstance(dirty, bool))


def test_reproduce_gives_identical_predictions(tmp_path: Path) -> None:
    setup, result, baseline = train(tmp_path, make_regression_frame(), "price", "ridge")
    path = bundle.write_bundle(setup, result, tmp_path / "r.zip", baseline=baseline)
    report = bundle.reproduce_bundle(path, data.load_table(tmp_path / "table.csv"), n_jobs=1)
    assert report.ok and report.comparison.identical and report.data_matches
    assert report.feature_differences == []


def test_compare_predictions_measures_differences() -> None:
    old = pd.DataFrame({"prediction": ["a", "b", "a"], "probability_a": [0.9, 0.2, 0.6]})
    new = pd.DataFrame({"prediction": ["a", "a", "a"], "probability_a": [0.9, 0.5, 0.6]})
    comparison = bundle.compare_predictions(old, new, {"prediction"})
    assert comparison.differing_labels == 1 and not comparison.identical
    assert comparison.max_difference == pytest.approx(0.3) and not comparison.within_tolerance
    assert bundle.compare_predictions(old, old.copy(), {"prediction"}).identical


# --- clustering and dimensionality reduction --------------------------------------------

def train_unsupervised(folder: Path, frame: pd.DataFrame, task: str, algorithm: str,
                       params: dict | None = None) -> tuple[Any, Any, Any]:
    """A tiny run without a target: ``segment`` / ``topic`` only colour the plots."""
    path = folder / f"{algorithm}.csv"
    frame.to_csv(path, index=False)
    colour = "segment" if "segment" in frame else "topic"
    setup = training.prepare_setup(data.load_table(path), colour, task=task, seed=0, n_jobs=1)
    results = training.train_candidates(setup, [algorithm], {algorithm: params or {}})
    result = next(r for r in results if r.key == algorithm)
    baseline = training.baseline_of(results)
    for item in (result, baseline):
        training.score_test(setup, item)
    return setup, result, baseline


@pytest.fixture(scope="module")
def unsupervised_bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A Gaussian-mixture, a PCA and a t-SNE bundle, each checked in a clean process
    (the three checks run side by side)."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.core.test_unsupervised import TSNE_FAST, blobs_frame, counts_frame
    folder = tmp_path_factory.mktemp("unsupervised")
    runs = {"gaussian_mixture": (blobs_frame(), "clustering", {}),
            "pca": (counts_frame(), "dimensionality_reduction", {}),
            "tsne": (counts_frame(), "dimensionality_reduction", TSNE_FAST)}
    out: dict[str, Any] = {}
    for algorithm, (frame, task, params) in runs.items():
        setup, result, baseline = train_unsupervised(folder, frame, task, algorithm, params)
        path = bundle.write_bundle(setup, result, folder / f"{algorithm}.zip", baseline=baseline)
        out[algorithm] = {"path": path, "setup": setup}
    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = {name: pool.submit(bundle.check_bundle, item["path"])
                   for name, item in out.items()}
        for name, report in reports.items():
            out[name]["check"] = report.result()
    return out


def test_clustering_bundle_assigns_clusters(unsupervised_bundles: dict[str, Any]) -> None:
    item = unsupervised_bundles["gaussian_mixture"]
    assert item["check"].ok, (item["check"].message.text(), item["check"].detail)
    loaded = bundle.load_bundle(item["path"])
    meta = loaded.metadata
    assert (meta["task"], meta["target"], meta["classes"]) == ("clustering", None, None)
    assert meta["unsupervised"]["colour_column"] == "segment"
    assert meta["unsupervised"]["n_clusters"] == 3 and meta["unsupervised"]["new_rows"]
    assert "segment" not in [f["name"] for f in meta["data"]["features"]]
    assert -1 <= meta["metrics"]["validation"]["silhouette"] <= 1
    assert meta["baseline"]["key"] == "baseline" and meta["timings"]["latency_p95_ms"] > 0
    X, _ = item["setup"].part("test")
    predictions = bundle.predict_loaded(loaded, X)
    assert list(predictions.columns) == ["prediction", "probability_0", "probability_1",
                                         "probability_2"]
    assert set(predictions["prediction"]) <= {0, 1, 2}
    card = bundle.read_bundle(item["path"])["README.md"].decode()
    assert "cluster number" in card and "without a target column" in card


def test_reduction_bundle_transforms_new_rows(unsupervised_bundles: dict[str, Any]) -> None:
    item = unsupervised_bundles["pca"]
    assert item["check"].ok, (item["check"].message.text(), item["check"].detail)
    loaded = bundle.load_bundle(item["path"])
    assert loaded.metadata["unsupervised"]["output_columns"] == ["component_1", "component_2"]
    assert loaded.embedding is None
    new_row = pd.DataFrame({"w0": [9], "w1": [0], "w2": [0], "w3": [1], "w4": [2],
                            "source": ["radio"]})
    assert list(bundle.predict_loaded(loaded, new_row).columns) == ["component_1",
                                                                    "component_2"]


def test_tsne_bundle_holds_the_training_embedding_and_says_so(
        unsupervised_bundles: dict[str, Any], tmp_path: Path) -> None:
    item = unsupervised_bundles["tsne"]
    assert item["check"].ok, (item["check"].message.text(), item["check"].detail)
    files = bundle.read_bundle(item["path"])
    stored = predict_template.read_embedding(files["extras/embedding.csv"])
    train_rows, _ = item["setup"].part("train")
    assert len(stored) == len(train_rows.drop_duplicates())   # identical rows share a key
    assert "cannot transform new rows" in files["README.md"].decode()
    assert json.loads(files["metadata.json"])["unsupervised"]["new_rows"] is False
    loaded = bundle.load_bundle(item["path"])
    known = bundle.predict_loaded(loaded, train_rows.head(4))
    keys = predict_template.row_keys(loaded.pipeline, train_rows.head(4))
    assert np.allclose(known.to_numpy(), stored.loc[keys].to_numpy())
    new_row = train_rows.head(1).assign(w0=99)
    with pytest.raises(DojoError) as caught:
        bundle.predict_with_bundle(item["path"], new_row)
    assert "t-SNE cannot transform new rows" in caught.value.message()
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(item["path"]) as archive:
        archive.extractall(folder)
    new_row.to_csv(folder / "new.csv", index=False)
    done = clean_run(["predict.py", "new.csv"], folder)
    assert done.returncode == 2 and "t-SNE cannot transform new rows" in done.stderr
    assert done.stderr.count("\n") == 1
