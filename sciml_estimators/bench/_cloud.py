"""Registration of the Sentinel-SLSTR cloud-masking benchmark: every pixel cloud or clear."""

from ._registry import Benchmark, Deferred, register

#: The MLP's training budget (the estimator's default; the paper gives none).
EPOCHS = 5
BATCH_SIZE = 1024


def _cloud_mlp(*, device, random_state, max_epochs, verbose):
    from ..estimators import CloudMaskClassifier

    return CloudMaskClassifier(
        max_epochs=max_epochs or EPOCHS,
        batch_size=BATCH_SIZE,
        device=device,
        random_state=random_state,
        verbose=verbose,
    )


def _cloud_unet(*, device, random_state, max_epochs, verbose):
    from ..estimators import CloudMaskSegmenter

    kwargs = {} if max_epochs is None else {"max_epochs": max_epochs}
    return CloudMaskSegmenter(device=device, random_state=random_state, verbose=verbose, **kwargs)


CLOUD = register(
    Benchmark(
        name="cloud",
        description="Sentinel-SLSTR cloud masking: each pixel of 9-channel 250x250 scenes",
        make_dataset=Deferred("sciml_estimators.datasets:make_slstr_scenes"),
        n_samples=1000,
        # Twenty scenes (1.25 million pixels) for one epoch: a smoke run of seconds.
        quick_n_samples=20,
        quick_max_epochs=1,
        estimators={"mlp": _cloud_mlp, "unet": _cloud_unet},
        test_size=0.2,
        options={"noise": ("gaussian", None)},
        plain_reference=Deferred(
            "sciml_estimators.bench._plain_torch:PlainPixelMLPClassifier.like"
        ),
        paper=(
            "Hey et al. 2020, Fig. 15: 1,000 SLSTR scenes over the South Pacific (2018), "
            "S1-S9 sub-sampled to 250x250, 800 train / 200 validation, MLP 9-50-1 per pixel "
            "against Bayesian cloud-mask labels; accuracy, loss, F1 and time per sample plotted."
        ),
    )
)
