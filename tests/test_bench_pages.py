"""The page benchmark's command line (the bench itself never runs in the test suite)."""

import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "bench_pages", Path(__file__).resolve().parent.parent / "bench" / "pages.py")
pages = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(pages)


def test_defaults_are_two_sizes_two_concurrencies_and_no_other_server():
    args = pages.parse_args([])
    assert args.sizes == [10, 10000] and args.concurrency == [1, 8]
    assert args.against == "" and args.against_path == ["/"]


def test_against_takes_paths_and_needs_an_http_url():
    args = pages.parse_args(["--against", "http://127.0.0.1:8100/", "--against-path", "/blog/"])
    assert args.against_path == ["/blog/"]
    with pytest.raises(SystemExit):
        pages.parse_args(["--against", "127.0.0.1:8100"])


@pytest.mark.parametrize("argv", [["--sizes", "diez"], ["--sizes", "0"], ["--concurrency", ""],
                                  ["--duration", "0"], ["--rounds", "0"]])
def test_bad_arguments_are_refused(argv):
    with pytest.raises(SystemExit):
        pages.parse_args(argv)
