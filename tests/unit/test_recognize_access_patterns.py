"""Access patterns: the query shapes a model is looked up by, with positive and negative cases.

Each test parses small snippets, runs every recognizer (access patterns refine the published
models) and asserts {model: {(equals, ranges, orders, joins)}} exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

HEURISTICS = load_heuristics()
Shape = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def shapes(files: Mapping[str, str]) -> dict[str, set[Shape]]:
    found = recognize(link(facts_of(files)), HEURISTICS)
    return {
        m.name: {(tuple(a.equals), tuple(a.ranges), tuple(a.orders), tuple(a.joins)) for a in m.access}
        for m in found.models
    }


DJANGO = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Team(models.Model):
            name = models.CharField(max_length=20)

        class Ticket(models.Model):
            team = models.ForeignKey(Team, on_delete=models.CASCADE)
            status = models.CharField(max_length=20)
            created = models.DateTimeField()
    """,
    "shop/views.py": """
        from django.shortcuts import get_object_or_404
        from .models import Ticket, Team

        def open_tickets(request, team):
            return Ticket.objects.filter(team=team, status="open").order_by("-created")

        def recent(request):
            return Ticket.objects.filter(created__gte=request.since)

        def by_team_name(request):
            return Ticket.objects.filter(team__name=request.name).select_related("team")

        def detail(request, pk):
            return get_object_or_404(Ticket, pk=pk)

        def search(request):
            # a substring scan: no key serves it, and nothing else is asked
            return Team.objects.filter(name__icontains=request.q)

        def dynamic(request):
            # built at run time: nothing is read
            return Team.objects.filter(**request.filters)
    """,
}


def test_django_lookups_orders_ranges_and_joins() -> None:
    assert shapes(DJANGO) == {
        "Team": set(),
        "Ticket": {
            (("team_id", "status"), (), ("created",), ()),  # a relation compared by object is its key column
            ((), ("created",), (), ()),
            ((), (), (), ("team",)),  # team__name and select_related("team"): one join, one chain
            (("id",), (), (), ()),  # pk is the primary key
        },
    }


def test_sqlalchemy_filter_by_and_order_by_model_attributes() -> None:
    files = {
        "app/__init__.py": "",
        "app/models.py": """
            from flask_sqlalchemy import SQLAlchemy
            db = SQLAlchemy()

            class Order(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                user_id = db.Column(db.Integer)
                created_at = db.Column(db.DateTime)
        """,
        "app/views.py": """
            from .models import Order

            def history(user):
                return Order.query.filter_by(user_id=user.id).order_by(Order.created_at.desc()).all()

            def unrelated(items):
                # not rooted at a model: a list's own methods
                return items.filter_by(user_id=1)
        """,
    }
    assert shapes(files) == {"Order": {(("user_id",), (), ("created_at",), ())}}
