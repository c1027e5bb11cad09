"""The stack floor: the least a Typer + SQLModel command that writes one row can cost.

Imports typer and sqlmodel, defines one tiny table, opens the SQLite file given on the
command line and inserts one row through a SQLModel session. `backcare log` and friends are
budgeted as a ratio of this script's wall time (benchmarks/README.md).

    python benchmarks/floor_stack.py PATH
"""

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
    app()
