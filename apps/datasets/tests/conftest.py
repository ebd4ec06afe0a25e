import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from apps.datasets import services
from apps.datasets.models import Version
from project.celery import app as celery_app

WEATHER = {
    "date": ["2024-01-01", "2024-01-02", "2024-02-01", "2024-02-02"],
    "weather": ["rain", "sun", "rain", "fog"],
    "temp_max": [8.5, 12.0, 6.25, 9.0],
    "station": ["00501", "00502", "00501", "00777"],
}
WEATHER_COLUMNS = [
    {"name": "date", "original_name": "date", "type": "text", "nullable": False},
    {"name": "weather", "original_name": "weather", "type": "text", "nullable": False},
    {"name": "temp_max", "original_name": "temp_max", "type": "float", "nullable": False},
    {"name": "station", "original_name": "station", "type": "text", "nullable": False},
]


def publish_table(dataset, table: dict, columns: list[dict], user=None) -> Version:
    """A ready version written straight to Parquet, as if an ingest had produced it."""
    version = Version.objects.create(
        dataset=dataset,
        number=services.next_version_number(dataset),
        source_kind="upload",
        source_name="fixture.csv",
        created_by=user,
    )
    version.path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(table), version.path)
    row_count = len(next(iter(table.values())))
    services.version_publish(
        version=version,
        result={"format": "csv", "row_count": row_count, "columns": columns, "profile": {}},
    )
    return version


@pytest.fixture
def make_dataset(owner):
    def make(workspace, title="Weather", visibility="private", table=None, columns=None):
        dataset = services.dataset_create(workspace=workspace, title=title, visibility=visibility, created_by=owner)
        publish_table(dataset, table or WEATHER, columns or WEATHER_COLUMNS, owner)
        dataset.refresh_from_db()
        return dataset

    return make


@pytest.fixture
def eager():
    """Run tasks in-process, at the point they are sent."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
