from django.db.models import QuerySet
from django.utils.text import slugify


def unique_slug(taken_in: QuerySet, text: str, *, fallback: str, max_length: int, reserved=()) -> str:
    """A slug of `text` not used by `taken_in` (nor in `reserved`): `sales`, then `sales-2`, `sales-3`…"""
    base = slugify(text)[:max_length] or fallback
    taken = set(taken_in.filter(slug__startswith=base).values_list("slug", flat=True)) | set(reserved)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
