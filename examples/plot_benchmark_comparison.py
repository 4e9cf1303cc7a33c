"""
The suite: compare estimators on one benchmark, with their training curves
==========================================================================

:func:`~sciml_estimators.bench.run_benchmark` runs a registered benchmark end
to end (simulate, split, fit, predict, score, time) and returns what
``sciml-estimators run`` writes to ``results.json``. Here the SAXS-1D
benchmark runs with its reference estimator (``mlp``, the paper's network in
:class:`~sciml_estimators.SAXSClassifier`) and its two alternatives on the same
noise-added split, and the results are plotted as ``sciml-estimators report``
plots them: scores, time per sample and the training curves.

The set has 2,000 profiles and the networks train for 10 epochs so that this
runs in seconds; ``sciml-estimators run saxs-1d --estimator NAME`` runs the
paper's 20,000 profiles and 20 epochs.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators.bench import get_benchmark, run_benchmark

benchmark = get_benchmark("saxs-1d")
print(f"saxs-1d estimators: {sorted(benchmark.estimators)}")
results = {
    name: run_benchmark("saxs-1d", estimator=name, n_samples=2000, max_epochs=10,
                        noise="poisson", random_state=0)
    for name in ["mlp", "sklearn-mlp", "gradient-boosting"]
}
for name, result in results.items():
    print(f"{name:18s} accuracy {result['metrics']['accuracy']:.4f}  "
          f"log loss {result['metrics']['log_loss']:.4f}  "
          f"train {result['train_time_per_sample']['median'] * 1e6:7.1f} us/sample")

# %%
# Test log loss (the accuracies are all near 1 at this size) and time per
# sample (median of the timed runs; training on the left of each pair,
# inference on the right), then the training log loss per epoch of the two
# networks (gradient boosting has no epochs).
names = list(results)
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
axes[0].bar(names, [results[name]["metrics"]["log_loss"] for name in names], color="C0")
axes[0].set(ylabel="test log loss", yscale="log", title="saxs-1d, noise-added, 2,000 profiles")
position = np.arange(len(names))
for offset, key, label in [(-0.2, "train_time_per_sample", "training"),
                           (0.2, "inference_time_per_sample", "inference")]:
    axes[1].bar(position + offset, [results[name][key]["median"] for name in names],
                width=0.4, label=label)
axes[1].set(xticks=position, xticklabels=names, yscale="log", ylabel="seconds per sample",
            title="time per sample")
axes[1].legend()
for name in names:
    curve = results[name]["training_curve"]
    if curve:
        axes[2].plot(np.arange(1, len(curve) + 1), curve, marker="o", label=name)
axes[2].set(xlabel="epoch", ylabel="training log loss", yscale="log", title="training curves")
axes[2].legend()
fig.tight_layout()
plt.show()
