import math

import numpy as np
import pytest

from sciml_estimators.simulators import mari_coverage

EI = 25.0
KI = math.sqrt(EI / 2.0721)
A = 4.215


def _forward(two_theta, psi, energy):
    """The (h, k) that a neutron scattered by 2theta at E reaches with a* at psi to k_i."""
    kf = math.sqrt(KI**2 - energy / 2.0721)
    tth = math.radians(two_theta)
    q_lab = np.array([KI - kf * math.cos(tth), -kf * math.sin(tth)])
    angle = -math.radians(psi)  # lab -> crystal frame
    rotation = np.array([[math.cos(angle), -math.sin(angle)],
                         [math.sin(angle), math.cos(angle)]])
    return rotation @ q_lab * A / (2 * math.pi)


@pytest.mark.parametrize("two_theta, psi, energy", [
    (10.0, -80.0, 0.5), (40.0, -60.0, 3.0), (90.0, -100.0, 6.0), (130.0, -40.0, 8.0),
    (4.0, -120.0, 1.0),
])
def test_forward_model_points_are_covered(two_theta, psi, energy):
    h, k = _forward(two_theta, psi, energy)
    assert mari_coverage(h, k, energy)
    # The same (h, k, E) needs this 2theta and psi: out of either range, it is lost.
    assert not mari_coverage(h, k, energy, two_theta_range=(3.0, two_theta - 0.5))
    assert not mari_coverage(h, k, energy, two_theta_range=(two_theta + 0.5, 135.0))
    assert not mari_coverage(h, k, energy, rotation_range=(psi + 0.5, psi + 90.0))
    assert not mari_coverage(h, k, energy, rotation_range=(psi - 90.0, psi - 0.5))
    # Angles are periodic: the same scan shifted by a full turn covers it.
    assert mari_coverage(h, k, energy, rotation_range=(psi - 0.5 + 360, psi + 0.5 + 360))


def test_low_angle_limit_and_incident_energy():
    # With every orientation, the coverage at E is Q_min(E) <= Q <= Q_max(E).
    full = {"rotation_range": (-180.0, 180.0)}
    energy = 5.0
    kf = math.sqrt(KI**2 - energy / 2.0721)
    q_min = math.sqrt(KI**2 + kf**2 - 2 * KI * kf * math.cos(math.radians(3.0)))
    h_min = q_min * A / (2 * math.pi)
    assert not mari_coverage(h_min * 0.999, 0.0, energy, **full)
    assert mari_coverage(h_min * 1.001, 0.0, energy, **full)
    assert not mari_coverage(0.5, 0.0, [EI, EI + 1.0], **full).any()


def test_broadcasts():
    assert mari_coverage(np.zeros((3, 1)), np.zeros(4), 1.0).shape == (3, 4)


@pytest.mark.parametrize("kwargs, match", [
    ({"incident_energy": 0.0}, "incident_energy must be positive"),
    ({"two_theta_range": (135.0, 3.0)}, "two_theta_range must satisfy"),
    ({"two_theta_range": (3.0, 190.0)}, "two_theta_range must satisfy"),
    ({"rotation_range": (0.0, 400.0)}, "spans at most 360"),
    ({"rotation_range": 5.0}, "rotation_range must be a pair"),
])
def test_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        mari_coverage(0.5, 0.0, 1.0, **kwargs)


def test_bad_points():
    with pytest.raises(ValueError, match="energy must be finite"):
        mari_coverage(0.5, 0.0, np.nan)
    with pytest.raises(ValueError, match="must broadcast"):
        mari_coverage([0.1, 0.2], [0.1, 0.2, 0.3], 1.0)
