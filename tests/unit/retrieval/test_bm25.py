"""The persisted BM25 index: filter masks and exact dense search on hand-made columns; build, save, load and
ranking on a tiny real (embedded) ChromaDB store with hand-made vectors, no embedder."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from assistant.config import Settings
from assistant.models import Article, Chunk
from assistant.retrieval.bm25 import Lexical
from assistant.retrieval.filters import Filters
from assistant.retrieval.store import Store

D = dt.date


@pytest.fixture
def columns() -> Lexical:
    """Four chunks: AFP, Reuters, AFP undated, no outlet; speakers on two of them; unit vectors."""
    vectors = np.array([[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0], [0, 0, 1]], dtype=np.float32)
    return Lexical(
        bm25=None,
        ids=["a", "b", "c", "d"],
        outlet_codes=[0, 1, 0, -1],
        outlets=["AFP", "Reuters"],
        published=[20241130, 20241201, 0, 20241115],
        speakers={0: ("Bashar al-Assad",), 2: ("Charles Lister",)},
        vectors=vectors,
    )


def rows(mask) -> list[int]:
    return np.flatnonzero(mask).tolist()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), [0, 1, 2, 3]),
        (Filters(outlet="afp"), [0, 2]),  # case does not matter
        (Filters(since=D(2024, 11, 20)), [0, 1]),  # undated chunks never pass a date filter
        (Filters(until=D(2024, 11, 30)), [0, 3]),
        (Filters(speaker="Assad"), [0]),  # any spelling of the speaker
        (Filters(speaker="al-Assad"), [0]),
        (Filters(speaker="Lister"), [2]),
        (Filters(outlet="AFP", since=D(2024, 11, 1)), [0]),
        (Filters(outlet="Le Monde"), []),
    ],
)
def test_mask_applies_the_filter_rules(columns, filters, expected):
    assert rows(columns.mask(filters)) == expected


@pytest.mark.unit
def test_masks_are_cached_per_filter(columns):
    assert columns.mask(Filters(outlet="AFP")) is columns.mask(Filters(outlet="AFP"))


@pytest.mark.unit
def test_dense_hits_rank_by_cosine_inside_the_mask(columns):
    everything = columns.mask(Filters())
    assert columns.dense_hits([1.0, 0.0, 0.0], 2, everything) == [("a", 1.0), ("c", pytest.approx(math.exp(-0.4)))]
    afp_undated_or_reuters = np.array([False, True, True, False])
    hits = columns.dense_hits([1.0, 0.0, 0.0], 10, afp_undated_or_reuters)
    assert [cid for cid, _ in hits] == ["c", "b"]  # never a row outside the mask, even when top_k asks for more
    assert hits[1][1] == pytest.approx(math.exp(-1.0))  # scores as Chroma's: exp(-cosine distance)
    assert columns.dense_hits([1.0, 0.0, 0.0], 5, np.zeros(4, dtype=bool)) == []


def add(store: Store, article_id: str, outlet: str | None, published: D | None, texts: list[tuple[str, tuple]]):
    """One article with hand-made chunk vectors (3-d), written through the store's real write path."""
    text = " ".join(t for t, _ in texts)
    article = Article(id=article_id, title=f"title {article_id}", outlet=outlet, published=published, text=text)
    chunks, start = [], 0
    for number, (chunk_text, speakers) in enumerate(texts):
        end = start + len(chunk_text)
        chunks.append(
            Chunk(
                id=f"{article_id}:{number:04d}",
                article_id=article_id,
                text=chunk_text,
                start=start,
                end=end,
                outlet=outlet,
                published=published,
                speakers=speakers,
            )
        )
        start = end + 1
    vectors = [[1.0, 0.0, 0.0] if "airport" in c.text else [0.0, 1.0, 0.0] for c in chunks]
    store.add_article(article, chunks, vectors, [0.0, 0.0, 1.0])


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(Settings(data_dir=tmp_path / "data"))
    add(
        store,
        "afp1",
        "AFP",
        D(2024, 11, 30),
        [
            ("Rebels seized the airport of Aleppo on Saturday.", ()),
            ("The regime is weaker than ever, the expert wrote.", ("Charles Lister",)),
        ],
    )
    add(store, "reu1", "Reuters", D(2024, 12, 1), [("Talks on a ceasefire opened in Geneva.", ())])
    return store


@pytest.mark.integration
def test_build_reads_every_chunk_with_its_columns_and_vector(store):
    lexical = Lexical.build(store)
    assert len(lexical) == 3 and set(lexical.ids) == {"afp1:0000", "afp1:0001", "reu1:0000"}
    assert [lexical.ids[r] for r in rows(lexical.mask(Filters(outlet="Reuters")))] == ["reu1:0000"]
    assert [lexical.ids[r] for r in rows(lexical.mask(Filters(speaker="Lister")))] == ["afp1:0001"]
    assert [lexical.ids[r] for r in rows(lexical.mask(Filters(since=D(2024, 12, 1))))] == ["reu1:0000"]
    assert lexical.dense_hits([1.0, 0.0, 0.0], 1, lexical.mask(Filters()))[0] == ("afp1:0000", pytest.approx(1.0))


def ranked(lexical: Lexical, query: str, filters: Filters = Filters()) -> list[str]:
    return [hit.node.id_ for hit in lexical.retriever(10, filters).retrieve(query)]


@pytest.mark.integration
def test_bm25_ranks_by_terms_and_the_outlet_header(store):
    lexical = Lexical.build(store)
    assert ranked(lexical, "Who seized the airport?")[0] == "afp1:0000"  # 'seized' matches 'seize' after stemming
    by_outlet = {hit.node.id_: hit.score for hit in lexical.retriever(10, Filters()).retrieve("Reuters")}
    assert by_outlet["reu1:0000"] > 0 == by_outlet["afp1:0000"]  # the outlet is in the indexed header, not the text
    unfiltered = {hit.node.id_: hit.score for hit in lexical.retriever(10, Filters()).retrieve("ceasefire talks")}
    assert unfiltered["reu1:0000"] > 0
    # the filter is a weight mask: a chunk outside it scores 0 (HybridRetriever then drops it by the same mask)
    afp_only = {
        hit.node.id_: hit.score for hit in lexical.retriever(10, Filters(outlet="AFP")).retrieve("ceasefire talks")
    }
    assert afp_only.get("reu1:0000", 0.0) == 0.0
    assert lexical.retriever(10, Filters(outlet="Le Monde")) is None  # a filter nothing passes: no ranking at all


@pytest.mark.integration
def test_save_then_load_memory_maps_the_same_index(store, tmp_path):
    built = Lexical.build(store)
    folder = tmp_path / "bm25" / store.signature()
    built.save(folder)
    built.save(folder)  # a second writer of the same signature: the first copy stays, no error
    loaded = Lexical.load(folder)
    assert loaded.ids == built.ids and loaded.outlets == built.outlets and loaded.speakers == built.speakers
    assert isinstance(loaded.vectors, np.memmap)
    assert ranked(loaded, "Who seized the airport?") == ranked(built, "Who seized the airport?")
    assert rows(loaded.mask(Filters(speaker="Lister"))) == rows(built.mask(Filters(speaker="Lister")))
    assert not list(folder.parent.glob(".tmp-*"))  # nothing half-written left behind


@pytest.mark.integration
def test_nothing_to_load_or_build_is_none(tmp_path):
    assert Lexical.load(tmp_path / "missing") is None
    assert Lexical.build(Store(Settings(data_dir=tmp_path / "empty"))) is None
