"""The command line: help, one-line usage errors with exit code 2, export through a real store."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conflictmap import cli, pipeline
from conflictmap.cli import main
from conflictmap.model import Place
from tests.conftest import ROOT


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conflictmap", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_help_lists_every_command() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ("ingest", "geoparse", "export", "reference", "sample", "gazetteer"):
        assert command in result.stdout


def test_help_states_the_exit_codes_and_points_at_the_architecture(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "exit codes: 0 ok, 1 some inputs failed" in out
    assert "2 usage error" in out
    assert "docs/ARCHITECTURE.md" in out
    assert (ROOT / "docs" / "ARCHITECTURE.md").is_file()


def test_geoparse_help_points_at_the_architecture_not_design(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "DESIGN.md" not in out
    geoparse_line = next(line for line in out.splitlines() if line.strip().startswith("geoparse"))
    assert "docs/ARCHITECTURE.md" in geoparse_line


def test_every_command_in_the_help_has_a_function() -> None:
    parser = cli._build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert set(commands) == set(cli._COMMANDS)


def test_gazetteer_lookup_prints_ten_candidates_through_the_pipeline(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    place = Place(place_id="gn:170794", name="Douma", lat=33.5833, lon=36.4, feature="city",
                  country_code="SY", admin1="Rif Dimashq", population=110893)
    asked: list[str] = []

    def candidates(name: str, settings: object = None) -> list[Place]:
        asked.append(name)
        return [place] * 12

    monkeypatch.setattr(pipeline, "place_candidates", candidates)
    assert main(["gazetteer", "search", "Douma"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert asked == ["Douma"]
    assert len(lines) == 10
    assert lines[0] == "Douma\tDouma\tcity\tSY\t33.5833\t36.4000\t110893\tgn:170794"
    # The old form still works, with a warning that names the new one.
    assert main(["gazetteer", "Douma"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 10
    assert "use `gazetteer search NAME`" in captured.err
    assert asked == ["Douma", "Douma"]


def _geonames_line(gid: int, name: str, code: str = "PPL", cls: str = "P") -> str:
    return "\t".join([str(gid), name, name, "", "36.0", "37.0", cls, code, "SY", "", "09", "", "", "", "0", "",
                      "300", "Asia/Damascus", "2024-01-19"]) + "\n"


@pytest.fixture()
def gazetteer_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Data and cache folders in tmp_path, a one-file committed layer, and the rebuild recorded, not run."""
    from conflictmap.geo import sources

    monkeypatch.setenv("CONFLICTMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CONFLICTMAP_CACHE_DIR", str(tmp_path / "cache"))
    committed = tmp_path / "committed"
    sources.write_layer([dict.fromkeys(sources.LAYER_COLUMNS, "") | {"name": "X", "kind": "city"}] * 3,
                        committed / "SY.tsv.gz")
    monkeypatch.setattr(sources, "COMMITTED_LAYER_DIR", committed)
    rebuilds: list[object] = []
    monkeypatch.setattr(pipeline, "build_gazetteer", lambda settings=None, progress=None: rebuilds.append(progress))
    return rebuilds


def test_gazetteer_add_imports_the_good_files_reports_the_bad_and_rebuilds(
    tmp_path: Path, gazetteer_env: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(_geonames_line(1, "Kafr Nabl") + _geonames_line(2, "Saraqib"), encoding="utf-8")
    archive = tmp_path / "SO.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "no table here\n")
    bad = tmp_path / "IQ.txt"
    bad.write_bytes(_geonames_line(3, "Koya").encode() + b"\xff\n")
    assert main(["gazetteer", "add", str(tmp_path / "missing.zip"), str(dump), str(archive), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "added geonames-SY: 2 places" in err
    assert "failed: " + str(tmp_path / "missing.zip") + ": no such file" in err
    assert f"failed: {archive}: the zip holds no .txt file" in err
    assert f"failed: {bad}: line 2: not UTF-8" in err
    assert len(gazetteer_env) == 1  # one rebuild for the whole batch
    assert sorted(p.name for p in (tmp_path / "data" / "gazetteer" / "added").iterdir()) == ["geonames-SY.tsv.gz"]

    assert main(["gazetteer", "list"]) == 0
    captured = capsys.readouterr()
    rows = [line.split("\t")[:3] for line in captured.out.splitlines()]
    assert rows == [["SY", "3", "committed"], ["geonames-SY", "2", "added"]]
    assert "2 sources, 5 places; 1 added (2 places)" in captured.err


def test_gazetteer_add_of_only_bad_files_does_not_rebuild(
    tmp_path: Path, gazetteer_env: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.txt").write_text("not,a,gazetteer\n", encoding="utf-8")
    assert main(["gazetteer", "add", str(tmp_path / "x.txt")]) == 1
    assert "neither a GeoNames dump" in capsys.readouterr().err
    assert gazetteer_env == []


def test_gazetteer_remove_drops_an_added_source_but_never_a_committed_one(
    tmp_path: Path, gazetteer_env: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(_geonames_line(1, "Kafr Nabl"), encoding="utf-8")
    assert main(["gazetteer", "add", "--quiet", str(dump)]) == 0
    assert main(["gazetteer", "remove", "SY"]) == 1
    assert "SY is a committed source" in capsys.readouterr().err
    assert len(gazetteer_env) == 1
    assert main(["gazetteer", "remove", "geonames-SY"]) == 0
    assert "removed geonames-SY (1 places)" in capsys.readouterr().err
    assert len(gazetteer_env) == 2
    assert list((tmp_path / "data" / "gazetteer" / "added").iterdir()) == []
    assert main(["gazetteer", "remove", "geonames-SY"]) == 1


def test_gazetteer_build_and_the_bare_command_load_the_index(gazetteer_env: list[object]) -> None:
    assert main(["gazetteer", "build", "--quiet"]) == 0
    assert main(["gazetteer"]) == 0  # the bare command: a build with progress
    assert gazetteer_env[0] is None and callable(gazetteer_env[1]) and len(gazetteer_env) == 2


def test_build_progress_is_a_bar_on_a_terminal_and_lines_in_a_log() -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    log, term = io.StringIO(), Terminal()
    for stream in (log, term):
        show = cli._build_progress(stream, quiet=False)
        for done in range(4):
            show("index", done, 3)
        for done in range(1, 5):
            show("layer", done, 4)
    assert log.getvalue() == ("gazetteer index: index 0/3\ngazetteer index: index 3/3\n"
                              "gazetteer index: layer 1/4\ngazetteer index: layer 4/4\n")
    assert term.getvalue().count("\r") == 8 and term.getvalue().endswith("] layer                4/4\n")
    assert cli._build_progress(term, quiet=True) is None


def test_geoparse_runs_the_pipeline_contract_between_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def fake_run(lines, out, settings=None) -> tuple[int, int]:
        rows = [json.loads(line) for line in lines]
        for row in rows:
            out.write(json.dumps({"id": row["id"], "toponyms": []}) + "\n")
        return len(rows), 1

    monkeypatch.setattr(pipeline, "geoparse_jsonl", fake_run)
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    assert main(["geoparse", "--in", str(source), "--out", str(target)]) == 1  # one malformed line
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == ["a", "b"]


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
def test_usage_errors_are_one_line_and_exit_2(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
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
    # A province (first-level unit), as an alert's map link gives it.
    assert main(["export", "--format", "geojson", "--db", fixture_db_url, "--country", "sy",
                 "--admin1", "Deir ez-Zor"]) == 0
    places = sorted(f["properties"]["place"] for f in json.loads(capsys.readouterr().out)["features"])
    assert places == ["Abu Kamal", "Deir ez-Zor"]


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


def test_the_conflictmap_command_works_from_any_folder(tmp_path: Path) -> None:
    """`make run`/`make test` install the package editable: the command runs outside the repo."""
    import os
    import shutil

    command = Path(sys.executable).with_name("conflictmap")
    if not command.exists():
        if os.environ.get("CI") == "true":
            raise AssertionError(f"{command} is missing: the Makefile installs the package with pip -e .")
        pytest.skip("the package is not installed in this environment (make test installs it)")
    assert shutil.which(str(command))
    done = subprocess.run([str(command), "gazetteer", "list"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "committed" in done.stdout  # it found the data folder without the repo as its working folder
