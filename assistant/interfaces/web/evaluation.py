"""The Evaluation tab: runs the quick suite in a temporary store and shows its HTML report, sandboxed.
(No `from __future__ import annotations` here: Gradio reads handler annotations at run time.)
"""

import html
import tempfile
from pathlib import Path

from assistant.core import Assistant


def eval_report_html(folder: Path) -> str:
    """The last HTML report, isolated in a sandboxed iframe (no scripts; its content is escaped twice)."""
    page = folder / "report.html"
    if not page.exists():
        return "<p class='empty'>No evaluation has been run yet.</p>"
    return (
        f"<iframe sandbox='' style='width:100%;height:900px;border:0' "
        f'srcdoc="{html.escape(page.read_text(encoding="utf-8"), quote=True)}"></iframe>'
    )


def build_eval_tab(bot: Assistant) -> None:
    import gradio as gr

    gr.Markdown(
        "The quick evaluation suite (a slice of seed, MultiHop-RAG and attribution; a few minutes) "
        "runs in a separate temporary store and writes its report under the data folder."
    )
    run_button = gr.Button("Run the quick evaluation", elem_id="run-eval")
    report = gr.HTML(eval_report_html(bot.settings.data_dir / "reports" / "latest"), elem_id="eval-report")

    def run_eval():
        from assistant.evals import run

        target = bot.settings.data_dir / "reports" / "latest"
        with tempfile.TemporaryDirectory(prefix="ui-eval-") as tmp:
            run(["quick"], bot.settings.model_copy(update={"data_dir": Path(tmp)}), report_dir=target)
        return eval_report_html(target)

    run_button.click(run_eval, None, report, api_visibility="private")
