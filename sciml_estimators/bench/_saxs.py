"""Registration of the SAXS benchmarks: the reference MLP and its alternatives."""

from ._registry import Benchmark, Deferred, cpu_only, register

#: The training budget shared by every estimator of the benchmark (the paper
#: gives none; 20 epochs of batch 32 reach 1.0 test accuracy on ideal data).
EPOCHS = 20
BATCH_SIZE = 32
#: The hand-written PyTorch loop both benchmarks' MLP is measured against.
PLAIN_MLP = Deferred("sciml_estimators.bench._plain_torch:PlainMLPClassifier.like")


def _saxs_classifier(*, device, random_state, max_epochs, verbose):
    from ..estimators import SAXSClassifier

    return SAXSClassifier(
        max_epochs=max_epochs or EPOCHS,
        batch_size=BATCH_SIZE,
        device=device,
        random_state=random_state,
        verbose=verbose,
    )


def _sklearn_mlp(*, device, random_state, max_epochs, verbose):
    """scikit-learn's MLPClassifier with the same architecture and budget."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline

    from ..estimators import IntensityTransformer

    cpu_only(device, "sklearn-mlp")
    return make_pipeline(
        IntensityTransformer(),
        MLPClassifier(
            hidden_layer_sizes=(100,),
            activation="relu",
            solver="adam",
            learning_rate_init=1e-3,
            alpha=0.0,  # no L2 penalty, as in the reference network
            batch_size=BATCH_SIZE,
            max_iter=max_epochs or EPOCHS,
            n_iter_no_change=max_epochs or EPOCHS,  # train the full budget
            random_state=random_state,
            verbose=bool(verbose),
        ),
    )


def _gradient_boosting(*, device, random_state, max_epochs, verbose):
    """Histogram gradient-boosted trees on the log-like intensities."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline

    from ..estimators import IntensityTransformer

    cpu_only(device, "gradient-boosting")
    return make_pipeline(
        IntensityTransformer(),
        HistGradientBoostingClassifier(random_state=random_state, verbose=int(verbose)),
    )


SAXS_1D = register(
    Benchmark(
        name="saxs-1d",
        description="SAXS-1D: sphere vs parallelepiped from 300-point I(q) profiles",
        make_dataset=Deferred("sciml_estimators.datasets:make_saxs_1d"),
        n_samples=20000,
        quick_n_samples=2000,
        estimators={
            "mlp": _saxs_classifier,
            "sklearn-mlp": _sklearn_mlp,
            "gradient-boosting": _gradient_boosting,
        },
        test_size=0.2,
        options={"noise": (None, "poisson")},
        plain_reference=PLAIN_MLP,
        paper=(
            "Hey et al. 2020, Fig. 13-14: 20,000 profiles (16,000 / 4,000), MLP "
            "300-100-1; accuracy, log loss, F1 and time per sample on CPU and GPU "
            "(plotted, no table of values)."
        ),
    )
)


SAXS_SHIFT = register(
    Benchmark(
        name="saxs-shift",
        description="SAXS-1D across instruments: train on one beamline, test on another",
        make_dataset=Deferred("sciml_estimators.datasets:make_saxs_domain_shift"),
        n_samples=20000,
        quick_n_samples=2000,
        estimators={
            "mlp": _saxs_classifier,
            "sklearn-mlp": _sklearn_mlp,
            "gradient-boosting": _gradient_boosting,
        },
        test_size=0.2,
        plain_reference=PLAIN_MLP,
        shifts_domain=True,
        paper=(
            "Beyond the paper: its SAXS-1D set names ideal, noise-added and beamline "
            "categories; here 16,000 profiles of one instrument train and 4,000 of another "
            "(q range, spacing, resolution, flux) test, with the in-domain accuracy beside."
        ),
    )
)
