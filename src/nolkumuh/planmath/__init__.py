"""The planning mathematics: pure Python, numpy and scipy, no Django. See docs/scoring.md ("Plans").

- ``activities``: the activity catalogue (what each kind of work handles, in which unit, at what
  estimated cost), loaded from ``data/activities.toml`` or a file of the same shape;
- ``simulate``: what plan lines do to the deficient volumes, and the projected kumuh akhir year by
  year (scored by :mod:`nolkumuh.scoring`);
- ``budget``: a total with caps per year, per funder and per (year, funder);
- ``optimize``: the exact budget optimizer (mixed-integer programs built with ``milp``, solved by
  HiGHS); ``greedy``: the simple rule it is compared with.

It uses :mod:`nolkumuh.scoring` (the rules of the regulation); scoring never uses it.
"""
