# The web fixtures (region tree, data round, users of every role) serve the monitoring tests too.
from tests.web.conftest import _fresh_cache, round2024, tree, users  # noqa: F401
