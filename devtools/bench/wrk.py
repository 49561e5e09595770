"""Load with wrk (Debian's ``wrk``, a C load generator): a fixed time, N
connections on one thread, against the server on 127.0.0.1. Each scenario
is a list of requests that a generated Lua script sends in turn (so each
booking POST is a different slot and patient), and its figures come back in
the same shape as ``bench.load.Result``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from devtools.bench.load import Request

WRK = "wrk"

# wrk's done() hook prints this line; everything else in its output is for people.
LUA_DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH-JSON {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, \\"p99\\": %f, "
    .. "\\"non_2xx_3xx\\": %d, \\"socket_errors\\": %d}\\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    p50: float
    p99: float
    statuses: Counter

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> bool:
    return shutil.which(WRK) is not None


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def script(requests: list[Request]) -> str:
    """A Lua script that sends ``requests`` in turn, from the first again when done."""
    lines = ["local requests = {}", "local n = 0", "init = function(args)"]
    for r in requests:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in r.headers.items())
        body = _lua_string(r.body.decode()) if r.body else "nil"
        lines.append(
            f"  table.insert(requests, wrk.format({_lua_string(r.method)}, "
            f"{_lua_string(r.path)}, {{{headers}}}, {body}))"
        )
    lines += [
        "end",
        "request = function()",
        "  n = n + 1",
        "  return requests[((n - 1) % #requests) + 1]",
        "end",
        LUA_DONE,
    ]
    return "\n".join(lines)


def run(
    *, port: int, requests: list[Request], connections: int = 16, seconds: float = 5.0
) -> Result:
    """wrk -t1 -c``connections`` for ``seconds`` against 127.0.0.1:``port``."""
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "scenario.lua"
        lua.write_text(script(requests))
        out = subprocess.run(  # noqa: S603 (wrk, our own arguments)
            [
                WRK,
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                str(lua),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    match = re.search(r"^BENCH-JSON (\{.*\})$", out, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no figures:\n{out}")
    figures = json.loads(match.group(1))
    bad = figures["non_2xx_3xx"]
    statuses = Counter({200: figures["requests"] - bad})
    if bad:
        statuses[500] = bad  # wrk counts them, not which status they were
    if figures["socket_errors"]:
        statuses[0] = figures["socket_errors"]
    return Result(
        requests=figures["requests"],
        seconds=figures["seconds"],
        p50=figures["p50"],
        p99=figures["p99"],
        statuses=statuses,
    )
