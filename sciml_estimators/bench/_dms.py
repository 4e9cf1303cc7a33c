"""Registration of the DMS benchmark: a crystal's azimuthal angle psi from its pattern."""

from ._registry import Benchmark, Deferred, register

#: The training budget of the reference CNN (the estimator's default).
EPOCHS = 20
BATCH_SIZE = 32
#: Si seen along [001]: psi repeats every 90 degrees. Stated, not computed with
#: ``dms_symmetry_period("Si", (0, 0, 1))``, which would import the simulators
#: (and numba) with the registry; a test checks that the two agree.
PERIOD = 90.0


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
        estimators={"cnn": _dms_cnn},
        test_size=0.25,
        options={"noise": (None, "poisson")},
        task="regression",
        target_period=PERIOD,
        paper=(
            "Hey et al. 2020, DMS example: 250,000+ simulated patterns, 75/25 split, CNN "
            "conv 32 - pool - dropout 0.2 - conv 64 - pool - dense 32 - dense 16 - output; "
            "MAE 6.5 degrees on psi."
        ),
    )
)
