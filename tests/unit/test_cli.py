"""The command line: help, one-line usage errors with exit code 2, export through a real store."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conflictmap.cli import main
from tests.conftest import ROOT


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conflictmap", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_help_lists_every_command() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ("ingest", "geoparse", "export", "reference", "sample", "gazetteer"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["ingest", "geoparse", "export", "reference", "sample", "gazetteer"])
def test_each_command_has_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"conflictmap {command}" in capsys.readouterr().out


@pytest.mark.parametrize("argv, fragment", [
    (["frobnicate"], "invalid choice"),
    ([], "required"),
    (["ingest", "/no/such/file.txt"], "no such file or folder: /no/such/file.txt"),
    (["geoparse", "--in", "/no/such/input.jsonl"], "no such file: /no/such/input.jsonl"),
    (["export", "--format", "xml"], "invalid choice"),
    (["export", "--format", "gpkg"], "needs --out"),
    (["export", "--format", "csv", "--from", "yesterday"], "not a YYYY-MM-DD date"),
])
def test_usage_errors_are_one_line_and_exit_2(argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert fragment in err


def test_unknown_command_in_a_real_process_exits_2() -> None:
    result = _run("frobnicate")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stdout == ""


def test_export_geojson_applies_filters(fixture_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "geojson", "--db", fixture_db_url, "--country", "iq"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["country_code"] for f in data["features"]} == {"IQ"}
    assert len(data["features"]) == 2


def test_export_gpkg_to_file(fixture_db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "events.gpkg"
    assert main(["export", "--format", "gpkg", "--db", fixture_db_url, "--out", str(out), "--from", "2017-11-01"]) == 0
    import geopandas as gpd

    frame = gpd.read_file(out)
    assert len(frame) == 6
    assert frame.crs.to_epsg() == 4326


def test_reference_import_reports_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "acled.csv"
    csv_path.write_text(
        "event_id_cnty,event_date,latitude,longitude,fatalities,location,country\n"
        "SYR1,2017-11-02,33.57,36.40,6,Douma,Syria\n"
        "SYR2,not a date,33.57,36.40,6,Douma,Syria\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'ref.db'}"
    assert main(["reference", str(csv_path), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "acled.csv:3" in err and "1 new" in err
