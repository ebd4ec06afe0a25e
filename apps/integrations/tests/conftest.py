import pytest

from apps.datasets import services as dataset_services
from apps.integrations.tests.servers import FileServer, Receiver

CSV_V1 = b"id,city,population\n1,Lyon,522250\n2,Brest,139602\n"
CSV_V2 = b"id,city,population\n1,Lyon,522969\n2,Brest,139602\n3,Nantes,320732\n"


@pytest.fixture
def file_server():
    server = FileServer(CSV_V1)
    yield server
    server.close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def allow_private(settings):
    """Loopback servers stand in for the internet in these tests, as an operator would allow them."""
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def private_env(monkeypatch, settings):
    """OUTBOUND_ALLOW_PRIVATE for this process and for a worker started after it."""
    monkeypatch.setenv("OUTBOUND_ALLOW_PRIVATE", "true")
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def url_dataset(workspace, owner, file_server, allow_private, eager, django_capture_on_commit_callbacks):
    """A dataset imported from the file server, its first version ingested."""
    dataset = dataset_services.dataset_create(workspace=workspace, title="Cities", created_by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        dataset_services.version_create(dataset=dataset, url=file_server.data_url, created_by=owner)
    dataset.refresh_from_db()
    assert dataset.current_version is not None and dataset.current_version.row_count == 2
    return dataset
