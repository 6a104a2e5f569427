"""Launch the web chat on the shipped corpus: `python app.py` (see README)."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant import Assistant, Settings
from assistant.ui import launch

CORPUS = Path(__file__).resolve().parent / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description="News Q&A web chat")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="Ingested before serving (unchanged articles are skipped).")
    args = parser.parse_args()
    bot = Assistant(Settings())
    report = bot.ingest([args.corpus])
    print(f"corpus: {report.articles_added} new article(s), {report.articles_skipped} already stored")
    print(f"open http://{args.host}:{args.port}/")
    launch(bot, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
