import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

# Property tests explore the same examples on every run, so a green CI stays green; a developer
# widens the search with --hypothesis-seed or by raising max_examples locally.
hypothesis_settings.register_profile("lvze", derandomize=True, print_blob=True)
hypothesis_settings.load_profile("lvze")


def pytest_configure(config):
    # Argon2 is the production hasher; tests hash many passwords and need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Test transactions roll back, and the data version with them, so a figure cached in one test could be
    # served in the next under the same version: the cache is off except in its own tests.
    settings.LVZE_FIGURES_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    """Each test writes uploads and generated files under its own directory."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
