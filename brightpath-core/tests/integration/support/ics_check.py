"""Checks iCalendar files with the independent, strict `ical` package (PyPI).

  ics_check.py FILE...   exit 0 if every file parses, 1 (naming the file) if one does not
"""
import sys

from ical.calendar_stream import IcsCalendarStream
from ical.exceptions import CalendarParseError

bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        cal = IcsCalendarStream.calendar_from_ics(text)
        print(f"ok {path}: {len(cal.events)} events")
    except (CalendarParseError, ValueError) as e:
        print(f"invalid {path}: {e}")
        bad += 1
sys.exit(1 if bad else 0)
