from rest_framework import serializers

from apps.datasets.url_import import redacted_url
from apps.integrations.models import Delivery, Schedule, Webhook, WebhookEvent
from apps.jobs.api import JobSerializer


class ScheduleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The whole URL for editors and owners; viewers get it without credentials or query string."
    )

    class Meta:
        model = Schedule
        fields = ["url", "cron", "paused", "next_run_at", "last_run_at", "last_status", "consecutive_failures"]
        read_only_fields = ["next_run_at", "last_run_at", "last_status", "consecutive_failures"]

    def get_url(self, schedule) -> str:
        return schedule.url if self.context.get("full_url") else redacted_url(schedule.url)


class ScheduleUpdateSerializer(serializers.Serializer):
    url = serializers.URLField(
        required=False, allow_blank=True, max_length=1000, help_text="Default: the URL the dataset was imported from."
    )
    cron = serializers.CharField(max_length=120, help_text="Five-field crontab in TIME_ZONE, e.g. `0 6 * * *`.")
    paused = serializers.BooleanField(default=False, help_text="Resuming forgets the failures counted so far.")


class JobAnswerSerializer(serializers.Serializer):
    job = JobSerializer()


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False, help_text="Event types."
    )
    active = serializers.BooleanField(default=True)

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active"]
        read_only_fields = ["id"]


class NewWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True, help_text="`whsec_...`: shown in this answer only.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "event", "status_code", "error", "attempt", "created_at"]
