"""The vectorized engine equals a plain per-row implementation (tests/reference_impl.py)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nolkumuh.scoring import Groups, aggregate, assess, load_ruleset
from tests import reference_impl
from tests.helpers import ALL_KEYS, table_of

INTEGER_FIELDS = ("jumlah_bangunan", "jumlah_penduduk", "jumlah_kk")
DECIMAL_FIELDS = ("luas", "panjang_jalan", "panjang_drainase")
DENOMINATOR = {key: load_ruleset("permen-pupr-02-2016").criterion(key).denominator for key in ALL_KEYS}


@st.composite
def rt_rows(draw):
    row = {f: str(draw(st.integers(0, 400))) for f in INTEGER_FIELDS}
    for f in DECIMAL_FIELDS:
        row[f] = str(Decimal(draw(st.integers(0, 500_000))) / 100)
    for key in ALL_KEYS:
        denominator = Decimal(row[DENOMINATOR[key]])
        if denominator == 0:
            row[f"v_{key}"] = "0"
            continue
        # mostly exact band edges and half-way points; otherwise any share of the denominator
        kind = draw(st.sampled_from(["edge", "half", "any"]))
        if kind == "any":
            volume = denominator * Decimal(draw(st.integers(0, 10_000))) / 10_000
        else:
            percent = Decimal(draw(st.sampled_from([2500, 5100, 7600, 2499, 5099, 7599, 3333, 10000])))
            if kind == "half":
                percent -= Decimal("0.5")
            volume = denominator * percent / 10_000
        if DENOMINATOR[key] in INTEGER_FIELDS:
            volume = Decimal(round(volume))
        row[f"v_{key}"] = str(min(volume.quantize(Decimal("0.000001")), denominator).normalize())
    return row


def _check(rows, ruleset_id):
    result = assess(table_of(rows), load_ruleset(ruleset_id))
    for i, row in enumerate(rows):
        expected = reference_impl.score_row(row, ruleset_id)
        keys = result.ruleset.keys
        got_percent = {k: Decimal(int(result.hundredths[j, i])) / 100 for j, k in enumerate(keys)}
        assert got_percent == expected["persen"], row
        assert dict(zip(keys, result.scores[:, i].tolist(), strict=True)) == expected["nilai"]
        assert int(result.total[i]) == expected["total"]
        assert result.class_codes()[i] == expected["tingkat"]
        assert [Decimal(int(v)) / 100 for v in result.aspect_hundredths[:, i]] == [
            expected["rata_aspek"][n] for n in range(1, 8)
        ]
        assert Decimal(int(result.sectoral_hundredths[i])) / 100 == expected["rata_sektoral"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(rt_rows(), min_size=1, max_size=6),
    st.sampled_from(["permen-pupr-14-2018", "permen-pupr-02-2016"]),
)
def test_vectorized_engine_equals_the_per_row_reference(rows, ruleset_id):
    _check(rows, ruleset_id)


@settings(max_examples=60, deadline=None)
@given(st.lists(rt_rows(), min_size=1, max_size=12), st.integers(1, 3))
def test_aggregation_equals_scoring_the_exact_sums(rows, n_groups):
    labels = [i % n_groups for i in range(len(rows))]
    groups = Groups.of(labels)
    summed = aggregate(table_of(rows), groups)
    result = assess(summed, load_ruleset("permen-pupr-14-2018"))
    for g, label in enumerate(groups.keys):
        members = [r for r, lab in zip(rows, labels, strict=True) if lab == label]
        expected = reference_impl.score_row(reference_impl.aggregate_rows(members), "permen-pupr-14-2018")
        assert int(result.total[g]) == expected["total"]
        assert result.class_codes()[g] == expected["tingkat"]
        keys = result.ruleset.keys
        assert {k: Decimal(int(result.hundredths[j, g])) / 100 for j, k in enumerate(keys)} == expected[
            "persen"
        ]
