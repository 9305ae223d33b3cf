"""End-to-end ingest speed and memory: articles/s and peak RSS as the input grows.

Usage: python bench/ingest_speed.py [--sizes 500,2000,4000]

For each size it writes a JSONL export of that many distinct articles (the
bundled sample stories, their sentences reordered and renumbered so every
article is new), then runs ``python -m conflictmap ingest`` on it in a fresh
process with a fresh SQLite store, and reports wall time, articles/s (after
the gazetteer and model are loaded, which is timed apart) and the process's
peak RSS. Flat RSS across sizes shows the input is streamed.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conflictmap.ingest import read_paths  # noqa: E402
from conflictmap.model import Article  # noqa: E402


def sample_articles() -> list[Article]:
    return [a for a in read_paths([ROOT / "data" / "samples"], max_bytes=50 * 2**20) if isinstance(a, Article)]


def write_corpus(path: Path, n: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    stories = sample_articles()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            story = stories[i % len(stories)]
            sentences = [s for s in story.body.replace("\n", " ").split(". ") if s]
            head, rest = sentences[:1], sentences[1:]
            rng.shuffle(rest)
            body = ". ".join(head + rest) + f". (Report {i}.)"
            published = story.published.isoformat() if story.published else ""
            out.write(json.dumps({"id": str(i), "title": f"{story.title} ({i})", "published": published,
                                  "url": f"https://bench.example.org/{i}", "text": body}) + "\n")


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, n)
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        # Time the model and gazetteer load apart from the articles themselves.
        load = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter();"
                               "from conflictmap.pipeline import default_geoparser; default_geoparser();"
                               "print(time.perf_counter()-t)"], cwd=ROOT, capture_output=True, text=True, check=True)
        load_s = float(load.stdout.strip().splitlines()[-1])
        # The child reports its own peak RSS, so each size is measured on its own.
        code = ("import resource, sys; from conflictmap.cli import main; rc = main(sys.argv[1:]);"
                "print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)")
        t0 = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", code, "ingest", str(corpus), "--db", db, "--quiet"],
                                cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if result.returncode != 0:
            raise SystemExit(result.stderr)
        lines = result.stderr.strip().splitlines()
        rss_mb = int(lines[-1].split()[1]) / 1024
        result_summary = lines[-2]
    return {"articles": n, "wall_s": wall, "load_s": load_s, "articles_per_s": n / max(wall - load_s, 1e-9),
            "peak_rss_mb": rss_mb, "summary": result_summary}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,4000")
    args = parser.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        row = run(n)
        rows.append(row)
        print(f"{n:>6} articles  wall {row['wall_s']:6.1f}s  load {row['load_s']:4.1f}s  "
              f"{row['articles_per_s']:6.1f} articles/s  peak RSS {row['peak_rss_mb']:6.0f} MB  | {row['summary']}",
              flush=True)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
