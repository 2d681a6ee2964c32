"""The region tree and the users of every role of the web tests, plus an administrator."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.web.conftest import PASSWORD, tree, users  # noqa: F401 (fixtures)


@pytest.fixture
def admin(tree):
    return get_user_model().objects.create_superuser(username="root", password=PASSWORD)
