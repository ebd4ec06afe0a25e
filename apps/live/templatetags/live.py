"""`{% notifications_bell %}` (base.html) and `{% version_notice dataset %}` (the dataset page)."""

from django import template

from apps.core.templatetags.islands import island
from apps.live.islands import notifications_props, version_notice_props

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_bell(context) -> str:
    user = context["request"].user
    return island(context, "notifications", notifications_props(user)) if user.is_authenticated else ""


@register.simple_tag(takes_context=True)
def version_notice(context, dataset) -> str:
    return island(context, "version-notice", version_notice_props(dataset))
