"""Property tests (hypothesis) for the protocol's signatures and for money in VND."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from chinhquyenso.payments import signing
from chinhquyenso.payments.forms import parse_vnd
from chinhquyenso.payments.money import amount_in_words, format_vnd
from chinhquyenso.sandbox_pay import signing as gateway_side

SECRET = "bi-mat-cua-don-vi"
names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12).map(
    lambda s: "vnp_" + s
)
values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
params = st.dictionaries(names, values, min_size=1, max_size=12).filter(
    lambda d: not set(d) & {"vnp_SecureHash", "vnp_SecureHashType"}
)


@given(params)
def test_signing_then_verifying_any_parameters_round_trips(p: dict[str, str]) -> None:
    signed = {**p, "vnp_SecureHash": signing.sign_query(p, SECRET)}
    assert signing.verify_query(signed, SECRET)


@given(params)
def test_the_gateways_independent_implementation_agrees(p: dict[str, str]) -> None:
    assert signing.sign_query(p, SECRET) == gateway_side.sign(p, SECRET)
    assert gateway_side.verify({**p, "vnp_SecureHash": signing.sign_query(p, SECRET)}, SECRET)


@given(params, st.data())
def test_any_single_character_change_in_a_value_breaks_the_signature(p: dict[str, str], data: st.DataObject) -> None:
    signed = {**p, "vnp_SecureHash": signing.sign_query(p, SECRET)}
    key = data.draw(st.sampled_from(sorted(p)))
    old = p[key]
    position = data.draw(st.integers(min_value=0, max_value=len(old)))
    replacement = data.draw(st.characters(codec="utf-8", exclude_categories=("Cs",)))
    kind = data.draw(st.sampled_from(["replace", "insert", "delete"]))
    if kind == "insert" or not old:
        new = old[:position] + replacement + old[position:]
    elif kind == "delete":
        position = min(position, len(old) - 1)
        new = old[:position] + old[position + 1 :]
    else:
        position = min(position, len(old) - 1)
        new = old[:position] + replacement + old[position + 1 :]
    assume(new != old)
    assert not signing.verify_query({**signed, key: new}, SECRET)


@given(params, st.data())
def test_renaming_a_parameter_by_one_character_breaks_the_signature(p: dict[str, str], data: st.DataObject) -> None:
    signed = {**p, "vnp_SecureHash": signing.sign_query(p, SECRET)}
    key = data.draw(st.sampled_from(sorted(p)))
    extra = data.draw(st.characters(codec="utf-8", exclude_categories=("Cs",)))
    renamed = key + extra
    assume(renamed not in p)
    changed = {k: v for k, v in signed.items() if k != key}
    changed[renamed] = p[key]
    assert not signing.verify_query(changed, SECRET)


@given(params)
def test_another_secret_or_a_missing_hash_never_verifies(p: dict[str, str]) -> None:
    signed = {**p, "vnp_SecureHash": signing.sign_query(p, SECRET)}
    assert not signing.verify_query(signed, SECRET + "x")
    assert not signing.verify_query(p, SECRET)
    assert not signing.verify_query(signed, "")


@given(st.lists(values, min_size=1, max_size=10), st.data())
def test_field_signatures_round_trip_and_break_on_any_change(fields: list[str], data: st.DataObject) -> None:
    digest = signing.sign_fields(fields, SECRET)
    assert signing.verify_fields(fields, digest, SECRET)
    assert digest == gateway_side.sign_pipe(fields, SECRET)
    index = data.draw(st.integers(min_value=0, max_value=len(fields) - 1))
    changed = list(fields)
    changed[index] = changed[index] + data.draw(st.sampled_from(["0", "a", "đ", " "]))
    assert not signing.verify_fields(changed, digest, SECRET)


amounts = st.integers(min_value=0, max_value=10**15)


@given(amounts)
def test_an_amount_written_with_dots_reads_back_the_same(amount: int) -> None:
    text = format_vnd(amount)
    assert text.endswith("\u00a0đ")
    assert parse_vnd(text) == amount
    assert parse_vnd(str(amount)) == amount


@given(amounts, amounts)
def test_two_different_amounts_are_never_read_aloud_the_same(a: int, b: int) -> None:
    assume(a != b)
    assert amount_in_words(a) != amount_in_words(b)


@given(amounts)
def test_the_amount_in_words_is_one_capitalised_vietnamese_sentence(amount: int) -> None:
    words = amount_in_words(amount)
    assert words[0].isupper() and words.endswith(" đồng") and "  " not in words


def test_known_amounts_are_read_the_vietnamese_way() -> None:
    assert amount_in_words(1_250_000) == "Một triệu hai trăm năm mươi nghìn đồng"
    assert amount_in_words(105) == "Một trăm linh năm đồng"
    assert amount_in_words(21) == "Hai mươi mốt đồng"
    assert amount_in_words(15) == "Mười lăm đồng"
    assert amount_in_words(1_005) == "Một nghìn không trăm linh năm đồng"
    assert amount_in_words(8_000) == "Tám nghìn đồng"


def test_malformed_amounts_are_not_read() -> None:
    assert [parse_vnd(t) for t in ("1.25", "abc", "", "1,000", "-5", "1.0000")] == [None] * 6
