"""What every benchmark prints: percentiles by the nearest-rank rule (not run by dev.py bench)."""


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]
