"""Progress bars for long simulations and training runs."""

from tqdm.auto import tqdm


def chunked_progress(total, description, enabled):
    """A tqdm bar over ``total`` items, silent unless ``enabled``."""
    return tqdm(total=total, desc=description, unit="sample", disable=not enabled, leave=False)
