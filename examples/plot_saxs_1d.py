"""
SAXS-1D: simulate profiles, train the paper's MLP, read the scores
===================================================================

Simulate sphere and parallelepiped profiles, look at them, train
:class:`~sciml_estimators.SAXSClassifier` on ideal and on noise-added data,
and plot its training curve.

The sets have 2,000 profiles and the network trains for 10 epochs so that
this runs in seconds; ``sciml-estimators run saxs-1d`` runs the paper's
20,000 profiles and 20 epochs.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from sciml_estimators import SAXSClassifier
from sciml_estimators.datasets import make_saxs_1d

saxs = make_saxs_1d(2000, random_state=0)
noisy = make_saxs_1d(2000, noise="poisson", random_state=0)

# %%
# Profiles of both shapes; sizes grow from blue to yellow. The dots are the
# noise-added version of the first profile of each shape.
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for label, ax in enumerate(axes):
    rows = np.flatnonzero(saxs.target == label)[:8]
    size = saxs.parameters["radius" if label == 0 else "length_c"][rows]
    for row, colour in zip(rows[np.argsort(size)], plt.cm.viridis(np.linspace(0, 1, 8))):
        ax.loglog(saxs.q, saxs.data[row], color=colour)
    ax.loglog(saxs.q, noisy.data[rows[0]], ".", color="grey", ms=2)
    ax.set(title=saxs.target_names[label], xlabel="q (1/Å)")
axes[0].set_ylabel("I(q) (1/cm)")
fig.tight_layout()

# %%
# Train on 80 %, score on 20 %, for both data categories.
for name, data in [("ideal", saxs), ("noise-added", noisy)]:
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.2, stratify=data.target, random_state=0
    )
    clf = SAXSClassifier(max_epochs=10, random_state=0).fit(X_train, y_train)
    print(f"{name}: test accuracy {clf.score(X_test, y_test):.4f}")

# %%
# The training curve is in the skorch net's history.
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.semilogy(clf.net_.history[:, "train_loss"])
ax.set(xlabel="epoch", ylabel="training log loss", title="noise-added data")
fig.tight_layout()
plt.show()
