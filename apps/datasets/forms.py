from django import forms

from apps.datasets.models import Dataset, Visibility


class DatasetUploadForm(forms.Form):
    file = forms.FileField(label="File", help_text="CSV, TSV, Excel (.xlsx), JSON, JSON Lines or Parquet.")
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the file name.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    workspace = forms.ModelChoiceField(queryset=None, empty_label=None, to_field_name="slug")
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PRIVATE)

    def __init__(self, *args, workspaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = workspaces


class VersionForm(forms.Form):
    file = forms.FileField(required=False, label="File")
    url = forms.URLField(required=False, label="or a URL", max_length=1000, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError("Choose a file or give a URL (one of the two).")
        return cleaned


class DatasetEditForm(forms.ModelForm):
    tags = forms.CharField(required=False, help_text="Comma-separated, e.g. sales, weekly")

    class Meta:
        model = Dataset
        fields = ["title", "description", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
