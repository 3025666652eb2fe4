from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AssetStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSET_STATUS_UNSPECIFIED: _ClassVar[AssetStatus]
    ASSET_STATUS_WARMING: _ClassVar[AssetStatus]
    ASSET_STATUS_READY: _ClassVar[AssetStatus]
    ASSET_STATUS_STRESSED: _ClassVar[AssetStatus]
    ASSET_STATUS_STALE: _ClassVar[AssetStatus]

class Reason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REASON_UNSPECIFIED: _ClassVar[Reason]
    REASON_STEP_LIMIT: _ClassVar[Reason]
    REASON_COOLDOWN: _ClassVar[Reason]
    REASON_HYSTERESIS: _ClassVar[Reason]
    REASON_FLOOR: _ClassVar[Reason]
    REASON_CAP: _ClassVar[Reason]
    REASON_ANTI_PROCYCLICAL: _ClassVar[Reason]
    REASON_CIRCUIT_BREAKER: _ClassVar[Reason]
    REASON_STALE_FEED: _ClassVar[Reason]
    REASON_WARMING: _ClassVar[Reason]
    REASON_PARAMETRIC_FALLBACK: _ClassVar[Reason]
    REASON_COVERAGE_WIDENING: _ClassVar[Reason]
    REASON_PERIODIC_REFRESH: _ClassVar[Reason]
    REASON_INVALID_INPUT: _ClassVar[Reason]
    REASON_LIQUIDITY_UNKNOWN: _ClassVar[Reason]
    REASON_INVARIANT_ADJUSTED: _ClassVar[Reason]
    REASON_LEVERAGE_CAPPED: _ClassVar[Reason]
    REASON_ANTI_PROCYCLICAL_BUFFER: _ClassVar[Reason]
    REASON_BOOK_IMPACT: _ClassVar[Reason]
    REASON_OPEN_INTEREST: _ClassVar[Reason]
    REASON_CONCENTRATION: _ClassVar[Reason]
    REASON_LIQUIDATION_CASCADE: _ClassVar[Reason]
    REASON_PROTOCOL_HEALTH: _ClassVar[Reason]

class CoverageZone(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COVERAGE_ZONE_UNSPECIFIED: _ClassVar[CoverageZone]
    COVERAGE_ZONE_GREEN: _ClassVar[CoverageZone]
    COVERAGE_ZONE_YELLOW: _ClassVar[CoverageZone]
    COVERAGE_ZONE_RED: _ClassVar[CoverageZone]

class LiquiditySource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIQUIDITY_SOURCE_UNSPECIFIED: _ClassVar[LiquiditySource]
    LIQUIDITY_SOURCE_BOOK: _ClassVar[LiquiditySource]
    LIQUIDITY_SOURCE_VOLUME: _ClassVar[LiquiditySource]
    LIQUIDITY_SOURCE_UNKNOWN: _ClassVar[LiquiditySource]

class Encoding(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENCODING_PROTOBUF: _ClassVar[Encoding]
    ENCODING_JSON: _ClassVar[Encoding]
ASSET_STATUS_UNSPECIFIED: AssetStatus
ASSET_STATUS_WARMING: AssetStatus
ASSET_STATUS_READY: AssetStatus
ASSET_STATUS_STRESSED: AssetStatus
ASSET_STATUS_STALE: AssetStatus
REASON_UNSPECIFIED: Reason
REASON_STEP_LIMIT: Reason
REASON_COOLDOWN: Reason
REASON_HYSTERESIS: Reason
REASON_FLOOR: Reason
REASON_CAP: Reason
REASON_ANTI_PROCYCLICAL: Reason
REASON_CIRCUIT_BREAKER: Reason
REASON_STALE_FEED: Reason
REASON_WARMING: Reason
REASON_PARAMETRIC_FALLBACK: Reason
REASON_COVERAGE_WIDENING: Reason
REASON_PERIODIC_REFRESH: Reason
REASON_INVALID_INPUT: Reason
REASON_LIQUIDITY_UNKNOWN: Reason
REASON_INVARIANT_ADJUSTED: Reason
REASON_LEVERAGE_CAPPED: Reason
REASON_ANTI_PROCYCLICAL_BUFFER: Reason
REASON_BOOK_IMPACT: Reason
REASON_OPEN_INTEREST: Reason
REASON_CONCENTRATION: Reason
REASON_LIQUIDATION_CASCADE: Reason
REASON_PROTOCOL_HEALTH: Reason
COVERAGE_ZONE_UNSPECIFIED: CoverageZone
COVERAGE_ZONE_GREEN: CoverageZone
COVERAGE_ZONE_YELLOW: CoverageZone
COVERAGE_ZONE_RED: CoverageZone
LIQUIDITY_SOURCE_UNSPECIFIED: LiquiditySource
LIQUIDITY_SOURCE_BOOK: LiquiditySource
LIQUIDITY_SOURCE_VOLUME: LiquiditySource
LIQUIDITY_SOURCE_UNKNOWN: LiquiditySource
ENCODING_PROTOBUF: Encoding
ENCODING_JSON: Encoding

class MarginTier(_message.Message):
    __slots__ = ("notional_floor", "notional_cap", "imf", "mmf", "max_leverage", "maintenance_deduction")
    NOTIONAL_FLOOR_FIELD_NUMBER: _ClassVar[int]
    NOTIONAL_CAP_FIELD_NUMBER: _ClassVar[int]
    IMF_FIELD_NUMBER: _ClassVar[int]
    MMF_FIELD_NUMBER: _ClassVar[int]
    MAX_LEVERAGE_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_DEDUCTION_FIELD_NUMBER: _ClassVar[int]
    notional_floor: float
    notional_cap: float
    imf: float
    mmf: float
    max_leverage: int
    maintenance_deduction: float
    def __init__(self, notional_floor: _Optional[float] = ..., notional_cap: _Optional[float] = ..., imf: _Optional[float] = ..., mmf: _Optional[float] = ..., max_leverage: _Optional[int] = ..., maintenance_deduction: _Optional[float] = ...) -> None: ...

class Coverage(_message.Message):
    __slots__ = ("observations", "exceptions", "exception_rate", "target_rate", "kupiec_lr", "kupiec_p_value", "zone")
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    EXCEPTIONS_FIELD_NUMBER: _ClassVar[int]
    EXCEPTION_RATE_FIELD_NUMBER: _ClassVar[int]
    TARGET_RATE_FIELD_NUMBER: _ClassVar[int]
    KUPIEC_LR_FIELD_NUMBER: _ClassVar[int]
    KUPIEC_P_VALUE_FIELD_NUMBER: _ClassVar[int]
    ZONE_FIELD_NUMBER: _ClassVar[int]
    observations: int
    exceptions: int
    exception_rate: float
    target_rate: float
    kupiec_lr: float
    kupiec_p_value: float
    zone: CoverageZone
    def __init__(self, observations: _Optional[int] = ..., exceptions: _Optional[int] = ..., exception_rate: _Optional[float] = ..., target_rate: _Optional[float] = ..., kupiec_lr: _Optional[float] = ..., kupiec_p_value: _Optional[float] = ..., zone: _Optional[_Union[CoverageZone, str]] = ...) -> None: ...

class ModelInputs(_message.Message):
    __slots__ = ("sigma_step", "sigma_annual", "sigma_horizon", "ess", "residual_count", "staleness_ns", "stressed_sigma_step", "mark_price", "index_price", "basis", "open_interest_notional", "liquidated_notional", "book_depth_notional", "liquidity_source", "open_interest_lower_cap", "open_interest_upper_cap")
    SIGMA_STEP_FIELD_NUMBER: _ClassVar[int]
    SIGMA_ANNUAL_FIELD_NUMBER: _ClassVar[int]
    SIGMA_HORIZON_FIELD_NUMBER: _ClassVar[int]
    ESS_FIELD_NUMBER: _ClassVar[int]
    RESIDUAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    STALENESS_NS_FIELD_NUMBER: _ClassVar[int]
    STRESSED_SIGMA_STEP_FIELD_NUMBER: _ClassVar[int]
    MARK_PRICE_FIELD_NUMBER: _ClassVar[int]
    INDEX_PRICE_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    OPEN_INTEREST_NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    LIQUIDATED_NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    BOOK_DEPTH_NOTIONAL_FIELD_NUMBER: _ClassVar[int]
    LIQUIDITY_SOURCE_FIELD_NUMBER: _ClassVar[int]
    OPEN_INTEREST_LOWER_CAP_FIELD_NUMBER: _ClassVar[int]
    OPEN_INTEREST_UPPER_CAP_FIELD_NUMBER: _ClassVar[int]
    sigma_step: float
    sigma_annual: float
    sigma_horizon: float
    ess: float
    residual_count: int
    staleness_ns: int
    stressed_sigma_step: float
    mark_price: float
    index_price: float
    basis: float
    open_interest_notional: float
    liquidated_notional: float
    book_depth_notional: float
    liquidity_source: LiquiditySource
    open_interest_lower_cap: float
    open_interest_upper_cap: float
    def __init__(self, sigma_step: _Optional[float] = ..., sigma_annual: _Optional[float] = ..., sigma_horizon: _Optional[float] = ..., ess: _Optional[float] = ..., residual_count: _Optional[int] = ..., staleness_ns: _Optional[int] = ..., stressed_sigma_step: _Optional[float] = ..., mark_price: _Optional[float] = ..., index_price: _Optional[float] = ..., basis: _Optional[float] = ..., open_interest_notional: _Optional[float] = ..., liquidated_notional: _Optional[float] = ..., book_depth_notional: _Optional[float] = ..., liquidity_source: _Optional[_Union[LiquiditySource, str]] = ..., open_interest_lower_cap: _Optional[float] = ..., open_interest_upper_cap: _Optional[float] = ...) -> None: ...

class RiskParameters(_message.Message):
    __slots__ = ("symbol", "publisher_epoch", "as_of_ns", "grid_step", "status", "price", "inputs", "imf", "mmf", "max_leverage", "imf_target", "mmf_target", "max_leverage_target", "mmf_long", "mmf_short", "reasons", "eta_steps", "eta_ns", "tiers", "config_hash", "coverage", "horizon_ns")
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    PUBLISHER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    AS_OF_NS_FIELD_NUMBER: _ClassVar[int]
    GRID_STEP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    IMF_FIELD_NUMBER: _ClassVar[int]
    MMF_FIELD_NUMBER: _ClassVar[int]
    MAX_LEVERAGE_FIELD_NUMBER: _ClassVar[int]
    IMF_TARGET_FIELD_NUMBER: _ClassVar[int]
    MMF_TARGET_FIELD_NUMBER: _ClassVar[int]
    MAX_LEVERAGE_TARGET_FIELD_NUMBER: _ClassVar[int]
    MMF_LONG_FIELD_NUMBER: _ClassVar[int]
    MMF_SHORT_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    ETA_STEPS_FIELD_NUMBER: _ClassVar[int]
    ETA_NS_FIELD_NUMBER: _ClassVar[int]
    TIERS_FIELD_NUMBER: _ClassVar[int]
    CONFIG_HASH_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_FIELD_NUMBER: _ClassVar[int]
    HORIZON_NS_FIELD_NUMBER: _ClassVar[int]
    symbol: str
    publisher_epoch: int
    as_of_ns: int
    grid_step: int
    status: AssetStatus
    price: float
    inputs: ModelInputs
    imf: float
    mmf: float
    max_leverage: int
    imf_target: float
    mmf_target: float
    max_leverage_target: int
    mmf_long: float
    mmf_short: float
    reasons: _containers.RepeatedScalarFieldContainer[Reason]
    eta_steps: int
    eta_ns: int
    tiers: _containers.RepeatedCompositeFieldContainer[MarginTier]
    config_hash: int
    coverage: Coverage
    horizon_ns: int
    def __init__(self, symbol: _Optional[str] = ..., publisher_epoch: _Optional[int] = ..., as_of_ns: _Optional[int] = ..., grid_step: _Optional[int] = ..., status: _Optional[_Union[AssetStatus, str]] = ..., price: _Optional[float] = ..., inputs: _Optional[_Union[ModelInputs, _Mapping]] = ..., imf: _Optional[float] = ..., mmf: _Optional[float] = ..., max_leverage: _Optional[int] = ..., imf_target: _Optional[float] = ..., mmf_target: _Optional[float] = ..., max_leverage_target: _Optional[int] = ..., mmf_long: _Optional[float] = ..., mmf_short: _Optional[float] = ..., reasons: _Optional[_Iterable[_Union[Reason, str]]] = ..., eta_steps: _Optional[int] = ..., eta_ns: _Optional[int] = ..., tiers: _Optional[_Iterable[_Union[MarginTier, _Mapping]]] = ..., config_hash: _Optional[int] = ..., coverage: _Optional[_Union[Coverage, _Mapping]] = ..., horizon_ns: _Optional[int] = ...) -> None: ...

class PortfolioUpdate(_message.Message):
    __slots__ = ("publisher_epoch", "as_of_ns", "grid_step", "symbols", "sigma_horizon", "correlation", "pair_ready", "shrinkage_intensity", "horizon_ns", "max_offset_fraction", "coverage_epsilon", "config_hash", "factor_count", "correlation_loadings", "correlation_admitted", "symbol_ready", "shrinkage_target")
    PUBLISHER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    AS_OF_NS_FIELD_NUMBER: _ClassVar[int]
    GRID_STEP_FIELD_NUMBER: _ClassVar[int]
    SYMBOLS_FIELD_NUMBER: _ClassVar[int]
    SIGMA_HORIZON_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_FIELD_NUMBER: _ClassVar[int]
    PAIR_READY_FIELD_NUMBER: _ClassVar[int]
    SHRINKAGE_INTENSITY_FIELD_NUMBER: _ClassVar[int]
    HORIZON_NS_FIELD_NUMBER: _ClassVar[int]
    MAX_OFFSET_FRACTION_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_EPSILON_FIELD_NUMBER: _ClassVar[int]
    CONFIG_HASH_FIELD_NUMBER: _ClassVar[int]
    FACTOR_COUNT_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_LOADINGS_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ADMITTED_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_READY_FIELD_NUMBER: _ClassVar[int]
    SHRINKAGE_TARGET_FIELD_NUMBER: _ClassVar[int]
    publisher_epoch: int
    as_of_ns: int
    grid_step: int
    symbols: _containers.RepeatedScalarFieldContainer[str]
    sigma_horizon: _containers.RepeatedScalarFieldContainer[float]
    correlation: _containers.RepeatedScalarFieldContainer[float]
    pair_ready: _containers.RepeatedScalarFieldContainer[bool]
    shrinkage_intensity: float
    horizon_ns: int
    max_offset_fraction: float
    coverage_epsilon: float
    config_hash: int
    factor_count: int
    correlation_loadings: _containers.RepeatedScalarFieldContainer[float]
    correlation_admitted: _containers.RepeatedScalarFieldContainer[bool]
    symbol_ready: _containers.RepeatedScalarFieldContainer[bool]
    shrinkage_target: float
    def __init__(self, publisher_epoch: _Optional[int] = ..., as_of_ns: _Optional[int] = ..., grid_step: _Optional[int] = ..., symbols: _Optional[_Iterable[str]] = ..., sigma_horizon: _Optional[_Iterable[float]] = ..., correlation: _Optional[_Iterable[float]] = ..., pair_ready: _Optional[_Iterable[bool]] = ..., shrinkage_intensity: _Optional[float] = ..., horizon_ns: _Optional[int] = ..., max_offset_fraction: _Optional[float] = ..., coverage_epsilon: _Optional[float] = ..., config_hash: _Optional[int] = ..., factor_count: _Optional[int] = ..., correlation_loadings: _Optional[_Iterable[float]] = ..., correlation_admitted: _Optional[_Iterable[bool]] = ..., symbol_ready: _Optional[_Iterable[bool]] = ..., shrinkage_target: _Optional[float] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ("publisher_epoch", "sequence", "wall_time_ns", "event_time_ns", "interval_ms", "symbols")
    PUBLISHER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    WALL_TIME_NS_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_NS_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    SYMBOLS_FIELD_NUMBER: _ClassVar[int]
    publisher_epoch: int
    sequence: int
    wall_time_ns: int
    event_time_ns: int
    interval_ms: int
    symbols: int
    def __init__(self, publisher_epoch: _Optional[int] = ..., sequence: _Optional[int] = ..., wall_time_ns: _Optional[int] = ..., event_time_ns: _Optional[int] = ..., interval_ms: _Optional[int] = ..., symbols: _Optional[int] = ...) -> None: ...

class SnapshotRequest(_message.Message):
    __slots__ = ("topic_prefix", "encoding")
    TOPIC_PREFIX_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    topic_prefix: str
    encoding: Encoding
    def __init__(self, topic_prefix: _Optional[str] = ..., encoding: _Optional[_Union[Encoding, str]] = ...) -> None: ...

class SnapshotEnd(_message.Message):
    __slots__ = ("publisher_epoch", "sequence", "count")
    PUBLISHER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    publisher_epoch: int
    sequence: int
    count: int
    def __init__(self, publisher_epoch: _Optional[int] = ..., sequence: _Optional[int] = ..., count: _Optional[int] = ...) -> None: ...
