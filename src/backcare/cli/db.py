"""`backcare db ...`: where the database is, and looking after it."""

from __future__ import annotations

import typer

from backcare.cli import render
from backcare.cli.context import state

app = typer.Typer(help="The database file: path, backup, restore, check, upgrade, purge.")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database path in use (from --db, $BACKCARE_DB or the default)."""
    render.out(str(state(ctx).db_path))
