"""A stored test score is shown in the page language (50,5) and re-submits unchanged."""

from __future__ import annotations

from decimal import Decimal

from nolkumuh.training import models
from nolkumuh.training.models import Topic
from tests.training.test_documents_and_pages import signed_in


def test_a_stored_score_is_shown_with_a_decimal_comma_and_resubmits_unchanged(event):
    client = signed_in("prov")
    klass = event.participants.first().klass
    topic = Topic.objects.get(code="kpp")
    url = f"/pelatihan/kegiatan/{event.pk}/nilai/isi/?topik={topic.pk}&kelas={klass.pk}"
    who = event.participants.filter(klass=klass).first()
    client.post(url, {f"pre-{who.pk}": "50,5", f"post-{who.pk}": "80"})
    page = client.get(url).content.decode()
    assert f'name="pre-{who.pk}" value="50,5"' in page and 'inputmode="decimal"' in page
    again = client.post(url, {f"pre-{who.pk}": "50,5", f"post-{who.pk}": "80"}, follow=True)
    assert "Tidak ada yang disimpan" not in again.content.decode()
    assert models.TestScore.objects.get().pre == Decimal("50.5")
