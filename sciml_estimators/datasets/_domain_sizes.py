"""How many samples of a two-domain set come from each domain."""

__all__ = ["domain_sizes"]


def domain_sizes(n_samples, shifted_fraction, *, least, unit, reason=""):
    """Source and shifted counts of a ``make_*_domain_shift`` set; an error if one is too small.

    Parameters
    ----------
    n_samples : int
        Samples in all.
    shifted_fraction : float in (0, 1)
        Fraction from the shifted domain, rounded to whole samples (at least 1).
    least : int
        The fewest samples each domain may hold.
    unit : str
        What a sample is, plural, for the message ("profiles", "scenes").
    reason : str, default=""
        Why ``least``, for the message (e.g. " (2, and one per shape)").

    Returns
    -------
    n_source, n_shifted : int
        They add up to ``n_samples``.

    Raises
    ------
    ValueError
        If either domain would hold fewer than ``least``: the message names
        the counts and what to change.

    Examples
    --------
    >>> from sciml_estimators.datasets._domain_sizes import domain_sizes
    >>> domain_sizes(10, 0.2, least=2, unit="patterns")
    (8, 2)
    """
    n_shifted = max(1, round(shifted_fraction * n_samples))
    if min(n_samples - n_shifted, n_shifted) < least:
        raise ValueError(
            f"n_samples={n_samples} with shifted_fraction={shifted_fraction} gives "
            f"{n_samples - n_shifted} source and {n_shifted} shifted {unit}; each domain "
            f"needs at least {least}{reason}: raise n_samples or bring shifted_fraction "
            "nearer 0.5."
        )
    return n_samples - n_shifted, n_shifted
