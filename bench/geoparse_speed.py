"""Geoparser throughput: documents/s, words/s and peak RSS on >= 500 documents.

    .venv/bin/python bench/geoparse_speed.py [--docs 500] [--recogniser gazetteer|spacy]

The documents are made from the sample articles in ``data/samples`` (the text
pages, the JSONL export and the seed page): each document is 12-30 paragraphs
drawn at random (fixed seed) from that pool, about the length of a wire story.
Timing starts after the gazetteer (and model) are loaded.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _paragraphs() -> list[str]:
    samples = ROOT / "data" / "samples"
    texts = [p.read_text(encoding="utf-8") for p in sorted((samples / "pages").glob("*.txt"))]
    texts.append((samples / "spacewar-2017-11-04.txt").read_text(encoding="utf-8"))
    for line in (samples / "export-2017-12.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            texts.append(str(json.loads(line).get("text", "")))
        except ValueError:
            continue
    paras = [p.strip() for t in texts for p in t.split("\n\n") if len(p.split()) >= 8]
    if not paras:
        raise SystemExit("no sample paragraphs found under data/samples")
    return paras


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--recogniser", default="gazetteer", choices=["gazetteer", "spacy"])
    args = ap.parse_args()
    rng = random.Random(20171104)
    paras = _paragraphs()
    docs = ["\n\n".join(rng.choice(paras) for _ in range(rng.randint(12, 30))) for _ in range(args.docs)]

    t0 = time.perf_counter()
    from conflictmap.geo.geoparser import Geoparser
    from conflictmap.geo.loader import load_gazetteer

    gaz = load_gazetteer()
    if args.recogniser == "spacy":
        from conflictmap.geo.recognise.spacy import SpacyRecogniser

        geoparser = Geoparser(gaz, SpacyRecogniser(gaz))
    else:
        geoparser = Geoparser(gaz)
    load_s = time.perf_counter() - t0

    words = sum(len(d.split()) for d in docs)
    t0 = time.perf_counter()
    mentions = sum(len(geoparser.geoparse(d)) for d in docs)
    secs = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recogniser={args.recogniser} docs={len(docs)} words={words} mentions={mentions}")
    print(f"load {load_s:.2f} s | {len(docs) / secs:.1f} docs/s | {words / secs:,.0f} words/s | "
          f"{words / len(docs):.0f} words/doc | peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
