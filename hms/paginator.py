"""A paginator for very long lists: it counts at most ``cap`` rows.

An exact COUNT(*) costs time in proportion to the rows matched, so at a
million appointments the count, not the page, would be the slow part. Past
the cap the list says "more than N" and pages up to the cap; a filter narrows
it. The count query carries no ORDER BY and a LIMIT, so PostgreSQL stops
after ``cap + 1`` rows.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window
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


class CountedPagePaginator(Paginator):
    """Pages of a queryset read with their total in one query: each row of the
    page carries ``COUNT(*) OVER ()`` (the rows matched before the LIMIT), so
    no separate COUNT(*) is needed while the page has rows. A page past the
    end counts the usual way and ``get_page`` falls back to the last page.
    For short lists (a patient's own visits): the window counts every match.
    The rows may be models or plain dicts (a ``values()`` queryset).
    """

    TOTAL = "paged_total"
    # Past this page the usual count comes first (Django then refuses a page
    # beyond the last): an offset of ?page=99999999999999999999 rows is more
    # than the database's integers hold.
    WINDOWED_PAGES = 10_000

    def page(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # PageNotAnInteger, as Django says it
        windowed = 1 <= wanted <= self.WINDOWED_PAGES
        if "count" not in self.__dict__ and windowed and not self.orphans:
            bottom = (wanted - 1) * self.per_page
            rows = list(
                self.object_list.annotate(**{self.TOTAL: Window(Count("pk"))})[
                    bottom : bottom + self.per_page
                ]
            )
            if rows:
                first = rows[0]
                total = first[self.TOTAL] if isinstance(first, dict) else getattr(first, self.TOTAL)
                self.__dict__["count"] = total
                return self._get_page(rows, self.validate_number(wanted), self)
            if bottom == 0:
                self.__dict__["count"] = 0
        return super().page(number)

    def get_page(self, number):
        # Django's asks for the count first; here the page brings it.
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)
