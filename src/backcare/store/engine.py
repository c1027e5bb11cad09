"""Opening the database: path checks, pragmas, IMMEDIATE write transactions, migrate-on-open.

Engine rules (docs/design.md): WAL, foreign_keys=ON, a busy timeout, write transactions begin
IMMEDIATE (so two writers queue on the busy timeout instead of failing mid-transaction),
data dir 0700, DB file 0600 (SQLite gives -wal/-shm the DB file's mode).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

from backcare import messages as msg
from backcare.errors import StorageError, note_saved
from backcare.store.errors import is_damage, translate_errors
from backcare.store.integrity import BUSY_TIMEOUT_S
from backcare.store.locking import begin_immediate
from backcare.store.pages import torn as _torn
from backcare.store.schema import HEAD, REVISIONS, SQLITE_HEADER

if TYPE_CHECKING:
    import sqlmodel
    from sqlalchemy.engine import CursorResult
    from sqlalchemy.engine.result import ScalarResult
    from sqlalchemy.sql.base import Executable
    from sqlmodel.sql.expression import SelectOfScalar

    from backcare.jsonfmt import JSONObject

_T = TypeVar("_T")

# How long a command waits for another backcare's write lock before giving up with a friendly
# message. Writers hold it for milliseconds, but a burst of processes on two cores (cron plus
# a person, or a script logging in parallel) queues them, and SQLite's busy handler is not
# fair; 30 s lets a queue of dozens drain while still reporting a lock that is truly stuck.
BUSY_TIMEOUT_MS = int(BUSY_TIMEOUT_S * 1000)  # one figure: store/integrity.py

# SQLAlchemy logs some failures itself (a Ctrl-C while its pool closes a connection: "Exception
# closing connection" and a traceback). With no handler configured, Python's last-resort
# handler prints that to stderr, beside backcare's own one-line message from its exit point
# (cli/app.py), and a traceback may quote health data. The records go nowhere instead;
# BACKCARE_DEBUG=1 still re-raises at the exit point.
logging.getLogger("sqlalchemy").addHandler(logging.NullHandler())


def _check_file(path: Path) -> bool:
    """True when `path` holds a SQLite file, False when it is empty; StorageError otherwise."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except IsADirectoryError:
        raise StorageError(msg.DB_NOT_SQLITE.format(path=path), msg.DB_NOT_SQLITE_HINT) from None
    except OSError as exc:
        raise StorageError(msg.DB_CANNOT_OPEN.format(path=path), str(exc.strerror)) from None
    if not header:
        return False
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise StorageError(msg.DB_NOT_SQLITE.format(path=path), msg.DB_NOT_SQLITE_HINT)
    if _torn(path, header):
        raise StorageError(msg.DB_DAMAGED.format(path=path), msg.DB_DAMAGED_HINT)
    return True


def _create_file(path: Path) -> None:
    """Create the data dir (0700) and an empty DB file (0600) before SQLite opens it."""
    parent = path.parent
    if not parent.exists():
        try:
            parent.mkdir(parents=True, mode=0o700)
            parent.chmod(0o700)  # mkdir's mode is masked by the umask
        except FileExistsError:
            pass  # another backcare made it a moment ago
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another backcare created it first: the migration lock orders the rest
    os.close(fd)
    path.chmod(0o600)


def _stored_revision(path: Path) -> str | None:
    """The Alembic revision in the file, read with sqlite3 alone (cheap: no Alembic import).

    None when the file has no tables at all (a new DB). StorageError when it is a SQLite file
    with tables but none of ours.
    """
    uri = f"file:{quote(str(path))}?mode=ro"  # quoted: '#', '?', '%' are legal in paths
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            other = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if other:
                raise StorageError(msg.DB_NOT_OURS.format(path=path), msg.DB_NOT_SQLITE_HINT)
            return None
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return version[0] if version else None
    finally:
        conn.close()


def _make_engine(path: Path) -> Engine:
    engine = create_engine(URL.create("sqlite", database=str(path)))  # no URL parsing of path

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("backcare_write", False)
        if write:  # waits for the lock with jitter, beyond the busy timeout (store.locking)
            raw = conn.connection.driver_connection
            assert raw is not None  # a connection in use always has its driver's
            begin_immediate(raw, busy_timeout_ms=BUSY_TIMEOUT_MS)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def damage_gate(engine: Engine, path: Path) -> None:
    """Refuse to write into a file SQLite's `PRAGMA quick_check` finds damaged.

    SQLite notices damage only on the pages a statement reads; a write that touches none of
    the damaged ones would succeed, and the file would go on growing while `history` and
    `export` refuse it. quick_check reads every page of every table once (no index
    contents): about 70 ms on a 20 MB (10-year) file, warm, run in a read transaction before
    the write lock is taken (so it does not lengthen the time other writers wait).

    It is skipped when the file is still exactly as a checked backcare write left it
    (`_Stamp`): see `Store.write`.
    """
    with engine.connect() as connection:
        try:
            rows = [tuple(r) for r in connection.exec_driver_sql("PRAGMA quick_check(1)")]
        except DBAPIError as exc:
            if not is_damage(exc):
                raise  # busy, I/O, permissions: translate_errors says what it is
            rows = [("damaged",)]
        connection.rollback()
    if rows != [("ok",)]:
        raise StorageError(msg.DB_DAMAGED_NO_WRITE.format(path=path), msg.DB_DAMAGED_HINT)


class _Stamp:
    """The identity of a database file as a checked backcare write left it.

    After a write whose file passed quick_check (or carried a matching stamp) has committed
    and closed its connections (so the WAL is checkpointed into the file and removed), the
    file's (device, inode, size, mtime, ctime) are written to a small file in the user state
    dir, one per database. The next write compares: when the file is the same and no WAL is
    beside it, nothing but SQLite (through backcare) has changed it since it was checked, so
    the quick_check is not repeated. Anything else that writes to the file (a copy, a sync
    tool, an editor, `dd`, a restore) changes its ctime, which no program can set back, so
    the stamp no longer matches and the next write checks the whole file again. Not seen:
    damage that leaves the file's metadata as it was (a disk that rots in place, or a change
    within the same clock tick as backcare's own write); reads (which refuse damaged pages)
    and `db check` still find it.
    """

    @staticmethod
    def _where(path: Path) -> Path:
        import hashlib

        from backcare.lock import state_dir

        key = hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:16]
        return state_dir() / f"checked-{key}"

    @staticmethod
    def _now(path: Path) -> str | None:
        """The file's identity now; None while a WAL holds frames (or it cannot be read)."""
        try:
            wal = os.stat(f"{path}-wal")
        except FileNotFoundError:
            pass
        except OSError:
            return None
        else:
            if wal.st_size:
                return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        return f"{st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"

    @classmethod
    def matches(cls, path: Path, where: Path | None = None) -> bool:
        now = cls._now(path)
        if now is None:
            return False
        try:
            with open(where or cls._where(path), "rb") as handle:  # bytes: no text codec to load
                return handle.read() == now.encode("ascii")
        except (OSError, ValueError):
            return False

    @classmethod
    def record(cls, path: Path, where: Path | None = None) -> None:
        """Best effort: a stamp that cannot be written only means the next write checks."""
        now = cls._now(path)
        try:
            where = where or cls._where(path)
            if now is None:
                where.unlink(missing_ok=True)
                return
            where.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
            # Not safefile.write_atomic: its fsyncs would cost every write, and a stamp lost in
            # a crash only means one more whole-file check. Never through a symlink.
            temp = where.with_name(f"{where.name}.{os.getpid()}.tmp")
            temp.unlink(missing_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(temp, flags, 0o600)
            try:
                os.write(fd, now.encode("ascii"))
            finally:
                os.close(fd)
            os.replace(temp, where)
        except OSError:
            pass


class Session:
    """One store transaction: a Core connection (store/core.py's tables), and SQLModel's ORM
    session only when a caller asks for it.

    The store's own statements run on the connection (`connection()`), so a command that
    logs, checks or edits never imports SQLModel, pydantic or SQLAlchemy's ORM (issue 18).
    `exec`, `get`, `add`, `flush`, `delete` and `execute` reach an ORM session bound to the
    same connection, made on first use, inside the same transaction; `Store` flushes it
    before the transaction commits.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._orm: sqlmodel.Session | None = None
        # What this transaction's writes changed, kept while asked (store/repo.py
        # `track_changes`): (ID letter, first id, last id, may move the episode run).
        self.touched: list[tuple[str, int, int, bool]] | None = None
        # The open action's changes (store/journal.py `action`), as the journal stores them.
        self.journal: list[JSONObject] | None = None

    def connection(self) -> Connection:
        return self._connection

    def dbapi(self) -> sqlite3.Connection:
        """The driver's connection, inside this session's transaction: for the hot reads
        whose SQL store/repo.py derives once from the Core tables (issue 18)."""
        raw: sqlite3.Connection = self._connection.connection.driver_connection  # type: ignore[assignment]
        return raw

    @property
    def orm(self) -> sqlmodel.Session:
        if self._orm is None:
            from sqlmodel import Session as OrmSession

            self._orm = OrmSession(bind=self._connection, expire_on_commit=False)
        return self._orm

    def exec(self, statement: SelectOfScalar[_T]) -> ScalarResult[_T]:
        return self.orm.exec(statement)

    def execute(
        self,
        statement: Executable,
        params: Mapping[str, object] | Sequence[Mapping[str, object]] | None = None,
    ) -> CursorResult[*tuple[object, ...]]:
        """A Core statement (the benchmarks' bulk fill): straight to SQLite unless an ORM
        session holds pending rows."""
        if self._orm is None:
            return self._connection.execute(statement, params)
        return self.orm.execute(statement, params)  # type: ignore[return-value]

    def get(self, entity: type[_T], ident: int) -> _T | None:
        return self.orm.get(entity, ident)

    def add(self, instance: object) -> None:
        self.orm.add(instance)

    def flush(self) -> None:
        if self._orm is not None:
            self._orm.flush()

    def close(self) -> None:
        if self._orm is not None:
            self._orm.close()


@dataclass
class Store:
    """An open backcare database. `read()`/`write()` give sessions in one transaction each."""

    path: Path
    engine: Engine
    checked_write: bool = False  # a write into a checked file committed: stamp it on close
    stamp: Path | None = None  # where `_Stamp` keeps this file's stamp (found once)

    def _stamp_file(self) -> Path:
        if self.stamp is None:
            self.stamp = _Stamp._where(self.path)
        return self.stamp

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translate_errors(self.path), self.engine.connect() as connection:
            session = Session(connection)
            try:
                connection.begin()  # one snapshot for every read, raw ones too
                yield session
            finally:
                session.close()
                connection.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One IMMEDIATE transaction: all of it commits, or none of it (also on Ctrl-C).

        Never into a damaged file: `damage_gate` runs SQLite's quick_check first, unless the
        file is still as a checked write left it (`_Stamp`).
        """
        bind = self.engine.execution_options(backcare_write=True)
        if not _Stamp.matches(self.path, self._stamp_file()):
            with translate_errors(self.path):
                damage_gate(self.engine, self.path)
        with translate_errors(self.path), bind.connect() as connection:
            session = Session(connection)
            try:
                connection.begin()
                yield session
                session.flush()
                connection.commit()
                note_saved()
                self.checked_write = True
            except BaseException:
                connection.rollback()
                raise
            finally:
                session.close()

    def close(self) -> None:
        self.engine.dispose()
        if self.checked_write:
            _Stamp.record(self.path, self._stamp_file())


def open_store(path: Path, *, create: bool) -> Store:
    """Open the DB at `path`, creating it (create=True) or failing if it is missing.

    An older schema is upgraded after a backup copy; a newer one is refused.
    """
    path = path.expanduser()
    with translate_errors(path):
        exists = path.exists()
        if not exists and not create:
            raise StorageError(msg.DB_MISSING.format(path=path), msg.DB_MISSING_HINT)
        # Modes are set on the real file: `--db` may name a symlink, even a dangling one
        # (whose target SQLite would otherwise create with the umask's mode, e.g. 0644).
        real = Path(os.path.realpath(path))
        if not exists:
            _create_file(real)
            revision = None
        elif _check_file(path):
            revision = _stored_revision(path)
        else:
            revision = None  # an empty file: treated as a new DB
            if not create:
                raise StorageError(msg.DB_MISSING.format(path=path), msg.DB_MISSING_HINT)
            real.chmod(0o600)  # before SQLite makes -wal/-shm: they copy the file's mode
        if revision is not None and revision not in REVISIONS:
            raise StorageError(msg.DB_TOO_NEW.format(path=path), msg.DB_TOO_NEW_HINT)
        engine = _make_engine(path)
        if revision != HEAD:
            if revision is None and not create:
                raise StorageError(msg.DB_NOT_OURS.format(path=path), msg.DB_NOT_SQLITE_HINT)
            from backcare.store.maintenance import quick_check_ok
            from backcare.store.migrate import upgrade  # Alembic only when needed

            # Never migrate (or rotate good backups out for a copy of) a damaged file.
            if revision is not None and not quick_check_ok(path):
                engine.dispose()
                raise StorageError(msg.DB_DAMAGED.format(path=path), msg.DB_DAMAGED_HINT)
            upgrade(engine, path, from_revision=revision)
    return Store(path=path, engine=engine)
