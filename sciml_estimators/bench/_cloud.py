"""Registration of the Sentinel-SLSTR cloud-masking benchmarks: every pixel cloud or clear."""

from ._registry import Benchmark, Deferred, cpu_only, register

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


def _bayesian(*, device, random_state, max_epochs, verbose):
    from ..estimators import BayesianCloudMask

    cpu_only(device, "bayesian")
    # The screening's own method on the observations alone: a benchmark's scenes
    # carry no background fields (clear_sky), as the networks' inputs do not.
    return BayesianCloudMask()


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
        options={"noise": ("gaussian", None), "nuisances": ("measured", None)},
        default_options={"nuisances": "measured"},
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


CLOUD_SHIFT = register(
    Benchmark(
        name="cloud-shift",
        description="SLSTR cloud masking across surfaces and seasons: train on sea and "
                    "vegetation, test on desert, snow, sea ice and dust",
        make_dataset=Deferred("sciml_estimators.datasets:make_slstr_domain_shift"),
        n_samples=1000,
        quick_n_samples=20,
        quick_max_epochs=1,
        estimators={"mlp": _cloud_mlp, "unet": _cloud_unet, "bayesian": _bayesian},
        test_size=0.2,
        plain_reference=Deferred(
            "sciml_estimators.bench._plain_torch:PlainPixelMLPClassifier.like"
        ),
        shifts_domain=True,
        paper=(
            "Beyond the paper: its scenes are one region and season (South Pacific, 2018); "
            "here 800 daytime scenes of sea and vegetated coasts train and 200 of desert, "
            "snow and sea ice, and dust test (conditions training never saw), with the "
            "in-domain accuracy beside."
        ),
    )
)
