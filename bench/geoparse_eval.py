"""Score the geoparser on the shared dev sets, end to end and resolution-only.

    .venv/bin/python bench/geoparse_eval.py [--recogniser gazetteer|spacy] [--sets gwn,tr-news,geovirus]

Runs ``python -m conflictmap geoparse`` when ``conflictmap/cli.py`` has the
command, else ``run_jsonl`` in this process, on every ``../shared/eval/*.dev.jsonl``
(read at run time, never copied), scores with ``../shared/eval/score.py`` and
prints one table. Each set is also scored without its demonym toponyms
("French", "Syrian": GeoWebNews and TR-News annotate them), which ConflictMap
treats as context, not places. "res n" is how many gold toponyms the
resolution-only run placed (the scorer's resolution figures are over those);
"res@161 all" counts the unplaced ones as wrong.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def _cli_ready() -> bool:
    cli = ROOT / "conflictmap" / "cli.py"
    return cli.exists() and "geoparse" in cli.read_text(encoding="utf-8")


def _run(inp: Path, out: Path, recogniser: str, use_cli: bool) -> float:
    t0 = time.perf_counter()
    if use_cli:
        subprocess.run([sys.executable, "-m", "conflictmap", "geoparse", "--in", str(inp), "--out", str(out)],
                       check=True, cwd=ROOT)
    else:
        from conflictmap.geo.contract import run_jsonl

        with inp.open(encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:
            run_jsonl(fin, fout, _geoparser(recogniser))
    return time.perf_counter() - t0


_CACHE: dict[str, object] = {}


def _geoparser(recogniser: str):  # type: ignore[no-untyped-def]
    if recogniser not in _CACHE:
        from conflictmap.geo.geoparser import Geoparser
        from conflictmap.geo.loader import load_gazetteer

        gaz = load_gazetteer()
        if recogniser == "spacy":
            from conflictmap.geo.recognise.spacy import SpacyRecogniser

            _CACHE[recogniser] = Geoparser(gaz, SpacyRecogniser(gaz))
        else:
            _CACHE[recogniser] = Geoparser(gaz)
    return _CACHE[recogniser]


def _demonym(surface: str) -> bool:
    from conflictmap.geo.loader import load_gazetteer

    gaz = load_gazetteer()
    return bool(gaz.demonym_country(surface) or gaz.demonym_place(surface))


def _score(gold: Path, pred: Path) -> dict[str, object]:
    res = subprocess.run([sys.executable, str(EVAL / "score.py"), str(gold), str(pred)],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _get(d: dict[str, object], *path: str) -> float:
    cur: object = d
    for p in path:
        if not isinstance(cur, dict) or p not in cur:
            return float("nan")
        cur = cur[p]
    return float(cur) if cur is not None else float("nan")  # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--recogniser", default="gazetteer", choices=["gazetteer", "spacy"])
    ap.add_argument("--sets", default="")
    ap.add_argument("--no-cli", action="store_true", help="call run_jsonl in-process even if the CLI exists")
    args = ap.parse_args()
    use_cli = _cli_ready() and not args.no_cli and args.recogniser == "gazetteer"
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = {s for s in args.sets.split(",") if s}
    rows = []
    for gold in sorted(EVAL.glob("*.dev.jsonl")):
        name = gold.name.removesuffix(".dev.jsonl")
        if wanted and name not in wanted:
            continue
        docs = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
        e2e_in, res_in = OUT / f"{name}.e2e.in.jsonl", OUT / f"{name}.res.in.jsonl"
        e2e_in.write_text("".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs),
                          encoding="utf-8")
        res_in.write_text("".join(json.dumps({"id": d["id"], "text": d["text"], "toponyms": [
            {"start": t["start"], "end": t["end"]} for t in d["toponyms"]]}) + "\n" for d in docs), encoding="utf-8")
        golds = [(name, gold)]
        # ConflictMap treats demonyms ("Turkish") as context, not places; GeoWebNews
        # and TR-News annotate them as toponyms. Also score without them.
        nodem = OUT / f"{name}.nodemonyms.gold.jsonl"
        kept = ({**d, "toponyms": [t for t in d["toponyms"] if not _demonym(t["name"])]} for d in docs)
        nodem.write_text("".join(json.dumps(d) + "\n" for d in kept), encoding="utf-8")
        golds.append((f"{name} (no demonyms)", nodem))
        e2e_out, res_out = OUT / f"{name}.e2e.out.jsonl", OUT / f"{name}.res.out.jsonl"
        secs = _run(e2e_in, e2e_out, args.recogniser, use_cli)
        _run(res_in, res_out, args.recogniser, use_cli)
        for label, g in golds:
            e2e, res = _score(g, e2e_out), _score(g, res_out)
            rows.append((label, len(docs), res, e2e, len(docs) / secs))
    print(f"recogniser={args.recogniser} via={'CLI' if use_cli else 'run_jsonl'}")
    head = ("set", "docs", "res n", "res@161", "res@161 all", "res@10", "res med km", "e2e@161", "F1 exact",
            "F1 overlap", "P ovl", "R ovl", "docs/s")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for label, n, res, e2e, speed in rows:
        all_gold = _get(res, "resolution_acc_at_161km") * _get(res, "resolution_n") / max(1.0, _get(res, "n_gold"))
        cells = [label, str(n), f"{int(_get(res, 'resolution_n'))}/{int(_get(res, 'n_gold'))}",
                 f"{_get(res, 'resolution_acc_at_161km'):.3f}",
                 f"{all_gold:.3f}",
                 f"{_get(res, 'resolution_acc_at_10km'):.3f}",
                 f"{_get(res, 'resolution_median_km'):.1f}",
                 f"{_get(e2e, 'e2e_acc_at_161km_overlap'):.3f}",
                 f"{_get(e2e, 'exact_f1'):.3f}", f"{_get(e2e, 'overlap_f1'):.3f}",
                 f"{_get(e2e, 'overlap_precision'):.3f}", f"{_get(e2e, 'overlap_recall'):.3f}",
                 f"{speed:.1f}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
