"""``python -m rearguard``: the command line."""

from .cli import main

main()
