from . import risk_pb2 as _risk_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ScenarioModel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCENARIO_MODEL_UNSPECIFIED: _ClassVar[ScenarioModel]
    SCENARIO_MODEL_HYPOTHETICAL_ONLY: _ClassVar[ScenarioModel]
    SCENARIO_MODEL_FILTERED_HISTORICAL: _ClassVar[ScenarioModel]
    SCENARIO_MODEL_STUDENT_T: _ClassVar[ScenarioModel]
SCENARIO_MODEL_UNSPECIFIED: ScenarioModel
SCENARIO_MODEL_HYPOTHETICAL_ONLY: ScenarioModel
SCENARIO_MODEL_FILTERED_HISTORICAL: ScenarioModel
SCENARIO_MODEL_STUDENT_T: ScenarioModel

class MarketHealth(_message.Message):
    __slots__ = ("symbol", "mark_price", "long_notional", "short_notional", "notional_by_leverage", "notional_within_sigma", "liquidatable_notional", "tail_bad_debt", "depth_from_book", "horizon_sigma", "tiers", "margin_multiplier")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    MARK_PRICE_FIELD_NUMBER: _ClassVar[int]
    LONG_NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    SHORT_NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    NOTIONAL_BY_LEVERAGE_FIELD_NUMBER: _ClassVar[int]
    NOTIONAL_WITHIN_SIGMA_FIELD_NUMBER: _ClassVar[int]
    LIQUIDATABLE_NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    TAIL_BAD_DEBT_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FROM_BOOK_FIELD_NUMBER: _ClassVar[int]
    HORIZON_SIGMA_FIELD_NUMBER: _ClassVar[int]
    TIERS_FIELD_NUMBER: _ClassVar[int]
    MARGIN_MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    mark_price: float
    long_notional: float
    short_notional: float
    notional_by_leverage: _containers.RepeatedScalarFieldContainer[float]
    notional_within_sigma: _containers.RepeatedScalarFieldContainer[float]
    liquidatable_notional: float
    tail_bad_debt: float
    depth_from_book: bool
    horizon_sigma: float
    tiers: _containers.RepeatedCompositeFieldContainer[_risk_pb2.MarginTier]
    margin_multiplier: float
    def __init__(self, symbol: _Optional[str] = ..., mark_price: _Optional[float] = ..., long_notional: _Optional[float] = ..., short_notional: _Optional[float] = ..., notional_by_leverage: _Optional[_Iterable[float]] = ..., notional_within_sigma: _Optional[_Iterable[float]] = ..., liquidatable_notional: _Optional[float] = ..., tail_bad_debt: _Optional[float] = ..., depth_from_book: bool = ..., horizon_sigma: _Optional[float] = ..., tiers: _Optional[_Iterable[_Union[_risk_pb2.MarginTier, _Mapping]]] = ..., margin_multiplier: _Optional[float] = ...) -> None: ...

class ParameterTradeoff(_message.Message):
    __slots__ = ("bad_debt_at_risk", "bad_debt_expected_shortfall", "liquidations_at_risk", "open_interest", "initial_margin", "capital_efficiency")
    BAD_DEBT_AT_RISK_FIELD_NUMBER: _ClassVar[int]
    BAD_DEBT_EXPECTED_SHORTFALL_FIELD_NUMBER: _ClassVar[int]
    LIQUIDATIONS_AT_RISK_FIELD_NUMBER: _ClassVar[int]
    OPEN_INTEREST_FIELD_NUMBER: _ClassVar[int]
    INITIAL_MARGIN_FIELD_NUMBER: _ClassVar[int]
    CAPITAL_EFFICIENCY_FIELD_NUMBER: _ClassVar[int]
    bad_debt_at_risk: float
    bad_debt_expected_shortfall: float
    liquidations_at_risk: float
    open_interest: float
    initial_margin: float
    capital_efficiency: float
    def __init__(self, bad_debt_at_risk: _Optional[float] = ..., bad_debt_expected_shortfall: _Optional[float] = ..., liquidations_at_risk: _Optional[float] = ..., open_interest: _Optional[float] = ..., initial_margin: _Optional[float] = ..., capital_efficiency: _Optional[float] = ...) -> None: ...

class HealthContributor(_message.Message):
    __slots__ = ("account", "notional", "distance_sigma", "margin_ratio")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_SIGMA_FIELD_NUMBER: _ClassVar[int]
    MARGIN_RATIO_FIELD_NUMBER: _ClassVar[int]
    account: int
    notional: float
    distance_sigma: float
    margin_ratio: float
    def __init__(self, account: _Optional[int] = ..., notional: _Optional[float] = ..., distance_sigma: _Optional[float] = ..., margin_ratio: _Optional[float] = ...) -> None: ...

class ProtocolHealth(_message.Message):
    __slots__ = ("as_of_ns", "units", "positions", "liquidatable_units", "equity", "maintenance", "markets", "top_contributors", "scenarios", "confidence", "bad_debt_at_risk", "bad_debt_expected_shortfall", "liquidations_at_risk", "mean_bad_debt", "insurance_fund", "coverage_ratio", "deepest_cascade", "unconverged", "compute_ns", "scenario_model", "historical_rows", "bad_debt_limit", "current_parameters", "proposed_parameters", "margins_constrained", "scenario_digest", "scenario_bad_debt", "scenario_liquidated_notional", "scenario_rounds", "unconverged_scenarios", "market_debt_scenario", "market_debt_market", "market_debt")
    AS_OF_NS_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    POSITIONS_FIELD_NUMBER: _ClassVar[int]
    LIQUIDATABLE_UNITS_FIELD_NUMBER: _ClassVar[int]
    EQUITY_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_FIELD_NUMBER: _ClassVar[int]
    MARKETS_FIELD_NUMBER: _ClassVar[int]
    TOP_CONTRIBUTORS_FIELD_NUMBER: _ClassVar[int]
    SCENARIOS_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    BAD_DEBT_AT_RISK_FIELD_NUMBER: _ClassVar[int]
    BAD_DEBT_EXPECTED_SHORTFALL_FIELD_NUMBER: _ClassVar[int]
    LIQUIDATIONS_AT_RISK_FIELD_NUMBER: _ClassVar[int]
    MEAN_BAD_DEBT_FIELD_NUMBER: _ClassVar[int]
    INSURANCE_FUND_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_RATIO_FIELD_NUMBER: _ClassVar[int]
    DEEPEST_CASCADE_FIELD_NUMBER: _ClassVar[int]
    UNCONVERGED_FIELD_NUMBER: _ClassVar[int]
    COMPUTE_NS_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_MODEL_FIELD_NUMBER: _ClassVar[int]
    HISTORICAL_ROWS_FIELD_NUMBER: _ClassVar[int]
    BAD_DEBT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    MARGINS_CONSTRAINED_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_DIGEST_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_BAD_DEBT_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_LIQUIDATED_NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_ROUNDS_FIELD_NUMBER: _ClassVar[int]
    UNCONVERGED_SCENARIOS_FIELD_NUMBER: _ClassVar[int]
    MARKET_DEBT_SCENARIO_FIELD_NUMBER: _ClassVar[int]
    MARKET_DEBT_MARKET_FIELD_NUMBER: _ClassVar[int]
    MARKET_DEBT_FIELD_NUMBER: _ClassVar[int]
    as_of_ns: int
    units: int
    positions: int
    liquidatable_units: int
    equity: float
    maintenance: float
    markets: _containers.RepeatedCompositeFieldContainer[MarketHealth]
    top_contributors: _containers.RepeatedCompositeFieldContainer[HealthContributor]
    scenarios: int
    confidence: float
    bad_debt_at_risk: float
    bad_debt_expected_shortfall: float
    liquidations_at_risk: float
    mean_bad_debt: float
    insurance_fund: float
    coverage_ratio: float
    deepest_cascade: int
    unconverged: int
    compute_ns: int
    scenario_model: ScenarioModel
    historical_rows: int
    bad_debt_limit: float
    current_parameters: ParameterTradeoff
    proposed_parameters: ParameterTradeoff
    margins_constrained: bool
    scenario_digest: int
    scenario_bad_debt: _containers.RepeatedScalarFieldContainer[float]
    scenario_liquidated_notional: _containers.RepeatedScalarFieldContainer[float]
    scenario_rounds: _containers.RepeatedScalarFieldContainer[int]
    unconverged_scenarios: _containers.RepeatedScalarFieldContainer[int]
    market_debt_scenario: _containers.RepeatedScalarFieldContainer[int]
    market_debt_market: _containers.RepeatedScalarFieldContainer[int]
    market_debt: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, as_of_ns: _Optional[int] = ..., units: _Optional[int] = ..., positions: _Optional[int] = ..., liquidatable_units: _Optional[int] = ..., equity: _Optional[float] = ..., maintenance: _Optional[float] = ..., markets: _Optional[_Iterable[_Union[MarketHealth, _Mapping]]] = ..., top_contributors: _Optional[_Iterable[_Union[HealthContributor, _Mapping]]] = ..., scenarios: _Optional[int] = ..., confidence: _Optional[float] = ..., bad_debt_at_risk: _Optional[float] = ..., bad_debt_expected_shortfall: _Optional[float] = ..., liquidations_at_risk: _Optional[float] = ..., mean_bad_debt: _Optional[float] = ..., insurance_fund: _Optional[float] = ..., coverage_ratio: _Optional[float] = ..., deepest_cascade: _Optional[int] = ..., unconverged: _Optional[int] = ..., compute_ns: _Optional[int] = ..., scenario_model: _Optional[_Union[ScenarioModel, str]] = ..., historical_rows: _Optional[int] = ..., bad_debt_limit: _Optional[float] = ..., current_parameters: _Optional[_Union[ParameterTradeoff, _Mapping]] = ..., proposed_parameters: _Optional[_Union[ParameterTradeoff, _Mapping]] = ..., margins_constrained: bool = ..., scenario_digest: _Optional[int] = ..., scenario_bad_debt: _Optional[_Iterable[float]] = ..., scenario_liquidated_notional: _Optional[_Iterable[float]] = ..., scenario_rounds: _Optional[_Iterable[int]] = ..., unconverged_scenarios: _Optional[_Iterable[int]] = ..., market_debt_scenario: _Optional[_Iterable[int]] = ..., market_debt_market: _Optional[_Iterable[int]] = ..., market_debt: _Optional[_Iterable[float]] = ...) -> None: ...
