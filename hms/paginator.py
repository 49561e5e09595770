"""A paginator for very long lists: it counts at most ``cap`` rows.

An exact COUNT(*) costs time in proportion to the rows matched, so at a
million appointments the count, not the page, would be the slow part. Past
the cap the list says "more than N" and pages up to the cap; a filter narrows
it. The count query carries no ORDER BY and a LIMIT, so PostgreSQL stops
after ``cap + 1`` rows.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, *args, cap: int = COUNT_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False
