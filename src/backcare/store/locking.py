"""Taking the write lock: BEGIN IMMEDIATE, retried with jitter for as long as it takes.

SQLite's own busy handler (a busy timeout) sleeps in growing steps up to 100 ms, and it
is not fair: under a burst of writers (30 processes x 20 writes on 2 cores, with status,
export and backup running) a waiter that keeps waking just after someone else took the lock
gave up after the 30 s timeout with "database is busy", 12-34 writes in 600 lost that way.
Here the attempt itself does not wait (busy_timeout 0 for the BEGIN only) and the waiter
retries every few milliseconds, at a random moment (jitter: waiters do not wake in step),
until WRITE_WAIT_S has passed: far beyond the busy timeout, so only a lock that is truly
stuck (a hung process) is reported. Statements inside the transaction keep the normal busy
timeout. Stdlib only: used by the engine and by restore (store.maintenance).
"""

from __future__ import annotations

import random
import sqlite3
import time

WRITE_WAIT_S = 120.0
POLL_MIN_S = 0.002
POLL_MAX_S = 0.020


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def begin_immediate(conn: sqlite3.Connection, *, busy_timeout_ms: int) -> None:
    """BEGIN IMMEDIATE on `conn` (isolation_level None), waiting up to WRITE_WAIT_S.

    Raises the last sqlite3.OperationalError ("database is locked") when the time is up.
    """
    deadline = time.monotonic() + WRITE_WAIT_S
    conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(random.uniform(POLL_MIN_S, POLL_MAX_S))
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
