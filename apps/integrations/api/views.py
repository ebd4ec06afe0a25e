"""The refresh-schedule and webhook API (DESIGN.md, "Refresh, webhooks, diffs")."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import permissions
from apps.datasets.selectors import dataset_for
from apps.integrations import refresh, selectors, webhooks
from apps.integrations.api.serializers import (
    DeliverySerializer,
    JobAnswerSerializer,
    NewWebhookSerializer,
    ScheduleSerializer,
    ScheduleUpdateSerializer,
    WebhookSerializer,
)
from apps.jobs.api import JobSerializer


class ScheduleView(APIView):
    """The dataset's refresh schedule. Members read it; editors and owners set, pause and delete it."""

    def schedule(self, request, pk):
        dataset = dataset_for(request.user, permissions.action_for(request), pk=pk)
        return dataset, selectors.schedule_for(request.user, dataset)

    @extend_schema(responses=ScheduleSerializer)
    def get(self, request, pk):
        """The schedule: URL (whole for editors and owners, without credentials or query string for viewers),
        cron, whether paused, the next and the last run and its outcome."""
        dataset, schedule = self.schedule(request, pk)
        if schedule is None:
            raise Http404("This dataset has no refresh schedule.")
        full_url = permissions.can(request.user, permissions.CHANGE, dataset.workspace)  # a URL may carry a key
        return Response(ScheduleSerializer(schedule, context={"full_url": full_url}).data)

    @extend_schema(request=ScheduleUpdateSerializer, responses=ScheduleSerializer)
    def put(self, request, pk):
        """Create or replace the schedule. `paused: false` on a paused schedule resumes it."""
        dataset, _ = self.schedule(request, pk)
        serializer = ScheduleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule = refresh.schedule_set(dataset=dataset, created_by=request.user, **serializer.validated_data)
        return Response(ScheduleSerializer(schedule, context={"full_url": True}).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """Stop refreshing the dataset; its versions stay."""
        _, schedule = self.schedule(request, pk)
        if schedule is None:
            raise Http404("This dataset has no refresh schedule.")
        refresh.schedule_delete(schedule=schedule)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RefreshView(APIView):
    """Refresh a dataset from its schedule's URL now (editors and owners)."""

    @extend_schema(request=None, responses={202: JobAnswerSerializer})
    def post(self, request, pk):
        """202 with the job; its `result` is `{changed, version}` (`version` null when unchanged)."""
        dataset = dataset_for(request.user, permissions.CHANGE, pk=pk)
        schedule = selectors.schedule_for(request.user, dataset)
        if schedule is None:
            raise Http404("This dataset has no refresh schedule; PUT one to .../schedule/ first.")
        job = refresh.refresh_start(schedule=schedule, created_by=request.user)
        return Response({"job": JobSerializer(job).data}, status=status.HTTP_202_ACCEPTED)


class WebhookViewSet(viewsets.GenericViewSet):
    """A workspace's webhooks (owners only): add, list, delete, send a test, read the delivery log."""

    serializer_class = WebhookSerializer

    def workspace(self):
        return permissions.workspace_for(self.request.user, self.kwargs["workspace"], permissions.MANAGE)

    def get_queryset(self):
        return selectors.webhooks_of(self.workspace())

    def get_object(self):
        webhook = permissions.first_or_none(self.get_queryset(), {"pk": self.kwargs["pk"]})
        if webhook is None:
            raise Http404("No such webhook.")
        return webhook

    @extend_schema(responses=WebhookSerializer(many=True))
    def list(self, request, workspace):
        """The workspace's webhooks; secrets are never shown again."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookSerializer(page, many=True).data)

    @extend_schema(request=WebhookSerializer, responses={201: NewWebhookSerializer})
    def create(self, request, workspace):
        """Add a webhook; the answer carries its signing secret (`whsec_...`), shown this once."""
        serializer = WebhookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = webhooks.webhook_create(
            workspace=self.workspace(), created_by=request.user, **serializer.validated_data
        )
        return Response(NewWebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, workspace, pk):
        """Delete the webhook and its delivery log; queued retries are dropped."""
        webhooks.webhook_delete(webhook=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=DeliverySerializer(many=True))
    def deliveries(self, request, workspace, pk):
        """Every delivery attempt, newest first: the event, the receiver's status code or the error."""
        page = self.paginate_queryset(selectors.deliveries_of(self.get_object()))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def test(self, request, workspace, pk):
        """Send a `webhook.test` event now; follow it in the delivery log."""
        delivery = webhooks.webhook_test(webhook=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
