import inspect
import itertools

import numpy as np
import pytest
from scipy.special import spherical_jn

from sciml_estimators.simulators import core_shell_sphere_iq, sphere_iq
from sciml_estimators.simulators._core_shell_sphere import PARAMETERS, REFERENCE

Q = np.geomspace(1e-3, 1.0, 200)
LOW, HIGH = 1.0, 1000.0
SIZES = [LOW, 3.3, 10.0, 60.0, 400.0, HIGH]
CONTRASTS = [
    {},
    {"sld_core": 6.0, "sld_shell": 1.0, "sld_solvent": 0.0, "background": 0.0},
    {"sld_core": -0.5, "sld_shell": 6.3, "sld_solvent": 1.0, "scale": 0.1, "background": 0.0},
]


def test_parameter_table_matches_signature():
    signature = inspect.signature(core_shell_sphere_iq).parameters
    assert [row[0] for row in PARAMETERS] == list(signature)[1:]
    for name, _, default, _, _ in PARAMETERS:
        assert signature[name].default == default
    assert [row[3] for row in PARAMETERS[:2]] == [(LOW, HIGH)] * 2


@pytest.mark.parametrize("params, q, expected, source", REFERENCE)
def test_reference_values(params, q, expected, source):
    np.testing.assert_allclose(
        core_shell_sphere_iq(q, **params), expected, rtol=1e-12, err_msg=source
    )


@pytest.mark.parametrize("contrast", CONTRASTS)
def test_matches_sasmodels(sasmodels_iq, contrast):
    for radius, thickness in itertools.product(SIZES, SIZES):
        params = {"radius": radius, "thickness": thickness, **contrast}
        expected = sasmodels_iq("core_shell_sphere", Q, **params)
        # Required: 1e-6. Measured: below 1e-13 with the default background,
        # 8e-12 without, near the zeros of F (one-ulp sines, cancellation).
        np.testing.assert_allclose(
            core_shell_sphere_iq(Q, **params), expected, rtol=1e-10, atol=0, err_msg=str(params)
        )


def test_batch_matches_rows():
    params = {name: np.array(values) for name, values in {
        "radius": [60.0, 5.0, 800.0], "thickness": [10.0, 300.0, 2.0],
        "sld_core": [1.0, 6.0, -0.5], "sld_shell": [2.0, 1.0, 6.3],
        "sld_solvent": [3.0, 0.0, 1.0], "scale": [1.0, 0.1, 0.01],
        "background": [0.001, 0.0, 0.2],
    }.items()}
    batch = core_shell_sphere_iq(Q, **params)
    for i in range(3):
        row = core_shell_sphere_iq(Q, **{k: v[i] for k, v in params.items()})
        np.testing.assert_array_equal(batch[i], row)


@pytest.mark.parametrize("radius, thickness", [(1.0, 1.0), (60.0, 10.0), (500.0, 700.0)])
def test_matches_two_sphere_difference(radius, thickness):
    # Core minus shell material, plus a full sphere of shell minus solvent.
    sld_core, sld_shell, sld_solvent, scale, background = 6.0, 1.0, -2.0, 0.2, 0.01
    outer = radius + thickness

    def amplitude(r, contrast):
        volume = 4 / 3 * np.pi * r**3
        return volume * contrast * 3 * spherical_jn(1, Q * r) / (Q * r)

    f = amplitude(radius, sld_core - sld_shell) + amplitude(outer, sld_shell - sld_solvent)
    expected = scale / (4 / 3 * np.pi * outer**3) * 1e-4 * f**2 + background
    actual = core_shell_sphere_iq(
        Q, radius=radius, thickness=thickness, sld_core=sld_core, sld_shell=sld_shell,
        sld_solvent=sld_solvent, scale=scale, background=background,
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-11, atol=0)


def test_shell_matching_core_gives_a_sphere():
    actual = core_shell_sphere_iq(Q, radius=40.0, thickness=25.0, sld_core=2.0, sld_shell=2.0)
    expected = sphere_iq(Q, radius=65.0, sld=2.0, sld_solvent=3.0)
    np.testing.assert_allclose(actual, expected, rtol=1e-14)


def test_forward_scattering_limit():
    # I(0) = scale * [Vc (core - shell) + Vs (shell - solvent)]**2 / Vs * 1e-4.
    core, whole = 4 / 3 * np.pi * 60.0**3, 4 / 3 * np.pi * 70.0**3
    expected = (core * -1.0 + whole * -1.0) ** 2 / whole * 1e-4
    assert core_shell_sphere_iq([1e-9], background=0.0)[0] == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("name", ["radius", "thickness"])
def test_rejects_non_positive_lengths(name):
    with pytest.raises(ValueError, match=name):
        core_shell_sphere_iq(Q, **{name: [10.0, 0.0]})
