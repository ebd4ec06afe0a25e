"""Big files: estimated distinct counts, top values and quartiles where exact ones cost most, and said so."""

import random
import statistics
from collections import Counter

import pytest

from dataplane.ingest import profile as profile_module

from .test_ingest import ingest_text


@pytest.fixture
def small_thresholds(monkeypatch):
    """A 20,000-row file counts as big: sampled at about 4,000 rows."""
    monkeypatch.setattr(profile_module, "EXACT_UP_TO_ROWS", 1_000)
    monkeypatch.setattr(profile_module, "SAMPLE_ROWS", 4_000)


def big_file() -> tuple[dict[str, list], str]:
    generator = random.Random(11)
    size = 20_000
    data = {
        "id": list(range(1, size + 1)),
        "code": [f"c{generator.randrange(0, 10**9)}" for _ in range(size)],
        "region": [generator.choice(["north", "south", "east"]) for _ in range(size)],
        "amount": [generator.randrange(0, 50) for _ in range(size)],
    }
    data["code"][:30] = ["repeated"] * 30  # one value well above the rest
    lines = [",".join(data)] + [",".join(str(v) for v in row) for row in zip(*data.values(), strict=True)]
    return data, "\n".join(lines) + "\n"


def python_top(cells: list) -> list[dict]:
    ordered = sorted(Counter(cells).items(), key=lambda item: (-item[1], item[0]))
    return [{"value": value, "count": count} for value, count in ordered[:10]]


def test_nearly_unique_columns_get_estimates_and_say_so(tmp_path, small_thresholds):
    data, text = big_file()
    result, _ = ingest_text(tmp_path, text)
    stats = result.profile
    for name in ("id", "code"):
        assert set(stats[name]["approximate"]) >= {"distinct", "top"}, name
        truth = len(set(data[name]))
        assert abs(stats[name]["distinct"] - truth) < 0.05 * truth, name
        counts = Counter(data[name])
        # Each value shown is in the file, with its exact count, most frequent first.
        assert all(item["count"] == counts[item["value"]] for item in stats[name]["top"]), name
        assert [item["count"] for item in stats[name]["top"]] == sorted(
            (item["count"] for item in stats[name]["top"]), reverse=True
        )
    assert stats["code"]["top"][0] == {"value": "repeated", "count": 30}
    assert stats["id"]["top"] == []  # no sampled value repeats: none stands out
    assert stats["id"]["approximate"] == ["distinct", "top", "quartiles"]
    assert stats["code"]["approximate"] == ["distinct", "top"]


def test_small_domains_stay_exact_and_quartiles_are_close(tmp_path, small_thresholds):
    data, text = big_file()
    result, _ = ingest_text(tmp_path, text)
    stats = result.profile
    assert "approximate" not in stats["region"]
    assert stats["region"]["distinct"] == 3 and stats["region"]["top"] == python_top(data["region"])
    assert stats["amount"]["approximate"] == ["quartiles"]
    assert stats["amount"]["distinct"] == len(set(data["amount"]))
    assert stats["amount"]["top"] == python_top(data["amount"])
    q1, median, q3 = statistics.quantiles(data["amount"], n=4, method="inclusive")
    assert abs(stats["amount"]["q1"] - q1) <= 2 and abs(stats["amount"]["median"] - median) <= 2
    assert abs(stats["amount"]["q3"] - q3) <= 2
    # Counts, extremes, mean and histograms stay exact.
    assert (stats["amount"]["min"], stats["amount"]["max"]) == (min(data["amount"]), max(data["amount"]))
    assert stats["amount"]["mean"] == pytest.approx(statistics.mean(data["amount"]), rel=1e-12)
    assert sum(b["count"] for b in stats["amount"]["histogram"]) == len(data["amount"])


def test_estimates_are_the_same_on_every_run(tmp_path, small_thresholds):
    _, text = big_file()
    profiles = []
    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        profiles.append(ingest_text(tmp_path / run, text)[0].profile)
    assert profiles[0] == profiles[1]


def test_files_up_to_the_threshold_are_exact_throughout(tmp_path):
    _, text = big_file()
    result, _ = ingest_text(tmp_path, text)
    assert not any("approximate" in stats for stats in result.profile.values())
    assert result.profile["id"]["distinct"] == 20_000
    assert result.profile["id"]["top"][:2] == [{"value": 1, "count": 1}, {"value": 2, "count": 1}]
