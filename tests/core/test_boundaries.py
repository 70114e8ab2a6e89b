"""The core never imports Django (DESIGN.md): checked on every module, present and future."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import symbiose.core


def test_no_core_module_imports_django() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(symbiose.core.__path__, prefix="symbiose.core.")
    ]
    assert "symbiose.core.bundle.reader" in modules  # the walk itself works
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": ":".join(sys.path)})
    assert result.stdout.strip() == "[]"
