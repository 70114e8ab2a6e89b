"""`symbiose user create`: an account with its role, the password from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.web.bundles import write_bundle


def run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SYMBIOSE_DATA_DIR": str(tmp_path / "data"),
        "SYMBIOSE_LANGUAGE": "fr",
        **extra,
    }
    return subprocess.run([sys.executable, "-m", "symbiose", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_user_create_with_role_and_actor(tmp_path: Path) -> None:
    assert run(["user", "create", "--help"], tmp_path).returncode == 0
    bundle = write_bundle(tmp_path / "bundle")
    assert run(["import", str(bundle), "--territory", "Vallée"], tmp_path).returncode == 0
    secret = {"NEW_PW": "Une-phrase-de-passe-44"}
    created = run(["user", "create", "lea", "--territory", "Vallée", "--role", "member",
                   "--actor", "a1", "--password-env", "NEW_PW"], tmp_path, **secret)
    assert created.returncode == 0, created.stderr
    assert "lea" in created.stdout and "Une-phrase" not in created.stdout

    check = ("import django; django.setup(); from django.contrib.auth.models import User; "
             "u = User.objects.get(username='lea'); m = u.memberships.get(); "
             "print(u.check_password('Une-phrase-de-passe-44'), m.role, "
             "[a.external_id for a in m.actors.all()])")
    out = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=False,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
             "SYMBIOSE_DATA_DIR": str(tmp_path / "data"),
             "DJANGO_SETTINGS_MODULE": "symbiose.web.settings"})
    assert out.stdout.strip() == "True member ['a1']", out.stderr


def test_user_create_refusals(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle")
    run(["import", str(bundle), "--territory", "Vallée"], tmp_path)
    no_env = run(["user", "create", "x", "--territory", "Vallée", "--role", "observer",
                  "--password-env", "ABSENT_VAR"], tmp_path)
    assert no_env.returncode == 2 and "ABSENT_VAR" in no_env.stderr
    weak = run(["user", "create", "x", "--territory", "Vallée", "--role", "observer",
                "--password-env", "PW"], tmp_path, PW="123")
    assert weak.returncode == 1
    no_actor = run(["user", "create", "y", "--territory", "Vallée", "--role", "member",
                    "--password-env", "PW"], tmp_path, PW="Une-phrase-de-passe-44")
    assert no_actor.returncode == 1 and "acteur" in no_actor.stderr
    unknown = run(["user", "create", "z", "--territory", "Vallée", "--role", "member",
                   "--actor", "zz", "--password-env", "PW"], tmp_path,
                  PW="Une-phrase-de-passe-44")
    assert unknown.returncode == 1 and "zz" in unknown.stderr
