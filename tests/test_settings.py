import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret",
    "INONE_BASE_URL": "https://inone.useinsider.com",
    "DJANGO_ALLOWED_HOSTS": "inone.useinsider.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("DJANGO_", "INONE_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.conf import settings;"
         " print(settings.INONE_BASE_URL, settings.DEBUG,"
         " settings.DATABASES['default']['ENGINE'])"],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "inone.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_load():
    result = load_settings(PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://inone.useinsider.com", "False",
                                     "django.db.backends.sqlite3"]


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "INONE_BASE_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = load_settings(env)

    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_requires_https_base_url():
    result = load_settings({**PRODUCTION_ENV, "INONE_BASE_URL": "http://inone.useinsider.com"})

    assert result.returncode != 0
    assert "INONE_BASE_URL must use https" in result.stderr


def test_base_url_with_path_is_rejected():
    result = load_settings({**PRODUCTION_ENV, "INONE_BASE_URL": "https://inone.useinsider.com/x"})

    assert result.returncode != 0
    assert "must be a scheme and host only" in result.stderr


def test_debug_run_defaults_to_sqlite():
    result = load_settings({"DJANGO_DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8000", "True", "django.db.backends.sqlite3"]
