"""
Cloud masking: the per-pixel MLP against the Bayesian labels and the truth
==========================================================================

Simulate SLSTR scenes, train :class:`~sciml_estimators.CloudMaskClassifier`
(the paper's 9-50-1 network, one pixel at a time) on their Bayesian cloud
masks, as the paper trained on the masks of the real product, and compare a
held-out scene's prediction with those labels and with the physical cloud
field that the simulation knows and a real scene does not.

This example uses 24 scenes of 128 x 128 pixels so that it runs in seconds;
``sciml-estimators run cloud`` runs the paper's 1,000 scenes of 250 x 250.
To mask a real product instead, load it with
:func:`~sciml_estimators.datasets.load_slstr_scene` and pass its ``data``.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators import CloudMaskClassifier
from sciml_estimators.datasets import make_slstr_scenes

scenes = make_slstr_scenes(24, size=128, random_state=0)
train, test = slice(0, 20), slice(20, None)
classifier = CloudMaskClassifier(max_epochs=3, random_state=0)
classifier.fit(scenes.data[train], scenes.target[train])

predicted = classifier.predict(scenes.data[test])
labels, truth = scenes.target[test], scenes.truth[test]
print(f"MLP vs Bayesian labels: {np.mean(predicted == labels):.4f}")
print(f"MLP vs truth:           {np.mean(predicted == truth):.4f}")
print(f"labels vs truth:        {np.mean(labels == truth):.4f}")

# %%
# One held-out scene: false colour (S3, S2, S1), the 10.85 um brightness
# temperature, the labels, the network's probability of cloud and the truth.
scene = 1
data = scenes.data[test][scene]
rgb = np.clip(np.moveaxis(data[[2, 1, 0]], 0, -1) / 0.5, 0, 1) ** 0.5
cloud_probability = classifier.predict_proba(scenes.data[test][scene : scene + 1])[0, ..., 1]
panels = [
    ("false colour S3 S2 S1", rgb, {}),
    ("BT 10.85 um (K)", data[7], {"cmap": "inferno"}),
    ("Bayesian labels", labels[scene], {"cmap": "gray"}),
    ("MLP P(cloud)", cloud_probability, {"cmap": "viridis", "vmin": 0, "vmax": 1}),
    ("truth (optical depth > 0.1)", truth[scene], {"cmap": "gray"}),
]
fig, axes = plt.subplots(1, len(panels), figsize=(16, 3.6))
for ax, (title, image, style) in zip(axes, panels):
    shown = ax.imshow(image, **style)
    ax.set(title=title, xticks=[], yticks=[])
    if image.ndim == 2 and image.dtype.kind == "f":
        fig.colorbar(shown, ax=ax, fraction=0.046)
fig.tight_layout()
plt.show()
