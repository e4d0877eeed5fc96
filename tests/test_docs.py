"""The docs stay in step with the code: settings table, commands in the README."""

import importlib.util
from pathlib import Path

from click.testing import CliRunner

from rearguard.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_settings_doc_is_current():
    spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "tools/settings_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs/settings.md").read_text() == module.render(), (
        "run: .venv/bin/python tools/settings_doc.py > docs/settings.md"
    )


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _commands(command, path)


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    runner = CliRunner()
    for path, command in _commands(cli):
        assert command.help, f"rearguard {' '.join(path)} has no help"
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0
        assert f"rearguard {' '.join(path)}" in readme, f"README does not show {path}"
