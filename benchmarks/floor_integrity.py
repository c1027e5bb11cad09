"""The `db check --full` floor: SQLite's integrity_check alone, through the sqlite3 module.

python benchmarks/floor_integrity.py PATH
"""

import os
import sqlite3
import sys

connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = connection.execute("PRAGMA integrity_check").fetchall()
connection.close()
sys.stdout.flush()
os._exit(0 if rows == [("ok",)] else 1)
