"""VND amounts: integers, written 1.250.000 đ, read aloud in words on fee receipts (DOMAIN.md §9)."""

from __future__ import annotations

NBSP = "\u00a0"
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")


def format_vnd(amount: int) -> str:
    """1250000 → '1.250.000 đ' (a no-break space before đ)."""
    return f"{amount:,}".replace(",", ".") + f"{NBSP}đ"


def _three(number: int, *, leading: bool) -> list[str]:
    """The words of 0–999 inside a longer number; ``leading`` = the first group (no "không trăm" before it)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def amount_in_words(amount: int) -> str:
    """1250000 → 'Một triệu hai trăm năm mươi nghìn đồng' (how fee receipts state the amount)."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "Không đồng"
    return (_number_words(amount).capitalize() + " đồng").strip()


def _number_words(number: int) -> str:
    # Beyond tỷ the scale repeats: 1.000.000.000.000 = một nghìn tỷ.
    if number >= 1_000_000_000_000:
        high, low = divmod(number, 1_000_000_000)
        head = _number_words(high) + " tỷ"
        return head if low == 0 else f"{head} {_below_billion(low, leading=False)}"
    return _below_billion(number, leading=True)


def _below_billion(number: int, *, leading: bool) -> str:
    groups: list[int] = []
    while number:
        number, part = divmod(number, 1000)
        groups.append(part)
    words: list[str] = []
    first = leading
    for index in range(len(groups) - 1, -1, -1):
        part = groups[index]
        if part == 0:
            continue
        words += _three(part, leading=first)
        if _GROUPS[index]:
            words.append(_GROUPS[index])
        first = False
    return " ".join(words)
