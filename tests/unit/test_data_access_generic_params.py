"""Data access: a generic base mutation hands "its" row (`cls._meta.model()`) to the methods it calls on `cls`.

`ModelMutation.perform_mutation` builds the row of the concrete mutation's `class Meta: model = ...` and passes it to
`cls.clean_instance(info, instance)` and `cls.save(info, instance)`; other mutations pass those same methods rows of
their own models. Run for one mutation, the parameter is that mutation's row: not every model any caller passed.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

SHOP = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["shop"]\n',
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Product(models.Model):
            name = models.CharField(max_length=50)

        class Voucher(models.Model):
            code = models.CharField(max_length=20)

        class Address(models.Model):
            city = models.CharField(max_length=50)

        class Note(models.Model):
            text = models.TextField()

        class Journal(models.Model):
            text = models.TextField()
    """,
    "shop/mutations.py": """
        import graphene
        from shop.models import Address, Journal, Note, Product, Voucher

        class BaseMutation(graphene.Mutation):
            class Meta:
                abstract = True

            @classmethod
            def save(cls, info, instance):
                instance.save()

            @classmethod
            def mutate(cls, root, info, **data):
                return cls.perform_mutation(root, info, **data)

        class ModelMutation(BaseMutation):
            class Meta:
                abstract = True

            @classmethod
            def get_instance(cls, info, **data):
                return cls._meta.model()

            @classmethod
            def perform_mutation(cls, root, info, **data):
                instance = cls.get_instance(info, **data)
                cls.save(info, instance)
                return cls()

        class ProductCreate(ModelMutation):
            class Meta:
                model = Product

        class VoucherCreate(ModelMutation):
            class Meta:
                model = Voucher

            @classmethod
            def save(cls, info, instance):
                Journal.objects.create(text="voucher")

        class AddressCreate(BaseMutation):
            @classmethod
            def perform_mutation(cls, root, info, **data):
                address = Address(city=data["city"])
                cls.save(info, address)
                return cls()

        class NoteCreate(BaseMutation):
            @classmethod
            def perform_mutation(cls, root, info, **data):
                note = Note(text=data["text"])
                cls.save(info, note)
                return cls()

        class Mutation(graphene.ObjectType):
            product_create = ProductCreate.Field()
            voucher_create = VoucherCreate.Field()
            address_create = AddressCreate.Field()
            note_create = NoteCreate.Field()

        schema = graphene.Schema(mutation=Mutation)
    """,
}


def writes_of(files: dict[str, str]) -> dict[str | None, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.action: route.writes for route in found.routes}


def test_a_base_method_saves_the_row_the_generic_mutation_hands_it() -> None:
    writes = writes_of(SHOP)
    # Why: `cls.save(info, instance)` in ModelMutation gets `cls._meta.model()`: ProductCreate's Product, not
    # the Address and Note that other mutations pass to the same `save`.
    assert writes["mutation.product_create"] == ["shop.models:Product"]


def test_a_concrete_callers_row_stays_its_own() -> None:
    writes = writes_of(SHOP)
    # Why: AddressCreate hands `save` an Address: the Product, Voucher or Note other callers pass is not saved.
    assert writes["mutation.address_create"] == ["shop.models:Address"]
    assert writes["mutation.note_create"] == ["shop.models:Note"]


def test_an_override_of_the_base_method_runs_instead() -> None:
    writes = writes_of(SHOP)
    # Why: VoucherCreate overrides `save`: the base's `instance.save()` never runs for it, its own body does.
    assert writes["mutation.voucher_create"] == ["shop.models:Journal"]
