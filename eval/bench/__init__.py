"""Benchmarks: figures printed, never asserted (timed assertions are flaky on shared machines).

They live here, not in the packages they measure, so production code carries no benchmark code;
`mercurios bench …`, `mercurios index bench` and `mercurios ingest bench` are registered from
`eval.commands`.
"""
