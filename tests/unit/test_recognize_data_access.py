"""Data access: the models each entry point reads and writes through everything it reaches."""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

PROJECT = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField()

        class Customer(models.Model):
            name = models.CharField(max_length=20)
    """,
    "shop/services.py": """
        from shop.models import Customer, Order

        def place(total):
            return Order.objects.create(total=total)

        def lookup(pk):
            return Customer.objects.filter(pk=pk).first()

        def rename(customer):
            customer.save()
    """,
    "shop/views.py": """
        import functools
        from django.http import JsonResponse
        from django.views.decorators.http import require_POST
        from shop.models import Customer
        from shop.services import lookup, place

        def audited(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)
            return wrapper

        @require_POST
        @audited
        def checkout(request):
            customer = lookup(request.POST["customer"])
            place(10)
            return JsonResponse({})

        @audited
        def profile(request):
            return JsonResponse({"n": Customer.objects.count()})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [path("checkout/", views.checkout), path("profile/", views.profile)]
    """,
}


def test_routes_carry_the_models_they_reach() -> None:
    graphs = link(facts_of(PROJECT))
    found = recognize(graphs, load_heuristics())
    by_path = {route.path: route for route in found.routes}
    # Why: checkout reads Customer (through lookup) and writes Order (through place).
    assert by_path["/checkout/"].reads == ["shop.models:Customer"]
    assert by_path["/checkout/"].writes == ["shop.models:Order"]
    # Why: both views share the `audited` wrapper; profile must not inherit checkout's writes through it.
    assert by_path["/profile/"].reads == ["shop.models:Customer"]
    assert by_path["/profile/"].writes == []


def test_instance_save_is_a_write_and_a_function_named_like_a_manager_is_not() -> None:
    project = {
        **PROJECT,
        "shop/other.py": """
            from shop.models import Customer

            class objects:
                @staticmethod
                def create(**kwargs):
                    return None

            def make(customer: Customer):
                customer.save()
                objects.create(total=1)
        """,
    }
    graphs = link(facts_of(project))
    from migrate_scan.stages.recognize.data_access import DataAccess

    access = DataAccess(graphs, {"shop.models:Order", "shop.models:Customer"})
    assert access.reached_from("shop.other:make") == ([], ["shop.models:Customer"])


# -- related managers, committed attribute writes, class-based views ------------------------------

RELATED = {
    "desk/__init__.py": "",
    "desk/models.py": """
        from django.db import models

        class Ticket(models.Model):
            title = models.CharField(max_length=20)

        class Comment(models.Model):
            ticket = models.ForeignKey(Ticket, related_name="comments", on_delete=models.CASCADE)

        class Attachment(models.Model):
            ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    """,
    "desk/services.py": """
        from desk.models import Comment, Ticket

        def reply(ticket: Ticket, body):
            ticket.comments.create(body=body)

        def files(ticket: Ticket):
            return ticket.attachment_set.all()

        def parent(comment: Comment):
            comment.ticket.save()

        def not_a_relation(ticket: Ticket):
            ticket.history.create()
    """,
    "desk/api.py": """
        from rest_framework import mixins, viewsets
        from rest_framework.decorators import action
        from desk.models import Comment, Ticket

        class TicketViewSet(viewsets.ModelViewSet):
            queryset = Ticket.objects.all()

            @action(detail=True, methods=["post"])
            def close(self, request, pk=None):
                ticket = self.get_object()
                return ticket

        class CommentList(mixins.ListModelMixin, viewsets.GenericViewSet):
            queryset = Comment.objects.filter(public=True)

        class NoModel(viewsets.ViewSet):
            def list(self, request):
                return []
    """,
}


def access_of(files: Mapping[str, str]):
    from migrate_scan.stages.recognize import applications
    from migrate_scan.stages.recognize import models as model_recognizer
    from migrate_scan.stages.recognize.data_access import DataAccess

    graphs = link(facts_of(files))
    heuristics = load_heuristics()
    models = model_recognizer.recognize(graphs, heuristics, applications.recognize(graphs, heuristics)).models
    return DataAccess(graphs, models)


def test_related_managers_reach_the_related_model() -> None:
    access = access_of(RELATED)
    # Why: `comments` is Comment's related_name, `attachment_set` the default reverse accessor.
    assert access.reached_from("desk.services:reply") == ([], ["desk.models:Comment"])
    assert access.reached_from("desk.services:files") == (["desk.models:Attachment"], [])
    # Why: `comment.ticket` is a foreign key: loading it reads the ticket before saving it.
    assert access.reached_from("desk.services:parent") == (["desk.models:Ticket"], ["desk.models:Ticket"])
    # Why: `history` is no relation of the data models: what it manages is unknown, nothing is claimed
    # (the ticket's own row is not what `history.create()` writes).
    assert access.reached_from("desk.services:not_a_relation") == ([], [])
    lines = {(a.function, a.model, a.is_write): a.location.line for a in access.accesses()}
    assert lines[("desk.services:reply", "desk.models:Comment", True)] == 5


def test_symbols_only_claim_nothing_through_unknown_attributes() -> None:
    from migrate_scan.stages.recognize.data_access import DataAccess

    graphs = link(facts_of(RELATED))
    access = DataAccess(graphs, {"desk.models:Ticket", "desk.models:Comment", "desk.models:Attachment"})
    # Why: without the data models no relation is known: `ticket.comments` may be anything, nothing is claimed.
    assert access.reached_from("desk.services:reply") == ([], [])


def test_viewset_actions_read_and_write_their_queryset_model() -> None:
    access = access_of(RELATED)
    ticket = "desk.models:Ticket"
    assert access.reached_from("desk.api:TicketViewSet.list") == ([ticket], [])
    assert access.reached_from("desk.api:TicketViewSet.retrieve") == ([ticket], [])
    assert access.reached_from("desk.api:TicketViewSet.create") == ([], [ticket])
    for action in ("update", "partial_update"):
        assert access.reached_from(f"desk.api:TicketViewSet.{action}") == ([ticket], [ticket])
    # Why: destroying a ticket deletes the comments and attachments pointing at it (CASCADE, fast deletes).
    assert access.reached_from("desk.api:TicketViewSet.destroy") == (
        [ticket],
        ["desk.models:Attachment", "desk.models:Comment", ticket],
    )
    assert access.reached_from("desk.api:TicketViewSet.close") == ([ticket], [])
    # Why: a list-only viewset has no create; a ViewSet without a queryset reads nothing.
    assert access.reached_from("desk.api:CommentList.list") == (["desk.models:Comment"], [])
    assert access.reached_from("desk.api:CommentList.create") == ([], [])
    assert access.reached_from("desk.api:NoModel.list") == ([], [])
    lines = {(a.function, a.model, a.is_write): a.location.line for a in access.accesses()}
    assert lines[("desk.api:TicketViewSet.create", ticket, True)] == 7
    assert lines[("desk.api:TicketViewSet.close", ticket, False)] == 11


COMMITS = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from flask_sqlalchemy import SQLAlchemy
        from sqlalchemy.orm import relationship

        db = SQLAlchemy()

        class Order(db.Model):
            __tablename__ = "orders"
            id = db.Column(db.Integer, primary_key=True)
            items = relationship("Item", backref="order")

            def pay(self):
                self.status = "paid"
                db.session.commit()

            def mark(self):
                self.status = "marked"

        class Item(db.Model):
            __tablename__ = "items"
            id = db.Column(db.Integer, primary_key=True)
            order_id = db.Column(db.ForeignKey("orders.id"))
    """,
    "shop/services.py": """
        from shop.models import Item, Order, db

        class Box:
            pass

        def ship(item: Item):
            item.order.status = "shipped"
            db.session.commit()

        def wrap(box: Box):
            box.label.text = "x"
            db.session.commit()

        def early(item: Item):
            db.session.commit()
            item.order.status = "late"

        def lines(order: Order):
            return order.items.all()
    """,
}


def test_attribute_writes_followed_by_a_commit_are_writes() -> None:
    access = access_of(COMMITS)
    order = "shop.models:Order"
    assert access.reached_from("shop.models:Order.pay") == ([], [order])
    # Why: no commit follows: not a write.
    assert access.reached_from("shop.models:Order.mark") == ([], [])
    # Why: `item.order` is the relationship's backref; the write happens before the commit.
    assert access.reached_from("shop.services:ship") == ([], [order])
    assert access.reached_from("shop.services:early") == ([], [])
    # Why: a non-model object is never a write, commit or not.
    assert access.reached_from("shop.services:wrap") == ([], [])
    assert access.reached_from("shop.services:lines") == (["shop.models:Item"], [])
    lines = {(a.function, a.model, a.is_write): a.location.line for a in access.accesses()}
    assert lines[("shop.services:ship", order, True)] == 8


def test_plain_local_attribute_write_then_commit() -> None:
    project = {**COMMITS, "shop/pay.py": """
        from shop.models import Order, db

        def pay(order: Order):
            order.status = "paid"
            db.session.commit()
    """}  # fmt: skip
    assert access_of(project).reached_from("shop.pay:pay") == ([], ["shop.models:Order"])


def test_a_name_that_may_be_several_models_reaches_each() -> None:
    access = access_of(
        {
            "shop/__init__.py": "",
            "shop/models.py": """
                from django.db import models

                class Order(models.Model):
                    total = models.IntegerField()

                class Invoice(models.Model):
                    total = models.IntegerField()

                class Refund(models.Model):
                    total = models.IntegerField()
            """,
            "shop/purge.py": """
                from shop.models import Invoice, Order, Refund

                def purge():
                    for model in (Order, Invoice, Refund):
                        model.objects.all().delete()
            """,
        }
    )
    # Why: `model` is each of the three classes in turn; keeping one of them (whichever a set
    # listed first) made the report change with PYTHONHASHSEED.
    every = ["shop.models:Invoice", "shop.models:Order", "shop.models:Refund"]
    # `.all()` only builds the query `.delete()` runs: a write, no read.
    assert access.reached_from("shop.purge:purge") == ([], every)


RECURSIVE = {
    "notes/__init__.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
    """,
    "notes/models.py": """
        from notes import db

        class Note(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            owner = db.Column(db.Integer)

        class Comment(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            note_id = db.Column(db.Integer, db.ForeignKey("note.id"))
            note = db.relationship("Note", backref="comments")
    """,
    "notes/services.py": """
        from notes.models import Note

        def pinned(owner):
            if owner is None:
                return fallback(owner).first()
            return Note.query.filter_by(owner=owner).first()

        def fallback(owner):
            return pinned(owner.parent).comments.first()

        def plain():
            return Note.query.first()
    """,
}


def test_rows_of_mutually_recursive_functions_do_not_depend_on_who_is_asked_first() -> None:
    note, comment = "notes.models:Note", "notes.models:Comment"
    for first, second in (("pinned", "fallback"), ("fallback", "pinned")):
        access = access_of(RECURSIVE)
        access._returning.clear()  # what the construction asked: asked again, in this order
        asked = {name: access._function_models(f"notes.services:{name}") for name in (first, second)}
        # Why: pinned returns a Note, or the first of fallback's rows; fallback the comments of pinned's
        # row: each one's rows are what the other gives once both are known, whichever is asked first.
        assert asked == {"pinned": {note, comment}, "fallback": {comment}}
        # Why (negative): a function calling no other returns its own rows only.
        assert access._function_models("notes.services:plain") == {note}
