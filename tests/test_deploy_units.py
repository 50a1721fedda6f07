"""The systemd units in deploy/ pass `systemd-analyze verify`, with this checkout standing in
for /srv/buurtplatform (docs/deploy.md, 5)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(ANALYZE is None, reason="needs systemd-analyze")
def test_the_units_verify_cleanly(tmp_path):
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("needs the project's .venv with gunicorn")
    names = []
    for unit in sorted(DEPLOY.glob("buurtplatform-*")):
        text = unit.read_text().replace("/srv/buurtplatform", str(ROOT))
        name = unit.name.replace("@.service", "@1.service")  # an instance of the template
        (tmp_path / name).write_text(text)
        names.append(str(tmp_path / name))

    result = subprocess.run(  # noqa: S603 - systemd's own tool
        [ANALYZE, "verify", "--man=no", *names],
        capture_output=True,
        text=True,
        env={"SYSTEMD_LOG_LEVEL": "notice", "PATH": "/usr/bin:/bin"},
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""
    assert len(names) == 5
