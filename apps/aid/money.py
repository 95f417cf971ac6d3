"""Money in Decimal: exchange-rate lookup, VND and USD equivalents, and amounts written the way
reports write them ("gần 26 triệu USD", "594,5 tỷ đồng").

A rate is đồng per unit of a currency on a day; the rate applied to an amount is the latest one on
or before its date. VND is 1 by definition. Equivalents are rounded half-up to the cent/đồng-cent
only at the end (``quantize``), never through floats.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

CENT = Decimal("0.01")
ONE = Decimal(1)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal_shape(value: Decimal) -> tuple[int, int]:
    """(digits before the point, digits after it) of ``value`` as written without useless zeros:
    25400.500000 → (5, 1); 0.125 → (0, 3)."""
    sign, digits, exponent = value.normalize().as_tuple()
    if not isinstance(exponent, int):  # NaN, Infinity: callers refuse them first
        return (0, 0)
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if whole == 1 and digits[:1] == (0,) and exponent >= 0:
        whole = 0
    return whole, places


class RateBook:
    """Every rate of the table in memory (it is small), for converting many amounts at once —
    an import of thousands of transactions asks it, not the database, for each one."""

    def __init__(self, rows=None):
        self._days: dict[str, list[date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        if rows is None:
            # (given rows, the book needs no database: the IATI reading process builds one)
            from apps.aid.models import ExchangeRate

            rows = ExchangeRate.objects.order_by("currency", "date").values_list("currency", "date", "rate_vnd")
        for currency, day, rate in rows:
            self._days.setdefault(currency, []).append(day)
            self._rates.setdefault(currency, []).append(Decimal(rate))

    def rate(self, currency: str, day: date | None) -> Decimal | None:
        """Đồng per unit of ``currency`` on ``day`` (the latest rate on or before it)."""
        if currency == "VND":
            return ONE
        days = self._days.get(currency)
        if not days or day is None:
            return None
        index = bisect_right(days, day)
        return self._rates[currency][index - 1] if index else None

    def convert(self, amount: Decimal | None, currency: str, day: date | None) -> "Equivalent":
        """The VND and USD equivalents of ``amount`` in ``currency`` on ``day`` (None where a rate is missing)."""
        if amount is None:
            return Equivalent(None, None, None)
        amount = Decimal(amount)
        rate = self.rate(currency, day)
        vnd = q2(amount * rate) if rate is not None else None
        if currency == "USD":
            return Equivalent(rate, q2(amount), vnd)
        usd_rate = self.rate("USD", day)
        usd = q2(vnd / usd_rate) if vnd is not None and usd_rate else None
        return Equivalent(rate, usd, vnd)


@dataclass(frozen=True)
class Equivalent:
    rate_vnd: Decimal | None
    usd: Decimal | None
    vnd: Decimal | None


def convert(amount, currency: str, day: date | None) -> Equivalent:
    """One conversion through the database (two small indexed queries)."""
    from apps.aid.models import ExchangeRate

    rows = []
    for code in {currency, "USD"} - {"VND"}:
        found = ExchangeRate.objects.filter(currency=code, date__lte=day).order_by("-date").first() if day else None
        if found is not None:
            rows.append((found.currency, found.date, found.rate_vnd))
    return RateBook(rows).convert(amount, currency, day)


# -- amounts in words ---------------------------------------------------------------------------

#: number words and separators per language — a number format, like huunghi/formats/vi
WORDS = {
    "vi": {
        "scales": ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn")),
        "nearly": "gần {}",
        "over": "hơn {}",
        "decimal": ",",
        "thousands": ".",
        "VND": "đồng",
    },
    "en": {
        "scales": ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")),
        "nearly": "nearly {}",
        "over": "over {}",
        "decimal": ".",
        "thousands": ",",
        "VND": "dong",
    },
}


def _words(language: str | None) -> dict:
    return WORDS["en"] if (language or get_language() or "vi").startswith("en") else WORDS["vi"]


def _number(value: Decimal, places: int, words: dict) -> str:
    text = "{:,.{}f}".format(value, places)
    whole, _dot, fraction = text.partition(".")
    whole = whole.replace(",", words["thousands"])
    fraction = fraction.rstrip("0")
    return whole + (words["decimal"] + fraction if fraction else "")


def amount_words(value: Decimal | None, currency: str, language: str | None = None) -> str:
    """``25_870_000 USD`` → "gần 26 triệu USD"; ``594_480_000_000 VND`` → "594,5 tỷ đồng".

    USD (and other foreign currencies) are rounded to whole units of the scale, qualified with
    "gần" (nearly) or "hơn" (over) when rounding moved them; đồng keep one decimal, as the seed
    writes them."""
    words = _words(language)
    value = Decimal(value or 0)
    unit = words["VND"] if currency == "VND" else currency
    scales = [(1, "")] + sorted(words["scales"])  # smallest first
    index = max(i for i, (size, _word) in enumerate(scales) if i == 0 or abs(value) >= size)
    while True:
        scale, scale_word = scales[index]
        n = value / scale
        if currency == "VND":
            places = 1
        else:
            places = 0 if abs(n) >= 10 or scale == 1 else 1
        shown = n.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        # Rounding may carry into the next scale (999,96 triệu → 1.000,0 triệu): say it in that
        # scale ("1 tỷ"), as people do. Above the largest one ("tỷ") the thousands stay.
        if abs(shown) >= 1000 and index + 1 < len(scales):
            index += 1
            continue
        break
    text = _number(shown, places, words)
    if currency != "VND" and n and abs(shown - n) / abs(n) > Decimal("0.0001"):
        # by magnitude: -25,96 million rounded to -26 is "nearly" -26 million, as for +25,96
        text = (words["nearly"] if abs(shown) > abs(n) else words["over"]).format(text)
    return " ".join(p for p in (text, scale_word, unit) if p)


def format_share(value: Decimal | None, language: str | None = None) -> str:
    """A percentage as people write it: 100 → "100", 33.33 → "33,33" (vi) / "33.33" (en) — never
    the "1E+2" of ``Decimal.normalize()``; no thousands separator, so the text reads back as the
    same number (``apps.core.sheets.parse_number``)."""
    if value is None:
        return ""
    words = _words(language)
    whole, _dot, fraction = "{:f}".format(Decimal(value)).partition(".")
    fraction = fraction.rstrip("0")
    return whole + (words["decimal"] + fraction if fraction else "")


def format_decimal(value: Decimal | None, places: int = 2, language: str | None = None) -> str:
    """1234567.891 → "1.234.567,89" (vi) / "1,234,567.89" (en)."""
    if value is None:
        return ""
    words = _words(language)
    text = "{:,.{}f}".format(Decimal(value), places)
    whole, _dot, fraction = text.partition(".")
    return whole.replace(",", words["thousands"]) + (words["decimal"] + fraction if fraction else "")
