"""Datasets without data, as listings show them: a failed first version is marked failed with its reason
on the catalog, the home page and the workspace page, with a retry and a delete for editors; no page
shows "None" for a figure that is not known."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import Client

from apps.datasets import services
from apps.datasets.models import Dataset, Version, VersionStatus

LISTINGS = ["/datasets/", "/", "/w/acme/"]
NOT_UTF8 = "Line 2, column 1: the file is not UTF-8, Latin-1 or Windows-1252."
NOT_FOUND = "The server answered 404 Not Found for https://example.com/data/rainfall.csv."
LONG = "Column “amount”, row 12: " + "the value is neither a number nor empty; " * 6 + "fix the file, upload again."


class Element:
    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children = tag, attrs, []

    def text(self) -> str:
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return " ".join(" ".join(parts).split())

    def all(self, tag: str) -> list["Element"]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                found += [child] if child.tag == tag else []
                found += child.all(tag)
        return found


class Page(HTMLParser):
    """The page as a tree of elements, to read it as a person does: by text, links, buttons and forms."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col"}

    def __init__(self, html: str):
        super().__init__()
        self.root = Element("document", {})
        self.open = [self.root]
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)

    def row(self, title: str) -> Element:
        """The listing's row of the dataset titled `title`."""
        rows = [tr for tr in self.root.all("tr") if any(a.text() == title for a in tr.all("a"))]
        assert len(rows) == 1, f"{len(rows)} rows list “{title}”"
        return rows[0]


def page_of(client: Client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200
    return Page(response.content.decode())


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def failed_dataset(workspace, owner, title: str, error: str, url: str = "") -> Dataset:
    """A dataset whose only version failed: from an upload, or from `url`."""
    dataset = services.dataset_create(workspace=workspace, title=title, created_by=owner)
    if url:
        version, _ = services.version_create(dataset=dataset, url=url, created_by=owner)
    else:
        version = Version.objects.create(dataset=dataset, number=1, source_kind="upload", source_name="c.csv")
    services.version_fail(version=version, error=error)
    return dataset


@pytest.fixture
def shelf(owner, workspace, make_dataset):
    """A ready dataset, a failed upload, a failed URL import and one still queued."""
    make_dataset(workspace, title="Weather")
    cities = failed_dataset(workspace, owner, "Cities", NOT_UTF8)
    rainfall = failed_dataset(workspace, owner, "Rainfall", NOT_FOUND, url="https://example.com/data/rainfall.csv")
    stations = services.dataset_create(workspace=workspace, title="Stations", created_by=owner)
    services.version_create(dataset=stations, url="https://example.com/stations.csv", created_by=owner)
    return {"cities": cities, "rainfall": rainfall, "stations": stations}


@pytest.mark.parametrize("url", LISTINGS)
def test_a_failed_first_version_is_listed_as_failed_with_its_reason(editor, shelf, url):
    listing = page_of(logged_in(editor), url)

    cities = listing.row("Cities").text()
    assert "failed" in cities and NOT_UTF8 in cities
    assert f"failed No version could be read yet. {NOT_FOUND}" in listing.row("Rainfall").text()
    stations = listing.row("Stations").text()
    assert "queued No data yet: a version is being read." in stations and "failed" not in stations
    weather = listing.row("Weather").text()
    assert "4" in weather.split() and "failed" not in weather and "queued" not in weather
    assert "None" not in listing.root.text()


@pytest.mark.parametrize("url", LISTINGS)
def test_an_editor_may_upload_again_import_the_url_again_or_delete(editor, shelf, url):
    listing = page_of(logged_in(editor), url)

    cities = listing.row("Cities")
    assert [(a.text(), a.attrs["href"]) for a in cities.all("a") if "btn" in a.attrs.get("class", "")] == [
        ("Upload a new file", "/w/acme/cities/#new-version")
    ]
    rainfall = listing.row("Rainfall")
    retry, delete = rainfall.all("form")
    assert (retry.attrs["method"], retry.attrs["action"]) == ("post", "/w/acme/rainfall/versions/new/")
    hidden = {i.attrs["name"]: i.attrs["value"] for i in retry.all("input") if i.attrs["type"] == "hidden"}
    assert sorted(hidden) == ["csrfmiddlewaretoken", "url"]
    assert hidden["url"] == "https://example.com/data/rainfall.csv"
    assert [b.text() for b in retry.all("button")] == ["Import the URL again"]
    assert delete.attrs["action"] == "/w/acme/rainfall/delete/"
    assert "Delete “Rainfall” and all its versions? This cannot be undone." in delete.text()
    assert [b.text() for b in delete.all("button")] == ["Delete for good"]
    # A dataset with data, or one still being read, offers none of these.
    assert listing.row("Weather").all("form") == [] and listing.row("Stations").all("form") == []


@pytest.mark.parametrize("url", LISTINGS)
def test_a_viewer_sees_the_failure_and_its_reason_but_no_retry_or_delete(viewer, shelf, url):
    listing = page_of(logged_in(viewer), url)

    for title, reason in [("Cities", NOT_UTF8), ("Rainfall", NOT_FOUND)]:
        row = listing.row(title)
        assert "failed" in row.text() and reason in row.text()
        assert row.all("form") == [] and row.all("button") == []
        assert "Upload a new file" not in row.text() and "Delete" not in row.text()


def test_import_the_url_again_queues_a_new_version_of_the_same_url(editor, shelf):
    client = logged_in(editor)
    retry = page_of(client, "/datasets/").row("Rainfall").all("form")[0]
    fields = {i.attrs["name"]: i.attrs["value"] for i in retry.all("input")}

    response = client.post(retry.attrs["action"], fields)

    assert response.status_code == 302 and response["Location"] == "/w/acme/rainfall/"
    latest = shelf["rainfall"].versions.order_by("-number").first()
    assert (latest.number, latest.status, latest.source_kind) == (2, VersionStatus.QUEUED, "url")
    assert latest.source_name == "https://example.com/data/rainfall.csv" and latest.job is not None
    row = page_of(client, "/datasets/").row("Rainfall").text()
    assert "queued" in row and "failed" not in row


def test_delete_from_a_listing_comes_back_to_it(editor, shelf):
    client = logged_in(editor)
    delete = page_of(client, "/datasets/?q=rain").row("Rainfall").all("form")[1]
    fields = {i.attrs["name"]: i.attrs["value"] for i in delete.all("input")}
    assert fields["next"] == "/datasets/?q=rain"

    response = client.post(delete.attrs["action"], fields, follow=True)

    assert response.redirect_chain == [("/datasets/?q=rain", 302)]
    assert "“Rainfall” and all its versions were deleted." in response.content.decode()
    assert not Dataset.objects.filter(pk=shelf["rainfall"].pk).exists()


def test_delete_never_follows_next_to_another_site(editor, shelf):
    response = logged_in(editor).post("/w/acme/cities/delete/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/w/acme/"


def test_a_viewer_cannot_delete_even_by_posting(viewer, shelf):
    assert logged_in(viewer).post("/w/acme/cities/delete/", {"next": "/datasets/"}).status_code == 403
    assert Dataset.objects.filter(pk=shelf["cities"].pk).exists()


def test_a_long_reason_is_shortened_with_the_whole_text_at_hand(editor, owner, workspace):
    failed_dataset(workspace, owner, "Ledger", LONG + "\nTraceback details on a second line")
    row = page_of(logged_in(editor), "/datasets/").row("Ledger")

    reason = next(p for p in row.all("p") if "failure-reason" in p.attrs.get("class", ""))
    assert reason.text().startswith("Column “amount”, row 12: the value is neither")
    assert reason.text().endswith("…") and len(reason.text()) <= 120
    assert reason.attrs["title"] == LONG + "\nTraceback details on a second line"
    details = row.all("details")[0]
    assert details.all("summary")[0].text() == "Full reason"
    assert LONG in details.text() and "Traceback details on a second line" in details.text()


@pytest.mark.parametrize(
    ("error", "shown", "whole_text_offered"),
    [
        (NOT_UTF8, NOT_UTF8, False),
        ("", "No reason was recorded.", False),
        ("First line.\nSecond line.", "First line. …", True),
        ("x" * 130, "x" * 119 + "…", True),
    ],
)
def test_the_reason_shows_its_first_line_cut_to_length(error, shown, whole_text_offered):
    html = Template("{% load datasets %}{% failure_reason error %}").render(Context({"error": error}))
    page = Page(html)
    assert page.root.all("p")[0].text() == shown
    assert bool(page.root.all("details")) is whole_text_offered


@pytest.mark.parametrize("title", ["Cities", "Rainfall", "Stations"])
def test_the_page_of_a_dataset_without_data_never_says_none(editor, shelf, title):
    client = logged_in(editor)
    slug = Dataset.objects.get(title=title).slug
    for url in [f"/w/acme/{slug}/", f"/w/acme/{slug}/v/1/"]:
        page = page_of(client, url)
        assert "None" not in page.root.text()
        (versions,) = [t for t in page.root.all("table") if "Version" in t.all("th")[0].text()]
        assert versions.all("tr")[1].all("td")[2].text() == "—"


def test_the_new_version_form_is_where_upload_a_new_file_points(editor, shelf):
    page = page_of(logged_in(editor), "/w/acme/cities/")
    (section,) = [s for s in page.root.all("section") if s.attrs.get("id") == "new-version"]
    assert section.all("h2")[0].text() == "New version"
