#!/usr/bin/env python3
"""Writes a copy of the sample diary with extra expectations that exercise the
rules the sample's own expectations do not: a next-response clock, a segment
filter, pause statuses that include `new`, a rating read from CES answers on a
7-point scale, three survey waves, and one expectation in business time (which
the Polars script does not implement: it must be excluded from both sides).

run.sh uses it for an untimed coverage check on a small input; the timed runs
use the unmodified sample diary.

    extra_diary.py IN.json OUT.json
"""

import json
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        diary = json.load(f)
    at = "2026-04-20T12:00:00+03:00"
    extra = [
        {"id": "x-next-reply", "stage": "service", "description": "Answer a follow-up within 2-8 hours",
         "metric": {"kind": "next_response", "desired": "PT2H", "adequate": "PT8H"}, "recorded_at": at},
        {"id": "x-next-reply", "stage": "service", "description": "Answer a follow-up within 1-4 hours",
         "metric": {"kind": "next_response", "desired": "PT1H", "adequate": "PT4H"},
         "recorded_at": "2026-07-01T00:00:00+03:00"},
        {"id": "x-next-reply", "stage": "service", "description": "Answer a follow-up within 30 min-2 hours",
         "metric": {"kind": "next_response", "desired": "PT30M", "adequate": "PT2H"},
         "recorded_at": "2026-09-15T09:30:00+03:00"},
        {"id": "x-vip-email", "stage": "service", "channel": "email", "segment": "vip",
         "description": "VIP emails answered within 4-12 hours",
         "metric": {"kind": "first_response", "desired": "PT4H", "adequate": "PT12H"}, "recorded_at": at},
        {"id": "x-support-resolution-new-paused", "stage": "service", "touchpoint": "support",
         "description": "Resolution, the clock also paused while new",
         "metric": {"kind": "resolution", "desired": "P1D", "adequate": "P3D"},
         "pause_statuses": ["waiting_customer", "new"], "recorded_at": at},
        {"id": "x-ces-service", "stage": "service", "description": "Low effort (CES 1-7)",
         "metric": {"kind": "rating", "scale": 7, "desired": 6, "adequate": 4.5, "from": ["ces"]},
         "recorded_at": at},
        {"id": "x-business-hours", "stage": "attraction", "channel": "email", "calendar": "support",
         "description": "Email reply within 4-8 business hours",
         "metric": {"kind": "first_response", "desired": "PT4H", "adequate": "PT8H"}, "recorded_at": at},
    ]
    diary["expectations"].extend(extra)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(diary, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
