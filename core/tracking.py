"""The experiment store: every trained candidate recorded as an MLflow run.

Where runs go
    ``MLFLOW_TRACKING_URI`` when set (a team server, or any MLflow store URI); otherwise a
    local SQLite store ``sqlite:///<DOJO_HOME>/mlruns.db`` with artifacts under
    ``<DOJO_HOME>/mlartifacts``. ``mlflow ui --backend-store-uri <uri>`` shows the same runs.

What a run holds
    params: the hyperparameters; metrics: validation and test scores, timings, model size;
    tags: algorithm, candidate key, code commit, seed, data sha256, dataset name, task,
    target, app version, status, job; artifacts: the signed bundle and the boosting history.

How it stays off the page's critical path
    MLflow is imported lazily (it takes seconds) and only by the single background writer
    thread or by the reading functions. Callers enqueue; :func:`flush` waits (tests, CLI).
    The command line goes further (:func:`record_in_child`): a child process imports MLflow
    while the CLI imports its own libraries and reads the data, and writes the runs, so the
    training never shares its cores with MLflow.

Nothing is lost
    A candidate's run is created as RUNNING when it starts and finished when it ends, so a
    crash leaves it behind; :func:`list_runs` marks such stale runs ``interrupted``. An
    unreachable server gives a translated warning (:func:`status`) and the run goes to the
    local store instead. Writes to a local SQLite store hold a file lock, so several
    processes can record at once.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import inspect
import json
import logging
import math
import os
import queue
import pickle
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd

import core
from core.config import dojo_home
from core.errors import DojoError
from core.i18n import Message

log = logging.getLogger(__name__)

EXPERIMENT_NAME = "model-dojo"
PROBE_SECONDS = 2.0             # how long the reachability check of a server may take
PROBE_CACHE_SECONDS = 30.0      # a failed server is tried again after this long
EXIT_FLUSH_SECONDS = 120.0      # how long an exiting process waits for its queued runs
STALE_RUNNING_HOURS = 24.0      # a RUNNING run of another machine counts as interrupted after
BUNDLE_ARTIFACT_DIR = "bundle"
HISTORY_ARTIFACT = "history.json"
LIST_LIMIT = 1000

# Tag names (plain, so MLflow's UI reads well) and the status values the app shows.
RUNNING, FINISHED, FAILED, INTERRUPTED = "running", "finished", "failed", "interrupted"
_MLFLOW_STATUS = {RUNNING: "RUNNING", FINISHED: "FINISHED", FAILED: "FAILED",
                  INTERRUPTED: "KILLED"}
INFO_COLUMNS: tuple[str, ...] = (
    "run_id", "name", "status", "start_time", "end_time", "algorithm", "candidate_key",
    "baseline", "dataset", "data_sha256", "task", "target", "seed", "job", "code_commit",
    "app_version", "has_bundle", "store")


# --- where the store is -----------------------------------------------------------------------

def local_uri() -> str:
    """The local SQLite store under DOJO_HOME (always available)."""
    return f"sqlite:///{(dojo_home() / 'mlruns.db').resolve().as_posix()}"


def tracking_uri() -> str:
    """The configured store: ``MLFLOW_TRACKING_URI``, or the local SQLite store."""
    return os.environ.get("MLFLOW_TRACKING_URI", "").strip() or local_uri()


def artifact_root() -> str:
    """Where a local store keeps artifacts (bundles), as a file URI."""
    folder = dojo_home() / "mlartifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder.resolve().as_uri()


def is_remote(uri: str) -> bool:
    """Whether ``uri`` is a tracking server reached over HTTP(S)."""
    return uri.startswith(("http://", "https://"))


def _sqlite_path(uri: str) -> Path | None:
    return Path(uri[len("sqlite:///"):]) if uri.startswith("sqlite:///") else None


def probe(uri: str) -> bool:
    """Whether the store at ``uri`` answers; non-HTTP stores count as reachable.

    Any HTTP answer (even 401 or 404) means a server is there; only a refused or timed-out
    connection means it is not. The check is ours because MLflow's own client retries for
    minutes before it gives up.
    """
    if not is_remote(uri):
        return True
    try:
        with urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=PROBE_SECONDS):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


_FILE_LOCKS: dict[str, tuple[threading.RLock, list[Any]]] = {}
_FILE_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def store_lock(uri: str) -> Iterator[None]:
    """An exclusive cross-process lock for writes to a local SQLite store (re-entrant).

    SQLite waits for its own locks, but MLflow's first-time table creation and experiment
    creation are not safe when two processes do them at once; the lock makes them so.
    A thread lock in front of the file lock makes nested use safe: two ``flock`` calls of
    one process on separate handles would wait for each other forever.
    """
    path = _sqlite_path(uri)
    if path is None:
        yield
        return
    with _FILE_LOCKS_GUARD:
        lock, holder = _FILE_LOCKS.setdefault(str(path), (threading.RLock(), [None, 0]))
    with lock:
        if holder[1] == 0:
            holder[0] = _lock_file(path)
        holder[1] += 1
        try:
            yield
        finally:
            holder[1] -= 1
            if holder[1] == 0 and holder[0] is not None:
                holder[0].close()       # closing the handle releases the flock
                holder[0] = None


def _lock_file(path: Path) -> Any:
    """An open handle holding an exclusive flock on ``<db>.lock`` (None where no fcntl)."""
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own locking has to do
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(f"{path}.lock", "a+b")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


# --- the MLflow client, imported lazily ---------------------------------------------------------

_CLIENTS: dict[str, Any] = {}
_EXPERIMENTS: dict[str, str] = {}
_CLIENT_LOCK = threading.RLock()


def _mlflow_env_defaults() -> None:
    """Fail fast against a dead server, no progress bars (the user may override these)."""
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "20")
    # Download progress bars would land in the server's log on every restore.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")


def client_for(uri: str) -> Any:
    """A cached ``MlflowClient`` for ``uri``; the first call imports MLflow."""
    with _CLIENT_LOCK:
        if uri not in _CLIENTS:
            _mlflow_env_defaults()
            from mlflow.tracking import MlflowClient  # slow import: only here, only once
            # "Creating initial MLflow database tables..." is noise on a user's terminal;
            # MLflow sets its logger to INFO when imported, so quieten it after the import.
            logging.getLogger("mlflow").setLevel(logging.WARNING)
            logging.getLogger("alembic").setLevel(logging.WARNING)
            # Exit hooks run last-registered first: ours must run before MLflow's own.
            atexit.unregister(_flush_at_exit)
            atexit.register(_flush_at_exit)
            with store_lock(uri):   # creating the client creates a new store's tables
                client = MlflowClient(tracking_uri=uri)
                client.search_experiments(max_results=1)
            _CLIENTS[uri] = client
        return _CLIENTS[uri]


def experiment_id(uri: str, create: bool = False) -> str | None:
    """The id of the app's experiment in ``uri`` (created on first write)."""
    with _CLIENT_LOCK:
        if uri in _EXPERIMENTS:
            return _EXPERIMENTS[uri]
        client = client_for(uri)
        name = os.environ.get("DOJO_MLFLOW_EXPERIMENT", EXPERIMENT_NAME)
        found = client.get_experiment_by_name(name)
        if found is None and create:
            with store_lock(uri):
                found = client.get_experiment_by_name(name)   # another process may have won
                if found is None:
                    location = None if is_remote(uri) else artifact_root()
                    client.create_experiment(name, artifact_location=location)
                    found = client.get_experiment_by_name(name)
        if found is None:
            return None
        _EXPERIMENTS[uri] = found.experiment_id
        return found.experiment_id


# --- what a run holds -----------------------------------------------------------------------

@dataclass
class RunRecord:
    """Everything one candidate's run holds, kept whole so it can be (re)written anywhere."""

    token: str                       # ours, known before MLflow assigns a run id
    run_name: str
    tags: dict[str, str]
    params: dict[str, str]
    metrics: dict[str, float] = field(default_factory=dict)
    status: str = RUNNING
    start_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    end_ms: int | None = None
    texts: dict[str, str] = field(default_factory=dict)          # small artifacts by path
    bundle: Callable[[Path], Path | None] | None = None           # writes the bundle into a folder
    dataset: tuple[str, str, str] | None = None                   # name, sha256, source


def _param_text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text[:6000]


def param_value(text: str) -> Any:
    """A logged hyperparameter back as a value ("0.1" -> 0.1, "gini" -> "gini")."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def result_metrics(result: Any) -> dict[str, float]:
    """MLflow metrics of a finished candidate: scores per split part, timings, size."""
    out: dict[str, float] = {}
    for part, values in (result.metrics or {}).items():
        for name, value in (values or {}).items():
            if (number := _number(value)) is not None:
                out[f"{part}_{name}"] = number
    for name, value in (result.timings or {}).items():
        if (number := _number(value)) is not None:
            out[name] = number
    if result.model_size_bytes:
        out["model_size_bytes"] = float(result.model_size_bytes)
    return out


def _process_start(pid: int) -> str:
    """The start time of process ``pid`` from /proc (guards against reused pids)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def process_tag() -> str:
    """This process, as "host|pid|start" (the owner of the runs it starts)."""
    return f"{socket.gethostname()}|{os.getpid()}|{_process_start(os.getpid())}"


def _setup_tags(setup: Any, job: str | None) -> dict[str, str]:
    info = setup.split.info
    split = {"method": info.method, "sizes": info.sizes, "seed": info.seed,
             "stratified": info.stratified, "valid_size": info.valid_size,
             "test_size": info.test_size, "time_column": info.time_column}
    return {"dataset": str(setup.data_name), "data_sha256": str(setup.data_sha256),
            "task": str(setup.task), "target": str(setup.target or ""),
            "seed": str(setup.seed), "split": json.dumps(split, default=str),
            "features": str(len(setup.features)), "app_version": core.__version__,
            "job": job or "", "dojo.process": process_tag()}


def start_record(setup: Any, key: str, algorithm_id: str, hyperparameters: dict[str, Any],
                 names: dict[str, str], library: str, is_baseline: bool,
                 job: str | None = None) -> RunRecord:
    """The record of a candidate that starts training now (status RUNNING)."""
    token = uuid.uuid4().hex
    tags = {**_setup_tags(setup, job), "algorithm": algorithm_id, "candidate_key": key,
            "library": library, "baseline": str(bool(is_baseline)).lower(), "status": RUNNING,
            "name_en": names.get("en", key), "name_ja": names.get("ja", names.get("en", key)),
            "hyperparameters": json.dumps(hyperparameters, default=str)[:7900],
            "dojo.token": token}
    params = {str(name): _param_text(value) for name, value in hyperparameters.items()}
    return RunRecord(token=token, run_name=f"{names.get('en', key)} · {setup.data_name}",
                     tags=tags, params=params,
                     dataset=(str(setup.data_name), str(setup.data_sha256), "dojo"))


def finish_record(record: RunRecord, result: Any,
                  bundle: Callable[[Path], Path | None] | None = None) -> RunRecord:
    """``record`` completed with ``result``'s metrics, status and artifacts."""
    record.metrics = result_metrics(result)
    record.status = FINISHED if result.ok else FAILED
    record.tags["status"] = record.status
    record.end_ms = int(time.time() * 1000)
    if result.error is not None:
        record.tags["error_key"] = result.error.key
        record.tags["error_params"] = json.dumps(result.error.params, default=str)[:7900]
        record.tags["error"] = result.error.text("en")[:7900]
    if result.history:
        record.texts[HISTORY_ARTIFACT] = json.dumps(result.history, default=float)
        record.tags["history"] = "true"
    record.bundle = bundle if result.ok else None
    return record


# --- the background writer ------------------------------------------------------------------

@dataclass(frozen=True)
class TrackingStatus:
    """Where runs go now, and why that is not the configured store (if it is not)."""

    configured_uri: str
    active_uri: str
    warning: Message | None
    pending: int

    @property
    def fallback(self) -> bool:
        return self.active_uri != self.configured_uri


@dataclass
class _Op:
    kind: str                   # "start" | "finish" | "interrupt" | "metrics" | "prepare"
    record: RunRecord | None = None
    run_ref: tuple[str, str] | None = None   # (uri, run id) for "interrupt"
    extra: dict[str, Any] = field(default_factory=dict)   # job, key, metrics for "metrics"


def _preload_exit_sensitive_modules() -> None:
    """Import now what the writer's lazy imports would otherwise import at interpreter exit.

    concurrent.futures registers a threading exit hook when imported, which Python refuses
    once shutdown began; MLflow and joblib import it, so a writer still importing them while
    the process exits (a short CLI run) would fail and lose the queued runs.
    """
    import concurrent.futures.process  # noqa: F401
    import concurrent.futures.thread  # noqa: F401


class _Writer:
    """One daemon thread applying queued writes in order; never raises into callers."""

    def __init__(self) -> None:
        self._queue: queue.Queue[_Op] = queue.Queue()
        self._cond = threading.Condition()
        self._pending = 0
        self._thread: threading.Thread | None = None
        self._runs: dict[str, tuple[str, str]] = {}     # token -> (uri, run id)
        self._tokens: dict[tuple[str, str], str] = {}   # (job, candidate key) -> token
        self._down: dict[str, float] = {}               # uri -> when it was found unreachable
        self._up: dict[str, float] = {}                 # uri -> when it last answered
        self._interrupting: set[tuple[str, str]] = set()
        self.warnings: dict[str, Message] = {}          # configured uri -> what went wrong
        self._child: subprocess.Popen[bytes] | None = None   # see use_child()
        self._sent = 0                                  # ops the child was sent

    def submit(self, op: _Op) -> None:
        """Queue ``op``; the first call starts the writer thread."""
        with self._cond:
            self._pending += 1
            if self._thread is None or not self._thread.is_alive():
                _preload_exit_sensitive_modules()
                self._thread = threading.Thread(target=self._loop, name="dojo-tracking",
                                                daemon=True)
                self._thread.start()
        self._queue.put(op)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued write is done; False if ``timeout`` ran out first.

        With a child writer (:meth:`use_child`) this ends the child: its writes are done
        when it reports back, and later writes are applied in this process again.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._pending:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
            child, self._child = self._child, None
        if child is None:
            return True
        return self._end_child(child, None if deadline is None else deadline - time.monotonic())

    # --- the child writer (the command line) ---

    def use_child(self) -> None:
        """Apply writes in a child process from now on (see :func:`record_in_child`)."""
        package_root = str(Path(core.__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root,
                                                          env.get("PYTHONPATH")]))
        with self._cond:
            if self._child is not None:
                return
            try:
                self._child = subprocess.Popen(
                    [sys.executable, "-c", "from core.tracking import serve_child; serve_child()"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    env=env)
            except OSError as exc:   # no child, no harm: the writes stay in this process
                log.debug("could not start the tracking child process: %s", exc)
            self._sent = 0

    def _send(self, op: _Op) -> bool:
        """Hand ``op`` to the child writer; False when there is none (apply it here)."""
        child = self._child
        if child is None or child.stdin is None:
            return False
        try:
            pickle.dump(op, child.stdin)
            child.stdin.flush()
        except (OSError, pickle.PicklingError, AttributeError, TypeError) as exc:
            # The child died, or the op holds a callable: apply it here, and the rest too.
            with self._cond:
                self._child = None
            if self._sent:   # what it was sent before may not have been written
                self.warnings[tracking_uri()] = Message(
                    "tracking.write_failed", {"detail": f"recording process: {exc}"[:300]})
            return False
        self._sent += 1
        return True

    def _end_child(self, child: subprocess.Popen[bytes], timeout: float | None) -> bool:
        """Close the child's input and read its report (warnings, servers found down)."""
        if not self._sent:         # nothing to write: it is only importing, so stop it
            child.kill()
            child.communicate()
            return True
        assert child.stdin is not None and child.stdout is not None
        child.stdin.close()
        # The report arrives once every write is done; it exits without tearing MLflow down.
        reader = threading.Thread(target=self._read_report, args=(child,), daemon=True)
        reader.start()
        reader.join(timeout)
        return not reader.is_alive()

    def _read_report(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        try:
            warnings, down = pickle.load(child.stdout)
        except Exception:
            child.wait()
            self.warnings[tracking_uri()] = Message(
                "tracking.write_failed",
                {"detail": f"recording process exited with code {child.returncode}"})
            return
        self.warnings.update(warnings)
        now = time.monotonic()
        self._down.update({uri: now for uri in down})

    def report(self) -> tuple[dict[str, Message], list[str]]:
        """What the parent of a child writer needs to know once the child is done."""
        return dict(self.warnings), list(self._down)

    @property
    def has_child(self) -> bool:
        return self._child is not None

    @property
    def pending(self) -> int:
        with self._cond:
            return self._pending

    def run_ref(self, token: str) -> tuple[str, str] | None:
        return self._runs.get(token)

    def _loop(self) -> None:
        while True:
            op = self._queue.get()
            try:
                if not self._send(op):
                    self.apply_safely(op)
            finally:
                with self._cond:
                    self._pending -= 1
                    self._cond.notify_all()

    def apply_safely(self, op: _Op) -> None:
        """Apply ``op`` now; a failure becomes a warning, never an exception."""
        try:
            self._apply(op)
        except Exception as exc:  # a failed write must not kill the writer
            log.exception("tracking write failed")
            self.warnings[tracking_uri()] = Message(
                "tracking.write_failed", {"detail": f"{type(exc).__name__}: {exc}"[:300]})

    def _apply(self, op: _Op) -> None:
        if op.kind == "prepare":
            experiment_id(self.target_uri(), create=True)
            return
        if op.kind == "interrupt" and op.run_ref is not None:
            mark_interrupted(*op.run_ref)
            return
        if op.kind == "metrics":
            self._add_metrics(**op.extra)
            return
        record = op.record
        assert record is not None
        known = self._runs.get(record.token)
        uri = known[0] if known else self.target_uri()
        try:
            self._write(uri, op.kind, record)
        except Exception as exc:
            if uri == local_uri():
                raise
            # The server went away between the check and the write: keep the run locally.
            self._mark_down(uri, exc)
            self._runs.pop(record.token, None)
            self._write(local_uri(), op.kind, record)

    def target_uri(self) -> str:
        """The configured store if it answers, else the local one."""
        uri = tracking_uri()
        return uri if self.reachable(uri) else local_uri()

    def reachable(self, uri: str) -> bool:
        """Whether ``uri`` answers; either answer is trusted for PROBE_CACHE_SECONDS."""
        now = time.monotonic()
        down_since = self._down.get(uri)
        if down_since is not None and now - down_since < PROBE_CACHE_SECONDS:
            return False
        if down_since is None and now - self._up.get(uri, -math.inf) < PROBE_CACHE_SECONDS:
            return True
        if probe(uri):
            self._up[uri] = now
            if self._down.pop(uri, None) is not None:
                self.warnings.pop(uri, None)
            return True
        self._mark_down(uri, None)
        return False

    def interrupt(self, uri: str, run_id: str) -> None:
        """Queue closing a stale run as interrupted (once per process)."""
        with self._cond:
            if (uri, run_id) in self._interrupting:
                return
            self._interrupting.add((uri, run_id))
        self.submit(_Op("interrupt", run_ref=(uri, run_id)))

    def _mark_down(self, uri: str, exc: BaseException | None) -> None:
        self._down[uri] = time.monotonic()
        self._up.pop(uri, None)
        self.warnings[uri] = Message("tracking.server_unreachable",
                                     {"uri": uri, "local": local_uri()})
        log.warning("tracking store %s unreachable (%s); writing to %s", uri, exc, local_uri())

    def _write(self, uri: str, kind: str, record: RunRecord) -> None:
        # Client and experiment first: their locks are always taken before the file lock.
        client, exp_id = client_for(uri), experiment_id(uri, create=True)
        with tempfile.TemporaryDirectory(prefix="dojo-run-") as folder:
            # The bundle is written outside the file lock: other processes keep writing.
            bundle = _write_bundle(record, Path(folder)) if kind == "finish" else None
            with store_lock(uri):
                run_id = self._ensure_run(uri, client, exp_id, record)
                if kind == "finish":
                    _complete_run(client, run_id, record, bundle)

    def _ensure_run(self, uri: str, client: Any, exp_id: str | None, record: RunRecord) -> str:
        known = self._runs.get(record.token)
        if known and known[0] == uri:
            return known[1]
        run_id = _create_run(client, exp_id, record)
        self._runs[record.token] = (uri, run_id)
        self._tokens[(record.tags.get("job", ""), record.tags.get("candidate_key", ""))] = \
            record.token
        return run_id

    def _add_metrics(self, job: str, key: str, metrics: dict[str, float]) -> None:
        """Log more metrics (e.g. test scores) into the run of ``key`` in ``job``."""
        from mlflow.entities import Metric

        token = self._tokens.get((job, key))
        ref = self._runs.get(token) if token else _find_job_run(job, key)
        if ref is None:      # that candidate was never recorded: nothing to add to
            return
        uri, run_id = ref
        stamp = int(time.time() * 1000)
        client = client_for(uri)
        with store_lock(uri):
            client.log_batch(run_id, metrics=[Metric(name, value, stamp, 0)
                                              for name, value in metrics.items()])


def _create_run(client: Any, exp_id: str | None, record: RunRecord) -> str:
    """Create the MLflow run with its tags, params and dataset; status RUNNING."""
    from mlflow.entities import Param

    commit, dirty = _commit()
    tags = {**record.tags, "code_commit": commit, "mlflow.source.git.commit": commit,
            "code_dirty": str(dirty).lower()}
    run = client.create_run(exp_id, start_time=record.start_ms, tags=tags,
                            run_name=record.run_name)
    run_id = run.info.run_id
    params = [Param(name, value) for name, value in record.params.items()]
    if params:
        client.log_batch(run_id, params=params)
    _log_dataset(client, run_id, record)
    return run_id


def _commit() -> tuple[str, bool | None]:
    """The code commit, looked up once per process (it runs git)."""
    global _COMMIT
    if _COMMIT is None:
        _COMMIT = core.code_commit()
    return _COMMIT


_COMMIT: tuple[str, bool | None] | None = None


def _log_dataset(client: Any, run_id: str, record: RunRecord) -> None:
    """The training data as an MLflow dataset input (name and digest; the rows stay here)."""
    if record.dataset is None:
        return
    from mlflow.entities import Dataset, DatasetInput, InputTag

    name, sha256, source = record.dataset
    dataset = Dataset(name=name[:500], digest=sha256[:36], source_type="local",
                      source=json.dumps({"name": name, "sha256": sha256, "via": source}))
    client.log_inputs(run_id, datasets=[DatasetInput(
        dataset, tags=[InputTag("mlflow.data.context", "training")])])


def _write_bundle(record: RunRecord, folder: Path) -> tuple[Path | None, dict[str, str]]:
    """The run's bundle written into ``folder``, and the tags that say how that went."""
    if record.bundle is None:
        return None, {}
    try:
        path = record.bundle(folder)
    except DojoError as exc:
        return None, {"bundle": "false", "bundle_error": exc.message("en")[:7900]}
    except Exception as exc:  # a bundle that cannot be written must not lose the run
        log.exception("writing the bundle of run %s failed", record.token)
        return None, {"bundle": "false", "bundle_error": f"{type(exc).__name__}: {exc}"[:7900]}
    if path is None:
        return None, {"bundle": "false"}
    return path, {"bundle": "true", "bundle_file": path.name}


def _complete_run(client: Any, run_id: str, record: RunRecord,
                  bundle: tuple[Path | None, dict[str, str]] | None) -> None:
    """Metrics, final tags, artifacts (history, bundle), then the terminal status."""
    from mlflow.entities import Metric, RunTag

    stamp = record.end_ms or int(time.time() * 1000)
    metrics = [Metric(name, value, stamp, 0) for name, value in record.metrics.items()]
    for path, text in record.texts.items():
        client.log_text(run_id, text, path)
    bundle_path, bundle_tags = bundle or (None, {})
    if bundle_path is not None:
        client.log_artifact(run_id, str(bundle_path), BUNDLE_ARTIFACT_DIR)
    tags = {**record.tags, **bundle_tags}
    client.log_batch(run_id, metrics=metrics,
                     tags=[RunTag(name, value) for name, value in tags.items()])
    client.set_terminated(run_id, _MLFLOW_STATUS[record.status], end_time=stamp)


def mark_interrupted(uri: str, run_id: str) -> None:
    """Close a run whose process died: tag ``status=interrupted``, MLflow status KILLED."""
    client = client_for(uri)
    with store_lock(uri):
        client.set_tag(run_id, "status", INTERRUPTED)
        client.set_terminated(run_id, _MLFLOW_STATUS[INTERRUPTED])


_WRITER = _Writer()
_LIVE_TOKENS: set[str] = set()      # runs this process is training right now
_LIVE_LOCK = threading.Lock()


def flush(timeout: float | None = 60.0) -> bool:
    """Wait until every queued run is written (tests, the command line, shutdown)."""
    return _WRITER.flush(timeout)


def record_in_child() -> None:
    """Write this process's runs from a child process (the command line).

    The child imports MLflow at once, beside the caller's own imports and data loading, on
    the core they leave idle; then it writes each run as it arrives, at low priority, so
    the training never waits for MLflow nor shares its cores with it. :func:`flush` ends
    the child; without it, every write is applied in this process as before.
    """
    _WRITER.use_child()


def prepare() -> None:
    """Open (or create) the store in the background now, before the first run needs it."""
    _WRITER.submit(_Op("prepare"))


def serve_child() -> None:
    """The child writer's main: apply the pickled ops on stdin, report on stdout at the end."""
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)   # the training comes first; the runs have until the end to be written
    # Ctrl-C reaches the whole process group: the parent decides, and after it the child
    # still writes the runs the parent closes as interrupted.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _mlflow_env_defaults()
    # The seconds this process exists to spend, before the parent needs them.
    import mlflow.entities  # noqa: F401
    import mlflow.store.tracking.sqlalchemy_store  # noqa: F401
    import mlflow.tracking  # noqa: F401
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    ops, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            op = pickle.load(ops)
        except EOFError:
            break
        _WRITER.apply_safely(op)
    pickle.dump(_WRITER.report(), out)
    out.flush()
    # Every write is committed; tearing MLflow and SQLAlchemy down would only cost time.
    os._exit(0)


def status() -> TrackingStatus:
    """Where runs go and any warning to show (e.g. the team server is unreachable)."""
    configured = tracking_uri()
    down = configured in _WRITER._down
    return TrackingStatus(configured, local_uri() if down else configured,
                          _WRITER.warnings.get(configured), _WRITER.pending)


def check_store() -> TrackingStatus:
    """Check now whether the configured store answers (a page may call it on load)."""
    _WRITER.reachable(tracking_uri())
    return status()


@atexit.register
def _flush_at_exit() -> None:
    # Daemon threads die with the interpreter: give queued runs a last chance first.
    if _WRITER.pending or _WRITER.has_child:
        _WRITER.flush(EXIT_FLUSH_SECONDS)


def submit_start(record: RunRecord) -> None:
    """Queue the creation of ``record``'s run (status RUNNING)."""
    with _LIVE_LOCK:
        _LIVE_TOKENS.add(record.token)
    # A copy: the caller completes ``record`` while the writer may still be creating the run.
    snapshot = dataclasses.replace(record, tags=dict(record.tags), params=dict(record.params),
                                   metrics={}, texts={}, bundle=None)
    _WRITER.submit(_Op("start", snapshot))


def submit_finish(record: RunRecord) -> None:
    """Queue the completion of ``record``'s run (metrics, artifacts, final status)."""
    _WRITER.submit(_Op("finish", record))
    with _LIVE_LOCK:
        _LIVE_TOKENS.discard(record.token)


def submit_interrupted(record: RunRecord) -> None:
    """Queue the closing of a run that will never finish (its job stopped or failed)."""
    record.status = INTERRUPTED
    record.tags["status"] = INTERRUPTED
    record.end_ms = int(time.time() * 1000)
    submit_finish(record)


_JOB_OF: dict[int, str] = {}     # id(CandidateResult) -> the job its run belongs to


def remember_job(result: Any, job: str) -> None:
    """Note which recorded job ``result`` belongs to (until the result is garbage)."""
    _JOB_OF[id(result)] = job
    try:
        weakref.finalize(result, _JOB_OF.pop, id(result), None)
    except TypeError:  # objects without weak references (test doubles): kept for good
        pass


def job_of(result: Any) -> str | None:
    """The recorded job of a result trained (or restored) in this process, if any."""
    return _JOB_OF.get(id(result))


def record_test_scores(result: Any, job: str | None = None) -> None:
    """Queue adding ``result``'s test scores to its run.

    The test rows are scored later and once (e.g. when the model is exported), so they
    reach the run after it finished. ``job`` defaults to the job the result was recorded in.
    """
    job = job or job_of(result)
    metrics = {name: value for name, value in result_metrics(result).items()
               if name.startswith("test_")}
    if job and metrics:
        _WRITER.submit(_Op("metrics", extra={"job": job, "key": result.key, "metrics": metrics}))


def run_ref(token: str) -> tuple[str, str] | None:
    """(store uri, MLflow run id) of a run this process wrote, once it is written."""
    return _WRITER.run_ref(token)


# --- recording a training job ---------------------------------------------------------------

def _never_raise(action: Callable[..., None], *args: Any) -> None:
    """Run a recording step; a bug in recording must never stop or fail the training."""
    try:
        action(*args)
    except Exception:
        log.exception("recording a run failed")

class CandidateTracker:
    """Records each candidate of one training job as an MLflow run.

    Parameters
    ----------
    setup : TrainingSetup
        The prepared data and split the job trains on.
    plan : list of (key, algorithm id, hyperparameters)
        What the job will train (``core.training.plan_candidates``).
    job : str, optional
        An id shared by the job's runs (the Experiments page restores them together).
    requirements : dict, optional
        The requirements card, stored in each bundle.
    write_bundles : bool
        Store each successful non-baseline candidate's bundle as an artifact (so a run
        can be restored); written in the background.
    """

    def __init__(self, setup: Any, plan: list[tuple[str, str, dict[str, Any]]],
                 job: str | None = None, requirements: dict[str, Any] | None = None,
                 write_bundles: bool = True) -> None:
        self.setup = setup
        self.plan = {key: (algorithm_id, params) for key, algorithm_id, params in plan}
        self.job = job or uuid.uuid4().hex[:12]
        self.requirements = requirements
        self.write_bundles = write_bundles
        self.records: dict[str, RunRecord] = {}
        self._done: set[str] = set()
        self._baseline: Any = None

    def start(self, key: str) -> None:
        """A candidate starts training: its run appears as RUNNING."""
        if key in self.records or key not in self.plan:
            return
        from core import catalog  # the catalog is light, but only trackers need it here
        algorithm_id, params = self.plan[key]
        spec = catalog.get(algorithm_id)
        record = start_record(self.setup, key, algorithm_id, params, dict(spec.names),
                              spec.library, spec.is_baseline, self.job)
        self.records[key] = record
        submit_start(record)

    def finish(self, result: Any) -> None:
        """A candidate finished (or failed): its run gets metrics, artifacts and status."""
        if result.key in self._done:
            return
        if result.key not in self.records:
            self.plan.setdefault(result.key, (result.algorithm_id, result.hyperparameters))
            self.start(result.key)
        if result.key == "baseline" and result.ok:
            self._baseline = result
        bundle = self._bundle_writer(result) if self._wants_bundle(result) else None
        submit_finish(finish_record(self.records[result.key], result, bundle))
        remember_job(result, self.job)
        self._done.add(result.key)

    def finish_all(self, results: list[Any]) -> None:
        """Finish every result not finished yet; started candidates without one are interrupted."""
        self._baseline = self._baseline or next(
            (r for r in results if r.key == "baseline" and r.ok), None)
        for result in results:
            _never_raise(self.finish, result)
        self.interrupt_unfinished()

    def interrupt_unfinished(self) -> None:
        """Close the runs that started but will not finish (cancel, crash of the job)."""
        for key, record in self.records.items():
            if key not in self._done:
                submit_interrupted(record)
                self._done.add(key)

    def progress(self, key: str, stage: str, fraction: float) -> None:
        """A ``ProgressCallback``: "running" starts the candidate's run."""
        if stage == "running":
            _never_raise(self.start, key)

    def wrap(self, progress: Callable[[str, str, float], None] | None
             ) -> Callable[[str, str, float], None]:
        """A progress callback that records the start, then calls ``progress``."""
        def both(key: str, stage: str, fraction: float) -> None:
            self.progress(key, stage, fraction)
            if progress is not None:
                progress(key, stage, fraction)
        return both

    def __enter__(self) -> "CandidateTracker":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.interrupt_unfinished()

    def _wants_bundle(self, result: Any) -> bool:
        return self.write_bundles and result.ok and not result.is_baseline

    def _bundle_writer(self, result: Any) -> Callable[[Path], Path | None]:
        setup, baseline, card = self.setup, self._baseline, self.requirements

        def write(folder: Path) -> Path:
            from core.bundle import write_bundle
            name = f"model-{result.key.replace(':', '_')}.zip"
            return Path(write_bundle(setup, result, folder / name, requirements=card,
                                     baseline=baseline))
        return write


def train_and_record(setup: Any, algorithm_ids: list[str],
                     params: dict[str, dict[str, Any]] | None = None,
                     include_baselines: bool = True, progress: Any = None, cancel: Any = None,
                     job: str | None = None, requirements: dict[str, Any] | None = None,
                     write_bundles: bool = True) -> list[Any]:
    """``core.training.train_candidates`` with every candidate recorded as an MLflow run.

    Recording is queued; training never waits for the store (see :func:`flush`).
    """
    from core import training

    plan = training.plan_candidates(setup, algorithm_ids, params, include_baselines)
    tracker = CandidateTracker(setup, plan, job, requirements, write_bundles)
    hooks: dict[str, Any] = {"progress": tracker.wrap(progress), "cancel": cancel}
    if "on_result" in inspect.signature(training.train_candidates).parameters:
        # Each run finishes as soon as its candidate does, so a crash later in the job
        # leaves it finished, not interrupted.
        hooks["on_result"] = lambda result: _never_raise(tracker.finish, result)
    with tracker:
        results = training.train_candidates(setup, algorithm_ids, params, include_baselines,
                                            **hooks)
        tracker.finish_all(results)
    return results


# --- reading runs ---------------------------------------------------------------------------

def _stores_to_read() -> list[str]:
    """The configured store when it answers, plus the local one when it holds runs too.

    A SQLite store whose file does not exist yet holds no runs: it is skipped, so a fresh
    install lists nothing without importing MLflow or creating tables.
    """
    configured, local = tracking_uri(), local_uri()
    stores = [uri for uri in dict.fromkeys([configured, local])
              if (path := _sqlite_path(uri)) is None or path.is_file()]
    return [uri for uri in stores if uri == local or _WRITER.reachable(uri)]


def _process_alive(owner: str) -> bool | None:
    """Whether the process in a ``dojo.process`` tag still runs (None: cannot tell)."""
    host, _, rest = owner.partition("|")
    pid_text, _, started = rest.partition("|")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    if started and Path("/proc").is_dir():
        return _process_start(pid) == started
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _is_stale(run: Any) -> bool:
    """A RUNNING run nobody is training any more."""
    tags = run.data.tags
    owner = tags.get("dojo.process", "")
    alive = _process_alive(owner) if owner else None
    if alive is True and owner.split("|")[1] == str(os.getpid()):
        with _LIVE_LOCK:
            live = tags.get("dojo.token") in _LIVE_TOKENS
        return not live and _WRITER.pending == 0
    if alive is None:
        age_hours = (time.time() * 1000 - (run.info.start_time or 0)) / 3_600_000
        return age_hours > STALE_RUNNING_HOURS
    return not alive


def _display_status(run: Any, uri: str) -> str:
    """running | finished | failed | interrupted; stale runs are closed as interrupted."""
    state = run.info.status
    if state == "RUNNING":
        if not _is_stale(run):
            return RUNNING
        _WRITER.interrupt(uri, run.info.run_id)
        return INTERRUPTED
    if state == "KILLED" or run.data.tags.get("status") == INTERRUPTED:
        return INTERRUPTED
    return FAILED if state == "FAILED" else FINISHED


def _run_row(run: Any, uri: str) -> dict[str, Any]:
    info, tags = run.info, run.data.tags
    row: dict[str, Any] = {
        "run_id": info.run_id, "name": info.run_name, "status": _display_status(run, uri),
        "start_time": pd.to_datetime(info.start_time, unit="ms", utc=True),
        "end_time": pd.to_datetime(info.end_time, unit="ms", utc=True) if info.end_time else pd.NaT,
        "baseline": tags.get("baseline") == "true", "has_bundle": tags.get("bundle") == "true",
        "store": uri, "name_en": tags.get("name_en", info.run_name),
        "name_ja": tags.get("name_ja", info.run_name),
    }
    for column in ("algorithm", "candidate_key", "dataset", "data_sha256", "task", "target",
                   "seed", "job", "code_commit", "app_version"):
        row[column] = tags.get(column, "")
    row.update({f"metrics.{k}": v for k, v in run.data.metrics.items()})
    row.update({f"params.{k}": v for k, v in run.data.params.items()})
    return row


def _server_filter(filters: dict[str, Any]) -> str:
    """MLflow filter text for the tag filters that are plain strings (others: in pandas)."""
    parts = []
    for column, wanted in filters.items():
        if column in ("dataset", "algorithm", "task", "target", "job", "data_sha256") \
                and isinstance(wanted, str) and "'" not in wanted:
            parts.append(f"tags.`{column}` = '{wanted}'")
    return " and ".join(parts)


def filter_runs(frame: pd.DataFrame, filters: dict[str, Any]) -> pd.DataFrame:
    """Rows of a :func:`list_runs` frame whose columns hold the wanted value(s)."""
    for column, wanted in filters.items():
        if column not in frame.columns or wanted is None:
            continue
        values = [wanted] if isinstance(wanted, (str, bool)) else list(wanted)
        if values:
            frame = frame[frame[column].isin(values)]
    return frame.reset_index(drop=True)


def _search(uri: str, filters: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    try:
        exp_id = experiment_id(uri)
        if exp_id is None:
            return []
        runs = client_for(uri).search_runs([exp_id], filter_string=_server_filter(filters),
                                           order_by=["attributes.start_time DESC"],
                                           max_results=limit)
    except Exception as exc:  # MLflow, SQLAlchemy or HTTP errors: say which store and why
        raise DojoError("tracking.store_unreadable", uri=uri,
                        detail=f"{type(exc).__name__}: {exc}"[:400]) from exc
    return [_run_row(run, uri) for run in runs]


def list_runs(filters: dict[str, Any] | None = None, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The recorded runs, newest first, one row each.

    Parameters
    ----------
    filters : dict, optional
        Column -> wanted value or list of values, for the columns ``dataset``,
        ``algorithm``, ``task``, ``target``, ``status``, ``job``, ``baseline``,
        ``candidate_key``, ``data_sha256``.

    Returns
    -------
    pandas.DataFrame
        ``INFO_COLUMNS`` plus ``metrics.<name>`` and ``params.<name>`` columns (MLflow's
        own naming); hyperparameter values are the logged text.
    """
    filters = dict(filters or {})
    rows = [row for uri in _stores_to_read() for row in _search(uri, filters, limit)]
    frame = pd.DataFrame(rows)
    for column in INFO_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype="object")
    if len(frame):
        frame = frame.sort_values("start_time", ascending=False, kind="stable")
    return filter_runs(frame, filters).head(limit)


def _find_job_run(job: str, key: str) -> tuple[str, str] | None:
    """(store uri, run id) of candidate ``key`` in ``job``, written by any process."""
    if "'" in job + key:
        return None
    for uri in _stores_to_read():
        exp_id = experiment_id(uri)
        runs = client_for(uri).search_runs(
            [exp_id], filter_string=f"tags.`job` = '{job}' and tags.`candidate_key` = '{key}'",
            max_results=1) if exp_id else []
        if runs:
            return uri, runs[0].info.run_id
    return None


def _find_run(run_id: str) -> tuple[str, Any]:
    """(store uri, MLflow Run) of ``run_id`` in whichever store holds it."""
    for uri in _stores_to_read():
        try:
            return uri, client_for(uri).get_run(run_id)
        except Exception:  # MlflowException: not in this store; try the next
            continue
    raise DojoError("tracking.unknown_run", run_id=run_id)


def get_run(run_id: str) -> dict[str, Any]:
    """One run as a dict: the row :func:`list_runs` shows plus all tags, params and metrics."""
    uri, run = _find_run(run_id)
    row = _run_row(run, uri)
    row.update({"tags": dict(run.data.tags), "params": dict(run.data.params),
                "metrics": dict(run.data.metrics), "artifact_uri": run.info.artifact_uri})
    return row


def _download_bundle(uri: str, run: Any) -> Path:
    """The run's bundle artifact as a local file under DOJO_HOME/restored."""
    if run.data.tags.get("bundle") != "true":
        raise DojoError("tracking.no_bundle", run_id=run.info.run_id)
    folder = dojo_home() / "restored" / run.info.run_id
    existing = sorted(folder.glob(f"{BUNDLE_ARTIFACT_DIR}/*.zip"))
    if existing:
        return existing[0]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        client_for(uri).download_artifacts(run.info.run_id, BUNDLE_ARTIFACT_DIR, str(folder))
    except Exception as exc:  # missing artifact files, server errors
        raise DojoError("tracking.bundle_unavailable", run_id=run.info.run_id,
                        detail=f"{type(exc).__name__}: {exc}"[:300]) from exc
    found = sorted(folder.glob(f"{BUNDLE_ARTIFACT_DIR}/*.zip"))
    if not found:
        raise DojoError("tracking.no_bundle", run_id=run.info.run_id)
    return found[0]


def restore_run(run_id: str) -> tuple[dict[str, Any], Path]:
    """The run's bundle, verified: (its metadata, its local path).

    Raises
    ------
    DojoError
        ``tracking.unknown_run``, ``tracking.no_bundle`` (a baseline or failed run),
        or the bundle's own errors (e.g. ``bundle.bad_signature``).
    """
    from core.bundle import load_bundle

    uri, run = _find_run(run_id)
    path = _download_bundle(uri, run)
    return load_bundle(path).metadata, path


def run_history(run_id: str) -> dict[str, list[float]] | None:
    """The boosting evaluation history stored with a run, if any."""
    uri, run = _find_run(run_id)
    if run.data.tags.get("history") != "true":
        return None
    try:
        text = client_for(uri).download_artifacts(run_id, HISTORY_ARTIFACT,
                                                  tempfile.mkdtemp(prefix="dojo-hist-"))
        return json.loads(Path(text).read_text(encoding="utf-8"))
    except Exception:  # no history was logged for this run
        return None


# --- restoring a run into a session ---------------------------------------------------------

@dataclass
class RestoredRun:
    """A recorded job brought back: its setup, its candidates and the one asked for."""

    setup: Any                      # TrainingSetup rebuilt from the bundle's split settings
    results: list[Any]              # CandidateResult per run of the job (baselines retrained)
    chosen_key: str
    run_id: str
    bundles: dict[str, Path] = field(default_factory=dict)   # candidate key -> restored bundle


def data_for_run(run: dict[str, Any], current: Any = None) -> Any:
    """The run's training data: ``current`` (a LoadedData) when its sha256 matches, else the
    bundled sample of that name when it matches, else None (the user must load it)."""
    wanted = run.get("data_sha256")
    if current is not None and getattr(current, "sha256", None) == wanted:
        return current
    from core.samples import SAMPLE_DATASETS, load_sample

    if run.get("dataset") in SAMPLE_DATASETS:
        loaded = load_sample(run["dataset"])
        if loaded.sha256 == wanted:
            return loaded
    return None


def _setup_from_metadata(metadata: dict[str, Any], loaded: Any) -> Any:
    """The TrainingSetup the bundle was trained on: same target, task, roles, split and seed."""
    from core import training

    split = metadata["split"]
    return training.prepare_setup(
        loaded, metadata["target"], task=metadata["task"],
        role_overrides=metadata["data"].get("role_overrides") or None,
        valid_size=split["valid_size"], test_size=split["test_size"],
        seed=metadata["random_seed"], stratify=bool(split["stratified"]),
        time_column=split.get("time_column"))


def _result_from_bundle(run_id: str) -> tuple[Any, Path, dict[str, Any]]:
    """A CandidateResult from a run's verified bundle (pipeline, metrics, timings)."""
    from core.bundle import load_bundle
    from core.training import CandidateResult

    uri, run = _find_run(run_id)
    path = _download_bundle(uri, run)
    bundle = load_bundle(path)
    meta = bundle.metadata
    algorithm = meta["algorithm"]
    metrics = {part: values for part, values in meta["metrics"].items() if values}
    result = CandidateResult(
        key=algorithm.get("key", algorithm["id"]), algorithm_id=algorithm["id"],
        name=dict(algorithm.get("names") or {"en": algorithm["name"]}),
        library=algorithm["library"], hyperparameters=dict(meta["hyperparameters"]),
        pipeline=bundle.pipeline, metrics=metrics, timings=dict(meta.get("timings") or {}),
        model_size_bytes=int(meta.get("model_size_bytes") or 0), history=run_history(run_id))
    return result, path, meta


def _result_without_bundle(setup: Any, row: pd.Series) -> Any:
    """Baselines are retrained (instant); a failed run comes back with its error."""
    from core.training import CandidateResult, train_candidate

    tags = get_run(row["run_id"])["tags"]
    params = json.loads(tags.get("hyperparameters") or "{}")
    if row["baseline"] and row["status"] == FINISHED:
        return train_candidate(setup, row["algorithm"], params, key=row["candidate_key"])
    error = Message(tags.get("error_key", "tracking.no_bundle"),
                    json.loads(tags.get("error_params") or "{}") or {"run_id": row["run_id"]})
    return CandidateResult(key=row["candidate_key"], algorithm_id=row["algorithm"],
                           name={"en": row["name_en"], "ja": row["name_ja"]},
                           library=tags.get("library", ""), hyperparameters=params,
                           is_baseline=bool(row["baseline"]), error=error)


def _job_rows(run: dict[str, Any]) -> pd.DataFrame:
    """The runs of the job ``run`` belonged to (just ``run`` when it had no job id)."""
    rows = list_runs({"job": run["job"]}) if run.get("job") else list_runs()
    rows = rows[rows["status"].isin([FINISHED, FAILED])]
    if not run.get("job"):
        rows = rows[rows["run_id"] == run["run_id"]]
    # Baselines first, then in training order, as the leaderboard had them.
    return rows.sort_values(["baseline", "start_time"], ascending=[False, True])


def restore_results(run_id: str, loaded: Any) -> RestoredRun:
    """Bring a run's whole job back into a session, on its own training data ``loaded``.

    Raises
    ------
    DojoError
        ``tracking.data_mismatch`` when ``loaded`` is not the data the run was trained on;
        the errors of :func:`restore_run` otherwise.
    """
    run = get_run(run_id)
    if loaded is None or loaded.sha256 != run["data_sha256"]:
        raise DojoError("tracking.data_mismatch", dataset=run["dataset"],
                        sha256=str(run["data_sha256"])[:12])
    chosen, chosen_path, metadata = _result_from_bundle(run_id)
    setup = _setup_from_metadata(metadata, loaded)
    results, bundles = [], {chosen.key: chosen_path}
    for _, row in _job_rows(run).iterrows():
        if row["run_id"] == run_id:
            results.append(chosen)
        elif row["has_bundle"]:
            result, path, _ = _result_from_bundle(row["run_id"])
            results.append(result)
            bundles[result.key] = path
        else:
            results.append(_result_without_bundle(setup, row))
    if chosen not in results:
        results.append(chosen)
    for result in results:   # test scores computed later still reach the right runs
        remember_job(result, run.get("job") or "")
    return RestoredRun(setup, results, chosen.key, run_id, bundles)
