"""The plain PyTorch loop that the skorch-backed estimators are measured against.

Same network, loss, optimiser, epochs and batch size as the estimator, with
nothing around it: the time an expert would spend writing the loop by hand.
The ratio estimator / plain loop is the wrapper's overhead.
"""

import numpy as np
import torch


def plain_fit(module, X, y, *, loss, lr, max_epochs, batch_size, device="cpu", seed=0):
    """Train ``module`` on float32 ``X`` and targets ``y`` with Adam; return it."""
    torch.manual_seed(seed)
    module = module.to(device)
    X = torch.as_tensor(X, device=device)
    y = torch.as_tensor(y, device=device)
    optimizer = torch.optim.Adam(module.parameters(), lr=lr)
    module.train()
    for _ in range(max_epochs):
        order = torch.randperm(len(X), device=device)
        for start in range(0, len(X), batch_size):
            rows = order[start : start + batch_size]
            optimizer.zero_grad()
            batch_loss = loss(module(X[rows]), y[rows])
            batch_loss.backward()
            optimizer.step()
    return module


def plain_predict_proba(module, X, *, batch_size=4096, device="cpu"):
    """Sigmoid (one logit) or softmax probabilities of ``module`` on ``X``."""
    module.eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, len(X), batch_size):
            logits = module(torch.as_tensor(X[start : start + batch_size], device=device))
            proba = torch.sigmoid(logits) if logits.ndim == 1 else torch.softmax(logits, dim=1)
            outputs.append(proba.cpu().numpy())
    return np.concatenate(outputs)
