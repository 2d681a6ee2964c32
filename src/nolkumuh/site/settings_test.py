"""Settings for the test suite: demo mode (no secret needed), a throw-away data folder, background
tasks run at once, fast password hashing. Everything else is the real settings module."""

import os
import tempfile

os.environ.setdefault("NOLKUMUH_DEMO", "1")
os.environ.setdefault("NOLKUMUH_DATA_DIR", tempfile.mkdtemp(prefix="nolkumuh-test-"))
os.environ.setdefault("NOLKUMUH_TASKS", "immediate")  # background tasks run inside the request

from nolkumuh.site.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
