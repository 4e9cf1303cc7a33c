"""Registration of the FLImP benchmarks: which micrograph pixels suit single-molecule imaging."""

from ._registry import Benchmark, Deferred, cpu_only, register

#: Micrographs of the benchmark: 512 x 512 at 0.16 um per pixel, one frame each (32 to
#: train: about 10 minutes of the U-Net's 20 epochs on 2 CPU cores).
N_IMAGES = 40


def _segmenter(*, device, random_state, max_epochs, verbose):
    from ..estimators import FLImPRegionSegmenter

    kwargs = {} if max_epochs is None else {"max_epochs": max_epochs}
    return FLImPRegionSegmenter(device=device, random_state=random_state, verbose=verbose,
                                **kwargs)


def _spot_density(*, device, random_state, max_epochs, verbose):
    from ._flimp_baseline import SpotDensitySegmenter

    cpu_only(device, "spot-density")
    return SpotDensitySegmenter()


def _cell_mask(*, device, random_state, max_epochs, verbose):
    from ._flimp_baseline import SpotDensitySegmenter

    cpu_only(device, "cell-mask")
    return SpotDensitySegmenter(criteria=("cell",))


PAPER = (
    "Hey et al. 2020, section 2.4 and Fig. 3C: OCTOPUS's U-Net segments the regions of "
    "appropriate FLImP object density from micrographs of mono-cell cultures, to be extended "
    "to multi-label classification of cell populations; no numbers given."
)

FLIMP = register(
    Benchmark(
        name="flimp",
        description="FLImP: pixels of 512x512 single-molecule micrographs suitable for imaging",
        make_dataset=Deferred("sciml_estimators.datasets:make_flimp_images"),
        n_samples=N_IMAGES,
        quick_n_samples=6,
        quick_max_epochs=1,
        estimators={"unet": _segmenter, "spot-density": _spot_density,
                    "cell-mask": _cell_mask},
        options={"target": ("suitable",)},
        default_options={"target": "suitable"},
        paper=PAPER,
    )
)

FLIMP_POPULATIONS = register(
    Benchmark(
        name="flimp-populations",
        description="FLImP: the cell population (or glass) of every pixel of 512x512 micrographs",
        make_dataset=Deferred("sciml_estimators.datasets:make_flimp_images"),
        n_samples=N_IMAGES,
        quick_n_samples=6,
        quick_max_epochs=1,
        estimators={"unet": _segmenter},
        options={"target": ("population",)},
        default_options={"target": "population"},
        paper=PAPER,
    )
)
