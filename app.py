"""Launch the web chat on the shipped corpus: `python app.py [--host 127.0.0.1] [--port 7860]` (see README).

Settings come from ASSISTANT_* environment variables (e.g. ASSISTANT_DATA_DIR); a login is required when
ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD are set. The default bind is loopback only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant import Assistant, Settings
from assistant.errors import AssistantError
from assistant.interfaces.web.app import launch

CORPUS = Path(__file__).resolve().parent / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description="News Q&A web chat")
    parser.add_argument("--host", default="127.0.0.1", help="Interface to bind (default: loopback only).")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="Ingested before serving (unchanged articles are skipped)."
    )
    args = parser.parse_args()
    try:
        bot = Assistant(Settings())
        report = bot.ingest([args.corpus])
        print(f"corpus: {report.articles_added} new article(s), {report.articles_skipped} already stored")
        launch(bot, host=args.host, port=args.port)
    except AssistantError as exc:
        raise SystemExit(f"error: {exc}") from None


if __name__ == "__main__":
    main()
