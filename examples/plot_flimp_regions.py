"""
FLImP: which regions of a micrograph suit single-molecule imaging
=================================================================

FLImP needs regions of cells with separable single labelled receptors, away
from non-specific labelling on the glass and from inhomogeneous background.
Simulate micrographs with :func:`~sciml_estimators.datasets.make_flimp_images`
(cells of three populations, receptor spots at patchy densities, dirt on the
glass, autofluorescence blobs, uneven illumination and EMCCD noise), look at
the rule that defines the suitable pixels, and train
:class:`~sciml_estimators.FLImPRegionSegmenter`, a U-Net, to find them.

This example trains the network for 15 epochs on 12 micrographs of 256 x 256
pixels so that it runs in about a minute (Dice about 0.56 against the rule);
``sciml-estimators run flimp`` trains it on 32 micrographs of 512 x 512 (Dice
0.74, see the performance page). A real micrograph
loads with :func:`~sciml_estimators.datasets.load_flimp_tiff` (a TIFF frame
or series, its pixel size read from the file).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators import FLImPRegionSegmenter
from sciml_estimators.datasets import make_flimp_images
from sciml_estimators.metrics import segmentation_scores

images = make_flimp_images(14, shape=(256, 256), random_state=0)
train, test = slice(0, 12), slice(12, None)
cells = images.cells > 0
print(f"cell pixels unsuitable: {1 - images.suitable[cells].mean():.0%}")
cell_mask = segmentation_scores(images.suitable[test], cells[test], [False, True])
print(f"a cell mask alone: Dice {cell_mask['dice']:.3f}")

segmenter = FLImPRegionSegmenter(max_epochs=15, random_state=0)
segmenter.fit(images.data[train], images.target[train])
predicted = segmenter.predict(images.data[test])
scores = segmentation_scores(images.target[test], predicted, [False, True])
print(f"U-Net after 15 epochs on 12 micrographs: Dice {scores['dice']:.3f}, "
      f"IoU {scores['iou']:.3f}")

# %%
# One held-out micrograph: the camera frame, the cell populations, the local
# receptor density of the rule (receptors per square micrometre in a 1 um
# window), the suitable pixels and the network's probability of suitable.
k = 12
probability = segmenter.predict_proba(images.data[k : k + 1])[0, ..., 1]
panels = [
    ("EMCCD frame (ADU)", images.data[k], {"cmap": "gray"}),
    ("population (0 glass)", images.populations[k], {"cmap": "tab10", "vmin": 0, "vmax": 9}),
    ("receptors per um^2", np.where(cells[k], images.local_density[k], np.nan),
     {"cmap": "magma", "vmin": 0, "vmax": 2}),
    ("suitable (the rule)", images.suitable[k], {"cmap": "gray"}),
    ("U-Net P(suitable)", probability, {"cmap": "viridis", "vmin": 0, "vmax": 1}),
]
fig, axes = plt.subplots(1, len(panels), figsize=(17, 3.8))
for ax, (title, image, style) in zip(axes, panels):
    shown = ax.imshow(image, **style)
    ax.set(title=title, xticks=[], yticks=[])
    if title.startswith(("EMCCD", "receptors", "U-Net")):
        fig.colorbar(shown, ax=ax, fraction=0.046)
fig.tight_layout()
plt.show()
