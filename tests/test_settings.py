"""Production settings refuse to start without a secret key and hosts, and pass the deploy check.

Each check runs ``manage.py`` in a fresh process with a controlled environment.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Only what a process needs to run: nothing from this test session (DEBUG, DATABASE_URL,
# DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests …) may leak into the settings under test.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def manage(tmp_path, *args, **env):
    environment = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    environment.update(HUUNGHI_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def good_key():
    return secrets.token_urlsafe(60)


def test_development_needs_no_variables_at_all(tmp_path):
    done = manage(tmp_path, "check")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    done = manage(tmp_path, "check", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_production_refuses_a_blank_secret_key(tmp_path):
    done = manage(tmp_path, "check", DEBUG="0", SECRET_KEY="   ", ALLOWED_HOSTS="example.org")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    done = manage(tmp_path, "check", DEBUG="0", SECRET_KEY=good_key())
    assert done.returncode != 0
    assert "ALLOWED_HOSTS" in done.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_debug_value_that_is_not_a_boolean_is_refused(tmp_path, value):
    done = manage(tmp_path, "check", DEBUG=value)
    assert done.returncode != 0
    assert "DEBUG" in done.stderr


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    done = manage(tmp_path, "check", "--deploy", DEBUG="0", SECRET_KEY=good_key(), ALLOWED_HOSTS="example.org")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    assert "WARNING" not in (done.stdout + done.stderr).upper().replace("NO ISSUES", "")
