from django.contrib import admin

from apps.datasets.models import Dataset, Tag, Version


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "status", "source_name", "row_count", "column_count", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "visibility", "updated_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "description"]
    inlines = [VersionInline]


admin.site.register(Tag)
