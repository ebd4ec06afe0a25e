"""Two datasets to join: the root conftest's weather readings and the stations they were read at."""

import pytest

STATIONS = {
    "station": ["00501", "00502", "00777", "00999"],
    "city": ["Lyon", "Nice", "Lyon", "Brest"],
    "elevation": [173, 10, 240, 52],
}
STATION_COLUMNS = [
    {"name": "station", "original_name": "station", "type": "text", "nullable": False},
    {"name": "city", "original_name": "city", "type": "text", "nullable": False},
    {"name": "elevation", "original_name": "elevation", "type": "integer", "nullable": False},
]


@pytest.fixture
def weather(make_dataset, workspace):
    return make_dataset(workspace, title="Weather")


@pytest.fixture
def stations(make_dataset, workspace):
    return make_dataset(workspace, title="Stations", table=STATIONS, columns=STATION_COLUMNS)


@pytest.fixture
def sql(api):
    """POST /api/v1/sql/ as `user` (a session), answering the response."""

    def run(user, statement, client=None, **body):
        if client is None:
            api.force_login(user)
            client = api
        return client.post("/api/v1/sql/", {"sql": statement, **body}, format="json")

    return run
