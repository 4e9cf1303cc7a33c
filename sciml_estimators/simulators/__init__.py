"""SAXS simulators: I(q) of sasmodels' shapes, batched over profiles with Numba.

Pure maths on numpy arrays: no random numbers (datasets draw the parameters)
and no machine-learning imports.
"""

from ._parallelepiped import parallelepiped_iq
from ._sphere import sphere_iq

__all__ = ["parallelepiped_iq", "sphere_iq"]
