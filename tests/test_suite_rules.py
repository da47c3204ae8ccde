"""The suite's own rules (tests/conftest.py), run on small suites of their own.

A backend that does not answer skips its tests outside CI, named on one summary line, and
fails them under ``CI=true``; a browser test without the ``e2e`` marker stops the run.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

CONFTEST = (Path(__file__).parent / "conftest.py").read_text()


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def unreachable(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A suite with one Redis test and one PostgreSQL test, both backends pointed nowhere."""
    port = _closed_port()
    urls = {
        "redis": f"redis://127.0.0.1:{port}/15",
        "postgres": f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
    }
    monkeypatch.setenv("HERITOUR_TEST_REDIS_URL", urls["redis"])
    monkeypatch.setenv("HERITOUR_TEST_DATABASE_URL", urls["postgres"])
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_backends="""
        def test_queue(redis_url):
            raise AssertionError("must not run without Redis")

        def test_database(postgres_url):
            raise AssertionError("must not run without PostgreSQL")
        """
    )
    return urls


def test_unavailable_backends_are_skipped_and_named_outside_ci(
    pytester: pytest.Pytester, unreachable: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=2)
    assert result.ret == pytest.ExitCode.OK
    summary = [line for line in result.outlines if line.startswith("backends unavailable")]
    assert len(summary) == 1, result.stdout.str()
    port = unreachable["redis"].split(":")[2].split("/")[0]
    assert summary[0].startswith(
        "backends unavailable, tests skipped: PostgreSQL at "
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/test (OperationalError: "
    )
    assert f"; Redis at redis://127.0.0.1:{port}/15 (ConnectionError: " in summary[0]
    assert summary[0].endswith("Connection refused.): 1 skipped")


def test_unavailable_backends_fail_under_ci(
    pytester: pytest.Pytester, unreachable: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            f"*backend unavailable: Redis at {unreachable['redis']} *CI=true, so it must run*",
            "*backend unavailable: PostgreSQL at *CI=true, so it must run*",
        ]
    )
    assert "backends unavailable, tests skipped" not in result.stdout.str()


BROWSER_SUITE = """
import pytest

started = []

@pytest.fixture
def browser():
    started.append("chromium")
    return "chromium"

@pytest.fixture
def page(browser):
    return browser

{marker}
def test_tourist(page):
    assert page == "chromium"

def test_without_browser():
    assert started == []
"""


def test_a_browser_test_without_the_e2e_marker_stops_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_browser=BROWSER_SUITE.format(marker=""))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-m", "not e2e")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*use the browser but lack the e2e marker*test_tourist*"])


def test_not_e2e_starts_no_browser(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_browser=BROWSER_SUITE.format(marker="@pytest.mark.e2e"))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-m", "not e2e")
    result.assert_outcomes(passed=1, deselected=1)  # test_without_browser: nothing started
