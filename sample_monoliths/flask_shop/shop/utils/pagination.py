"""Pagination for legacy ``Model.query`` queries (predates ``db.paginate``)."""
import math
from dataclasses import dataclass, field

from flask import request

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    extra: dict = field(default_factory=dict)

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_next(self):
        return self.page < self.pages

    def to_dict(self, serializer):
        return {
            "items": [serializer(item) for item in self.items],
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


def get_page_args(default_per_page=DEFAULT_PER_PAGE):
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default_per_page, type=int) or default_per_page
    return max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)


def paginate(query, page, per_page):
    total = query.order_by(None).count()
    items = query.limit(per_page).offset((page - 1) * per_page).all()
    return Page(items=items, page=page, per_page=per_page, total=total)
