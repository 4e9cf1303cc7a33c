"""Registration of the SAXS benchmarks."""

from ..datasets import make_saxs_1d
from ._plain_torch import PlainMLPClassifier
from ._registry import Benchmark, register


def _saxs_classifier():
    from ..estimators import SAXSClassifier

    return SAXSClassifier()


def _plain_mlp(estimator):
    params = estimator.get_params()
    return PlainMLPClassifier(
        **{name: params[name] for name in ("hidden_units", "lr", "max_epochs", "batch_size",
                                           "predict_batch_size", "device")},
        seed=params["random_state"] or 0,
    )


SAXS_1D = register(
    Benchmark(
        name="saxs-1d",
        description="SAXS-1D: sphere vs parallelepiped from 300-point I(q) profiles",
        make_dataset=make_saxs_1d,
        n_samples=20000,
        quick_n_samples=2000,
        estimators={"mlp": _saxs_classifier},
        test_size=0.2,
        options={"noise": (None, "poisson")},
        plain_reference=_plain_mlp,
        paper=(
            "Hey et al. 2020, Fig. 13-14: 20,000 profiles, MLP 300-100-1; accuracy, "
            "loss, F1 and time per sample on CPU and GPU (no table of values)."
        ),
    )
)
