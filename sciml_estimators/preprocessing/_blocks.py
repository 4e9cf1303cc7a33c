"""Arrays in memory or on disk, read and summarised in blocks of rows.

An on-disk array (what :func:`~sciml_estimators.datasets.load_dataset`
returns, or an h5py, Zarr or Dask array) is read in blocks of rows to learn a
preprocessing (:func:`row_blocks`, :func:`feature_moments`), then in batches
whose features are computed as they are read (:class:`FeatureRows`). In-memory
arrays go through the same block-wise statistics, and the features are
element-wise, so a model trained from a file is the one trained from the same
array in memory with the same seed (tested).

For shuffled training a set is cut into blocks of about 4 MB of consecutive
rows (:func:`shuffle_block_rows`); :class:`FeatureRows` reads each block in one
slice and keeps the last two windows of ``_WINDOW_BLOCKS`` of them (the
training engine's shuffle visits 64 blocks at a time).
"""

import numpy as np

from ..storage._rows import read_increasing

#: Values per block of the statistics passes (rows are never split), ~8 MB of float32.
_BLOCK_VALUES = 2**21
#: Bytes of float32 features per shuffling block, and blocks per window.
_SHUFFLE_BLOCK_BYTES = 2**22
_WINDOW_BLOCKS = 64


def is_on_disk(X):
    """Whether ``X`` is read lazily: an ``OnDiskArray``, an h5py, Zarr or Dask array."""
    if getattr(X, "on_disk", False):
        return True
    return type(X).__module__.split(".")[0] in ("h5py", "zarr", "dask")


def _row_values(shape):
    """Values in one row of an array of ``shape`` (at least 1)."""
    return max(1, int(np.prod(shape[1:], dtype=np.int64)))


def row_blocks(X):
    """Yield ``(start, block)``: consecutive rows of ``X`` as numpy arrays of ~2M values.

    The block boundaries depend only on ``X.shape``, so statistics
    accumulated block by block are the same for a file and for an array.
    """
    step = max(1, _BLOCK_VALUES // _row_values(X.shape))
    for start in range(0, len(X), step):
        yield start, np.asarray(X[start : start + step])


def strided_values(X, n_values, prepare=None):
    """``X.ravel()[::max(1, X.size // n_values)]``, read block by block if ``X`` is on disk.

    ``prepare``, if given, maps a block of whole rows to rows of the same
    shape before the values are taken (``prepare(X)`` when ``X`` is in memory).
    """
    prepare = prepare or np.asarray
    size = int(np.prod(X.shape, dtype=np.int64))
    step = max(1, size // n_values)
    if not is_on_disk(X):
        return prepare(X).ravel()[::step]
    row_values = _row_values(X.shape)
    parts = [prepare(block).ravel()[(-start * row_values) % step :: step]
             for start, block in row_blocks(X)]
    return np.concatenate(parts)


def feature_moments(feature_blocks):
    """Per-column mean and standard deviation (float64) of 2-D blocks, merged exactly.

    Each block's mean and sum of squared deviations are computed in
    float64 and merged with Chan et al.'s pairwise formula, so the result is
    accurate for any number of rows and independent of where they live.
    Columns with no spread get scale 1.

    Parameters
    ----------
    feature_blocks : iterable of ndarray of shape (n_rows, n_columns)
        The features, in consecutive blocks of rows.

    Returns
    -------
    mean, scale : ndarray of shape (n_columns,)
    """
    count, mean, m2 = 0, None, None
    for block in feature_blocks:
        n = len(block)
        if n == 0:
            continue
        block_mean = block.mean(axis=0, dtype=np.float64)
        block_m2 = np.square(block - block_mean).sum(axis=0)
        if count == 0:
            mean, m2 = block_mean, block_m2
        else:
            delta = block_mean - mean
            total = count + n
            mean = mean + delta * (n / total)
            m2 = m2 + block_m2 + np.square(delta) * (count * n / total)
        count += n
    scale = np.sqrt(m2 / count)
    scale[~(scale > 0)] = 1.0
    return mean, scale


def shuffle_block_rows(shape):
    """Rows per shuffling block of float32 features of ``shape`` (~4 MB, at least 1)."""
    return max(1, _SHUFFLE_BLOCK_BYTES // (4 * _row_values(shape)))


def read_rows(X, index):
    """Rows ``index`` (a slice or integers in any order) of ``X`` as a numpy array.

    On-disk arrays are read once per call, in increasing row order, as h5py
    requires and as files are fastest read; rows that fill at least half of
    their span are read as one slice.
    """
    if isinstance(index, slice) or not is_on_disk(X):
        return np.asarray(X[index])
    index = np.asarray(index)
    unique, inverse = np.unique(index, return_inverse=True)
    rows = read_increasing(lambda part: np.asarray(X[part]), unique)
    in_order = unique.size == index.size and (unique == index).all()
    return rows if in_order else rows[inverse]


class FeatureRows:
    """The network's input rows, read and prepared batch by batch.

    skorch's ``X`` when the training features are not one in-memory array:
    an on-disk array with the function that turns its raw rows into
    features, or a subset of rows (``rows``, increasing when the source is
    on disk) of any source, which spares the copy that fancy indexing would
    make. Indexing with a slice or integer indices (as the training engine's
    ``BatchIterator`` does) returns a float32 array.
    Batches of an on-disk source are gathered from its shuffling blocks
    (:func:`shuffle_block_rows`), each read in one slice and prepared once,
    of which the last ``2 * _WINDOW_BLOCKS`` are kept.

    Parameters
    ----------
    source : ndarray or on-disk array
        Prepared features, or raw rows when ``prepare`` is given.
    prepare : callable or None, default=None
        Maps an ndarray of raw rows to their float32 features.
    rows : ndarray of int or None, default=None
        The rows of ``source`` this object holds, in this order.
    """

    def __init__(self, source, prepare=None, rows=None):
        self.source = source
        self.prepare = prepare
        self.rows = rows
        self._cache = None

    def __len__(self):
        return len(self.source) if self.rows is None else len(self.rows)

    @property
    def shape(self):
        return (len(self), *self.source.shape[1:])

    def take(self, rows):
        """The rows ``rows`` of this object, as a new :class:`FeatureRows`."""
        return FeatureRows(self.source, self.prepare,
                           rows if self.rows is None else self.rows[rows])

    def read(self, index):
        """The features of rows ``index`` (slice or integers) as a numpy array."""
        if self.rows is not None:
            index = self.rows[index]
        values = read_rows(self.source, index)
        return values if self.prepare is None else self.prepare(values)

    def map(self, function, index, batch_size):
        """``function`` of the features of rows ``index``, ``batch_size`` rows at a time.

        Returns
        -------
        outputs : ndarray
            The concatenated outputs, or None when ``index`` is empty.
        """
        parts = [function(self.read(index[start : start + batch_size]))
                 for start in range(0, len(index), batch_size)]
        return np.concatenate(parts) if parts else None

    def __getitem__(self, index):
        if is_on_disk(self.source) and not isinstance(index, slice):
            return self._gather(np.asarray(index))
        return np.ascontiguousarray(self.read(index))

    def _gather(self, positions):
        """Rows ``positions`` from the cached blocks, reading the missing blocks."""
        block_rows = shuffle_block_rows(self.shape)
        if self._cache is None:
            n_blocks = -(-len(self) // block_rows)
            self._cache = _BlockCache(n_blocks, block_rows, min(n_blocks, 2 * _WINDOW_BLOCKS))
        blocks, offsets = np.divmod(positions, block_rows)
        return self._cache.gather(blocks, offsets, lambda block: self.read(
            slice(block * block_rows, (block + 1) * block_rows)))


class _BlockCache:
    """Prepared blocks of rows in slots, the least recently used one replaced first.

    Parameters
    ----------
    n_blocks : int
        Blocks of the set.
    block_rows : int
        Rows per block.
    capacity : int
        Slots; grown if one batch needs more blocks.
    """

    def __init__(self, n_blocks, block_rows, capacity):
        self.block_rows = block_rows
        self.slot_of = np.full(n_blocks, -1)
        self.block_in = np.full(capacity, -1)
        self.used = np.zeros(capacity, dtype=np.int64)
        self.clock = 0
        self.slots = None

    def gather(self, blocks, offsets, read_block):
        """Rows ``offsets`` of ``blocks``; ``read_block(block)`` reads a missing block."""
        needed = np.unique(blocks)
        if needed.size > len(self.block_in):
            self._grow(needed.size)
        self.clock += 1
        cached = self.slot_of[needed]
        self.used[cached[cached >= 0]] = self.clock
        for block in needed[cached < 0]:
            rows = read_block(block)
            if self.slots is None:
                self.slots = np.empty((len(self.block_in), self.block_rows, *rows.shape[1:]),
                                      rows.dtype)
            slot = int(np.argmin(self.used))
            if self.block_in[slot] >= 0:
                self.slot_of[self.block_in[slot]] = -1
            self.slots[slot, : len(rows)] = rows
            self.block_in[slot], self.slot_of[block], self.used[slot] = block, slot, self.clock
        return self.slots[self.slot_of[blocks], offsets]

    def _grow(self, capacity):
        extra = capacity - len(self.block_in)
        self.block_in = np.concatenate([self.block_in, np.full(extra, -1)])
        self.used = np.concatenate([self.used, np.zeros(extra, dtype=np.int64)])
        if self.slots is not None:
            self.slots = np.concatenate(
                [self.slots, np.empty((extra, *self.slots.shape[1:]), self.slots.dtype)])


def as_feature_rows(features):
    """``features`` as a :class:`FeatureRows` (an in-memory array is wrapped)."""
    return features if isinstance(features, FeatureRows) else FeatureRows(features)
