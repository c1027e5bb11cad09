"""The import's bulk insert (issue 18) stores what the ORM path stores, value for value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from backcare.store import declared
from backcare.store.tables import UTCDateTime


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1900, 1, 1, tzinfo=UTC),
        datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 30, 0, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(2999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-11, minutes=-30))),
    ],
)
def test_utc_text_is_the_stored_form(moment: datetime) -> None:
    assert declared.utc_text(moment) == UTCDateTime().process_bind_param(moment, None)
