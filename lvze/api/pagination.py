from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_LIMIT = 100


class LimitOffset(PaginationBase):
    """limit/offset with the total; a limit above 100 is capped."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=MAX_LIMIT, description="每页条数（最大 100）")
        offset: int = Field(0, ge=0, description="跳过的条数")

    class Output(Schema):
        items: list[Any]
        total: int
        limit: int
        offset: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        total = queryset.count()
        rows = list(queryset[pagination.offset : pagination.offset + pagination.limit])
        return {"items": rows, "total": total, "limit": pagination.limit, "offset": pagination.offset}
