"""Every box for a number, in every form of every app: a text box with a phone keyboard hint
(``inputmode``), its value shown in the page language (531,1; Rupiah 5.000.000.000) and read back
by the same language's parser; no ``type=number`` box anywhere (browsers read those in their own
locale and add spinners)."""

from __future__ import annotations

import importlib
import inspect
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from nolkumuh.core.bounds import WithinBound
from nolkumuh.core.numbers import NumberField, RupiahField
from nolkumuh.exchange.bounds import bound
from nolkumuh.planning.models import Plan
from nolkumuh.regions.models import Region
from nolkumuh.scoring import DEFAULT_RULESET, load_ruleset

SRC = Path(__file__).resolve().parents[1] / "src" / "nolkumuh"
MODULES = [
    "nolkumuh.baseline.forms",
    "nolkumuh.planning.forms",
    "nolkumuh.monitoring.forms",
    "nolkumuh.training.forms",
    "nolkumuh.portal.forms",
    "nolkumuh.portal.map_views",
]
# fields made at module level and used by views that read a table of boxes
LOOSE = [("nolkumuh.planning.cost_views", "COST"), ("nolkumuh.training.checkin_views", "RATING")]
# forms that add number fields in __init__: they must be built, not only read from base_fields
DYNAMIC = {"OptimizeForm", "CommunityTrainingForm", "PlanLineForm"}


def _kwargs(cls: type[forms.BaseForm]) -> dict[str, object]:
    region = Region(code="33.74", name="Kota Semarang", level="kabkota")
    known = {
        "plan": Plan(region=region, title="M", start_year=2025, end_year=2026, kind="memorandum"),
        "code": "33.74",
        "region_code": "33.74",
        "kabkota": region,
    }
    params = inspect.signature(cls.__init__).parameters
    return {name: known[name] for name, p in params.items() if p.kind is p.KEYWORD_ONLY and name in known}


def _fields() -> list[tuple[str, forms.Field]]:
    found: list[tuple[str, forms.Field]] = []
    built = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, cls in vars(module).items():
            if (
                not (inspect.isclass(cls) and issubclass(cls, forms.BaseForm))
                or cls.__module__ != module_name
            ):
                continue
            fields = dict(cls.base_fields)
            try:
                fields.update(cls(**_kwargs(cls)).fields)
                built.add(name)
            except (TypeError, AttributeError, ValueError):
                pass  # needs a stored object: its declared fields are checked
            found += [(f"{name}.{field}", f) for field, f in fields.items()]
    assert built >= DYNAMIC
    for module_name, attr in LOOSE:
        found.append((attr, getattr(importlib.import_module(module_name), attr)))
    from nolkumuh.baseline.forms import rt_form_class

    found += [(f"RtForm.{k}", f) for k, f in rt_form_class(load_ruleset(DEFAULT_RULESET)).base_fields.items()]
    return found


def _numeric(field: forms.Field) -> bool:
    within = [v for v in field.validators if isinstance(v, WithinBound)]
    return isinstance(
        field, NumberField | forms.IntegerField | forms.DecimalField | forms.FloatField
    ) or bool(within)


def _digits(field: forms.Field) -> bool:
    """RW/RT: digits kept as text (leading zeros), not a number."""
    return any(getattr(v, "name", None) == "rw_rt" for v in field.validators)


def _sample(field: NumberField) -> Decimal:
    """A value inside the field's bound, with a decimal when the field takes one."""
    if isinstance(field, RupiahField):
        return Decimal("5000000000")
    b = bound(field.bound_name) if field.bound_name else None
    low = b.low if b and b.low is not None else Decimal(0)
    fraction = Decimal(0) if field.integer or field.decimal_places == 0 else Decimal("0.5")
    return low + 1 + fraction if b is None or low + 2 <= b.high else low + fraction


@pytest.mark.django_db
def test_every_number_box_has_a_keyboard_hint_and_is_a_text_box():
    numbers = [(name, f) for name, f in _fields() if _numeric(f) or _digits(f)]
    assert len(numbers) > 60  # the walk reaches the forms
    for name, field in numbers:
        widget = field.widget
        assert not isinstance(widget, forms.NumberInput), name
        assert getattr(widget, "input_type", "text") == "text", name
        expected = (
            {"numeric"} if _digits(field) or getattr(field, "integer", False) else {"decimal", "numeric"}
        )
        assert widget.attrs.get("inputmode") in expected, name
        assert isinstance(field, NumberField) or _digits(field), f"{name}: not read by the language's parser"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_number_box_shows_its_value_in_the_language_and_reads_it_back(lang):
    decimal_sep, group = (",", ".") if lang == "id" else (".", ",")
    for name, field in _fields():
        if not isinstance(field, NumberField):
            continue
        value = _sample(field)
        with translation.override(lang):
            shown = field.prepare_value(value)
            html = field.widget.render("x", shown)
            assert f'value="{shown}"' in html, name
            if isinstance(field, RupiahField):
                assert shown == f"5{group}000{group}000{group}000", name
            elif value != value.to_integral_value():
                assert decimal_sep in shown and group not in shown.lstrip("-"), (name, shown)
            assert field.clean(shown) == value, (name, shown)


def test_no_template_has_a_number_box_without_a_keyboard_hint():
    """Hand-written boxes in templates: no type=number; a box named like a number has inputmode."""
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert 'type="number"' not in text, path.name
        for chunk in text.split("<input")[1:]:
            tag = chunk.split(">", 1)[0]
            if "hidden" not in tag and any(
                f'name="{n}' in tag for n in ("tahun", "volume", "cost_", "pre-", "post-", "pin")
            ):
                assert "inputmode=" in tag, (path.name, tag)
