"""Row sums in numpy's own order, over the non-zero terms only.

``a.sum(axis=1)`` of a float array adds each row's n terms by numpy's pairwise summation: eight
running sums over blocks of eight, combined as ``((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))``, the
remainder added one by one, halves summed separately above 128 terms, and terms one by one
from 0 below eight. When most terms are zero (a province's few neighbours among all places),
adding the zeros changes nothing (``x + 0.0 == x`` for the non-negative terms summed here), so
the same tree over the non-zero terms gives numpy's result bit for bit with a fraction of the
work. ``tests/test_batch.py`` checks the tree against ``numpy.sum`` for every length.
"""

from __future__ import annotations

from functools import cache

import numpy as np

Tree = int | tuple  # a column index, or (left, right) added in that order


@cache
def pairwise_tree(n: int, first: int = 0) -> Tree | None:
    """The order in which numpy adds the terms ``first .. first + n − 1`` of a row."""
    if n == 0:
        return None
    if n < 8:
        tree: Tree = first
        for i in range(first + 1, first + n):
            tree = (tree, i)
        return tree
    if n <= 128:
        r: list[Tree] = list(range(first, first + 8))
        i = 8
        while i < n - n % 8:
            r = [(r[j], first + i + j) for j in range(8)]
            i += 8
        tree = (((r[0], r[1]), (r[2], r[3])), ((r[4], r[5]), (r[6], r[7])))
        for j in range(i, n):
            tree = (tree, first + j)
        return tree
    half = n // 2
    half -= half % 8
    return (pairwise_tree(half, first), pairwise_tree(n - half, first + half))


def sparse_row_sum(tree: Tree | None, terms: dict[int, np.ndarray]) -> np.ndarray | None:
    """Evaluate ``tree`` with the given non-zero columns' terms (absent columns are zero).

    Returns:
        The row sums, or None when every term is zero.
    """
    if tree is None:
        return None
    if isinstance(tree, int):
        return terms.get(tree)
    left, right = sparse_row_sum(tree[0], terms), sparse_row_sum(tree[1], terms)
    if left is None:
        return right
    if right is None:
        return left
    return left + right
