"""`{% island "name" props %}`: a React island's mount point, its props and its module script."""

from django import template
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe
from django_vite.core.asset_loader import DjangoViteAssetLoader

register = template.Library()


@register.simple_tag(takes_context=True)
def island(context, name: str, props: dict | None = None) -> str:
    counters = context.render_context.setdefault("island_counters", {})
    counters[name] = counters.get(name, 0) + 1
    props_id = f"island-{name}-{counters[name]}"
    mount = format_html('<div data-island="{}" data-props="{}"></div>', name, props_id)
    script = DjangoViteAssetLoader.instance().generate_vite_asset(f"islands/{name}/main.tsx")
    # django-vite builds the tag from the manifest: no user input reaches it.
    return mount + json_script(props or {}, props_id) + mark_safe(script)  # noqa: S308
