"""The bounds table enforced on every write path: model validation (full_clean in the services),
the forms (built from the models or naming a bound), the imports, and addresses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import modelform_factory
from django.test import Client
from django.utils import translation

from nolkumuh.core.bounds import DigitsWithin, LengthWithin, WithinBound
from nolkumuh.core.numbers import ModelForm, NumberField
from nolkumuh.exchange.bounds import bounds, range_problem
from nolkumuh.regions.models import Rt
from nolkumuh.regions.services import rt_get_or_create
from tests.web.conftest import PASSWORD

BOUND_VALIDATORS = (WithinBound, LengthWithin, DigitsWithin)


def bounded_fields() -> list[tuple[type[models.Model], models.Field, str]]:
    """Every model field that names a bound of the table: (model, field, bound name)."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("nolkumuh."):
            continue
        for field in model._meta.concrete_fields:
            for validator in field.validators:
                if isinstance(validator, BOUND_VALIDATORS):
                    found.append((model, field, validator.name))
    return found


FIELDS = bounded_fields()
IDS = [f"{model.__name__}.{field.name}" for model, field, _name in FIELDS]
# bounds used by a form field or the number parser only (no model field carries them)
FORM_ONLY = {"classes": "VenueForm.classes", "number_text": "exchange.numbers (typed text length)"}


def test_every_bound_of_the_table_is_carried_by_a_model_field_a_column_or_a_form():
    used = {name for _model, _field, name in FIELDS} | set(FORM_ONLY)
    used |= {name for name, b in bounds().items() if b.columns}
    assert set(bounds()) == used


def _outside(field: models.Field, name: str) -> tuple[object, str]:
    """A value just outside the bound, and the message full_clean must give for it."""
    b = bounds()[name]
    if isinstance(field, models.DateField):
        return date(int(b.high) + 1, 1, 1), range_problem(name, int(b.high) + 1).message()
    if b.kind == "text":
        return "x" * (b.max_length + 1), f"terlalu panjang: paling banyak {b.max_length} karakter; singkatkan"
    if b.kind == "digits":
        return "1" * (
            b.max_length + 1
        ), "tulis nomornya dengan 1 sampai 3 angka 0-9, bukan 0, misalnya 2 atau 002"
    return b.high + 1, range_problem(name, b.high + 1).message()


def _inside(field: models.Field, name: str) -> object:
    b = bounds()[name]
    if isinstance(field, models.DateField):
        return date(int(b.high), 12, 31)
    if b.kind == "text":
        return "x" * b.max_length
    if b.kind == "digits":
        return "9" * b.max_length
    return int(b.high) if isinstance(field, models.IntegerField) else b.high


def _clean_one(model: type[models.Model], field: models.Field, value: object) -> list[str]:
    instance = model(**{field.attname: value})
    others = [f.name for f in model._meta.fields if f.name != field.name]
    try:
        instance.clean_fields(exclude=others)
    except ValidationError as exc:
        return exc.message_dict.get(field.name, [])
    return []


@pytest.mark.parametrize(("model", "field", "name"), FIELDS, ids=IDS)
def test_full_clean_refuses_a_value_just_outside_the_bound_of_each_field(model, field, name):
    value, message = _outside(field, name)
    assert message in _clean_one(model, field, value)
    assert _clean_one(model, field, _inside(field, name)) == []


YEAR_FIELDS = [(model, field) for model, field, name in FIELDS if name == "year"]


@pytest.mark.parametrize(
    ("model", "field"), YEAR_FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in YEAR_FIELDS]
)
def test_years_0001_and_9999_are_refused_in_every_year_and_date_field(model, field):
    for year in (1, 9999):
        value = date(year, 1, 1) if isinstance(field, models.DateField) else year
        assert "tahun harus antara 1990 dan 2100; periksa angkanya" in _clean_one(model, field, value)


NUMERIC_FORM_FIELDS = [
    (model, field, name)
    for model, field, name in FIELDS
    if field.editable and isinstance(field, models.IntegerField | models.DecimalField | models.FloatField)
]


@pytest.mark.parametrize(
    ("model", "field", "name"),
    NUMERIC_FORM_FIELDS,
    ids=[f"{m.__name__}.{f.name}" for m, f, _n in NUMERIC_FORM_FIELDS],
)
def test_the_model_forms_refuse_what_the_table_refuses_and_keep_what_was_typed(model, field, name):
    form_class = modelform_factory(model, form=ModelForm, fields=[field.name])
    b = bounds()[name]
    typed = f"{int(b.high) + 1:,}".replace(",", ".")  # as an Indonesian writes it
    with translation.override("id"):
        form = form_class(data={field.name: typed})
        assert isinstance(form.fields[field.name], NumberField) and not form.is_valid()
        assert form.errors[field.name] == [range_problem(name, b.high + 1).message()]
        assert f'value="{typed}"' in str(form[field.name])
        digits = form_class(data={field.name: "١٢"})
        assert digits.errors[field.name] == [
            "pakai angka 0-9 biasa; angka dari aksara atau lebar lain tidak diterima"
        ]


@pytest.mark.parametrize(
    ("language", "typed", "value", "error"),
    [
        ("id", "1.234,5", Decimal("1234.5"), None),
        ("en", "1,234.5", Decimal("1234.5"), None),
        ("en", "1,5", None, "the number is ambiguous: in English a comma separates thousands and a point"),
        ("id", "1.5", None, "penulisan angka tidak jelas: dalam bahasa Indonesia titik memisahkan ribuan"),
        ("id", "１２", None, "pakai angka 0-9 biasa"),
        ("en", "NaN", None, "not a number; write a number such as 1,234.5"),
    ],
)
def test_a_typed_number_is_read_by_the_page_language_never_guessed(language, typed, value, error):
    field = NumberField(bound_name="money", decimal_places=2)
    with translation.override(language):
        if error is None:
            assert field.clean(typed) == value
        else:
            with pytest.raises(ValidationError) as caught:
                field.clean(typed)
            assert caught.value.messages[0].startswith(error)


def test_a_new_rt_is_stored_zero_padded_and_matched_without_zeros(tree):
    rt, created = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="2", rt="14")
    assert created and (rt.rw, rt.rt, rt.rw_key, rt.rt_key) == ("002", "014", "2", "14")
    same, created = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="002", rt="014")
    assert not created and same.pk == rt.pk


@pytest.mark.parametrize("rw", ["1234", "abc", "١", "x" * 5000])
def test_an_rt_with_an_odd_rw_is_never_stored(tree, rw):
    with pytest.raises(ValidationError) as caught:
        rt_get_or_create(kelurahan=tree["bandarharjo"], rw=rw, rt="1")
    assert "tulis nomornya dengan 1 sampai 3 angka 0-9" in " ".join(caught.value.messages)
    assert not Rt.objects.exists()


def test_the_data_migration_pads_existing_rw_and_rt(tree):
    from importlib import import_module

    migration = import_module("nolkumuh.regions.migrations.0005_rw_rt_zero_padded")
    Rt.objects.create(kelurahan=tree["bandarharjo"], rw="1", rt="02", rw_key="1", rt_key="2")
    Rt.objects.create(kelurahan=tree["bululor"], rw="0001", rt="1A", rw_key="1", rt_key="1A")
    migration.pad(apps, None)
    assert sorted(Rt.objects.values_list("rw", "rt")) == [("0001", "1A"), ("001", "002")]


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("year", ["0001", "9999", "1989", "2101"])
def test_a_year_outside_the_table_in_an_address_answers_a_clear_404(users, round2024, year):
    client = _client(users["fasilitator"])
    for url in (
        f"/data/33.74.02.1001/{year}/",
        f"/impor/{year}/",
        f"/data/33.74.02.1001/{year}/templat.xlsx",
    ):
        page = client.get(url)
        assert page.status_code == 404, url
        assert "tahun di alamat harus antara 1990 dan 2100" in page.content.decode()


@pytest.mark.parametrize(
    ("year", "message"), [("9999", "tahun harus antara 1990 dan 2100"), ("٢٠٢٤", "tulis tahun empat angka")]
)
@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/33.74/?tahun={}",
        "/wilayah/33.74/?dari={}",
        "/unduh/33.74/?tahun={}",
        "/kelengkapan/33.74/?tahun={}",
    ],
)
def test_a_year_outside_the_table_in_a_query_string_answers_a_clear_404(users, round2024, url, year, message):
    page = _client(users["korkot"]).get(url.format(year))
    assert page.status_code == 404 and message in page.content.decode()


def _all_form_classes() -> list[type]:
    """Every form class the apps define (their forms modules and the views that hold forms)."""
    from importlib import import_module

    from django import forms

    modules = ["baseline.forms", "planning.forms", "monitoring.forms", "training.forms", "portal.forms"]
    modules += ["portal.map_views"]
    for name in modules:
        import_module(f"nolkumuh.{name}")
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("nolkumuh.") and sub.__module__ != "nolkumuh.core.numbers":
                found.append(sub)
    return found


def test_every_form_of_every_app_takes_typed_numbers_through_the_shared_number_field():
    from django import forms

    classes = _all_form_classes()
    assert len(classes) > 15
    for form_class in classes:
        if issubclass(form_class, forms.ModelForm):
            assert issubclass(form_class, ModelForm), form_class
        for name, field in form_class.base_fields.items():
            raw = (forms.IntegerField, forms.DecimalField, forms.FloatField)
            assert not isinstance(field, raw), f"{form_class.__name__}.{name} bypasses the number parser"


def test_the_rt_entry_form_keeps_what_was_typed_and_says_how_to_write_it(client, users, tree, round2024):
    from tests.web.conftest import rt_values

    assert client.login(username="fasil", password=PASSWORD)
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="1", rt="1")[0]
    page = client.post(f"/data/33.74.02.1001/2024/rt/{rt.pk}/", rt_values(luas="2.66", jumlah_kk="٤٢"))
    text = page.content.decode()
    assert "mungkin maksudnya 2,66" in text and 'value="2.66"' in text
    assert "pakai angka 0-9 biasa" in text and 'value="٤٢"' in text
    assert not rt.records.exists()


def test_a_fasilitator_importing_an_rw_of_thousands_of_characters_stores_nothing(users, round2024, tmp_path):
    from nolkumuh.baseline.imports import import_plan
    from nolkumuh.baseline.models import RtRecord
    from tests.exchange.conftest import write_xlsx
    from tests.web.test_imports import rows_for

    rows = rows_for("33.74.02.1001")
    rows[0]["rw"] = "<svg onload=alert(1)>" * 500
    plan = import_plan(
        user=users["fasilitator"], round=round2024, path=write_xlsx(tmp_path / "rw.xlsx", rows)
    )
    assert next(i.line() for i in plan.issues if i.column == "rw").startswith(
        "baris 2, kolom rw: tulis nomornya dengan 1 sampai 3 angka 0-9, bukan 0, misalnya 2 atau 002"
    )
    assert not plan.ok and not Rt.objects.exists() and not RtRecord.objects.exists()


def test_the_rt_record_service_refuses_a_volume_above_the_table(users, tree, round2024):
    from nolkumuh.baseline.services import rt_record_save
    from nolkumuh.scoring import InvalidInput
    from tests.web.conftest import rt_values

    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="1", rt="1")[0]
    values = rt_values(jumlah_kk="42", kebakaran_sarana="100000001")
    with pytest.raises(InvalidInput) as caught:
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=values)
    assert any("harus antara 0 dan" in line for line in caught.value.lines())
    assert not rt.records.exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808"])
def test_an_id_beyond_the_database_integers_answers_404(users, pk):
    client = _client(users["korkot"])
    for url in (f"/konstruksi/{pk}/", f"/rencana/{pk}/", f"/rt/{pk}/", f"/kegiatan/{pk}/"):
        assert client.get(url).status_code == 404, url


def test_an_anonymous_visitor_gets_the_same_clear_404_for_a_year_out_of_bounds(client, tree):
    page = client.get("/data/33.74.02.1001/0001/")
    text = page.content.decode()
    assert page.status_code == 404 and "Halaman tidak ditemukan" in text and "antara 1990 dan 2100" in text
    assert client.get("/wilayah/33.74/?tahun=0001").status_code == 404


def test_an_address_without_a_number_gets_no_hint_about_years(client, tree):
    page = client.get("/wilayah/33.74/tidak-ada/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "kotak pencarian" in text and "tahun di alamat" not in text
