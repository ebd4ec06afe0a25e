"""How ingest writes: one Parquet file, atomically, the same twice, with progress, leaving no scratch files."""

import pyarrow.parquet as pq

from dataplane.ingest import ingest_file

from .test_ingest import ingest_text, refusal, rows

BIG_CSV = "id,amount,day,label\n" + "".join(
    f"{i},{i * 1.25},2024-01-{i % 28 + 1:02d},label {i % 97}\n" for i in range(300_000)
)


def test_running_twice_writes_the_same_file(tmp_path):
    source = tmp_path / "source"
    source.write_text(BIG_CSV)
    first = ingest_file(source, tmp_path / "a" / "v.parquet")
    second = ingest_file(source, tmp_path / "b" / "v.parquet")
    assert first.to_dict() == second.to_dict()
    assert (tmp_path / "a" / "v.parquet").read_bytes() == (tmp_path / "b" / "v.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "a" / "v.parquet").metadata.num_rows == 300_000


def test_rows_keep_their_order(tmp_path):
    _, destination = ingest_text(tmp_path, BIG_CSV)
    ids = pq.read_table(destination, columns=["id"]).column("id").to_pylist()
    assert ids == list(range(300_000))


def test_only_the_parquet_file_remains(tmp_path):
    # Default scratch space is the destination's folder; it must hold nothing else afterwards.
    source = tmp_path / "source"
    source.write_bytes("a;b\n1;é\n".encode("cp1252"))
    destination = tmp_path / "new" / "folder" / "v1.parquet"
    ingest_file(source, destination)
    assert [p.name for p in destination.parent.iterdir()] == ["v1.parquet"]
    assert rows(destination) == [{"a": 1, "b": "é"}]


def test_work_dir_is_left_empty(tmp_path):
    ingest_text(tmp_path, '[{"a": 1}]')
    assert list((tmp_path / "work").iterdir()) == []
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["v1.parquet"]


def test_failure_leaves_no_file_and_no_scratch(tmp_path):
    assert refusal(tmp_path, "a,b\n1,2\n3\n".encode("cp1252")) == "Line 3 has 1 field, but the header has 2."


def test_progress_moves_forward_through_the_stages(tmp_path):
    calls = []
    ingest_text(tmp_path, BIG_CSV, progress=lambda fraction, stage, message: calls.append((fraction, stage, message)))
    fractions = [fraction for fraction, _, _ in calls]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0
    assert calls[-1][:2] == (1.0, "Done")
    assert calls[-1][2] == "300,000 rows, 4 columns"
    stages = list(dict.fromkeys(stage for _, stage, _ in calls))
    assert stages == ["Detecting", "Decoding", "Inferring types", "Writing Parquet", "Profiling", "Done"]


def test_progress_for_excel_and_json(tmp_path):
    calls = []
    ingest_text(tmp_path, '{"a": 1}\n{"a": 2}\n', progress=lambda *call: calls.append(call))
    stages = list(dict.fromkeys(stage for _, stage, _ in calls))
    assert stages == ["Detecting", "Decoding", "Reading JSON", "Inferring types", "Writing Parquet", "Profiling",
                      "Done"]  # fmt: skip
