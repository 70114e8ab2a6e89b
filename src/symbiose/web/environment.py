"""Settings read from the environment, failing loudly on a malformed value.

Kept apart from settings.py so the command line can tell where the data lives before
Django starts (the default SQLite file sits in the user's data directory).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_path


class ConfigurationError(RuntimeError):
    """An environment variable holds a value the platform cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r}: expected true or false")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigurationError(f"{name}={raw!r}: expected a whole number") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


def data_dir() -> Path:
    """Where the embedded database and the generated secret key live on a laptop."""
    configured = env_str("SYMBIOSE_DATA_DIR")
    path = Path(configured) if configured else user_data_path("symbiose", appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'symbiose.sqlite3'}"


def database_url() -> str:
    return env_str("DATABASE_URL") or default_database_url()


def secret_key(*, production: bool) -> str:
    """The key from SYMBIOSE_SECRET_KEY; on a laptop, one generated once and kept.

    A production instance must set it explicitly: a key that silently changed with the
    data directory would log everyone out and invalidate every signed link.
    """
    configured = env_str("SYMBIOSE_SECRET_KEY")
    if configured:
        return configured
    if production:
        raise ConfigurationError("SYMBIOSE_SECRET_KEY must be set when SYMBIOSE_PRODUCTION=1")
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def url_origins(template: str) -> list[str]:
    """The origin a URL template points at, for a Content-Security-Policy source list:
    "https://{s}.tile.example.org/{z}/{x}/{y}.png" -> ["https://*.tile.example.org"]; none
    for a path on this site. Leaflet's `{s}` picks a subdomain, hence the wildcard."""
    parts = urlsplit(template.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc}"]
