"""The stack floor: the least a Typer + SQLModel command that writes one row can cost.

Imports typer and sqlmodel, defines one tiny table, opens the SQLite file given on the
command line, inserts one row through a SQLModel session and leaves with `os._exit`, as
backcare does (so neither side pays interpreter teardown). `backcare log` and friends are
budgeted as a ratio of this script's wall time, run side by side (benchmarks/README.md).

    python benchmarks/floor_stack.py PATH
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer
from sqlmodel import Field, Session, SQLModel, create_engine


class FloorRow(SQLModel, table=True):
    __tablename__ = "floor_row"
    id: int | None = Field(default=None, primary_key=True)
    at: str
    pain: int


app = typer.Typer(add_completion=False)


@app.command()
def main(db: Path) -> None:
    engine = create_engine(f"sqlite:///{db}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(FloorRow(at=datetime.now(UTC).isoformat(), pain=4))
        session.commit()
    engine.dispose()


if __name__ == "__main__":
    try:
        app()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    else:
        code = 0
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
