"""Registration of the magnon benchmark: (J, J') of Rb2MnF4 from spin-wave images.

numpy is imported where it is used: registering the benchmark imports nothing
that ``sciml-estimators list`` does not need.
"""

from ._registry import Benchmark, Deferred, cpu_only, register

#: The training budget of the reference CNN (the estimator's default).
EPOCHS = 20
BATCH_SIZE = 32
#: Side of the square blocks the ridge baseline averages the 128 x 128 images
#: over (32 x 32 = 1,024 features), and its intensity scale in 1/meV per spin.
POOL = 4
RIDGE_SCALE = 0.05


def _magnon_cnn(*, device, random_state, max_epochs, verbose):
    from ..estimators import MagnonCouplingRegressor

    return MagnonCouplingRegressor(
        max_epochs=max_epochs or EPOCHS,
        batch_size=BATCH_SIZE,
        device=device,
        random_state=random_state,
        verbose=verbose,
    )


def pooled_arcsinh(X):
    """Images averaged over ``POOL`` x ``POOL`` blocks, ``arcsinh(I / RIDGE_SCALE)``, flattened."""
    import numpy as np

    X = np.asarray(X, dtype=np.float64)
    n, height, width = X.shape
    blocks = X[:, : height - height % POOL, : width - width % POOL].reshape(
        n, height // POOL, POOL, width // POOL, POOL
    )
    return np.arcsinh(blocks.mean(axis=(2, 4)) / RIDGE_SCALE).reshape(n, -1)


def _ridge(*, device, random_state, max_epochs, verbose):
    """Ridge regression on pooled, arcsinh-scaled, standardised images (no training epochs)."""
    import numpy as np
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    cpu_only(device, "ridge")
    return make_pipeline(
        FunctionTransformer(pooled_arcsinh),
        StandardScaler(),
        # Efficient leave-one-out over the penalties, one penalty per target.
        RidgeCV(alphas=np.logspace(-2, 4, 13), alpha_per_target=True),
    )


MAGNONS = register(
    Benchmark(
        name="magnons",
        description="Magnons: Rb2MnF4 couplings (J, J') from 128x128 momentum-energy slices",
        make_dataset=Deferred("sciml_estimators.datasets:make_magnons"),
        n_samples=29957,
        # Two epochs on 400 images: a smoke run of seconds, not a score.
        quick_n_samples=400,
        quick_max_epochs=2,
        estimators={"cnn": _magnon_cnn, "ridge": _ridge},
        test_size=2957 / 29957,
        # Measured-like images (MARI's conditions drawn per image, always counted) unless
        # --nuisances ideal; --noise poisson counts the ideal images.
        options={"noise": (None, "poisson"), "nuisances": ("measured", None)},
        default_options={"nuisances": "measured"},
        task="regression",
        paper=(
            "Hey et al. 2020, magnon example: 29,957 simulated images (27,000 train / "
            "2,957 validation), CNN of four 3x3 convolutions (32, 64, 32, 16) and a dense "
            "layer; MAE 0.0055 meV on J and 0.0036 meV on J'."
        ),
    )
)


MAGNONS_SHIFT = register(
    Benchmark(
        name="magnons-shift",
        description="Magnons across conditions: train at E_i 25 meV, cold, weak background; "
                    "test at 15/35 meV, warm, strong background",
        make_dataset=Deferred("sciml_estimators.datasets:make_magnons_domain_shift"),
        n_samples=29957,
        quick_n_samples=400,
        quick_max_epochs=2,
        estimators={"cnn": _magnon_cnn, "ridge": _ridge},
        test_size=0.2,
        task="regression",
        shifts_domain=True,
        paper=(
            "Beyond the paper: measured-like images of one regime (E_i = 25 meV, 1.5-6 K, weak "
            "phonon and multiple-scattering background) train, and of another (E_i = 15 or "
            "35 meV, 12-20 K, strong background) test, with the in-domain scores beside."
        ),
    )
)
