"""Several runs of one suite in one eval (`attribution attribution-heldout`, `identity identity-fresh`) are all
reported: found when a held-out score was missing from the report."""

import pytest

from assistant.evals import _merged

pytestmark = pytest.mark.unit


def test_every_run_of_a_suite_keeps_its_columns():
    tuned = {"all": {"f1": 0.9}, "attribution_a": {"f1": 0.8}, "misses": [1], "confusion": {"attribution_a": {}}}
    held = {"all": {"f1": 0.7}, "attribution_c": {"f1": 0.7}, "misses": [2], "confusion": {"attribution_c": {}}}
    merged = _merged([tuned, held])
    assert merged is not None
    assert merged["all"] == {"f1": 0.9} and merged["attribution_c"] == {"f1": 0.7}
    assert merged["misses"] == [1, 2] and set(merged["confusion"]) == {"attribution_a", "attribution_c"}
    ids = _merged(
        [{"identity_tune": {"p": 1.0}, "wrong_merges": []}, {"identity_fresh": {"p": 0.9}, "wrong_merges": [3]}]
    )
    assert ids == {"identity_tune": {"p": 1.0}, "identity_fresh": {"p": 0.9}, "wrong_merges": [3]}
    assert _merged([]) is None
