"""Every error code the code base raises is documented in docs/errors.md."""

from __future__ import annotations

import re

from tests.conftest import REPO

CODE = re.compile(r'\bcode\s*=\s*"([a-z_]+)"')


def test_every_code_is_documented() -> None:
    documented = set(re.findall(r"`([a-z_]+)`", (REPO / "docs" / "errors.md").read_text()))
    used: dict[str, str] = {}
    for path in (REPO / "newapi").rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(("newapi/testing/", "newapi/admin/client/")):
            continue
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(code, rel)
    missing = {code: where for code, where in used.items() if code not in documented}
    assert not missing, f"error codes missing from docs/errors.md: {missing}"
    assert len(used) > 20
