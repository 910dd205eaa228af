"""Times as Vietnamese stamps print them: ISO 8601 in Asia/Ho_Chi_Minh (+07:00).

Vietnam has had no daylight saving since 1975, so a fixed +07:00 offset is exact for
every date a digital signature can carry, and avoids depending on the tz database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")


def iso_vn(moment: datetime | None) -> str | None:
    """``2025-09-25T15:56:11+07:00``; naive datetimes are taken as UTC (as ASN.1 times are)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def now_utc() -> datetime:
    return datetime.now(UTC)
