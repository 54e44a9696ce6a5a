"""The public CI workflow and .ci/run use the README's commands, not their own."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_ci_run_is_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_public_workflow_reuses_make_test_and_publishes_the_site():
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8"))
    steps = wf["jobs"]["test"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any(r.strip() == "make test" for r in runs), ".github/workflows/book.yml: no `make test` step"
    uploads = {s["uses"].split("@")[0]: s.get("with", {}) for s in steps if "uses" in s}
    assert uploads.get("actions/upload-pages-artifact", {}).get("path") == "_build/html"
    deploy = wf["jobs"]["publish"]["steps"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy)
    # Nothing in the job installs or fetches what make test does not.
    assert not any("pip install" in r or "npx" in r or "curl" in r for r in runs), runs
