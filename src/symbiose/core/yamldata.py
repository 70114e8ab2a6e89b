"""Reading the project's YAML data files, with libyaml's C parser when PyYAML has it.

The knowledge files are a few hundred rules long; the pure-Python parser takes most of a
second to read them, which every command and every worker process pays at start.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_parse(text: str) -> Any:
    """The document `text` as Python data, safe tags only (as `yaml.safe_load`)."""
    return yaml.load(text, Loader=_LOADER)
