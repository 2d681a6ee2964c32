"""The portal: the read views over everything (home, search, help, region/kawasan/RT profiles,
maps, boundary import and decree comparison) and the page context every page needs. Top floor
(docs/architecture.md): it reads every app below and nothing below imports it."""
