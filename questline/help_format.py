"""The help layout of every `questline` command: each option's default after its help."""

from __future__ import annotations

import argparse


class DefaultsHelp(argparse.HelpFormatter):
    """Adds "(default: X)" to an option's help when it has a default worth showing: not a
    flag's False, not None (its help says what happens then), not an empty list."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if "%(default)" in text or default is None or default is False or default in (argparse.SUPPRESS, []):
            return text
        if not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"
