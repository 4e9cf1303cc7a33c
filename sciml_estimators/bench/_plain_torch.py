"""Plain PyTorch loops that the skorch-backed estimators are measured against.

Same preprocessing arithmetic, network, loss, optimiser, epochs and batch
sizes as the estimator, with nothing around it: the loop an expert writes by
hand. The ratio estimator / plain loop is the wrapper's overhead, which asv
tracks and ``docs/performance.md`` reports.
"""

import numpy as np
import torch

from ..models import MLP


class PlainMLPClassifier:
    """The SAXS MLP trained by a hand-written loop (no sklearn, no skorch).

    Features are ``arcsinh(I / intensity_scale)`` in float32, standardised
    per q point, as :class:`~sciml_estimators.SAXSClassifier` computes them;
    the scale is given, not learnt (the simulated background, 1e-3 1/cm).
    Binary 0/1 targets only. :class:`PlainPixelMLPClassifier` is the same loop on pixels.
    """

    def __init__(self, *, hidden_units=100, lr=1e-3, max_epochs=20, batch_size=32,
                 predict_batch_size=4096, intensity_scale=1e-3, device="cpu", seed=0):
        self.hidden_units = hidden_units
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.intensity_scale = intensity_scale
        self.device = device
        self.seed = seed

    @classmethod
    def like(cls, estimator):
        """The plain loop with ``estimator``'s network, budget, batches, device and seed."""
        params = estimator.get_params()
        names = ("hidden_units", "lr", "max_epochs", "batch_size", "predict_batch_size", "device")
        return cls(**{name: params[name] for name in names}, seed=params["random_state"] or 0)

    def _transformed(self, X):
        return np.arcsinh(X.astype(np.float32) / np.float32(self.intensity_scale))

    def _standardised(self, Z):
        return torch.from_numpy((Z - self.mean_) / self.std_).to(self.device)

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        self.classes_ = np.array([0, 1])
        Z = self._transformed(X)
        self.mean_, self.std_ = Z.mean(axis=0), Z.std(axis=0)
        X = self._standardised(Z)
        y = torch.as_tensor(y, dtype=torch.float32, device=self.device)
        self.module_ = MLP(X.shape[1], self.hidden_units).to(self.device)
        optimizer = torch.optim.Adam(self.module_.parameters(), lr=self.lr)
        loss = torch.nn.BCEWithLogitsLoss()
        self.module_.train()
        self.loss_curve_ = []
        for _ in range(self.max_epochs):
            # The per-epoch mean loss, as the estimator's history records it,
            # summed the way PyTorch's tutorials do.
            total = 0.0
            order = torch.randperm(len(X), device=self.device)
            for start in range(0, len(X), self.batch_size):
                rows = order[start : start + self.batch_size]
                optimizer.zero_grad()
                batch_loss = loss(self.module_(X[rows]), y[rows])
                batch_loss.backward()
                optimizer.step()
                total += batch_loss.item() * len(rows)
            self.loss_curve_.append(total / len(X))
        return self

    def predict_proba(self, X):
        X = self._standardised(self._transformed(X))
        self.module_.eval()
        outputs = []
        with torch.no_grad():
            for start in range(0, len(X), self.predict_batch_size):
                p = torch.sigmoid(self.module_(X[start : start + self.predict_batch_size]))
                outputs.append(p.cpu().numpy())
        p = np.concatenate(outputs).astype(np.float64)
        return np.column_stack([1 - p, p])


class PlainPixelMLPClassifier(PlainMLPClassifier):
    """The cloud-mask MLP trained by hand: each pixel's channels, standardised.

    Takes pixel rows or scenes (n, channels, H, W) with their masks, as
    :class:`~sciml_estimators.CloudMaskClassifier` does, and turns scenes
    into pixel rows the same way; no intensity transform.
    """

    def _transformed(self, X):
        X = np.asarray(X, dtype=np.float32)
        return np.moveaxis(X, 1, -1).reshape(-1, X.shape[1]) if X.ndim == 4 else X

    def fit(self, X, y):
        return super().fit(X, np.ravel(y))
