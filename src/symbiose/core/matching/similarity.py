"""Word overlap between an offer's and a need's labels, as a tie-breaker between candidates.

Two sides rarely word a resource alike, but when they do ("glycérine" in both) it is
strong evidence. Character n-gram TF-IDF (scikit-learn) on the distinct labels only, so
the cost follows the vocabulary of the territory, not its number of rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from symbiose.core.classify.text import fold


def label_corpus(labels: tuple[str, ...], a: NDArray[np.intp],
                 b: NDArray[np.intp]) -> NDArray[np.object_]:
    """The distinct folded labels of the rows `a` and `b`, sorted: what the weights are
    learnt from. A tiled run unites its tiles' corpora, for the weights of the whole."""
    return np.unique(_folded(labels, np.unique(np.concatenate([a, b]))))


def _folded(labels: tuple[str, ...], rows: NDArray[np.intp]) -> NDArray[np.object_]:
    return np.array([fold(labels[i]) for i in rows], dtype=object)


def label_similarity(labels: tuple[str, ...], a: NDArray[np.intp], b: NDArray[np.intp],
                     corpus: NDArray[np.object_] | None = None) -> NDArray[np.float64]:
    """Cosine similarity of labels[a[i]] and labels[b[i]] for each i, with weights learnt
    from `corpus` (default: `label_corpus` of these rows; a tiled run passes the corpus
    of the whole territory, which holds every label of the tile's rows)."""
    if a.size == 0:
        return np.empty(0, dtype=float)
    used = np.unique(np.concatenate([a, b]))
    folded = _folded(labels, used)
    distinct = np.unique(folded) if corpus is None else corpus
    position = np.empty(len(labels), dtype=np.intp)
    position[used] = np.searchsorted(distinct, folded)
    try:
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                  sublinear_tf=True).fit_transform(list(distinct))
    except ValueError:  # only empty labels
        return np.zeros(a.size, dtype=float)
    # Once per distinct pair of labels (a region has half a million candidate pairs over
    # a few thousand label pairs): the same row products, spread back.
    pairs, inverse_pair = np.unique(position[a].astype(np.int64) * len(distinct) + position[b],
                                    return_inverse=True)
    left, right = vectors[pairs // len(distinct)], vectors[pairs % len(distinct)]
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()[inverse_pair.ravel()]
