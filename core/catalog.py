"""Every algorithm as data: tasks, traits, estimator factory and hyperparameter specs.

This is the single source of algorithm facts. Sliders (the Train page), the advisor,
training and the bundle metadata all read it. Adding an algorithm is one entry in
``ALGORITHMS`` plus its tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from core.errors import DojoError

SUPERVISED_TASKS: tuple[str, ...] = ("classification", "regression")
UNSUPERVISED_TASKS: tuple[str, ...] = ("clustering", "dimensionality_reduction")
TASKS: tuple[str, ...] = SUPERVISED_TASKS + UNSUPERVISED_TASKS
LEVELS: tuple[str, ...] = ("low", "medium", "high")
# How much explanation a model can give, weakest first (matches the requirements card).
EXPLANATION_LEVELS: tuple[str, ...] = ("none", "global", "per_prediction", "rules")


@dataclass(frozen=True)
class HyperparameterSpec:
    """One tunable hyperparameter; the Train page makes a widget from it."""

    name: str
    kind: str                      # "int" | "float" | "select" | "bool"
    default: Any
    label: dict[str, str]
    help: dict[str, str]
    low: float | None = None
    high: float | None = None
    log: bool = False
    step: float | None = None
    options: tuple[Any, ...] = ()
    tasks: tuple[str, ...] = SUPERVISED_TASKS   # the tasks it applies to
    task_defaults: dict[str, Any] = field(default_factory=dict)
    # Plain words for a select's options, by language; options without one show as they are.
    option_labels: dict[Any, dict[str, str]] = field(default_factory=dict)

    def default_for(self, task: str) -> Any:
        return self.task_defaults.get(task, self.default)

    def option_label(self, value: Any, lang: str) -> str:
        """A select option in plain words (the option itself when it has none)."""
        labels = self.option_labels.get(value)
        return labels.get(lang, labels["en"]) if labels else str(value)

    def coerce(self, value: Any) -> Any:
        """Validate one value and convert it to the spec's type, or raise DojoError."""
        try:
            if self.kind == "bool":
                if isinstance(value, str):
                    return value.strip().lower() in ("1", "true", "yes", "on")
                return bool(value)
            if self.kind == "select":
                if value in self.options:
                    return value
                raise ValueError(value)
            number = int(value) if self.kind == "int" else float(value)
            if isinstance(value, bool) or number != float(value):
                raise ValueError(value)
        except (TypeError, ValueError):
            raise DojoError("catalog.bad_value", name=self.name, value=value,
                            allowed=self.describe_range()) from None
        if (self.low is not None and number < self.low) or (
                self.high is not None and number > self.high):
            raise DojoError("catalog.bad_value", name=self.name, value=value,
                            allowed=self.describe_range())
        return number

    def describe_range(self) -> str:
        if self.kind == "select":
            return ", ".join(str(option) for option in self.options)
        if self.kind == "bool":
            return "true, false"
        return f"{self.low} … {self.high}"


@dataclass(frozen=True)
class Traits:
    """What the advisor and the preprocessing need to know about an algorithm."""

    explainability: str            # best level in EXPLANATION_LEVELS it offers by itself
    training_cost: str             # LEVELS
    inference_cost: str            # LEVELS
    native_missing: bool           # handles NaN without imputation
    native_categorical: bool       # handles category codes well without one-hot
    needs_scaling: bool
    edge_friendly: bool            # small model, cheap CPU inference
    scales_to_large_data: bool = True
    category_encoding: str = "onehot"   # "onehot" | "ordinal"
    # How unsupervised models see numbers (supervised ones use needs_scaling):
    # "standard" | "unit_variance" (no centring) | "minmax" (0..1, clipped) | "none" (counts).
    input_scaling: str = "standard"
    serves_new_data: bool = True   # can predict or transform rows it was not fitted on


@dataclass(frozen=True)
class AlgorithmSpec:
    """One algorithm: its names, tasks, library, traits and how to build it."""

    id: str
    names: dict[str, str]
    summary: dict[str, str]
    tasks: tuple[str, ...]
    library: str
    traits: Traits
    hyperparameters: tuple[HyperparameterSpec, ...]
    factory: Callable[[str, dict[str, Any], int, int], Any]
    is_baseline: bool = False

    def hyperparameters_for(self, task: str) -> list[HyperparameterSpec]:
        return [spec for spec in self.hyperparameters if task in spec.tasks]

    def defaults(self, task: str) -> dict[str, Any]:
        return {spec.name: spec.default_for(task) for spec in self.hyperparameters_for(task)}

    def resolve_params(self, task: str, params: dict[str, Any] | None) -> dict[str, Any]:
        """Defaults overlaid with ``params``, each validated; unknown names are refused."""
        specs = {spec.name: spec for spec in self.hyperparameters_for(task)}
        resolved = self.defaults(task)
        for name, value in (params or {}).items():
            if name not in specs:
                raise DojoError("catalog.unknown_param", algorithm=self.id, name=name,
                                known=", ".join(specs) or "-")
            resolved[name] = specs[name].coerce(value)
        return resolved

    def build(self, task: str, params: dict[str, Any] | None = None, seed: int = 42,
              n_jobs: int = 1) -> Any:
        """A fresh, unfitted estimator for ``task`` with validated ``params``."""
        if task not in self.tasks:
            raise DojoError("catalog.wrong_task", algorithm=self.id, task=task,
                            tasks=", ".join(self.tasks))
        return self.factory(task, self.resolve_params(task, params), seed, n_jobs)


# --- hyperparameter helpers ---------------------------------------------------------------

def _hp(name: str, kind: str, default: Any, en: tuple[str, str], ja: tuple[str, str],
        labels: dict[Any, tuple[str, str]] | None = None, **extra: Any) -> HyperparameterSpec:
    """A spec from (label, help) pairs in English and Japanese; ``labels`` gives a select's
    options in plain words as (English, Japanese)."""
    option_labels = {option: {"en": en_label, "ja": ja_label}
                     for option, (en_label, ja_label) in (labels or {}).items()}
    return HyperparameterSpec(name=name, kind=kind, default=default,
                              label={"en": en[0], "ja": ja[0]},
                              help={"en": en[1], "ja": ja[1]}, option_labels=option_labels,
                              **extra)


def _none_if_zero(value: int) -> int | None:
    # Sliders cannot hold None, so 0 stands for "no limit".
    return None if value == 0 else int(value)


ALPHA = _hp("alpha", "float", 1.0,
            ("Regularisation strength", "How strongly large coefficients are penalised. "
             "Higher = simpler model that may underfit; lower = closer fit that may overfit."),
            ("正則化の強さ", "大きな係数にかける罰則の強さ。大きいほど単純なモデル(学習不足の恐れ)、"
             "小さいほどデータに密着したモデル(過学習の恐れ)になります。"),
            low=1e-4, high=1e3, log=True)
MAX_ITER = _hp("max_iter", "int", 2000,
               ("Maximum iterations", "Upper limit of optimisation steps; raise it if the "
                "solver warns that it did not converge."),
               ("最大反復回数", "最適化の反復回数の上限。収束しない場合は増やしてください。"),
               low=100, high=20000, step=100)
MAX_DEPTH_TREE = _hp("max_depth", "int", 6,
                     ("Maximum depth", "How many questions a tree may ask in a row. Deeper trees "
                      "fit more detail but are harder to read and may overfit. 0 = no limit."),
                     ("最大の深さ", "木が続けて問える質問の数。深いほど細かく当てはまりますが、"
                      "読みにくく過学習しやすくなります。0 は無制限。"),
                     low=0, high=40, step=1)
MIN_SAMPLES_LEAF = _hp("min_samples_leaf", "int", 5,
                       ("Minimum rows per leaf", "Each final group must hold at least this many "
                        "training rows. Larger values give smoother, more robust predictions."),
                       ("葉の最小行数", "最終的なグループ(葉)に含まれる学習データの最小行数。"
                        "大きいほど滑らかで頑健な予測になります。"),
                       low=1, high=200, step=1)
N_TREES = _hp("n_estimators", "int", 200,
              ("Number of trees", "More trees give steadier predictions but train and predict "
               "more slowly."),
              ("木の本数", "多いほど予測が安定しますが、学習と推論が遅くなります。"),
              low=10, high=1000, step=10)
N_BOOST = _hp("n_estimators", "int", 500,
              ("Maximum boosting rounds", "Upper limit of trees added one after another; early "
               "stopping usually ends sooner."),
              ("ブースティングの最大回数", "順番に追加する木の本数の上限。通常は早期終了で"
               "それより前に止まります。"),
              low=10, high=3000, step=10)
LEARNING_RATE = _hp("learning_rate", "float", 0.1,
                    ("Learning rate", "How much each new tree corrects the previous ones. Lower "
                     "values need more rounds but often generalise better."),
                    ("学習率", "新しい木が前の木の誤りをどれだけ修正するか。小さいほど多くの回数が"
                     "必要ですが、汎化しやすくなります。"),
                    low=0.001, high=1.0, log=True)
EARLY_STOP = _hp("early_stopping_rounds", "int", 50,
                 ("Early stopping patience", "Stop adding trees when the validation score has "
                  "not improved for this many rounds. 0 = off."),
                 ("早期終了の猶予", "検証スコアがこの回数だけ改善しなければ木の追加を止めます。"
                  "0 で無効。"),
                 low=0, high=500, step=5)
SUBSAMPLE = _hp("subsample", "float", 1.0,
                ("Row sample per tree", "Share of training rows each tree sees. Below 1 adds "
                 "randomness that can reduce overfitting."),
                ("木ごとの行サンプル率", "各木が使う学習データの割合。1 未満にすると"
                 "ランダム性が加わり過学習を抑えることがあります。"),
                low=0.3, high=1.0, step=0.05)
COLSAMPLE = _hp("colsample_bytree", "float", 1.0,
                ("Column sample per tree", "Share of features each tree may use."),
                ("木ごとの列サンプル率", "各木が使える特徴量の割合。"),
                low=0.2, high=1.0, step=0.05)
REG_LAMBDA = _hp("reg_lambda", "float", 1.0,
                 ("L2 regularisation", "Penalty on large leaf values; higher = more "
                  "conservative trees."),
                 ("L2 正則化", "葉の値が大きくなることへの罰則。大きいほど控えめな木になります。"),
                 low=1e-4, high=100.0, log=True)
C_PARAM = _hp("C", "float", 1.0,
              ("Inverse regularisation (C)", "Higher C fits the training data more closely; "
               "lower C keeps the model simpler."),
              ("正則化の逆数 (C)", "大きいほど学習データに密着し、小さいほど単純なモデルになります。"),
              low=1e-3, high=1e3, log=True)
CLASS_WEIGHT = _hp("class_weight", "select", "none",
                   ("Class weights", "'balanced' gives rare classes more weight, useful when one "
                    "class is much rarer than the others."),
                   ("クラスの重み", "'balanced' は少ないクラスの重みを大きくします。"
                    "クラスの偏りが大きいときに有効です。"),
                   options=("none", "balanced"), tasks=("classification",),
                   labels={"none": ("all rows alike", "すべての行を同じ重みに"),
                           "balanced": ("rare classes weigh more", "少ないクラスを重く")})

N_COMPONENTS = _hp("n_components", "int", 2,
                   ("Components", "How many new columns to keep. 2 or 3 can be drawn; more "
                    "keep more of the information."),
                   ("成分数", "残す新しい列の数。2 か 3 なら図に描けます。多いほど情報を"
                    "多く保ちます。"),
                   low=1, high=50, step=1, tasks=("dimensionality_reduction",))


def _class_weight(params: dict[str, Any]) -> str | None:
    return None if params.get("class_weight", "none") == "none" else params["class_weight"]


# --- factories ------------------------------------------------------------------------------
# Imports happen inside the factories so that loading the catalog stays cheap.

def _baseline(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.dummy import DummyClassifier, DummyRegressor
    if task in UNSUPERVISED_TASKS:
        return _unsupervised_baseline(task, p, seed)
    if task == "classification":
        return DummyClassifier(strategy=p["strategy"], random_state=seed)
    return DummyRegressor(strategy=p["strategy"])


def _unsupervised_baseline(task: str, p: dict[str, Any], seed: int) -> Any:
    """Baselines made of scikit-learn classes only, so the bundle needs no code of ours.

    scikit-learn has no dummy clusterer. "single_cluster" puts every row in one group;
    "random_centres" takes k random rows as centres and moves them once (max_iter=1):
    a grouping without optimisation, which a real clustering must beat. For reduction,
    random directions (a Gaussian random projection) stand in for learned ones.
    """
    if task == "dimensionality_reduction":
        from sklearn.random_projection import GaussianRandomProjection
        return GaussianRandomProjection(n_components=p["n_components"],
                                        compute_inverse_components=True, random_state=seed)
    from sklearn.cluster import KMeans
    if p["strategy"] == "single_cluster":
        return KMeans(n_clusters=1, n_init=1, random_state=seed)
    return KMeans(n_clusters=p["n_clusters"], init="random", n_init=1, max_iter=1,
                  random_state=seed)


def _linear_regression(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.linear_model import LinearRegression
    return LinearRegression(fit_intercept=p["fit_intercept"])


def _ridge(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.linear_model import Ridge
    return Ridge(alpha=p["alpha"], random_state=seed)


def _lasso(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.linear_model import Lasso
    return Lasso(alpha=p["alpha"], max_iter=p["max_iter"], random_state=seed)


def _elastic_net(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.linear_model import ElasticNet
    return ElasticNet(alpha=p["alpha"], l1_ratio=p["l1_ratio"], max_iter=p["max_iter"],
                      random_state=seed)


def _logistic_regression(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=p["C"], max_iter=p["max_iter"], class_weight=_class_weight(p),
                              random_state=seed)


def _naive_bayes(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.naive_bayes import GaussianNB
    return GaussianNB(var_smoothing=p["var_smoothing"])


def _decision_tree(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
    common = dict(max_depth=_none_if_zero(p["max_depth"]),
                  min_samples_leaf=p["min_samples_leaf"], random_state=seed)
    if task == "classification":
        return DecisionTreeClassifier(criterion=p["criterion"], class_weight=_class_weight(p),
                                      **common)
    return DecisionTreeRegressor(**common)


def _max_features(value: str) -> Any:
    return 1.0 if value == "all" else value


def _random_forest(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    common = dict(n_estimators=p["n_estimators"], max_depth=_none_if_zero(p["max_depth"]),
                  min_samples_leaf=p["min_samples_leaf"],
                  max_features=_max_features(p["max_features"]), n_jobs=n_jobs,
                  random_state=seed)
    if task == "classification":
        return RandomForestClassifier(class_weight=_class_weight(p), **common)
    return RandomForestRegressor(**common)


def _knn(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    cls = KNeighborsClassifier if task == "classification" else KNeighborsRegressor
    return cls(n_neighbors=p["n_neighbors"], weights=p["weights"], n_jobs=n_jobs)


def _svm(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.svm import SVC, SVR
    if task == "classification":
        # probability=False: Platt scaling costs five extra fits; decision_function gives AUC.
        return SVC(C=p["C"], kernel=p["kernel"], gamma=p["gamma"],
                   class_weight=_class_weight(p), random_state=seed)
    return SVR(C=p["C"], kernel=p["kernel"], gamma=p["gamma"], epsilon=p["epsilon"])


def _mlp(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    cls = MLPClassifier if task == "classification" else MLPRegressor
    layers = tuple(int(size) for size in str(p["hidden_layer_sizes"]).split(","))
    return cls(hidden_layer_sizes=layers, alpha=p["alpha"],
               learning_rate_init=p["learning_rate_init"], max_iter=p["max_iter"],
               early_stopping=True, random_state=seed)


def _xgboost(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from xgboost import XGBClassifier, XGBRegressor
    cls = XGBClassifier if task == "classification" else XGBRegressor
    return cls(n_estimators=p["n_estimators"], learning_rate=p["learning_rate"],
               max_depth=p["max_depth"], subsample=p["subsample"],
               colsample_bytree=p["colsample_bytree"], min_child_weight=p["min_child_weight"],
               reg_lambda=p["reg_lambda"], tree_method="hist", n_jobs=n_jobs,
               random_state=seed,
               early_stopping_rounds=p["early_stopping_rounds"] or None)


def _lightgbm(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from lightgbm import LGBMClassifier, LGBMRegressor
    cls = LGBMClassifier if task == "classification" else LGBMRegressor
    return cls(n_estimators=p["n_estimators"], learning_rate=p["learning_rate"],
               num_leaves=p["num_leaves"], min_child_samples=p["min_child_samples"],
               subsample=p["subsample"], subsample_freq=1 if p["subsample"] < 1 else 0,
               colsample_bytree=p["colsample_bytree"], reg_lambda=p["reg_lambda"],
               class_weight=_class_weight(p) if task == "classification" else None,
               n_jobs=n_jobs, random_state=seed, verbose=-1)


def _hist_gradient_boosting(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    common = dict(max_iter=p["max_iter"], learning_rate=p["learning_rate"],
                  max_leaf_nodes=p["max_leaf_nodes"], min_samples_leaf=p["min_samples_leaf"],
                  l2_regularization=p["l2_regularization"], early_stopping=False,
                  random_state=seed)
    if task == "classification":
        return HistGradientBoostingClassifier(class_weight=_class_weight(p), **common)
    return HistGradientBoostingRegressor(**common)


def _kmeans(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.cluster import KMeans
    return KMeans(n_clusters=p["n_clusters"], init=p["init"], n_init=p["n_init"],
                  random_state=seed)


def _gaussian_mixture(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.mixture import GaussianMixture
    return GaussianMixture(n_components=p["n_components"],
                           covariance_type=p["covariance_type"], random_state=seed)


def _pca(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.decomposition import PCA
    return PCA(n_components=p["n_components"], random_state=seed)


def _truncated_svd(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.decomposition import TruncatedSVD
    return TruncatedSVD(n_components=p["n_components"], random_state=seed)


def _nmf(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.decomposition import NMF
    return NMF(n_components=p["n_components"], init="nndsvda", max_iter=p["max_iter"],
               random_state=seed)


def _lda(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.decomposition import LatentDirichletAllocation
    return LatentDirichletAllocation(n_components=p["n_components"], max_iter=p["max_iter"],
                                     learning_method="batch", random_state=seed, n_jobs=n_jobs)


def _lle(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.manifold import LocallyLinearEmbedding
    return LocallyLinearEmbedding(n_neighbors=p["n_neighbors"], n_components=p["n_components"],
                                  random_state=seed, n_jobs=n_jobs)


def _tsne(task: str, p: dict[str, Any], seed: int, n_jobs: int) -> Any:
    from sklearn.manifold import TSNE
    return TSNE(n_components=p["n_components"], perplexity=p["perplexity"],
                max_iter=p["max_iter"], init="pca", learning_rate="auto", random_state=seed,
                n_jobs=n_jobs)


def _names(en: str, ja: str) -> dict[str, str]:
    return {"en": en, "ja": ja}


CLS = ("classification",)
REG = ("regression",)
BOTH = SUPERVISED_TASKS
CLU = ("clustering",)
DR = ("dimensionality_reduction",)

ALGORITHMS: dict[str, AlgorithmSpec] = {spec.id: spec for spec in (
    AlgorithmSpec(
        id="baseline", names=_names("Baseline (dummy)", "ベースライン(ダミー)"),
        summary=_names("Predicts without looking at the features: the most frequent class, "
                       "random classes in training proportions, or the mean/median. Any real "
                       "model must beat it. Without a target: one single cluster, or k random "
                       "rows as centres moved once; random directions for a reduction.",
                       "特徴量を見ずに予測します(最頻クラス、学習データの割合でのランダム、平均・"
                       "中央値)。本物のモデルはこれに勝たなければなりません。目的変数がない場合は、"
                       "全体を 1 つのクラスタにするか、ランダムな k 行を中心として 1 回だけ動かします。"
                       "次元削減ではランダムな方向に射影します。"),
        tasks=TASKS, library="scikit-learn", is_baseline=True,
        traits=Traits("rules", "low", "low", True, True, False, True),
        hyperparameters=(
            _hp("strategy", "select", "most_frequent",
                ("Strategy", "How the baseline guesses without features."),
                ("方式", "特徴量を使わずにどう推測するか。"),
                options=("most_frequent", "stratified", "prior", "uniform"), tasks=CLS,
                labels={"most_frequent": ("most frequent class", "最頻クラス"),
                        "stratified": ("random, in training proportions", "学習データの割合でランダム"),
                        "prior": ("class shares", "クラスの割合"),
                        "uniform": ("random, all classes alike", "全クラス同じ確率でランダム")}),
            _hp("strategy", "select", "mean",
                ("Strategy", "How the baseline guesses without features."),
                ("方式", "特徴量を使わずにどう推測するか。"),
                options=("mean", "median"), tasks=REG,
                labels={"mean": ("mean", "平均"), "median": ("median", "中央値")}),
            _hp("strategy", "select", "random_centres",
                ("Strategy", "'random_centres': k random rows as centres, moved once; "
                 "'single_cluster': every row in one group."),
                ("方式", "'random_centres': ランダムな k 行を中心にして 1 回だけ動かします。"
                 "'single_cluster': すべての行を 1 つのグループにします。"),
                options=("random_centres", "single_cluster"), tasks=CLU,
                labels={"random_centres": ("random centres", "ランダムな中心"),
                        "single_cluster": ("one single cluster", "1 つのクラスタ")}),
            _hp("n_clusters", "int", 3,
                ("Number of clusters", "How many random centres the baseline draws."),
                ("クラスタ数", "ベースラインが選ぶランダムな中心の数。"),
                low=1, high=50, step=1, tasks=CLU),
            _hp("strategy", "select", "random_projection",
                ("Strategy", "Random directions instead of learned ones."),
                ("方式", "学習した方向の代わりにランダムな方向を使います。"),
                options=("random_projection",), tasks=DR,
                labels={"random_projection": ("random projection", "ランダム射影")}),
            _hp("n_components", "int", 2,
                ("Components", "How many random directions the baseline keeps."),
                ("成分数", "ベースラインが残すランダムな方向の数。"),
                low=1, high=50, step=1, tasks=DR),
        ),
        factory=_baseline),
    AlgorithmSpec(
        id="linear_regression", names=_names("Linear regression", "線形回帰"),
        summary=_names("A weighted sum of the features. Fast, small and fully readable; "
                       "misses curves and interactions unless you add them.",
                       "特徴量の重み付き和。高速・小型で完全に読めますが、曲線や相互作用は"
                       "表現できません。"),
        tasks=REG, library="scikit-learn",
        traits=Traits("rules", "low", "low", False, False, True, True),
        hyperparameters=(
            _hp("fit_intercept", "bool", True,
                ("Fit intercept", "Learn a constant offset in addition to the weights."),
                ("切片を学習", "重みに加えて定数項を学習します。"), tasks=REG),
        ),
        factory=_linear_regression),
    AlgorithmSpec(
        id="ridge", names=_names("Ridge regression", "リッジ回帰"),
        summary=_names("Linear regression with an L2 penalty that keeps weights small; "
                       "stable with many correlated features.",
                       "重みを小さく保つ L2 罰則付きの線形回帰。相関した特徴量が多くても安定します。"),
        tasks=REG, library="scikit-learn",
        traits=Traits("rules", "low", "low", False, False, True, True),
        hyperparameters=(ALPHA,), factory=_ridge),
    AlgorithmSpec(
        id="lasso", names=_names("Lasso regression", "ラッソ回帰"),
        summary=_names("Linear regression with an L1 penalty that sets unhelpful weights to "
                       "exactly zero: a built-in feature selection.",
                       "役に立たない重みをちょうど 0 にする L1 罰則付きの線形回帰。特徴量選択を"
                       "兼ねます。"),
        tasks=REG, library="scikit-learn",
        traits=Traits("rules", "low", "low", False, False, True, True),
        hyperparameters=(ALPHA, MAX_ITER), factory=_lasso),
    AlgorithmSpec(
        id="elastic_net", names=_names("Elastic net", "エラスティックネット"),
        summary=_names("Linear regression mixing the L1 and L2 penalties.",
                       "L1 と L2 の罰則を組み合わせた線形回帰。"),
        tasks=REG, library="scikit-learn",
        traits=Traits("rules", "low", "low", False, False, True, True),
        hyperparameters=(ALPHA, _hp(
            "l1_ratio", "float", 0.5,
            ("L1 share", "0 = pure ridge (L2), 1 = pure lasso (L1)."),
            ("L1 の割合", "0 は純粋なリッジ(L2)、1 は純粋なラッソ(L1)。"),
            low=0.0, high=1.0, step=0.05), MAX_ITER),
        factory=_elastic_net),
    AlgorithmSpec(
        id="logistic_regression", names=_names("Logistic regression", "ロジスティック回帰"),
        summary=_names("A weighted sum turned into a probability. Fast, small, calibrated and "
                       "readable: each weight says how a feature moves the odds.",
                       "重み付き和を確率に変換します。高速・小型で、各重みが特徴量の影響を"
                       "示すので読み解けます。"),
        tasks=CLS, library="scikit-learn",
        traits=Traits("rules", "low", "low", False, False, True, True),
        hyperparameters=(C_PARAM, MAX_ITER, CLASS_WEIGHT), factory=_logistic_regression),
    AlgorithmSpec(
        id="naive_bayes", names=_names("Naive Bayes", "ナイーブベイズ"),
        summary=_names("Combines per-feature evidence assuming features are independent. "
                       "Trains instantly; a good sanity check, rarely the most accurate.",
                       "特徴量が独立と仮定して各特徴量の証拠を組み合わせます。学習は一瞬で、"
                       "確認用に便利ですが最も正確になることは稀です。"),
        tasks=CLS, library="scikit-learn",
        traits=Traits("global", "low", "low", False, False, False, True),
        hyperparameters=(_hp(
            "var_smoothing", "float", 1e-9,
            ("Variance smoothing", "Adds a small variance to every feature for numerical "
             "stability."),
            ("分散の平滑化", "数値的な安定のため各特徴量の分散に小さな値を加えます。"),
            low=1e-12, high=1e-1, log=True, tasks=CLS),),
        factory=_naive_bayes),
    AlgorithmSpec(
        id="decision_tree", names=_names("Decision tree", "決定木"),
        summary=_names("A flowchart of yes/no questions. Anyone can follow its rules; a single "
                       "tree is usually less accurate than a forest or boosting.",
                       "はい/いいえの質問からなるフローチャート。誰でもルールを追えますが、"
                       "単独の木は森やブースティングより精度が劣りがちです。"),
        tasks=BOTH, library="scikit-learn",
        traits=Traits("rules", "low", "low", True, False, False, True,
                      category_encoding="ordinal"),
        hyperparameters=(MAX_DEPTH_TREE, MIN_SAMPLES_LEAF, _hp(
            "criterion", "select", "gini",
            ("Split criterion", "How the tree measures the purity of a group."),
            ("分割基準", "グループの純度をどう測るか。"),
            options=("gini", "entropy", "log_loss"), tasks=CLS), CLASS_WEIGHT),
        factory=_decision_tree),
    AlgorithmSpec(
        id="random_forest", names=_names("Random forest", "ランダムフォレスト"),
        summary=_names("Many decision trees on random subsets, averaged. Robust and accurate "
                       "with little tuning; larger and slower than one tree.",
                       "ランダムな部分集合で学習した多数の決定木の平均。調整が少なくても頑健で"
                       "正確ですが、1 本の木より大きく遅くなります。"),
        tasks=BOTH, library="scikit-learn",
        traits=Traits("global", "medium", "medium", True, False, False, False,
                      category_encoding="ordinal"),
        hyperparameters=(N_TREES, _hp(
                             "max_depth", "int", 0,
                             ("Maximum depth", "Depth limit of each tree. 0 = no limit."),
                             ("最大の深さ", "各木の深さの上限。0 は無制限。"),
                             low=0, high=40, step=1),
                         _hp(
                             "min_samples_leaf", "int", 1,
                             ("Minimum rows per leaf", "Each leaf must hold at least this many "
                              "training rows."),
                             ("葉の最小行数", "各葉に含まれる学習データの最小行数。"),
                             low=1, high=200, step=1),
                         _hp("max_features", "select", "sqrt",
                             ("Features per split", "How many features each split may look at: "
                              "'sqrt' and 'log2' add variety between trees, 'all' looks at "
                              "every feature."),
                             ("分割ごとの特徴量数", "各分割で調べる特徴量の数。'sqrt' や 'log2' は"
                              "木ごとの多様性を増やし、'all' はすべてを調べます。"),
                             options=("sqrt", "log2", "all"),
                             task_defaults={"regression": "all"}),
                         CLASS_WEIGHT),
        factory=_random_forest),
    AlgorithmSpec(
        id="knn", names=_names("k-nearest neighbours", "k 近傍法"),
        summary=_names("Predicts from the most similar training rows. No training, but every "
                       "prediction scans the training set: slow and large on big data.",
                       "最も似た学習データから予測します。学習は不要ですが、予測のたびに学習データを"
                       "調べるため大きなデータでは遅く大きくなります。"),
        tasks=BOTH, library="scikit-learn",
        traits=Traits("per_prediction", "low", "high", False, False, True, False,
                      scales_to_large_data=False),
        hyperparameters=(
            _hp("n_neighbors", "int", 5,
                ("Neighbours (k)", "How many similar rows vote. Small k follows noise; large "
                 "k smooths."),
                ("近傍数 (k)", "投票する似た行の数。小さいとノイズに引きずられ、大きいと滑らかに"
                 "なります。"),
                low=1, high=200, step=1),
            _hp("weights", "select", "uniform",
                ("Vote weights", "'distance' lets closer neighbours count more."),
                ("投票の重み", "'distance' は近い行ほど重く数えます。"),
                options=("uniform", "distance"),
                labels={"uniform": ("every neighbour alike", "すべての近傍を同じ重みに"),
                        "distance": ("closer neighbours count more", "近い近傍ほど重く")}),
        ),
        factory=_knn),
    AlgorithmSpec(
        id="svm", names=_names("Support vector machine", "サポートベクターマシン"),
        summary=_names("Finds the widest margin between classes, with kernels for curved "
                       "boundaries. Strong on small, scaled data; training grows roughly with "
                       "the square of the rows.",
                       "クラス間の余白が最大になる境界を探し、カーネルで曲がった境界も扱います。"
                       "小さなデータに強い一方、学習時間は行数のおよそ 2 乗で増えます。"),
        tasks=BOTH, library="scikit-learn",
        traits=Traits("none", "high", "medium", False, False, True, False,
                      scales_to_large_data=False),
        hyperparameters=(
            C_PARAM,
            _hp("kernel", "select", "rbf",
                ("Kernel", "Shape of the boundary: 'linear' straight, 'rbf' smooth curves, "
                 "'poly' polynomial."),
                ("カーネル", "境界の形。'linear' は直線、'rbf' は滑らかな曲線、'poly' は多項式。"),
                options=("rbf", "linear", "poly")),
            _hp("gamma", "select", "scale",
                ("Kernel width (gamma)", "How far the influence of one row reaches."),
                ("カーネル幅 (gamma)", "1 行の影響がどこまで届くか。"),
                options=("scale", "auto")),
            _hp("epsilon", "float", 0.1,
                ("Tolerance (epsilon)", "Errors smaller than this are ignored (in target "
                 "units)."),
                ("許容誤差 (epsilon)", "これより小さい誤差は無視します(目的変数の単位)。"),
                low=0.0, high=1e6, tasks=REG),
            CLASS_WEIGHT,
        ),
        factory=_svm),
    AlgorithmSpec(
        id="mlp", names=_names("Neural network (MLP)", "ニューラルネットワーク (MLP)"),
        summary=_names("Layers of neurons that learn non-linear patterns. Flexible, but needs "
                       "scaled data and tuning, and is hard to explain.",
                       "非線形なパターンを学習するニューロンの層。柔軟ですが、スケーリングと"
                       "調整が必要で説明は困難です。"),
        tasks=BOTH, library="scikit-learn",
        traits=Traits("none", "medium", "low", False, False, True, True),
        hyperparameters=(
            _hp("hidden_layer_sizes", "select", "64",
                ("Hidden layers", "Neurons per hidden layer, e.g. '64,32' is two layers."),
                ("隠れ層", "隠れ層ごとのニューロン数。'64,32' は 2 層です。"),
                options=("16", "32", "64", "128", "64,32", "128,64")),
            _hp("alpha", "float", 1e-4,
                ("L2 penalty", "Keeps weights small to reduce overfitting."),
                ("L2 罰則", "重みを小さく保ち過学習を抑えます。"),
                low=1e-6, high=1.0, log=True),
            _hp("learning_rate_init", "float", 1e-3,
                ("Learning rate", "Step size of the optimiser."),
                ("学習率", "最適化の歩幅。"), low=1e-5, high=0.1, log=True),
            _hp("max_iter", "int", 300,
                ("Maximum epochs", "Passes over the training data; early stopping on a held-out "
                 "share usually ends sooner."),
                ("最大エポック数", "学習データを回す回数。通常は早期終了でそれより前に止まります。"),
                low=10, high=2000, step=10),
        ),
        factory=_mlp),
    AlgorithmSpec(
        id="xgboost", names=_names("XGBoost", "XGBoost"),
        summary=_names("Gradient-boosted trees: each tree corrects the errors of the previous "
                       "ones. Often the most accurate on tables; explained with SHAP.",
                       "勾配ブースティング木: 各木が前の木の誤りを修正します。表形式データで"
                       "最も正確なことが多く、SHAP で説明できます。"),
        tasks=BOTH, library="xgboost",
        traits=Traits("per_prediction", "medium", "low", True, True, False, True,
                      category_encoding="ordinal"),
        hyperparameters=(N_BOOST, LEARNING_RATE, _hp(
            "max_depth", "int", 6,
            ("Maximum depth", "Depth of each tree; deeper trees capture more interactions."),
            ("最大の深さ", "各木の深さ。深いほど多くの相互作用を捉えます。"),
            low=1, high=16, step=1), SUBSAMPLE, COLSAMPLE, _hp(
            "min_child_weight", "float", 1.0,
            ("Minimum child weight", "Minimum evidence needed to make a split."),
            ("子の最小重み", "分割に必要な最小の根拠の量。"),
            low=0.01, high=100.0, log=True), REG_LAMBDA, EARLY_STOP),
        factory=_xgboost),
    AlgorithmSpec(
        id="lightgbm", names=_names("LightGBM", "LightGBM"),
        summary=_names("Fast gradient-boosted trees grown leaf by leaf. Accurate, quick on "
                       "large tables, handles missing values natively.",
                       "葉ごとに成長する高速な勾配ブースティング木。正確で大きな表でも速く、"
                       "欠損値をそのまま扱えます。"),
        tasks=BOTH, library="lightgbm",
        traits=Traits("per_prediction", "medium", "low", True, True, False, True,
                      category_encoding="ordinal"),
        hyperparameters=(N_BOOST, LEARNING_RATE, _hp(
            "num_leaves", "int", 31,
            ("Leaves per tree", "More leaves fit finer patterns but may overfit."),
            ("木ごとの葉の数", "多いほど細かいパターンに合いますが過学習の恐れがあります。"),
            low=2, high=512, step=1), _hp(
            "min_child_samples", "int", 20,
            ("Minimum rows per leaf", "Each leaf must hold at least this many rows."),
            ("葉の最小行数", "各葉に含まれる最小行数。"), low=1, high=500, step=1),
            SUBSAMPLE, COLSAMPLE, REG_LAMBDA, EARLY_STOP, CLASS_WEIGHT),
        factory=_lightgbm),
    AlgorithmSpec(
        id="hist_gradient_boosting",
        names=_names("Histogram gradient boosting", "ヒストグラム勾配ブースティング"),
        summary=_names("scikit-learn's own fast gradient boosting, similar to LightGBM, with "
                       "native missing-value support.",
                       "scikit-learn 標準の高速な勾配ブースティング。LightGBM に近く、"
                       "欠損値をそのまま扱えます。"),
        tasks=BOTH, library="scikit-learn",
        traits=Traits("per_prediction", "medium", "low", True, True, False, True,
                      category_encoding="ordinal"),
        hyperparameters=(
            _hp("max_iter", "int", 200,
                ("Boosting rounds", "Number of trees added one after another."),
                ("ブースティング回数", "順番に追加する木の本数。"), low=10, high=2000, step=10),
            LEARNING_RATE,
            _hp("max_leaf_nodes", "int", 31,
                ("Leaves per tree", "More leaves fit finer patterns but may overfit."),
                ("木ごとの葉の数", "多いほど細かいパターンに合いますが過学習の恐れがあります。"),
                low=2, high=512, step=1),
            _hp("min_samples_leaf", "int", 20,
                ("Minimum rows per leaf", "Each leaf must hold at least this many rows."),
                ("葉の最小行数", "各葉に含まれる最小行数。"), low=1, high=500, step=1),
            _hp("l2_regularization", "float", 0.0,
                ("L2 regularisation", "Penalty on large leaf values."),
                ("L2 正則化", "葉の値が大きくなることへの罰則。"), low=0.0, high=100.0),
            CLASS_WEIGHT,
        ),
        factory=_hist_gradient_boosting),
    AlgorithmSpec(
        id="kmeans", names=_names("k-means", "k-means 法"),
        summary=_names("Splits rows into k groups around centres; fast, and each centre is a "
                       "readable 'typical member'. Assumes round groups of similar size.",
                       "行を k 個の中心の周りに分けます。高速で、各中心は読み取れる「典型例」"
                       "です。丸く同じ大きさのグループを仮定します。"),
        tasks=CLU, library="scikit-learn",
        traits=Traits("global", "low", "low", False, False, True, True),
        hyperparameters=(
            _hp("n_clusters", "int", 3,
                ("Number of clusters (k)", "How many groups to form. Try the k sweep: the "
                 "elbow of the inertia curve and the highest silhouette suggest a k."),
                ("クラスタ数 (k)", "作るグループの数。k の探索を試してください。慣性の曲線の"
                 "肘とシルエットの最大値が k の目安になります。"),
                low=2, high=20, step=1, tasks=CLU),
            _hp("init", "select", "k-means++",
                ("Initial centres", "'k-means++' spreads the first centres apart (usually "
                 "better); 'random' picks random rows."),
                ("初期の中心", "'k-means++' は最初の中心を互いに離して選びます(通常はこちらが"
                 "良い)。'random' はランダムな行を選びます。"),
                options=("k-means++", "random"), tasks=CLU),
            _hp("n_init", "int", 10,
                ("Restarts", "Runs from different starting centres; the best run is kept. "
                 "More restarts are steadier but slower."),
                ("やり直し回数", "異なる初期の中心から実行する回数。最良の結果を残します。"
                 "多いほど安定しますが遅くなります。"),
                low=1, high=50, step=1, tasks=CLU),
        ),
        factory=_kmeans),
    AlgorithmSpec(
        id="gaussian_mixture", names=_names("Gaussian mixture", "混合ガウスモデル"),
        summary=_names("Groups as overlapping bell curves: elongated groups, and a "
                       "probability of belonging to each group for every row.",
                       "重なり合う釣鐘型の分布としてグループ化します。細長いグループも扱え、"
                       "各行について各グループへの所属確率が得られます。"),
        tasks=CLU, library="scikit-learn",
        traits=Traits("global", "medium", "low", False, False, True, True),
        hyperparameters=(
            _hp("n_components", "int", 3,
                ("Number of clusters", "How many bell curves (groups) to fit."),
                ("クラスタ数", "当てはめる釣鐘型の分布(グループ)の数。"),
                low=2, high=20, step=1, tasks=CLU),
            _hp("covariance_type", "select", "full",
                ("Group shape", "'full': any tilted ellipse; 'tied': one shape shared by all "
                 "groups; 'diag': ellipses along the axes; 'spherical': round groups."),
                ("グループの形", "'full': 任意の傾いた楕円、'tied': 全グループで共通の形、"
                 "'diag': 軸に沿った楕円、'spherical': 円形。"),
                options=("full", "tied", "diag", "spherical"), tasks=CLU),
        ),
        factory=_gaussian_mixture),
    AlgorithmSpec(
        id="pca", names=_names("Principal component analysis (PCA)", "主成分分析 (PCA)"),
        summary=_names("A few new axes that keep most of the variation; each axis is a "
                       "readable weighted sum of the standardised columns.",
                       "ばらつきの大部分を保つ少数の新しい軸。各軸は標準化した列の重み付き和"
                       "として読めます。"),
        tasks=DR, library="scikit-learn",
        traits=Traits("global", "low", "low", False, False, True, True),
        hyperparameters=(N_COMPONENTS,), factory=_pca),
    AlgorithmSpec(
        id="truncated_svd", names=_names("Truncated SVD (LSA)", "切断型 SVD (LSA)"),
        summary=_names("PCA without centring, as used on counts such as word counts (latent "
                       "semantic analysis). Columns are scaled to unit variance but not "
                       "centred, so zeros stay zeros.",
                       "中心化しない PCA。単語の出現回数のようなデータに使います(潜在意味解析)。"
                       "列は分散 1 に揃えますが中心化しないので、0 は 0 のままです。"),
        tasks=DR, library="scikit-learn",
        traits=Traits("global", "low", "low", False, False, True, True,
                      input_scaling="unit_variance"),
        hyperparameters=(N_COMPONENTS,), factory=_truncated_svd),
    AlgorithmSpec(
        id="nmf", names=_names("Non-negative matrix factorisation (NMF)",
                               "非負値行列因子分解 (NMF)"),
        summary=_names("Splits non-negative data into additive parts that are often readable. "
                       "NMF needs non-negative input, so each number is rescaled to 0..1 "
                       "(min and max of the training rows; new values are clipped into that "
                       "range).",
                       "非負のデータを足し合わせの部品に分解します。部品は読み取りやすいことが"
                       "多いです。NMF は非負の入力が必要なため、各数値を 0〜1 に変換します"
                       "(学習データの最小・最大を使い、新しい値はその範囲に切り詰めます)。"),
        tasks=DR, library="scikit-learn",
        traits=Traits("global", "medium", "low", False, False, True, True,
                      input_scaling="minmax"),
        hyperparameters=(N_COMPONENTS, _hp(
            "max_iter", "int", 500,
            ("Maximum iterations", "Upper limit of optimisation steps; raise it if the "
             "factorisation does not converge."),
            ("最大反復回数", "最適化の反復回数の上限。収束しない場合は増やしてください。"),
            low=50, high=5000, step=50, tasks=DR)),
        factory=_nmf),
    AlgorithmSpec(
        id="lda", names=_names("Latent Dirichlet allocation (LDA)",
                               "潜在的ディリクレ配分法 (LDA)"),
        summary=_names("Topic model for count data: describes each row as a mix of topics. "
                       "The numbers are used as counts, unscaled, so they must not be "
                       "negative.",
                       "出現回数データのトピックモデル: 各行をトピックの混合で表します。"
                       "数値はそのまま回数として使うため、負の値は使えません。"),
        tasks=DR, library="scikit-learn",
        traits=Traits("global", "medium", "medium", False, False, False, True,
                      input_scaling="none"),
        hyperparameters=(
            _hp("n_components", "int", 5,
                ("Topics", "How many topics each row is described by."),
                ("トピック数", "各行を表すトピックの数。"), low=2, high=50, step=1, tasks=DR),
            _hp("max_iter", "int", 20,
                ("Passes", "Passes over the training rows; more fit better but take longer."),
                ("反復回数", "学習データを回す回数。多いほど当てはまりますが時間がかかります。"),
                low=5, high=500, step=5, tasks=DR),
        ),
        factory=_lda),
    AlgorithmSpec(
        id="lle", names=_names("Locally linear embedding (LLE)", "局所線形埋め込み (LLE)"),
        summary=_names("Unrolls curved structure by keeping each row's neighbourhood; can "
                       "place new rows, but its axes have no direct meaning and its cost "
                       "grows with the square of the rows.",
                       "各行の近傍関係を保って曲がった構造を展開します。新しい行も配置できますが、"
                       "軸に直接の意味はなく、計算量は行数の 2 乗で増えます。"),
        tasks=DR, library="scikit-learn",
        traits=Traits("none", "high", "high", False, False, True, False,
                      scales_to_large_data=False),
        hyperparameters=(
            _hp("n_neighbors", "int", 10,
                ("Neighbours", "How many nearby rows define each row's neighbourhood. Too "
                 "few tears the structure apart; too many flattens it."),
                ("近傍数", "各行の近傍を決める近くの行の数。少なすぎると構造がちぎれ、"
                 "多すぎると平らになります。"), low=2, high=100, step=1, tasks=DR),
            N_COMPONENTS,
        ),
        factory=_lle),
    AlgorithmSpec(
        id="tsne", names=_names("t-SNE", "t-SNE"),
        summary=_names("Draws similar rows close together in 2-D or 3-D for looking at. It "
                       "cannot place new rows: the bundle holds the embedding of the "
                       "training rows only. Its axes and distances between groups have no "
                       "meaning.",
                       "似た行を 2 次元または 3 次元で近くに描いて眺めるための手法。新しい行は"
                       "配置できません: バンドルには学習データの埋め込みだけが入ります。軸や"
                       "グループ間の距離に意味はありません。"),
        tasks=DR, library="scikit-learn",
        traits=Traits("none", "high", "high", False, False, True, False,
                      scales_to_large_data=False, serves_new_data=False),
        hyperparameters=(
            _hp("perplexity", "float", 30.0,
                ("Perplexity", "Roughly how many neighbours each row pays attention to. Must "
                 "be below the number of training rows; 5–50 is typical."),
                ("パープレキシティ", "各行がおおよそ何個の近傍に注目するか。学習データの行数"
                 "未満である必要があります。5〜50 が一般的です。"),
                low=2.0, high=100.0, step=1.0, tasks=DR),
            _hp("n_components", "int", 2,
                ("Dimensions", "2 for a flat map, 3 for a rotatable cloud."),
                ("次元数", "2 で平面の地図、3 で回転できる点群になります。"),
                low=2, high=3, step=1, tasks=DR),
            _hp("max_iter", "int", 1000,
                ("Iterations", "Optimisation steps; fewer are faster but may leave the map "
                 "unsettled."),
                ("反復回数", "最適化の回数。少ないと速いですが、配置が落ち着かないことが"
                 "あります。"), low=250, high=5000, step=50, tasks=DR),
        ),
        factory=_tsne),
)}

DEFAULT_CANDIDATES: dict[str, list[str]] = {
    "classification": ["logistic_regression", "decision_tree", "random_forest", "lightgbm"],
    "regression": ["ridge", "decision_tree", "random_forest", "lightgbm"],
    "clustering": ["kmeans", "gaussian_mixture"],
    # t-SNE (cannot place new rows) and LDA (needs counts) only when asked for.
    "dimensionality_reduction": ["pca", "truncated_svd", "nmf"],
}


def get(algorithm_id: str) -> AlgorithmSpec:
    """The spec of ``algorithm_id``, or a DojoError listing the known ids."""
    try:
        return ALGORITHMS[algorithm_id]
    except KeyError:
        raise DojoError("catalog.unknown_algorithm", algorithm=algorithm_id,
                        known=", ".join(ALGORITHMS)) from None


def ids_for_task(task: str) -> list[str]:
    """Ids of the (non-baseline) algorithms that can do ``task``, in catalog order."""
    return [spec.id for spec in ALGORITHMS.values()
            if task in spec.tasks and not spec.is_baseline]
