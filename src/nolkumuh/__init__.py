"""nolkumuh: information system for Indonesia's slum-upgrading programs (KOTAKU, 100-0-100)."""

__version__ = "0.1.0"
