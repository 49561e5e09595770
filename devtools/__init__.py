"""Developer tooling: the benchmark (``make bench``), the screenshots
(``make screenshots``), the Playwright helpers of the browser tests and the
benchmark's baseline views.

The top layer: it may import every app, and no product module imports it
(import-linter holds both). It is installed when ``HMS_DEVTOOLS`` is true (by
default in development and tests; ``make bench`` sets it), and its views are
mounted only when ``HMS_BENCH_VIEWS`` is true, never in production.
"""
