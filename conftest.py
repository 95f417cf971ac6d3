import pytest


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    # Tests hash quickly, keep uploads in a temporary folder and run jobs at once.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.VAR_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # WhiteNoise would rescan every static file for each test client.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in this thread; a test starts
    # in the site's language whatever ran before it (tests run in any order, on any worker).
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def province(db):
    from tests.personas import build_province

    return build_province()
