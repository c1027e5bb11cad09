"""The command line. `main` is the console-script entry point."""

from __future__ import annotations


def main() -> None:
    from backcare.cli.app import app

    app(prog_name="backcare")
