"""Every public import path of 0d8a9f2 (before the layout of docs/architecture.md) still works."""

import importlib

import pytest

PUBLIC = {
    "sciml_estimators": [
        "__version__", "BayesianCloudMask", "CloudMaskClassifier", "CloudMaskSegmenter",
        "DMSAngleRegressor", "FLImPRegionSegmenter", "MagnonCouplingRegressor",
        "SAXS2DClassifier", "SAXSClassifier", "SAXSRegressor", "fit_distributed",
    ],
    "sciml_estimators.datasets": [
        "Instrument", "OnDiskArray", "OnDiskRows", "list_saxs_profiles", "load_dataset",
        "load_saxs_profile",
        "load_slstr_hdf5", "load_slstr_scene", "load_slstr_scenes", "magnon_path", "make_dms",
        "make_magnons", "make_saxs_1d", "make_saxs_2d", "make_saxs_domain_shift",
        "make_slstr_scenes", "repair_dataset", "write_dataset",
        "make_dms_domain_shift",
        "make_slstr_domain_shift",
        "load_flimp_tiff", "make_flimp_images", "save_flimp_tiff",
    ],
    "sciml_estimators.estimators": [
        "BayesianCloudMask", "CloudMaskClassifier", "CloudMaskSegmenter", "DMSAngleRegressor",
        "FLImPRegionSegmenter", "IntensityTransformer", "MagnonCouplingRegressor", "SAXS2DClassifier",
        "SAXSClassifier", "SAXSRegressor", "fit_distributed", "resample_profile",
    ],
    "sciml_estimators.simulators": [
        "brightness_temperature", "core_shell_sphere_iq", "cylinder_iq", "dispersion_weights",
        "dms_pattern", "dms_symmetry_period", "ellipsoid_iq", "magnon_dispersion",
        "magnon_intensity", "magnon_slices", "mari_coverage", "oriented_iq",
        "parallelepiped_iq", "pinhole_smear", "pinhole_weights", "planck_radiance",
        "polydisperse_iq", "slstr_channels", "slstr_clear_sky", "sphere_iq",
        "cell_footprints", "flimp_expected_image", "patch_density", "render_blobs",
        "render_spots",
    ],
    "sciml_estimators.models": [
        "DMSCNN", "MLP", "MagnonCNN", "SAXS2DCNN", "UNet",
    ],
    "sciml_estimators.metrics": [
        "angular_distance", "angular_error", "classification_scores", "regression_scores",
        "time_per_sample",
    ],
    "sciml_estimators.bench": [
        "Benchmark", "get_benchmark", "list_benchmarks", "register", "run_benchmark",
    ],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_names_still_import(module):
    imported = importlib.import_module(module)
    missing = [name for name in PUBLIC[module] if not hasattr(imported, name)]
    assert not missing, f"{module} lost {missing}"
