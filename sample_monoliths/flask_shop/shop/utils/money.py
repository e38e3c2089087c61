"""Money is stored as integer cents everywhere; only templates see decimals."""
from decimal import ROUND_HALF_UP, Decimal

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3"}


def to_cents(amount):
    """``"12.5"`` / ``Decimal("12.50")`` / ``12.5`` -> ``1250``."""
    if amount is None or amount == "":
        return None
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(value * 100)


def from_cents(cents):
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


def format_money(cents, currency="USD"):
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    sign = "-" if cents and cents < 0 else ""
    return f"{sign}{symbol}{abs(from_cents(cents)):,.2f}"


def apply_rate(cents, rate):
    """Percentage of an amount, rounded half-up to the cent (tax, discounts)."""
    value = (Decimal(cents) * Decimal(str(rate))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return int(value)


def order_totals(subtotal_cents, tax_rate, shipping_flat_cents, free_shipping_over_cents):
    shipping = 0 if subtotal_cents >= free_shipping_over_cents else shipping_flat_cents
    if subtotal_cents == 0:
        shipping = 0
    tax = apply_rate(subtotal_cents, tax_rate)
    return {
        "subtotal_cents": subtotal_cents,
        "tax_cents": tax,
        "shipping_cents": shipping,
        "total_cents": subtotal_cents + tax + shipping,
    }
