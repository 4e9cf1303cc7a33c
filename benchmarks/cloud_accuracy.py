"""Cloud masks by day and by night: the MLP and the U-Net against the labels and the truth.

Usage::

    python benchmarks/cloud_accuracy.py [--n-scenes 200] [--night] [--mlp-epochs 5]
                                        [--unet-epochs 5]

Simulates ``make_slstr_scenes(n_scenes, daytime=not night)``, trains
:class:`~sciml_estimators.CloudMaskClassifier` and
:class:`~sciml_estimators.CloudMaskSegmenter` on the Bayesian labels of 80 %
of the scenes and prints, for the other 20 %, each model's pixel accuracy
against the labels and against the physical truth, beside the labels' own
accuracy against the truth. At night the six reflectance channels are empty:
the networks see three brightness temperatures, while the Bayesian screening
also had the clear-sky simulation of the background fields.
"""

import argparse
import os
import time

import numpy as np
import torch

from sciml_estimators import CloudMaskClassifier, CloudMaskSegmenter
from sciml_estimators.bench._system import simulator_machine
from sciml_estimators.datasets import make_slstr_scenes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-scenes", type=int, default=200)
    parser.add_argument("--night", action="store_true", help="night-time scenes")
    parser.add_argument("--mlp-epochs", type=int, default=5)
    parser.add_argument("--unet-epochs", type=int, default=5)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    scenes = make_slstr_scenes(args.n_scenes, daytime=not args.night, random_state=0)
    torch.set_num_threads(1)  # after simulating: Numba's OpenMP layer may reset it
    n_train = int(0.8 * args.n_scenes)
    train, test = slice(0, n_train), slice(n_train, None)
    labels, truth = scenes.target[test], scenes.truth[test]
    print(f"{args.n_scenes} {'night' if args.night else 'day'}-time scenes of 250 x 250 "
          f"({n_train} to train); cloud fraction of the test truth {truth.mean():.3f}\n")
    print("| model | epochs | accuracy vs labels | accuracy vs truth | fit (s) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| the labels (BayesianCloudMask) | | 1 | {np.mean(labels == truth):.4f} | |")
    models = [("CloudMaskClassifier", CloudMaskClassifier(max_epochs=args.mlp_epochs,
                                                          random_state=0), args.mlp_epochs),
              ("CloudMaskSegmenter", CloudMaskSegmenter(max_epochs=args.unet_epochs,
                                                        random_state=0), args.unet_epochs)]
    for name, model, epochs in models:
        start = time.perf_counter()
        model.fit(scenes.data[train], scenes.target[train])
        fit = time.perf_counter() - start
        predicted = model.predict(scenes.data[test])
        print(f"| {name} | {epochs} | {np.mean(predicted == labels):.4f} "
              f"| {np.mean(predicted == truth):.4f} | {fit:.0f} |")
    threads = f"; torch {torch.__version__} with {torch.get_num_threads()} thread(s)"
    print(f"\nMachine: {simulator_machine(load, threads)}")


if __name__ == "__main__":
    main()
