"""The README stays true: every setting documented, the quickstart is the Makefile's two commands."""

from __future__ import annotations

from assistant.config import REPO_ROOT, Settings

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    variables = [f"ASSISTANT_{name.upper()}" for name in Settings.model_fields]
    missing = [variable for variable in variables if variable not in README]
    assert missing == []


def test_every_setting_has_a_description() -> None:
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


def test_quickstart_commands_exist_in_makefile() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("chat", "test"):
        assert f"make {target}" in README
        assert f"\n{target}:" in makefile


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test" in ci
