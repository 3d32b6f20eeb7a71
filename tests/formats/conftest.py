"""Golden-file support: ``pytest tests/formats --update-golden`` rewrites the expected outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*/*/ outputs from the current codecs (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite golden outputs instead of comparing them."""
    return bool(request.config.getoption("--update-golden", default=False))
