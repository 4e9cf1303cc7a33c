"""Registration of the DMS benchmark: a crystal's azimuthal angle psi from its pattern."""

from ._registry import Benchmark, Deferred, register

#: The training budget of the reference CNN (the estimator's default).
EPOCHS = 20
BATCH_SIZE = 32
#: Si seen along [001]: psi repeats every 90 degrees. Stated, not computed with
#: ``dms_symmetry_period("Si", (0, 0, 1))``, which would import the simulators
#: (and numba) with the registry; a test checks that the two agree.
PERIOD = 90.0


def _circle(psi):
    """psi (n,) or (n, 1) in degrees to (cos, sin) of its phase on the period's circle."""
    import numpy as np

    phase = np.radians(np.ravel(psi)) * (360.0 / PERIOD)
    return np.column_stack([np.cos(phase), np.sin(phase)])


def _angle(circle):
    """(cos, sin) of the phase back to psi in [0, PERIOD)."""
    import numpy as np

    phase = np.degrees(np.arctan2(circle[:, 1], circle[:, 0])) * (PERIOD / 360.0)
    return np.mod(phase, PERIOD)


def _ridge(*, device, random_state, max_epochs, verbose):
    """The magnon benchmark's ridge on pooled arcsinh pixels, fitted to (cos, sin) of 4 psi.

    psi is an angle of period 90 degrees: the ridge regresses the point
    (cos 4 psi, sin 4 psi) on the circle, and its prediction goes back to psi
    through atan2 / 4 (the point need not be on the circle).
    """
    from sklearn.compose import TransformedTargetRegressor

    from . import _magnons

    return TransformedTargetRegressor(
        regressor=_magnons._ridge(device=device, random_state=random_state,
                                  max_epochs=max_epochs, verbose=verbose),
        func=_circle, inverse_func=_angle, check_inverse=False,
    )


def _dms_cnn(*, device, random_state, max_epochs, verbose):
    from ..estimators import DMSAngleRegressor

    return DMSAngleRegressor(
        period=PERIOD,
        max_epochs=max_epochs or EPOCHS,
        batch_size=BATCH_SIZE,
        device=device,
        random_state=random_state,
        verbose=verbose,
    )


DMS = register(
    Benchmark(
        name="dms",
        description="DMS: azimuthal angle psi of Si [001] from 128x128 Kossel-line patterns",
        make_dataset=Deferred("sciml_estimators.datasets:make_dms"),
        n_samples=250000,
        # Two epochs on 400 patterns: a smoke run of seconds, not a score.
        quick_n_samples=400,
        quick_max_epochs=2,
        estimators={"cnn": _dms_cnn, "ridge": _ridge},
        test_size=0.25,
        options={"noise": (None, "poisson"), "nuisances": ("measured", None)},
        # Measured-like patterns (make_dms's nuisances="measured"); --nuisances ideal
        # gives the paper's ideal ones.
        default_options={"nuisances": "measured"},
        task="regression",
        target_period=PERIOD,
        paper=(
            "Hey et al. 2020, DMS example: 250,000+ simulated patterns, 75/25 split, CNN "
            "conv 32 - pool - dropout 0.2 - conv 64 - pool - dense 32 - dense 16 - output; "
            "MAE 6.5 degrees on psi."
        ),
    )
)


DMS_SHIFT = register(
    Benchmark(
        name="dms-shift",
        description="DMS across experiments: train on one energy, detector distance and "
                    "miscut, test on another",
        make_dataset=Deferred("sciml_estimators.datasets:make_dms_domain_shift"),
        n_samples=20000,
        quick_n_samples=400,
        quick_max_epochs=2,
        estimators={"cnn": _dms_cnn, "ridge": _ridge},
        test_size=0.2,
        task="regression",
        target_period=PERIOD,
        shifts_domain=True,
        paper=(
            "Beyond the paper: measured-like Si [001] patterns; 16,000 of one experiment "
            "(8.0 keV, detector at 80 mm, miscut 0.1-0.5 degrees) train and 4,000 of another "
            "(8.1 keV, 76 mm, miscut 1-2 degrees) test, with the in-domain MAE beside."
        ),
    )
)
