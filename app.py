"""Launch the web chat on the shipped corpus: `python app.py [--host 127.0.0.1] [--port 7860]` (see README).

Settings come from ASSISTANT_* environment variables (e.g. ASSISTANT_DATA_DIR); a login is required when
ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD are set. The default bind is loopback only; any other bind needs
that login or --insecure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant import Assistant, IngestReport, Settings
from assistant.errors import AssistantError
from assistant.interfaces.web.app import auth_from_env, check_exposure, launch

CORPUS = Path(__file__).resolve().parent / "corpus"


def ingest_corpus(bot: Assistant, corpus: Path) -> IngestReport:
    """Ingest the corpus before serving: a bad file or record is reported and skipped, never fatal."""
    report = bot.ingest([corpus])
    for error in report.errors:
        print(f"skipped: {error}", file=sys.stderr)
    print(
        f"corpus: {report.articles_added} new article(s), {report.articles_skipped} already stored"
        + (f", {report.articles_failed} could not be read (listed above)" if report.articles_failed else "")
    )
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="News Q&A web chat")
    parser.add_argument("--host", default="127.0.0.1", help="Interface to bind (default: loopback only).")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="Ingested before serving (unchanged articles are skipped)."
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="Serve beyond loopback without a login (only behind your own access control).",
    )
    args = parser.parse_args(argv)
    try:
        check_exposure(args.host, auth_from_env(), args.insecure)  # before any model is loaded
        bot = Assistant(Settings())
        ingest_corpus(bot, args.corpus)
        launch(bot, host=args.host, port=args.port, insecure=args.insecure)
    except AssistantError as exc:
        raise SystemExit(f"error: {exc}") from None


if __name__ == "__main__":
    main()
