"""Benchmark of find_slots end to end (dict in, dict out, parsing included).

Run: .venv/bin/python benchmarks/bench_slots.py
"""

import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from meetapp.scheduling import find_slots

NOW = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)
HORIZON_DAYS = 60
REPEATS = 200
WARMUP = 10
TWO_RANGES = [["09:00", "12:00"], ["13:00", "17:30"]]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _random_spans(rng: random.Random, count: int, lengths: list[int]) -> list[dict]:
    spans = []
    for _ in range(count):
        start = NOW + timedelta(minutes=rng.randrange(0, HORIZON_DAYS * 24 * 60, 5))
        end = start + timedelta(minutes=rng.choice(lengths))
        spans.append({"start": _iso(start), "end": _iso(end)})
    return spans


def build_request(busy_count: int, seed: int = 20260325) -> dict:
    rng = random.Random(seed)
    return {
        "timezone": "Europe/Lisbon",
        "weekly": {day: TWO_RANGES for day in ("mon", "tue", "wed", "thu", "fri")},
        "busy": _random_spans(rng, busy_count, [15, 30, 45, 60, 90, 120]),
        "bookings": _random_spans(rng, 50, [30]),
        "duration_minutes": 30,
        "step_minutes": 15,
        "buffer_before_minutes": 10,
        "buffer_after_minutes": 10,
        "min_notice_minutes": 120,
        "horizon_days": HORIZON_DAYS,
        "daily_limit": 6,
        "now": _iso(NOW),
        "viewer_timezone": "America/Los_Angeles",
    }


def measure(request: dict) -> tuple[float, float, int]:
    """Returns median ms, p95 ms and the slot count."""
    for _ in range(WARMUP):
        slot_count = len(find_slots(request)["slots"])
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        find_slots(request)
        samples.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(samples, n=20)[-1]
    return statistics.median(samples), p95, slot_count


def main() -> None:
    header = f"{'case':<34}{'slots':>7}{'median ms':>11}{'p95 ms':>9}{'target':>10}  result"
    print(header)
    print("-" * len(header))
    for busy_count, target_ms in ((1_000, 5.0), (10_000, 40.0)):
        median, p95, slot_count = measure(build_request(busy_count))
        verdict = "PASS" if median <= target_ms else "MISS"
        case = f"{busy_count:,} busy, 50 bookings, 60 days"
        target = f"<= {target_ms:g}"
        print(f"{case:<34}{slot_count:>7}{median:>11.2f}{p95:>9.2f}{target:>10}  {verdict}")


if __name__ == "__main__":
    main()
