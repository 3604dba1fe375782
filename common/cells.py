"""Parsers for every cell shape printed in the published KPI, running-cost and finance tables."""

import re
from dataclasses import dataclass
from decimal import Decimal


class CellError(ValueError):
    """A cell that cannot be read; str() is a message an admin understands, naming the text."""


@dataclass(frozen=True)
class KpiCell:
    text: str
    not_collected: bool = False
    count: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    amount: Decimal | None = None
    percent: Decimal | None = None
    value: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class TargetCell:
    text: str
    none: bool = False
    number: Decimal | None = None
    percent: Decimal | None = None
    per: str | None = None
    relative: str | None = None
    qualifier: Decimal | None = None
    qualifier_unit: str | None = None
    note: str | None = None


# Building blocks. Commas must group thousands exactly, so a mistyped '10,59' is refused
# rather than read as 1059.
_INT = r"\d{1,3}(?:,\d{3})+|\d+"
_DEC = rf"(?:{_INT})(?:\.\d+)?"
_POUNDS = rf"£ ?(?P<amount>{_DEC})(?P<scale>[kKmM])?"
_SCALES = {"k": 1_000, "m": 1_000_000}


def _shape(pattern: str) -> re.Pattern[str]:
    # ASCII so that only 0-9 count as digits, never other scripts' numerals.
    return re.compile(rf"(?:{pattern})\Z", re.ASCII | re.IGNORECASE)


# KPI cells, one regex per published shape; tried in this order, most specific first.
# 17 challenges £1,059,768: the coding-challenge KPI counts and values in one cell.
KPI_COUNT_UNIT_AMOUNT = _shape(rf"(?P<count>{_INT}) (?P<unit>[a-z]+) {_POUNDS}")
# 44/£2.5m: a count of projects and their value, not a fraction.
KPI_COUNT_AMOUNT = _shape(rf"(?P<count>{_INT}) ?/ ?{_POUNDS}")
# 22/23, 57/57 (100%): numerator over denominator, sometimes with the rate printed.
KPI_FRACTION = _shape(
    rf"(?P<numerator>{_INT}) ?/ ?(?P<denominator>{_INT})(?: ?\((?P<percent>{_DEC}) ?%\))?"
)
# 3140 (96.5%): a count with the share of the whole it stands for.
KPI_COUNT_PERCENT = _shape(rf"(?P<count>{_INT}) ?\((?P<percent>{_DEC}) ?%\)")
# 28.33%
KPI_PERCENT = _shape(rf"(?P<percent>{_DEC}) ?%")
# £1,234.50
KPI_AMOUNT = _shape(_POUNDS)
# 96 is a count; 273.26 (whole-time equivalents) is a value, and so is 6.0.
KPI_NUMBER = _shape(rf"(?P<count>{_INT})|(?P<value>{_DEC})")

# Money, percentages and counts outside the KPI table.
# 966,850; £1.29; -£1,200; £2.5m: money can be negative, unlike a count.
MONEY = _shape(rf"(?P<sign>-)?£? ?(?P<amount>{_DEC})(?P<scale>[kKmM])?")
PERCENT = KPI_PERCENT
INTEGER = _shape(rf"(?P<count>{_INT})")

# Targets.
TARGET_NONE = _shape(r"n/a")
# annual increase: judged against last year rather than a number.
TARGET_RELATIVE = _shape(r"annual (?P<relative>increase|decrease)")
# 31; 386 pa; 6 per quarter
TARGET_NUMBER = _shape(rf"(?P<number>{_DEC})(?: (?P<per>pa|per annum|per year|per quarter))?")
_PERIODS = {"pa": "year", "per annum": "year", "per year": "year", "per quarter": "quarter"}
# 90%; 100% (6 days); 100% of complaints received
TARGET_PERCENT = _shape(
    rf"(?P<percent>{_DEC}) ?%"
    rf"(?: ?\((?P<qualifier>{_DEC}) (?P<qualifier_unit>[a-z]+)\)| (?P<note>[a-z][a-z0-9 ]*))?"
)

# The schedules print these for lines that have no running cost (funded from programme).
NIL_MONEY = frozenset({"-", "-0", "£-", "-£0.00"})

_KPI_EXAMPLES = "a KPI figure such as 96, 273.26, 22/23, 57/57 (100%), 28.33%, 44/£2.5m or *"
_MONEY_EXAMPLES = "an amount such as 966,850, £1.29, £2.5m or - for nil"
_TARGET_EXAMPLES = (
    "a target such as N/A, 31, 386 pa, 6 per quarter, 90%, 100% (6 days) or annual increase"
)


def _normalise(text: str) -> str:
    # Cells copied from the printed report carry line breaks and non-breaking spaces.
    return " ".join(text.split())


def _number(digits: str) -> Decimal:
    return Decimal(digits.replace(",", ""))


def _amount(match: re.Match[str]) -> Decimal:
    amount = _number(match["amount"])
    if match["scale"]:
        amount *= _SCALES[match["scale"].lower()]
        # '£2.5m' is a whole number of pounds; keep it as 2500000, not 2500000.0.
        if amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
    return amount


def _percent(digits: str, text: str) -> Decimal:
    percent = _number(digits)
    if percent > 100:
        raise CellError(f"'{text}': a percentage cannot be over 100%")
    return percent


def _explain(text: str, expected: str, *, negatives: bool = False) -> CellError:
    """The most specific reason a cell that fits no shape was refused."""
    if not text:
        return CellError(f"the cell is empty; expected {expected}")
    looks_negative = re.match(r"-\s*£?\s*\d", text)
    if looks_negative and not negatives:
        if "%" in text:
            return CellError(f"'{text}': a percentage cannot be under 0%")
        what = "an amount" if "£" in text else "a count"
        return CellError(f"'{text}': {what} cannot be negative")
    if text[:1] in ("=", "+", "-", "@") and not looks_negative:
        # Such text would run as a formula if an export were opened in a spreadsheet.
        return CellError(f"'{text}' looks like a spreadsheet formula and is refused")
    if re.search(r"£(?!\s*\d)", text):
        return CellError(f"'{text}' has a £ sign with no amount after it")
    for token in re.findall(r"[\d.,]*\d[\d.,]*", text):
        if token.count(".") > 1:
            return CellError(f"'{text}' has two decimal points in '{token}'")
        whole = token.partition(".")[0]
        if "," in token and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole):
            return CellError(
                f"'{text}': the commas in '{token}' do not group thousands (write 1,059,768)"
            )
    if re.search(r"[a-zA-Z]", text):
        return CellError(f"'{text}' has letters where a number should be; expected {expected}")
    return CellError(f"'{text}' is not {expected}")


def parse_kpi_cell(text: str) -> KpiCell:
    """A quarter's figure as published; an empty cell (not entered) has every field None."""
    text = _normalise(text)
    if not text:
        return KpiCell(text="")
    if text == "*":
        return KpiCell(text=text, not_collected=True)
    if text in NIL_MONEY:
        raise CellError(f"'{text}' is not a KPI figure: write 0, or * if it was not collected")
    if match := KPI_COUNT_UNIT_AMOUNT.match(text):
        return KpiCell(
            text=text, count=int(_number(match["count"])), unit=match["unit"], amount=_amount(match)
        )
    if match := KPI_COUNT_AMOUNT.match(text):
        return KpiCell(text=text, count=int(_number(match["count"])), amount=_amount(match))
    if match := KPI_FRACTION.match(text):
        denominator = int(_number(match["denominator"]))
        if denominator == 0:
            raise CellError(f"'{text}': the number after the / cannot be 0")
        percent = _percent(match["percent"], text) if match["percent"] else None
        numerator = int(_number(match["numerator"]))
        return KpiCell(text=text, numerator=numerator, denominator=denominator, percent=percent)
    if match := KPI_COUNT_PERCENT.match(text):
        count = int(_number(match["count"]))
        return KpiCell(text=text, count=count, percent=_percent(match["percent"], text))
    if match := KPI_PERCENT.match(text):
        return KpiCell(text=text, percent=_percent(match["percent"], text))
    if match := KPI_AMOUNT.match(text):
        return KpiCell(text=text, amount=_amount(match))
    if match := KPI_NUMBER.match(text):
        if match["count"]:
            return KpiCell(text=text, count=int(_number(match["count"])))
        return KpiCell(text=text, value=_number(match["value"]))
    raise _explain(text, _KPI_EXAMPLES)


def is_nil_money(text: str) -> bool:
    """True for the dashes the schedules print for a line with no running cost."""
    return _normalise(text) in NIL_MONEY


def parse_money(text: str) -> Decimal:
    """Pounds as printed; the nil spellings are 0 and a leading minus is a real negative."""
    text = _normalise(text)
    if not text:
        raise CellError("no amount")
    if text in NIL_MONEY:
        return Decimal(0)
    if match := MONEY.match(text):
        amount = _amount(match)
        # '-0.00' is not a published nil spelling but still means zero, not minus zero.
        return -amount if match["sign"] and amount else amount
    raise _explain(text, _MONEY_EXAMPLES, negatives=True)


def parse_percent(text: str) -> Decimal:
    """A printed percentage, '5.16%' -> 5.16; the % sign is required."""
    text = _normalise(text)
    if match := PERCENT.match(text):
        return _percent(match["percent"], text)
    if KPI_NUMBER.match(text):
        raise CellError(f"'{text}' needs a % sign to be read as a percentage")
    raise _explain(text, "a percentage from 0% to 100%, such as 5.16%")


def parse_integer(text: str) -> int:
    """A whole, non-negative count such as a registered population, '749,179'."""
    text = _normalise(text)
    if not text:
        raise CellError("no number")
    if match := INTEGER.match(text):
        return int(_number(match["count"]))
    if KPI_NUMBER.match(text):
        raise CellError(f"'{text}' is not a whole number")
    raise _explain(text, "a whole number such as 749,179")


def parse_target(text: str) -> TargetCell:
    """A KPI's published target; anything that is not a known target shape is refused."""
    text = _normalise(text)
    if not text:
        raise CellError("no target: write N/A if the KPI has none")
    if TARGET_NONE.match(text):
        return TargetCell(text=text, none=True)
    if match := TARGET_RELATIVE.match(text):
        return TargetCell(text=text, relative=match["relative"].lower())
    if match := TARGET_NUMBER.match(text):
        per = _PERIODS[match["per"].lower()] if match["per"] else None
        return TargetCell(text=text, number=_number(match["number"]), per=per)
    if match := TARGET_PERCENT.match(text):
        qualifier = match["qualifier"]
        return TargetCell(
            text=text,
            percent=_percent(match["percent"], text),
            qualifier=_number(qualifier) if qualifier else None,
            qualifier_unit=match["qualifier_unit"].lower() if qualifier else None,
            note=match["note"],
        )
    raise _explain(text, _TARGET_EXAMPLES)
