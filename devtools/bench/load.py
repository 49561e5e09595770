"""A small HTTP load generator: N client threads, one request after another each,
for a fixed time, against a server on 127.0.0.1. Plain ``http.client``
(no dependency); each request opens its own connection, as gunicorn's sync
workers close it after every response anyway.
"""

from __future__ import annotations

import http.client
import itertools
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    statuses: Counter

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in milliseconds at percentile ``p`` (0-100)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


def send(port: int, request: Request, timeout: float = 30.0) -> int:
    """One request; its status (0 if the connection failed)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(request.method, request.path, body=request.body, headers=request.headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def run(
    *,
    port: int,
    make_request: Callable[[int], Request | None],
    clients: int = 16,
    seconds: float = 5.0,
) -> Result:
    """Hammer for ``seconds`` with ``clients`` threads; ``make_request(i)`` gives the
    i-th request, or None when there are no more (the run then ends early).
    """
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    deadline = time.perf_counter() + seconds
    stopped = threading.Event()

    def client() -> None:
        mine: list[float] = []
        seen: Counter = Counter()
        while not stopped.is_set() and time.perf_counter() < deadline:
            request = make_request(next(counter))
            if request is None:
                stopped.set()
                break
            began = time.perf_counter()
            status = send(port, request)
            mine.append(time.perf_counter() - began)
            seen[status] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(len(latencies), time.perf_counter() - began, latencies, statuses)


def burst(*, port: int, requests: list[Request]) -> Counter:
    """Send every request at the same moment (one thread each); count the statuses."""
    gate = threading.Barrier(len(requests))
    statuses: Counter = Counter()
    lock = threading.Lock()

    def one(request: Request) -> None:
        gate.wait()
        status = send(port, request)
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=one, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
