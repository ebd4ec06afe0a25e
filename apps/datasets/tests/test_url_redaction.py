"""Readers and logs see URLs without credentials or query string (url_import.redacted_url)."""

import pytest

from apps.datasets.api.serializers import VersionSerializer
from apps.datasets.models import Version
from apps.datasets.url_import import redacted_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@host.example/data.csv?api_key=abc#frag", "https://host.example/data.csv?…"),
        ("https://token@host.example:8443/a/b.csv", "https://host.example:8443/a/b.csv"),
        ("http://[2001:db8::1]:8080/x?sig=1", "http://[2001:db8::1]:8080/x?…"),
        ("https://host.example/plain.csv", "https://host.example/plain.csv"),
        ("sales_2024.csv", "sales_2024.csv"),
        ("SQL: By city", "SQL: By city"),
        ("http://host.example:notaport/x?k=1", "http://…"),
    ],
)
def test_credentials_and_query_strings_are_removed(url, shown):
    assert redacted_url(url) == shown


def test_version_answers_show_the_redacted_source():
    version = Version(number=1, source_kind="url", source_name="https://u:p@h.example/d.csv?key=s")
    assert VersionSerializer(version).data["source_name"] == "https://h.example/d.csv?…"
