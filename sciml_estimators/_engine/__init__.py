"""The private training engine of the torch estimators (not public API).

skorch nets and their settings, mini-batches from memory or disk, data-parallel
training, the mean-and-variance head, and the float64 inference copy that every
estimator predicts through. ``sciml_estimators.estimators`` builds on it; it
imports nothing from the estimators, the datasets or the benchmarks.
"""
