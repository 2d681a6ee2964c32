"""nolkumuh: information system for Indonesia's slum-upgrading programs (KOTAKU, 100-0-100)."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The installed package's version, written by pip from pyproject.toml: one place to change it.
    __version__ = version("nolkumuh")
except PackageNotFoundError:  # a source tree that was never installed (`make install` installs it)
    __version__ = "0+unknown"
