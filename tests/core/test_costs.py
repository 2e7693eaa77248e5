from core.costs import estimate_latency_ms, estimate_train_seconds, slow_choice_warnings


def test_knn_latency_estimate_matches_the_documented_example() -> None:
    # "kNN scans the training set: about 40 ms per item at 200,000 rows" (20 features)
    assert 20 <= estimate_latency_ms("knn", 200_000, 20) <= 80
    assert estimate_latency_ms("lightgbm", 200_000, 20) is None


def test_svm_grows_with_the_square_of_the_rows() -> None:
    small, large = (estimate_train_seconds("svm", n, 10) for n in (10_000, 100_000))
    assert 50 <= large / small <= 100  # rows² law plus a fixed part


def test_warnings_only_for_slow_choices() -> None:
    assert slow_choice_warnings(["svm", "knn", "lightgbm"], 1_000, 10) == []
    keys = [m.key for m in slow_choice_warnings(["svm", "knn", "ridge"], 500_000, 40)]
    assert keys.count("costs.slow_training") == 1 and "costs.slow_latency" in keys
