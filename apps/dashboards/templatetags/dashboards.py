"""Template helpers for pages of other apps that show saved charts (the dataset and workspace pages),
so those apps need not import the dashboards app."""

from django import template
from django.urls import reverse

from apps.dashboards.selectors import charts_listed, dashboards_of

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_charts(context, *, dataset=None, workspace=None) -> list[dict]:
    """The charts of a dataset or a workspace that the signed-in person may see, each with the link that
    opens it in the chart builder and the dashboards it is on."""
    lookup = {"dataset": dataset} if dataset is not None else {"workspace": workspace}
    rows = []
    for chart in charts_listed(context["request"].user, **lookup):
        builder = reverse("dashboards:explore", args=[chart.dataset.workspace.slug, chart.dataset.slug])
        rows.append({"chart": chart, "builder_url": f"{builder}?chart={chart.pk}", "dashboards": dashboards_of(chart)})
    return rows
