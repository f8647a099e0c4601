"""The Vietnamese catalog is Vietnamese: no English word left in a phrase a figure shows."""

import re

import pytest

from simulation.figures import labels

# English words of the project's vocabulary a Vietnamese phrase must not keep
ENGLISH = re.compile(r"\b(seeds?|replications?|scenarios?|baseline|interval|partners?)\b",
                     re.IGNORECASE)


@pytest.mark.parametrize("catalog", ["PHRASES", "SECTORS", "SCENARIOS", "KPI_TITLES",
                                     "PARAMETERS"])
def test_no_english_word_in_a_vietnamese_phrase(catalog):
    entries = getattr(labels, catalog)
    assert entries
    left = {k: vi for k, (_en, vi) in entries.items()
            if ENGLISH.search(re.sub(r"\{\w+\}", "", vi))}
    assert not left, left


def test_the_footnotes_name_the_seed_in_vietnamese():
    assert labels.tr("one replication", "vi", seed=2023) == \
        "1 lần chạy (hạt giống ngẫu nhiên 2023)"
    assert "hạt giống ngẫu nhiên gốc 7" in labels.tr("paired replications", "vi", n=2, seed=7)
