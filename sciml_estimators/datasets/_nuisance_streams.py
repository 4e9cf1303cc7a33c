"""One independent random stream per nuisance of a measured-like dataset.

A generator's ``nuisances="measured"`` draws each nuisance (a detector's
dead pixels, a sample's mosaic, the background's level, ...) from a stream of
its own, seeded by one draw from the dataset's ``random_state`` after every
draw of the ideal data. So the ideal draws are untouched, and adding a
nuisance at the end of a generator's list, or changing how one nuisance is
drawn, leaves every other nuisance's values as they were (numpy's
``SeedSequence.spawn`` gives the k-th child the same seed whatever the number
of later children).
"""

import numpy as np

__all__ = ["nuisance_streams"]


def nuisance_streams(rng, names):
    """A numpy Generator per name, independent, all seeded by one draw from ``rng``.

    Parameters
    ----------
    rng : numpy.random.RandomState
        The dataset's random state (from ``check_random_state``); one draw
        of four 32-bit words is taken from it.
    names : sequence of str
        The nuisances, in a fixed order: append new ones at the end, so that
        the existing streams keep their seeds.

    Returns
    -------
    streams : dict of str to numpy.random.Generator
        ``streams[name]`` draws that nuisance's values.

    Raises
    ------
    ValueError
        If a name repeats.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.datasets._nuisance_streams import nuisance_streams
    >>> first = nuisance_streams(np.random.RandomState(0), ["mosaic", "background"])
    >>> more = nuisance_streams(np.random.RandomState(0), ["mosaic", "background", "gaps"])
    >>> bool(first["background"].uniform() == more["background"].uniform())
    True
    """
    names = list(names)
    if len(set(names)) != len(names):
        raise ValueError(f"nuisance names must be distinct; got {names!r}.")
    entropy = rng.randint(0, 2**32, size=4, dtype=np.uint64)
    children = np.random.SeedSequence([int(word) for word in entropy]).spawn(len(names))
    return {name: np.random.Generator(np.random.SFC64(child))
            for name, child in zip(names, children)}
