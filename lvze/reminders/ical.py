"""A minimal iCalendar (RFC 5545) writer for a person's due items: one all-day VEVENT per item."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 74:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def calendar(items: Iterable[dict], base_url: str) -> str:
    host = base_url.split("//", 1)[-1].split("/", 1)[0]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Lvze//履责//ZH", "CALSCALE:GREGORIAN", "X-WR-CALNAME:履责事项"]
    for item in items:
        due = item["due_date"]
        lines += [
            "BEGIN:VEVENT",
            f"UID:workitem-{item['id']}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(item['title'])}（{escape(item['organization__name'])}）",
            f"URL:{base_url}/items/{item['id']}/",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
