"""The refresh-schedule form (presets or a cron field) and the new-webhook form."""

from django import forms

from apps.integrations.models import WebhookEvent

PRESETS = [("hourly", "Every hour"), ("daily", "Every day at"), ("weekly", "Every week on"), ("cron", "Cron")]
WEEKDAYS = [
    (str(i), name)
    for i, name in enumerate(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"])
]


class ScheduleForm(forms.Form):
    """A schedule chosen from presets (hourly, daily at a time, weekly on a day at a time) or written as cron."""

    url = forms.URLField(max_length=1000, label="Refresh from", assume_scheme="https")
    preset = forms.ChoiceField(choices=PRESETS, widget=forms.RadioSelect, initial="daily")
    time = forms.TimeField(required=False, initial="06:00", widget=forms.TimeInput(attrs={"type": "time"}))
    weekday = forms.ChoiceField(
        choices=WEEKDAYS, required=False, initial="1", widget=forms.Select(attrs={"aria-label": "Day of the week"})
    )
    cron = forms.CharField(
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "0 6 * * 1-5", "aria-label": "Cron expression"}),
    )

    def clean(self):
        data = super().clean()
        preset, at = data.get("preset"), data.get("time")
        if preset == "hourly":
            data["cron"] = "0 * * * *"
        elif preset in ("daily", "weekly"):
            if at is None:
                self.add_error("time", "Give the time of day.")
                return data
            day = (data.get("weekday") or "1") if preset == "weekly" else "*"
            data["cron"] = f"{at.minute} {at.hour} * * {day}"
        elif preset == "cron" and not data.get("cron"):
            self.add_error("cron", "Write a five-field crontab, e.g. 0 6 * * 1-5.")
        return data

    @staticmethod
    def initial_for(cron: str, url: str) -> dict:
        """The form's fields for an existing cron: the preset it matches, or the cron field."""
        initial = {"url": url, "preset": "cron", "cron": cron, "time": "06:00", "weekday": "1"}
        parts = cron.split()
        if len(parts) != 5 or not parts[0].isdigit():
            return initial
        minute, hour, day, month, weekday = parts
        if (hour, day, month, weekday) == ("*", "*", "*", "*") and minute == "0":
            return {**initial, "preset": "hourly"}
        if hour.isdigit() and (day, month) == ("*", "*"):
            at = f"{int(hour):02d}:{int(minute):02d}"
            if weekday == "*":
                return {**initial, "preset": "daily", "time": at}
            if weekday.isdigit() and int(weekday) < 7:
                return {**initial, "preset": "weekly", "time": at, "weekday": weekday}
        return initial


class WebhookForm(forms.Form):
    url = forms.URLField(
        max_length=1000,
        label="Receiver URL",
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/datamill"}),
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=WebhookEvent.values,
        error_messages={"required": "Choose at least one event."},
    )


def describe_cron(cron: str) -> str:
    """The schedule in words when it is one of the presets, else “Custom”."""
    initial = ScheduleForm.initial_for(cron, "")
    preset = initial["preset"]
    if preset == "hourly":
        return "Every hour, on the hour"
    if preset == "daily":
        return f"Every day at {initial['time']}"
    if preset == "weekly":
        return f"Every {dict(WEEKDAYS)[initial['weekday']]} at {initial['time']}"
    return "Custom"
