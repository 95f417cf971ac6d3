"""The IATI benchmark's small path end to end: a tiny synthetic file, valid against the schema,
imported twice into a scratch SQLite database in a subprocess; the entries have CONTRACTS' keys."""

from pathlib import Path

from lxml import etree

from apps.aid import iati
from bench import bench_iati

KEYS = {"name", "value", "floor", "unit", "ratio", "target", "met"}


def test_the_synthetic_file_is_valid_iati_203(tmp_path):
    path = bench_iati.write_file(tmp_path / "tiny.xml", 0.2)
    assert iati.schema().validate(etree.parse(str(path))), iati.schema().error_log[:3]
    again = bench_iati.write_file(tmp_path / "again.xml", 0.2)
    assert Path(path).read_bytes() == Path(again).read_bytes()  # deterministic


def test_the_benchmark_runs_end_to_end_on_a_tiny_file(tmp_path):
    lines = []
    results = bench_iati.measure(tmp_path, megabytes=0.3, big=False, say=lines.append)
    assert len(results) == 3
    for entry in results:
        assert KEYS <= set(entry), entry
        assert isinstance(entry["met"], bool)
    throughput, reimport, memory = results
    assert throughput["unit"] == "MB/s" and throughput["target"] == ">= 0.5" and throughput["items"] > 10
    assert throughput["transactions"] > 5 * throughput["items"]
    assert reimport["target"] == ">= 5.0" and reimport["ratio"] > 1
    assert memory["unit"] == "MB" and memory["value"] > 0
    assert "unchanged" in lines[0]
    assert (tmp_path / "iati-scratch.sqlite3").exists()  # the scratch database, not the test's
