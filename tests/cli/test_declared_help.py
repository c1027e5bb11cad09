"""Help texts that list what backcare accepts are built from the declarations (issue 19:
"diclofenac is accepted but missing from `treat --help`"): every value a command accepts is
named in its --help, and nothing else is.
"""

from __future__ import annotations

from backcare.domain import entries
from backcare.domain.drugs import KNOWN_DRUGS
from tests.conftest import Run


def _help(run: Run, *command: str) -> str:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.stderr
    return " ".join(result.stdout.split()).replace("- ", "-")


def test_treat_help_names_every_kind_of_care_and_every_medicine(run: Run) -> None:
    text = _help(run, "treat")
    care = [k for k in entries.TREATMENT.field("kind").choices if k != "medication"]
    assert [word for word in [*care, *KNOWN_DRUGS] if word not in text] == []
    for drug in KNOWN_DRUGS:  # each one named is one `treat` takes
        result = run("treat", drug, "--at", "2026-03-16 08:00")
        assert result.exit_code == 0, (drug, result.stderr)


def test_log_help_names_every_location_and_spread(run: Run) -> None:
    text = _help(run, "log")
    for name in ("location", "radiates"):
        choices = entries.PAIN.field(name).choices
        assert ", ".join(choices[:-1]) + " or " + choices[-1] + "." in text
