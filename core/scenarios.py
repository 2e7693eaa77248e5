"""The workshop's built-in business cases, generated offline by code.

Each scenario is a table made up by a seeded random generator (no download, no file),
shaped like the real thing: sensible column names, plausible ranges, a few categorical
columns, some missing values, signal plus noise and some columns that do not matter.
Each comes with a pre-filled requirements card (DESIGN.md's JSON), its target and task,
and, where mistakes have a price, the cost of each kind of mistake (``core.threshold``).

The same seed always gives the same frame, so a whole room sees the same numbers.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.data import LoadedData
from core.errors import DojoError
from core.i18n import Message
from core.requirements import RequirementsCard, parse_card_dict
from core.threshold import MistakeCosts

MIN_ROWS = 200          # fewer rows leave the rare classes (defects) without examples
MAX_ROWS = 1_000_000    # generated in memory: keep a typo from eating the machine
DEFAULT_SEED = 42

Builder = Callable[[np.random.Generator, int], pd.DataFrame]


@dataclass(frozen=True)
class Scenario:
    """One built-in business case: how to generate it and what the business needs.

    ``card`` is DESIGN.md's requirements card JSON (a dict); use ``requirements()`` for a
    fresh, validated ``RequirementsCard`` rather than editing the shared dict.
    """

    id: str
    task: str                              # "classification" | "regression"
    target: str
    rows: int                              # default size: trains in seconds in a workshop
    card: dict[str, Any]
    builder: Builder = field(repr=False, compare=False)
    costs: MistakeCosts | None = None      # binary classification: price of each mistake
    time_column: str | None = None         # split by time instead of at random
    business_question: str | None = None   # key of core.requirements.BUSINESS_QUESTIONS

    @property
    def title(self) -> Message:
        return Message(f"scenarios.{self.id}.title")

    @property
    def description(self) -> Message:
        return Message(f"scenarios.{self.id}.description")

    @property
    def story(self) -> Message:
        return Message(f"scenarios.{self.id}.story")

    def requirements(self) -> RequirementsCard:
        """The card as a validated ``RequirementsCard`` (a new object on every call)."""
        return parse_card_dict(copy.deepcopy(self.card))

    def card_dict(self) -> dict[str, Any]:
        """A deep copy of the card, safe to edit (e.g. as the Requirements page's start)."""
        return copy.deepcopy(self.card)


# --- small helpers --------------------------------------------------------------------------

def _text(values: np.ndarray) -> pd.Series:
    """Labels as pandas text (``str`` dtype), None becoming a missing value."""
    return pd.Series(np.asarray(values, dtype=object), dtype="str")


def _blank(values: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    """A float copy of ``values`` with about ``share`` of the cells missing (sensor gaps)."""
    out = np.asarray(values, dtype=float).copy()
    out[rng.random(len(out)) < share] = np.nan
    return out


def _blank_text(values: np.ndarray, rng: np.random.Generator, share: float) -> pd.Series:
    out = np.asarray(values, dtype=object).copy()
    out[rng.random(len(out)) < share] = None
    return _text(out)


def _yes_no(flags: np.ndarray) -> pd.Series:
    return _text(np.where(flags, "yes", "no"))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _lookup(table: dict[str, float], keys: np.ndarray) -> np.ndarray:
    return np.array([table[key] for key in keys], dtype=float)


def _serials(rng: np.random.Generator, prefix: str, rows: int) -> pd.Series:
    """Unique identifiers in random order, as a CRM or MES export holds them."""
    numbers = rng.choice(np.arange(100_000, 100_000 + 5 * rows), size=rows, replace=False)
    return _text(np.array([f"{prefix}{n}" for n in numbers], dtype=object))


# --- demand forecasting for retail items ----------------------------------------------------

_STORES = {"downtown": 1.6, "station": 1.3, "mall": 1.2, "suburb": 1.0, "riverside": 0.7}
# category -> (base units per day, base price, sales change per °C above 18 °C)
_CATEGORIES = {"beverages": (60, 1.8, 0.045), "frozen": (25, 4.5, 0.06),
               "snacks": (40, 2.5, 0.0), "dairy": (45, 2.2, 0.0),
               "bakery": (35, 3.0, -0.01), "household": (15, 6.5, 0.0)}
_PROMOTIONS = {"none": 1.0, "flyer": 1.25, "discount": 1.2, "bundle": 1.35}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_FACTOR = np.array([0.9, 0.88, 0.92, 0.97, 1.1, 1.35, 1.25])
_DEMAND_START = pd.Timestamp("2023-01-01")
_DEMAND_DAYS = 730


def _demand_frame(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """One row per store, category and day: two years of daily sales."""
    day = np.sort(rng.integers(0, _DEMAND_DAYS, rows))
    dates = _DEMAND_START + pd.to_timedelta(day, unit="D")
    holiday_days = rng.random(_DEMAND_DAYS) < 0.03
    store = rng.choice(list(_STORES), rows, p=[0.25, 0.2, 0.2, 0.2, 0.15])
    category = rng.choice(list(_CATEGORIES), rows)
    promotion = rng.choice(list(_PROMOTIONS), rows, p=[0.7, 0.12, 0.12, 0.06])
    season = np.cos(2 * np.pi * (dates.dayofyear.to_numpy() - 15) / 365.25)
    temperature = 15 - 9 * season + rng.normal(0, 3, rows)
    base_price = np.array([_CATEGORIES[c][1] for c in category])
    price = base_price * np.where(promotion == "discount", 0.8, 1.0) * rng.lognormal(0, 0.06, rows)
    frame = pd.DataFrame({
        "date": _text(dates.strftime("%Y-%m-%d").to_numpy()), "store": _text(store),
        "item_category": _text(category), "weekday": _text(np.array(_WEEKDAYS)[dates.dayofweek]),
        "month": dates.month.to_numpy(), "is_holiday": holiday_days[day].astype(int),
        "promotion": _text(promotion), "price": price.round(2),
        "temperature_c": _blank(temperature.round(1), rng, 0.04),
        "humidity_pct": _blank(rng.normal(62, 12, rows).clip(20, 100).round(0), rng, 0.04),
        "supplier": _text(rng.choice(["Aoba Foods", "Northwind", "Sakura Trading", "Tri-Star"],
                                     rows))})
    frame["units_sold"] = _demand_units(rng, frame, day, dates.dayofweek.to_numpy(), temperature,
                                        base_price)
    return frame


def _demand_units(rng: np.random.Generator, frame: pd.DataFrame, day: np.ndarray,
                  weekday: np.ndarray, temperature: np.ndarray,
                  base_price: np.ndarray) -> np.ndarray:
    """Poisson sales around a mean built from store, weekday, promotion, price and weather."""
    category = frame["item_category"].to_numpy()
    mean = (np.array([_CATEGORIES[c][0] for c in category])
            * _lookup(_STORES, frame["store"].to_numpy())
            * _WEEKDAY_FACTOR[weekday]
            * _lookup(_PROMOTIONS, frame["promotion"].to_numpy())
            * (frame["price"].to_numpy() / base_price) ** -1.3
            * np.exp(np.array([_CATEGORIES[c][2] for c in category]) * (temperature - 18))
            * np.where(frame["is_holiday"].to_numpy() == 1, 1.3, 1.0)
            * (1 + 0.08 * day / 365))
    # The gamma factor adds the day-to-day swings a Poisson count alone would lack.
    return rng.poisson(mean * rng.gamma(25, 1 / 25, len(mean)))


# --- remaining useful life of machine parts -------------------------------------------------

_MACHINES = {"press": 9000, "lathe": 12000, "pump": 6500, "conveyor": 15000, "compressor": 10000}
_PART_SUPPLIERS = {"Kato": 1.0, "Meyer": 0.85, "Summit": 1.12}


def _machine_life_frame(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """Sensor snapshots of parts at a random point of their life; wear shows in the sensors."""
    machine = rng.choice(list(_MACHINES), rows)
    supplier = rng.choice(list(_PART_SUPPLIERS), rows, p=[0.5, 0.3, 0.2])
    load = rng.uniform(40, 100, rows)
    # Weibull(4) has mean 0.906: parts of one kind wear out around their design life.
    life = (_lookup(_MACHINES, machine) * _lookup(_PART_SUPPLIERS, supplier)
            * (load / 70) ** -1.3 * rng.weibull(4, rows) / 0.906)
    wear = rng.uniform(0.02, 0.98, rows)
    ambient = rng.normal(24, 5, rows)
    days_since = rng.integers(0, 181, rows)
    frame = pd.DataFrame({
        "part_serial": _serials(rng, "P-", rows), "machine_type": _text(machine),
        "supplier": _text(supplier), "operating_hours": (wear * life).round().astype(int),
        "load_pct": load.round(1),
        **_wear_sensors(rng, wear, load, ambient, days_since),
        "ambient_temp_c": ambient.round(1), "days_since_maintenance": days_since,
        "shift": _text(rng.choice(["day", "night"], rows, p=[0.6, 0.4]))})
    frame["remaining_life_hours"] = ((1 - wear) * life).round().astype(int)
    return frame


def _wear_sensors(rng: np.random.Generator, wear: np.ndarray, load: np.ndarray,
                  ambient: np.ndarray, days_since: np.ndarray) -> dict[str, np.ndarray]:
    """Vibration, bearing heat, oil pressure and current drift as a part wears out."""
    rows = len(wear)
    vibration = 1.2 + 7 * wear ** 2.5 + 0.004 * days_since + rng.normal(0, 0.5, rows)
    bearing = ambient + 22 + 18 * wear ** 2 + 0.1 * (load - 70) + rng.normal(0, 2, rows)
    oil = 4.8 - 1.6 * wear ** 1.5 + rng.normal(0, 0.25, rows)
    current = 8 + 6 * load / 100 + 1.5 * wear + rng.normal(0, 0.6, rows)
    return {"vibration_mm_s": _blank(vibration.clip(0.1).round(2), rng, 0.03),
            "bearing_temp_c": _blank(bearing.round(1), rng, 0.02),
            "oil_pressure_bar": _blank(oil.clip(0.5).round(2), rng, 0.03),
            "motor_current_a": current.round(2)}


# --- loan approval --------------------------------------------------------------------------

_PURPOSES = {"car": 0.3, "home_improvement": 0.4, "debt_consolidation": -0.1, "education": 0.1,
             "business": -0.5, "medical": -0.2, "vacation": -0.6}
_EMPLOYMENT = {"salaried": 0.4, "self_employed": -0.2, "contract": -0.3, "unemployed": -2.0}


def _loan_frame(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """Applications with the facts a credit officer weighs, and the officers' decision."""
    employment = rng.choice(list(_EMPLOYMENT), rows, p=[0.65, 0.17, 0.14, 0.04])
    income = rng.lognormal(np.log(52_000), 0.45, rows) * np.where(employment == "unemployed",
                                                                   0.3, 1.0)
    loan = rng.lognormal(np.log(15_000), 0.6, rows).clip(1_000, 100_000)
    dti = (rng.beta(2, 5, rows) * 0.8).round(3)
    frame = pd.DataFrame({
        "applicant_id": _serials(rng, "A", rows),
        "annual_income": _blank((income / 100).round() * 100, rng, 0.03),
        "employment_type": _text(employment),
        "employment_years": _blank(rng.gamma(2, 3.5, rows).clip(0, 40).round(1), rng, 0.04),
        "home_ownership": _text(rng.choice(["rent", "mortgage", "own"], rows, p=[.45, .4, .15])),
        "loan_amount": (loan / 500).round() * 500,
        "loan_term_months": rng.choice([12, 24, 36, 48, 60], rows),
        "purpose": _text(rng.choice(list(_PURPOSES), rows)),
        "debt_to_income": dti,
        "credit_history_years": rng.gamma(3, 3, rows).clip(0, 45).round(1),
        "late_payments_2y": rng.poisson(0.3 + 1.5 * dti),
        "existing_loans": rng.poisson(0.8, rows),
        "region": _text(rng.choice(["north", "south", "east", "west", "central"], rows)),
        "application_channel": _blank_text(rng.choice(["branch", "online", "broker"], rows),
                                           rng, 0.02)})
    frame["approved"] = _loan_decisions(rng, frame, income, loan)
    return frame


def _loan_decisions(rng: np.random.Generator, frame: pd.DataFrame, income: np.ndarray,
                    loan: np.ndarray) -> pd.Series:
    """Approval odds from affordability and track record; region and channel play no part."""
    score = (1.5 * np.log(income / 52_000) - 6.0 * (frame["debt_to_income"] - 0.23)
             - 2.0 * (loan / income - 0.3) - 0.05 * frame["loan_term_months"] / 12
             + 0.08 * np.minimum(frame["employment_years"].fillna(2), 10)
             + 0.06 * np.minimum(frame["credit_history_years"], 15)
             - 0.8 * frame["late_payments_2y"] - 0.25 * frame["existing_loans"]
             + _lookup(_PURPOSES, frame["purpose"].to_numpy())
             + _lookup(_EMPLOYMENT, frame["employment_type"].to_numpy()))
    return _yes_no(rng.random(len(frame)) < _sigmoid(1.3 * (score.to_numpy() + 0.2)))


# --- defective products on a production line ------------------------------------------------

_BATCHES = [f"MB-24{n:02d}" for n in range(1, 13)]
_BAD_BATCH = "MB-2407"    # a resin delivery that was slightly off: more defects


def _defect_frame(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """Moulded parts: process readings, then the camera's measurements of each part."""
    line = rng.choice(["L1", "L2", "L3"], rows, p=[0.4, 0.35, 0.25])
    shift = rng.choice(["day", "evening", "night"], rows, p=[0.45, 0.35, 0.2])
    batch = rng.choice(_BATCHES, rows)
    mold_temp = rng.normal(210, 4, rows) + np.where(line == "L3", 2.0, 0.0)
    pressure = rng.normal(850, 25, rows)
    humidity = rng.normal(45, 8, rows)
    logit = (-4.9 + 0.045 * (mold_temp - 210) ** 2 + 0.02 * np.maximum(820 - pressure, 0)
             + np.where(batch == _BAD_BATCH, 1.1, 0.0) + np.where(shift == "night", 0.5, 0.0)
             + 0.03 * np.maximum(humidity - 50, 0))
    defective = rng.random(rows) < _sigmoid(logit)
    frame = pd.DataFrame({
        "line": _text(line), "shift": _text(shift), "material_batch": _text(batch),
        "mold_temp_c": mold_temp.round(1), "injection_pressure_bar": pressure.round(0),
        "cycle_time_s": rng.normal(12, 0.6, rows).round(2),
        "humidity_pct": _blank(humidity.round(0), rng, 0.05),
        "operator_experience_years": rng.gamma(2, 3, rows).round(1),
        **_camera_readings(rng, defective)})
    frame["defective"] = _yes_no(defective)
    return frame


def _camera_readings(rng: np.random.Generator, defective: np.ndarray) -> dict[str, np.ndarray]:
    """What the camera measures: defects look darker, blurrier, spotty, off-size, but noisily."""
    rows = len(defective)
    brightness = rng.normal(180, 12, rows) - defective * rng.normal(10, 8, rows)
    sharpness = rng.normal(0.80, 0.05, rows) - defective * rng.normal(0.04, 0.04, rows)
    spots = rng.poisson(0.4 + 1.4 * defective)
    width = 50 + rng.normal(0, 0.04, rows) + defective * rng.normal(0, 0.08, rows)
    return {"surface_brightness": _blank(brightness.round(1), rng, 0.02),
            "edge_sharpness": _blank(sharpness.round(3), rng, 0.02),
            "spot_count": spots, "width_mm": width.round(3)}


# --- customer churn -------------------------------------------------------------------------

_CONTRACTS = {"month_to_month": 1.0, "one_year": -0.4, "two_year": -1.7}
_PAYMENTS = {"credit_card": 0.0, "bank_transfer": 0.0, "electronic_check": 0.5,
             "mailed_check": 0.1}


def _churn_frame(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """Subscribers of a telecom with their contract, bill and service history."""
    contract = rng.choice(list(_CONTRACTS), rows, p=[0.55, 0.25, 0.2])
    internet = rng.choice(["fiber", "dsl", "none"], rows, p=[0.45, 0.35, 0.2])
    tenure = np.where(contract == "month_to_month", rng.geometric(1 / 14, rows),
                      rng.integers(6, 73, rows)).clip(1, 72)
    monthly = (np.select([internet == "fiber", internet == "dsl"], [70.0, 50.0], 22.0)
               + rng.gamma(2, 6, rows)).round(2)
    satisfaction = rng.choice([1, 2, 3, 4, 5], rows, p=[0.08, 0.15, 0.32, 0.3, 0.15])
    frame = pd.DataFrame({
        "customer_id": _serials(rng, "C", rows), "age": rng.integers(18, 81, rows),
        "region": _text(rng.choice(["kanto", "kansai", "chubu", "kyushu", "tohoku"], rows)),
        "tenure_months": tenure, "contract": _text(contract), "internet_service": _text(internet),
        "monthly_charges": monthly,
        "total_charges": _blank((monthly * tenure * rng.normal(1, 0.03, rows)).round(2), rng, 0.01),
        "payment_method": _text(rng.choice(list(_PAYMENTS), rows)),
        "paperless_billing": _yes_no(rng.random(rows) < 0.6),
        "support_calls_90d": rng.poisson(0.7 + 0.5 * (satisfaction <= 2)),
        "data_usage_gb": rng.gamma(2, 9, rows).round(1),
        "satisfaction_score": _blank(satisfaction, rng, 0.08)})
    frame["churned"] = _churn_labels(rng, frame)
    return frame


def _churn_labels(rng: np.random.Generator, frame: pd.DataFrame) -> pd.Series:
    """Churn odds: short, flexible, expensive and unhappy subscriptions leave more often."""
    satisfaction = frame["satisfaction_score"].fillna(3)
    logit = (-1.6 + _lookup(_CONTRACTS, frame["contract"].to_numpy())
             - 0.03 * frame["tenure_months"] + 0.02 * (frame["monthly_charges"] - 65)
             + 0.35 * frame["support_calls_90d"] - 0.45 * (satisfaction - 3)
             + np.where(frame["internet_service"] == "fiber", 0.4, 0.0)
             + _lookup(_PAYMENTS, frame["payment_method"].to_numpy()))
    return _yes_no(rng.random(len(frame)) < _sigmoid(logit.to_numpy()))


# --- the registry ---------------------------------------------------------------------------

_CLOUD = {"location": "cloud", "cpu_cores": 2, "gpu": False, "workers": 1}

SCENARIOS: dict[str, Scenario] = {
    "demand_forecast": Scenario(
        id="demand_forecast", task="regression", target="units_sold", rows=3000,
        builder=_demand_frame, time_column="date", business_question="demand",
        card={"problem_type": "regression",
              "speed": {"mode": "batch", "items": 10000, "window_minutes": 360},
              "environment": dict(_CLOUD), "explanation": "global",
              "accuracy": {"metric": "mae", "target": 15,
                           "value_formula": "(waste + lost sales before − after) × margin"},
              "data": {"rows": 3000, "features": 10}}),
    "remaining_life": Scenario(
        id="remaining_life", task="regression", target="remaining_life_hours", rows=3000,
        builder=_machine_life_frame, business_question="remaining_life",
        card={"problem_type": "regression",
              "speed": {"mode": "batch", "items": 2000, "window_minutes": 60},
              "environment": dict(_CLOUD), "explanation": "global",
              "accuracy": {"metric": "mae", "target": 1500,
                           "value_formula": "(unplanned stops before − after) × cost per stop"},
              "data": {"rows": 3000, "features": 11}}),
    "loan_approval": Scenario(
        id="loan_approval", task="classification", target="approved", rows=3000,
        builder=_loan_frame, business_question="loan_approval",
        card={"problem_type": "classification",
              "speed": {"mode": "online", "latency_ms": 1000},
              "environment": {**_CLOUD, "workers": 2}, "explanation": "per_prediction",
              "accuracy": {"metric": "f1", "target": 0.8,
                           "value_formula": "(officer hours before − after) × hourly wage"},
              "data": {"rows": 3000, "features": 13}}),
    "defective_products": Scenario(
        id="defective_products", task="classification", target="defective", rows=4000,
        builder=_defect_frame, business_question="defective",
        costs=MistakeCosts(false_positive=5, false_negative=200, currency="USD"),
        card={"problem_type": "classification",
              "speed": {"mode": "online", "latency_ms": 200, "items_per_minute": 5,
                        "deadline_minutes": 5},
              "environment": {"location": "edge", "cpu_cores": 1, "gpu": False, "workers": 1,
                              "max_model_mb": 5, "max_memory_mb": 256},
              "explanation": "global",
              "accuracy": {"metric": "recall", "target": 0.6,
                           "value_formula": "(claims before − claims after) × loss per claim"},
              "data": {"rows": 4000, "features": 12}}),
    "customer_churn": Scenario(
        id="customer_churn", task="classification", target="churned", rows=3000,
        builder=_churn_frame,
        costs=MistakeCosts(false_positive=50, false_negative=500, currency="USD"),
        card={"problem_type": "classification",
              "speed": {"mode": "batch", "items": 20000, "window_minutes": 120},
              "environment": dict(_CLOUD), "explanation": "global",
              "accuracy": {"metric": "recall", "target": 0.6,
                           "value_formula": "missed churners × 500 + unneeded offers × 50 (USD)"},
              "data": {"rows": 3000, "features": 12}}),
}


def list_scenarios() -> list[str]:
    """The ids of the built-in scenarios, in display order."""
    return list(SCENARIOS)


def get_scenario(scenario_id: str) -> Scenario:
    """The scenario ``scenario_id``, or DojoError ``scenarios.unknown`` listing the known ones."""
    scenario = SCENARIOS.get(scenario_id)
    if scenario is None:
        raise DojoError("scenarios.unknown", scenario=scenario_id,
                        available=", ".join(SCENARIOS))
    return scenario


def generate(scenario_id: str, rows: int | None = None, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The scenario's table: ``rows`` rows (default ``Scenario.rows``) made with ``seed``.

    Raises
    ------
    DojoError
        ``scenarios.unknown`` for an unknown id; ``scenarios.bad_rows`` for a row count
        outside ``MIN_ROWS`` .. ``MAX_ROWS``; ``scenarios.bad_seed`` for a negative seed.
    """
    scenario = get_scenario(scenario_id)
    count = scenario.rows if rows is None else rows
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) \
            or not MIN_ROWS <= count <= MAX_ROWS:
        raise DojoError("scenarios.bad_rows", rows=count, minimum=MIN_ROWS, maximum=MAX_ROWS)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DojoError("scenarios.bad_seed", seed=seed)
    frame = scenario.builder(np.random.default_rng(int(seed)), int(count))
    return frame.reset_index(drop=True)


def load_scenario(scenario_id: str, seed: int = DEFAULT_SEED,
                  rows: int | None = None) -> LoadedData:
    """The scenario as loaded data, like ``core.samples.load_sample`` returns a sample.

    ``sha256`` is taken over the frame's CSV bytes, so the same seed and size give the same
    fingerprint (and the app's content cache and the bundle's data record agree).
    """
    frame = generate(scenario_id, rows, seed)
    digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    note = Message("scenarios.generated_note", {"seed": int(seed), "rows": len(frame)})
    return LoadedData(frame=frame, name=scenario_id, sha256=digest, file_format="scenario",
                      notes=[note], size_bytes=int(frame.memory_usage(deep=True).sum()))
