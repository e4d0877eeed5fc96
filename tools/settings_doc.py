"""Writes docs/settings.md from rearguard.settings.SETTINGS (a test checks they agree).

    .venv/bin/python tools/settings_doc.py > docs/settings.md
"""

from rearguard.settings import SETTINGS


def render() -> str:
    lines = [
        "# Settings",
        "",
        "Written by `tools/settings_doc.py` from `rearguard/settings.py`; "
        "`tests/test_docs.py` checks that they agree.",
        "",
        "Values come, later ones winning, from these defaults, a TOML file "
        "(`rearguard.toml` in the working directory or `$REARGUARD_CONFIG`, keys at the top "
        "level or under `[rearguard]`), environment variables `REARGUARD_<NAME>` and "
        "command-line options.",
        "",
        "| setting | default | meaning |",
        "|---|---|---|",
    ]
    for s in SETTINGS:
        default = repr(s.default) if s.default != "" else "(empty)"
        lines.append(f"| `{s.name}` | `{default}` | {s.help} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
