"""The call's time zone as the customer sees it: its name in the email ('Berlin time', 'UTC+5:30') and the
VTIMEZONE that makes every calendar program show the call at the right hour."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from ..settings import machine_time_zone

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu",
                       "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "GMT+0", "GMT-0",
                       "Etc/Greenwich", "Greenwich"})


def zone_of(name: str | None) -> tzinfo:
    """The time zone for an IANA name (the machine's when None); UTC names give UTC itself."""
    name = name or machine_time_zone()
    if name in UTC_NAMES:
        return timezone.utc
    return ZoneInfo(name)


def zone_label(name: str | None, day: date | None = None) -> str:
    """'Berlin time', 'New York time', 'UTC': how the email names the time zone."""
    name = name or machine_time_zone()
    if name in UTC_NAMES:
        return "UTC"
    if name.startswith("Etc/") or "/" not in name:
        moment = datetime.combine(day or date.today(), time(12), tzinfo=ZoneInfo(name))
        offset = moment.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return name.rsplit("/", 1)[-1].replace("_", " ") + " time"


def _transitions(zone: tzinfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """The moments (UTC) in `year` when the zone's offset changes: (moment, offset before, offset after)."""
    out: list[tuple[datetime, timedelta, timedelta]] = []
    day = datetime(year, 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    before = day.astimezone(zone).utcoffset() or timedelta(0)
    while day < end:
        nxt = day + timedelta(days=1)
        after = nxt.astimezone(zone).utcoffset() or timedelta(0)
        if after != before:
            lo, hi = 0, 24 * 60  # minutes after `day`: lo has the old offset, hi the new one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if (day + timedelta(minutes=mid)).astimezone(zone).utcoffset() == before:
                    lo = mid
                else:
                    hi = mid
            out.append((day + timedelta(minutes=hi), before, after))
        day, before = nxt, after
    return out


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def vtimezone(name: str, year: int):
    """A VTIMEZONE for the IANA zone `name`, right for `year`: Outlook, Google and Apple calendars all read it.

    Zones with one move to summer time and one back that year get the yearly-rule form calendar programs
    write themselves (STANDARD and DAYLIGHT, each with an RRULE); other zones get icalendar's exact form.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(name)
    changes = _transitions(zone, year)
    kinds = [bool((moment.astimezone(zone).dst() or timedelta(0))) for moment, _b, _a in changes]
    if changes and not (len(changes) == 2 and sorted(kinds) == [False, True]):
        return Timezone.from_tzinfo(zone, name, first_date=date(year, 1, 1), last_date=date(year + 1, 1, 1))
    tz = Timezone()
    tz.add("tzid", name)
    if not changes:
        moment = datetime(year, 1, 1, 12, tzinfo=timezone.utc).astimezone(zone)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", moment.utcoffset())
        standard.add("tzoffsetto", moment.utcoffset())
        standard.add("tzname", moment.tzname() or name)
        tz.add_component(standard)
        return tz
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    for (moment, before, after), summer in zip(changes, kinds):
        local = (moment + before).replace(tzinfo=None)  # the onset in the time before the change (RFC 5545)
        length = calendar.monthrange(local.year, local.month)[1]
        n = -1 if local.day + 7 > length else (local.day - 1) // 7 + 1
        first = _nth_weekday(1970, local.month, local.weekday(), n)
        part = TimezoneDaylight() if summer else TimezoneStandard()
        part.add("dtstart", datetime.combine(first, local.time()))
        part.add("rrule", {"freq": "yearly", "bymonth": local.month, "byday": f"{n}{days[local.weekday()]}"})
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", moment.astimezone(zone).tzname() or name)
        tz.add_component(part)
    return tz
