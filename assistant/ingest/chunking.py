"""Article → Chunk[]: llama-index's SentenceSplitter, fed our quote-aware sentences.

The stock sentence tokenizer splits `…militarily.”underlines Charles Lister` between the quote and its
speaker; ours never splits inside a quotation, so a quote stays in the chunk that names its speaker.
Every chunk keeps its exact character span, so citations can point back into the article.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from assistant.models import Article, Chunk, Quote
from assistant.text.spans import sentences


def _tiktoken_offline() -> None:
    """llama-index ships the tokenizer files it needs; point tiktoken there so nothing is downloaded."""
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        import llama_index.core

        os.environ["TIKTOKEN_CACHE_DIR"] = os.path.join(list(llama_index.core.__path__)[0], "_static", "tiktoken_cache")


def _sentence_pieces(text: str) -> list[str]:
    """Consecutive pieces that concatenate back to `text` exactly, one per sentence."""
    starts = [s for s, _ in sentences(text)]
    if not starts:
        return [text] if text else []
    starts[0] = 0
    bounds = starts + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if a < b]


def make_splitter(chunk_size: int, chunk_overlap: int) -> Callable[[str], list[str]]:
    _tiktoken_offline()
    from llama_index.core.node_parser import SentenceSplitter

    splitter = SentenceSplitter(
        chunk_size=chunk_size, chunk_overlap=chunk_overlap, chunking_tokenizer_fn=_sentence_pieces
    )
    return splitter.split_text


def locate(text: str, piece: str, cursor: int) -> tuple[int, int]:
    """Find a chunk's span in the article; the splitter strips whitespace, so match from the cursor."""
    index = text.find(piece, cursor)
    if index < 0:
        index = text.find(piece)
    if index < 0:  # whitespace inside was normalised: anchor on both ends instead
        head, tail = piece[:40], piece[-40:]
        index = text.find(head, cursor)
        end = text.find(tail, max(index, 0))
        if index < 0 or end < 0:
            raise ValueError("chunk text not found in article")
        return index, end + len(tail)
    return index, index + len(piece)


def chunk_article(article: Article, split: Callable[[str], list[str]], quotes: list[Quote]) -> list[Chunk]:
    """Chunks with the article's metadata and the speakers of every quote that overlaps them."""
    chunks: list[Chunk] = []
    cursor = 0
    for number, piece in enumerate(p for p in split(article.text) if p.strip()):
        start, end = locate(article.text, piece, cursor)
        cursor = end
        inside = [q for q in quotes if q.speaker and q.start < end and q.end > start]
        chunks.append(
            Chunk(
                id=f"{article.id}:{number:04d}",
                article_id=article.id,
                text=article.text[start:end],
                start=start,
                end=end,
                outlet=article.outlet,
                title=article.title,
                published=article.published,
                url=article.url,
                speakers=tuple(dict.fromkeys(q.speaker for q in inside if q.speaker)),
                quote_ids=tuple(q.id for q in inside),
            )
        )
    return chunks
