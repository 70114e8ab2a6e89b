"""The engine: pure Python, NumPy and friends. Never imports Django (see DESIGN.md)."""
