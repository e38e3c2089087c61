"""Data access: the attribute names a module's code uses, read once to skip the walks that look for some names.

The index must hold every attribute name a walk of the module's expressions could meet (calls, assigned values
and targets, returns, `if` tests, keyword arguments, nested calls, module-level code), or a walk skipping the
module would miss what it looks for.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.stages.recognize.data_access_properties import AttributeNames


def test_every_expression_kind_gives_its_attribute_names() -> None:
    # positive: each kind of expression the walks read, module level too
    (facts,) = facts_of(
        {
            "shop/views.py": """
                CONFIG = settings.shop_name

                def show(request, order):
                    request.session.flush(key=order.pk)
                    order.owner.name = "x"
                    if request.user.is_staff:
                        return order.total
                    total = compute(order.lines.count())
                    return total
            """
        }
    )
    names = AttributeNames().of(facts)
    assert {"shop_name", "session", "flush", "pk", "owner", "name", "user", "is_staff", "total"} <= names
    assert {"lines", "count"} <= names


def test_names_not_used_as_attributes_are_absent() -> None:
    # negative: plain names, strings and parameters are not attribute names
    (facts,) = facts_of(
        {
            "shop/plain.py": """
                def total(user, price):
                    label = "user.name"
                    return price * 2
            """
        }
    )
    names = AttributeNames().of(facts)
    assert "user" not in names
    assert "name" not in names
    assert names == frozenset()
