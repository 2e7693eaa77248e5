"""A background worker pool for training jobs, shared by every session of the app.

Pages submit a job and poll its status; the work itself runs in worker threads so a
page stays responsive while it trains (scikit-learn, XGBoost and LightGBM release the
GIL in their heavy loops). The pool is a module-level singleton (:func:`get_pool`)
because Streamlit runs every browser session in the same process.

A job is a callable taking a :class:`JobContext`; it reports progress through
``context.progress(key, stage, fraction)`` and should check ``context.cancel``
between steps. Pure Python: no streamlit here.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from core.config import default_threads
from core.errors import DojoError
from core.i18n import Message

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
FINISHED_STATES: frozenset[str] = frozenset({DONE, FAILED, CANCELLED})
# Finished jobs nobody collected are dropped after this long, so memory stays bounded.
KEEP_FINISHED_SECONDS = 6 * 3600


@dataclass
class JobContext:
    """What a running job gets: a progress callback and a cancel flag."""

    job_id: str
    cancel: threading.Event
    _progress: dict[str, tuple[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def progress(self, key: str, stage: str, fraction: float) -> None:
        """Record that ``key`` (e.g. one candidate) reached ``stage``, ``fraction`` done."""
        with self._lock:
            self._progress[key] = (stage, max(0.0, min(1.0, float(fraction))))

    def snapshot(self) -> dict[str, tuple[str, float]]:
        with self._lock:
            return dict(self._progress)


@dataclass(frozen=True)
class JobStatus:
    """A point-in-time view of a job, safe to read from any thread."""

    job_id: str
    state: str                                  # queued | running | done | failed | cancelled
    label: str = ""
    position: int | None = None                 # 1 = next to start, while queued
    progress: dict[str, tuple[str, float]] = field(default_factory=dict)
    error: Message | None = None                # why it failed (translatable)
    submitted_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def elapsed_seconds(self) -> float:
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.time()) - self.started_at


@dataclass
class _Job:
    job_id: str
    fn: Callable[[JobContext], Any]
    label: str
    context: JobContext
    state: str = QUEUED
    result: Any = None
    error: Message | None = None
    submitted_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None


class JobPool:
    """A fixed number of worker threads taking jobs first come, first served.

    Parameters
    ----------
    max_workers : int
        How many jobs run at the same time; the others wait in the queue.
    """

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max(1, int(max_workers))
        self._jobs: dict[str, _Job] = {}
        self._queue: deque[str] = deque()
        self._cond = threading.Condition()
        self._workers: list[threading.Thread] = []
        self._ids = itertools.count(1)

    def submit(self, fn: Callable[[JobContext], Any], label: str = "") -> str:
        """Queue ``fn`` and return its job id at once."""
        with self._cond:
            self._forget_stale()
            job_id = f"job-{next(self._ids)}-{int(time.time() * 1000) % 100000}"
            context = JobContext(job_id=job_id, cancel=threading.Event())
            self._jobs[job_id] = _Job(job_id, fn, label, context)
            self._queue.append(job_id)
            self._start_workers()
            self._cond.notify()
        return job_id

    def status(self, job_id: str) -> JobStatus | None:
        """The job's current status, or None for an unknown (or forgotten) id."""
        with self._cond:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            position = self._queue.index(job_id) + 1 if job.state == QUEUED else None
            return JobStatus(job_id, job.state, job.label, position, job.context.snapshot(),
                             job.error, job.submitted_at, job.started_at, job.finished_at)

    def cancel(self, job_id: str) -> bool:
        """Cancel a queued job at once, or ask a running one to stop at its next check."""
        with self._cond:
            job = self._jobs.get(job_id)
            if job is None or job.state in FINISHED_STATES:
                return False
            job.context.cancel.set()
            if job.state == QUEUED:
                self._queue.remove(job_id)
                job.state, job.finished_at = CANCELLED, time.time()
            return True

    def result(self, job_id: str) -> Any:
        """What the job returned (a cancelled job keeps what it finished, if anything)."""
        with self._cond:
            job = self._jobs.get(job_id)
            if job is None:
                raise KeyError(job_id)
            if job.state not in FINISHED_STATES:
                raise RuntimeError(f"job {job_id} is still {job.state}")
            return job.result

    def forget(self, job_id: str) -> None:
        """Drop a finished job once its results were collected."""
        with self._cond:
            job = self._jobs.get(job_id)
            if job is not None and job.state in FINISHED_STATES:
                del self._jobs[job_id]

    def wait(self, job_id: str, timeout: float | None = None) -> JobStatus | None:
        """Block until the job finished (for tests and the command line)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                job = self._jobs.get(job_id)
                if job is None or job.state in FINISHED_STATES:
                    break
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    break
                self._cond.wait(remaining if remaining is not None else 1.0)
        return self.status(job_id)

    def counts(self) -> dict[str, int]:
        """How many jobs are in each state (for a status line)."""
        with self._cond:
            out: dict[str, int] = {}
            for job in self._jobs.values():
                out[job.state] = out.get(job.state, 0) + 1
            return out

    def _start_workers(self) -> None:
        self._workers = [w for w in self._workers if w.is_alive()]
        while len(self._workers) < self.max_workers:
            worker = threading.Thread(target=self._work, name=f"dojo-job-{len(self._workers)}",
                                      daemon=True)
            self._workers.append(worker)
            worker.start()

    def _next_job(self) -> _Job:
        with self._cond:
            while not self._queue:
                self._cond.wait()
            job = self._jobs[self._queue.popleft()]
            job.state, job.started_at = RUNNING, time.time()
            return job

    def _work(self) -> None:
        while True:
            job = self._next_job()
            result, error, state = None, None, DONE
            try:
                result = job.fn(job.context)
            except DojoError as exc:
                error, state = exc.as_message, FAILED
            except Exception as exc:  # a bug in a job must not kill the worker
                log.exception("job %s failed", job.job_id)
                error, state = Message("common.unexpected", {"detail": repr(exc)}), FAILED
            if state == DONE and job.context.cancel.is_set():
                state = CANCELLED
            with self._cond:
                job.result, job.error, job.state, job.finished_at = result, error, state, time.time()
                self._cond.notify_all()

    def _forget_stale(self) -> None:
        now = time.time()
        stale = [j.job_id for j in self._jobs.values()
                 if j.finished_at is not None and now - j.finished_at > KEEP_FINISHED_SECONDS]
        for job_id in stale:
            del self._jobs[job_id]


_POOL: JobPool | None = None
_POOL_LOCK = threading.Lock()


def get_pool() -> JobPool:
    """The process-wide pool (one worker per core, ``core.config.default_threads()``)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = JobPool(default_threads())
        return _POOL
