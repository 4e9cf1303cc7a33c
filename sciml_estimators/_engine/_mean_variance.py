"""Regression with a per-sample uncertainty: a mean-and-variance head, recalibrated.

The network's last layer gives, for each of the T standardised targets, a
mean ``mu`` and a log-variance ``log_var``. The loss is

    mean((y - mu)^2) + mean(0.5 * (log_var + (y - detach(mu))^2 / exp(log_var)))

so the means are trained on the squared error alone, exactly as a plain
regression network, and the variance head learns the expected squared error
by Gaussian likelihood without being able to pull the means (the failure mode
of plain Gaussian-likelihood training, Seitzer et al. 2022). The learnt
variances describe the training residuals, which are smaller than held-out
ones, so :func:`calibration_factors` rescales them on samples held out of
training (std scaling, Levi et al. 2022): one factor per target making the
held-out z-scores' mean square 1.

References
----------
.. [1] D. A. Nix and A. S. Weigend, "Estimating the mean and variance of the
   target probability distribution", Proc. ICNN'94, 55-60 (1994).
.. [2] M. Seitzer, A. Tavakoli, D. Antic and G. Martius, "On the pitfalls of
   heteroscedastic uncertainty estimation with probabilistic neural
   networks", ICLR (2022).
.. [3] D. Levi, L. Gispan, N. Giladi and E. Fetaya, "Evaluating and
   calibrating uncertainty prediction in regression tasks", Sensors 22, 5540
   (2022).
"""

import numpy as np
import torch
from torch import nn

#: Log-variances are clipped to this range (standardised units) so that one
#: bad batch cannot overflow exp().
_LOG_VAR_RANGE = (-20.0, 20.0)


class MeanVarianceLoss(nn.Module):
    """Squared error on the means plus Gaussian likelihood of the detached means.

    The input has ``2 T`` columns: T means, then T log-variances.
    """

    def forward(self, output, target):
        target = target.reshape(len(target), -1)
        n_targets = target.shape[1]
        mean, log_var = output[:, :n_targets], output[:, n_targets:].clamp(*_LOG_VAR_RANGE)
        squared = (target - mean) ** 2
        likelihood = 0.5 * (log_var + (target - mean.detach()) ** 2 * torch.exp(-log_var))
        return squared.mean() + likelihood.mean()


def split_output(output, n_targets):
    """Means and standard deviations (float64, standardised units) from the net's output."""
    output = np.asarray(output, dtype=np.float64)
    log_var = np.clip(output[:, n_targets:], *_LOG_VAR_RANGE)
    return output[:, :n_targets], np.exp(0.5 * log_var)


def calibration_factors(y, mean, std):
    """Per-target factor making ``(y - mean) / (factor * std)`` have mean square 1.

    Parameters
    ----------
    y, mean, std : ndarray of shape (n_samples, n_targets)
        Held-out targets, predicted means and predicted standard deviations.

    Returns
    -------
    factors : ndarray of shape (n_targets,)
    """
    return np.sqrt(np.mean(((y - mean) / std) ** 2, axis=0))
