"""Registration of the SAXS-Rg benchmark: radius of gyration, learnt against a Guinier fit.

The data are the hard case of SAXS-1D sizing: all five built-in shapes,
Schulz-polydisperse, pinhole-smeared and with counting noise. The target is
the z-average radius of gyration, the one a Guinier fit measures
(``make_saxs_1d(target="guinier_radius")``), so that the physics baseline is
scored against what it can measure.
"""

from ._registry import Benchmark, Deferred, register

#: The training budget of the reference regressor (the estimator's default).
EPOCHS = 20
BATCH_SIZE = 32
SHAPES = ("sphere", "cylinder", "ellipsoid", "parallelepiped", "core_shell_sphere")
#: Relative width of the Schulz size distribution, and pinhole dq/q (one sigma).
POLYDISPERSITY = 0.1
RESOLUTION = 0.05


def make_saxs_rg(n_samples, *, random_state=None, progress=False):
    """The benchmark's profiles: ``make_saxs_1d`` of every shape, polydisperse, smeared, noisy.

    Parameters
    ----------
    n_samples : int
        Number of profiles, at least 5.
    random_state : int, RandomState instance or None, default=None
        Seeds the sizes, the shape order and the noise.
    progress : bool, default=False
        Show a progress bar while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``make_saxs_1d``'s Bunch; ``target`` is the z-average radius of
        gyration in Angstrom.

    Examples
    --------
    >>> from sciml_estimators.bench._saxs_rg import make_saxs_rg
    >>> make_saxs_rg(5, random_state=0).target_names
    array(['guinier_radius_of_gyration'], dtype='<U26')
    """
    from ..datasets import make_saxs_1d

    return make_saxs_1d(
        n_samples, shapes=SHAPES, target="guinier_radius", polydispersity=POLYDISPERSITY,
        resolution=RESOLUTION, noise="poisson", random_state=random_state, progress=progress,
    )


def _saxs_regressor(*, device, random_state, max_epochs, verbose):
    from ..estimators import SAXSRegressor

    return SAXSRegressor(
        max_epochs=max_epochs or EPOCHS,
        batch_size=BATCH_SIZE,
        device=device,
        random_state=random_state,
        verbose=verbose,
    )


def _guinier(*, device, random_state, max_epochs, verbose):
    """An automatic Guinier fit of each profile, on the datasets' default q grid; no training."""
    from ..datasets._saxs import DEFAULT_Q
    from ..estimators import GuinierRegressor

    return GuinierRegressor(q=DEFAULT_Q)


SAXS_RG = register(
    Benchmark(
        name="saxs-rg",
        description=(
            "SAXS-Rg: radius of gyration from noisy, smeared, polydisperse profiles of 5 shapes"
        ),
        make_dataset=Deferred("sciml_estimators.bench._saxs_rg:make_saxs_rg"),
        n_samples=20000,
        # Two epochs on 500 profiles: a smoke run of seconds, not a score.
        quick_n_samples=500,
        quick_max_epochs=2,
        estimators={"mlp": _saxs_regressor, "guinier": _guinier},
        test_size=0.2,
        task="regression",
        paper=(
            "Beyond the paper (its SAXS-1D set classifies shapes): 20,000 profiles "
            "(16,000 / 4,000) of the five built-in shapes, Schulz polydispersity 0.1, "
            "pinhole dq/q 0.05, Poisson noise at flux 1000; target the z-average radius of "
            "gyration. The learnt SAXSRegressor against an automatic Guinier fit (AUTORG's "
            "range, q Rg <= 1.3), with the 68 % / 95 % coverage of both uncertainties."
        ),
    )
)
