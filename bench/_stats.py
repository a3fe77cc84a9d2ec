"""What every benchmark shares (not run by dev.py bench): percentiles by the nearest-rank rule,
and a clean stop when the script is killed."""

import signal
import sys


def stop_cleanly_on_sigterm() -> None:
    """``kill`` or ``pkill`` (SIGTERM) ends the script as Ctrl+C does: its ``finally`` blocks
    run and stop the servers and workers it started, instead of leaving them serving."""
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]
