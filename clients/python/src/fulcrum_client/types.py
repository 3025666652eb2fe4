"""Typed views of what Fulcrum publishes: enums and frozen dataclasses built from `fulcrum.v1` messages.

Field names and units are those of protocols/fulcrum/v1/risk.proto (prices in quote currency, fractions as plain
fractions, times in nanoseconds). Every object keeps the protobuf message it was built from in `proto` (not shown,
not compared), whichever encoding it arrived in.
"""
from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any, Optional


class _WireEnum(enum.IntEnum):
    """An enum of the wire contract. Unknown numbers (a newer publisher) read as UNSPECIFIED, as the protocol asks."""

    @classmethod
    def _missing_(cls, value):
        return cls(0) if isinstance(value, int) else None

    @classmethod
    def _prefix(cls) -> str:
        raise NotImplementedError

    @property
    def wire_name(self) -> str:
        """The name in the .proto file and in the JSON encoding, e.g. `REASON_CIRCUIT_BREAKER`."""
        return self._prefix() + self.name

    @classmethod
    def from_wire(cls, value):
        """From a number or a wire name (`ASSET_STATUS_READY`, or just `READY`)."""
        if isinstance(value, str):
            name = value[len(cls._prefix()):] if value.startswith(cls._prefix()) else value
            return cls.__members__.get(name, cls(0))
        return cls(int(value))


class AssetStatus(_WireEnum):
    UNSPECIFIED = 0
    WARMING = 1     # not enough history: conservative defaults
    READY = 2       # parameters follow the model
    STRESSED = 3    # circuit breaker tripped: stressed margins
    STALE = 4       # no fresh price: stressed margins

    @classmethod
    def _prefix(cls):
        return "ASSET_STATUS_"


class Reason(_WireEnum):
    UNSPECIFIED = 0
    STEP_LIMIT = 1
    COOLDOWN = 2
    HYSTERESIS = 3
    FLOOR = 4
    CAP = 5
    ANTI_PROCYCLICAL = 6
    CIRCUIT_BREAKER = 7
    STALE_FEED = 8
    WARMING = 9
    PARAMETRIC_FALLBACK = 10
    COVERAGE_WIDENING = 11
    PERIODIC_REFRESH = 12
    INVALID_INPUT = 13
    LIQUIDITY_UNKNOWN = 14
    INVARIANT_ADJUSTED = 15
    LEVERAGE_CAPPED = 16
    ANTI_PROCYCLICAL_BUFFER = 17
    BOOK_IMPACT = 18
    OPEN_INTEREST = 19
    CONCENTRATION = 20
    LIQUIDATION_CASCADE = 21
    PROTOCOL_HEALTH = 22

    @classmethod
    def _prefix(cls):
        return "REASON_"


class CoverageZone(_WireEnum):
    UNSPECIFIED = 0
    GREEN = 1
    YELLOW = 2
    RED = 3

    @classmethod
    def _prefix(cls):
        return "COVERAGE_ZONE_"


def _proto_field():
    return field(default=None, repr=False, compare=False)


def _time(ns: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ns / 1e9, tz=datetime.timezone.utc)


@dataclass(frozen=True)
class MarginTier:
    """Positions with notional in [notional_floor, notional_cap): maintenance margin = N·mmf − maintenance_deduction.
    The last tier has no cap: risk.proto says +inf (JSON null, read here as +inf); the publisher currently writes the
    largest finite double (1.797e308) in both encodings, passed on as it is."""
    notional_floor: float
    notional_cap: float
    imf: float
    mmf: float
    max_leverage: int
    maintenance_deduction: float

    @classmethod
    def from_proto(cls, m) -> "MarginTier":
        return cls(m.notional_floor, m.notional_cap, m.imf, m.mmf, m.max_leverage, m.maintenance_deduction)


@dataclass(frozen=True)
class ModelInputs:
    """The inputs the parameters were computed from (volatilities of log returns)."""
    sigma_step: float
    sigma_annual: float
    sigma_horizon: float
    ess: float
    residual_count: int
    staleness_ns: int
    stressed_sigma_step: float

    @classmethod
    def from_proto(cls, m) -> "ModelInputs":
        return cls(m.sigma_step, m.sigma_annual, m.sigma_horizon, m.ess, m.residual_count, m.staleness_ns,
                   m.stressed_sigma_step)


@dataclass(frozen=True)
class Coverage:
    """Realized coverage of the margins published one horizon ago (protocols/README.md, "Coverage")."""
    observations: int
    exceptions: int
    exception_rate: float
    target_rate: float
    kupiec_lr: float
    kupiec_p_value: float
    zone: CoverageZone

    @classmethod
    def from_proto(cls, m) -> "Coverage":
        return cls(m.observations, m.exceptions, m.exception_rate, m.target_rate, m.kupiec_lr, m.kupiec_p_value,
                   CoverageZone(m.zone))


@dataclass(frozen=True)
class RiskParameters:
    """One asset's parameters (topic `risk.<SYMBOL>`). `imf`, `mmf`, `max_leverage` and `tiers` are the published
    values consumers apply; the `*_target` fields are the unconstrained model targets."""
    symbol: str
    publisher_epoch: int
    as_of_ns: int
    grid_step: int
    status: AssetStatus
    price: float
    inputs: Optional[ModelInputs]
    imf: float
    mmf: float
    max_leverage: int
    imf_target: float
    mmf_target: float
    max_leverage_target: int
    mmf_long: float
    mmf_short: float
    reasons: tuple[Reason, ...]
    eta_steps: int
    eta_ns: int
    tiers: tuple[MarginTier, ...]
    config_hash: int
    coverage: Optional[Coverage]
    horizon_ns: int
    proto: Any = _proto_field()

    @property
    def topic(self) -> str:
        return f"risk.{self.symbol}"

    @property
    def as_of(self) -> datetime.datetime:
        """The grid boundary the parameters reflect, as an aware UTC datetime."""
        return _time(self.as_of_ns)

    @classmethod
    def from_proto(cls, m) -> "RiskParameters":
        return cls(
            symbol=m.symbol, publisher_epoch=m.publisher_epoch, as_of_ns=m.as_of_ns, grid_step=m.grid_step,
            status=AssetStatus(m.status), price=m.price,
            inputs=ModelInputs.from_proto(m.inputs) if m.HasField("inputs") else None,
            imf=m.imf, mmf=m.mmf, max_leverage=m.max_leverage, imf_target=m.imf_target, mmf_target=m.mmf_target,
            max_leverage_target=m.max_leverage_target, mmf_long=m.mmf_long, mmf_short=m.mmf_short,
            reasons=tuple(Reason(r) for r in m.reasons), eta_steps=m.eta_steps, eta_ns=m.eta_ns,
            tiers=tuple(MarginTier.from_proto(t) for t in m.tiers), config_hash=m.config_hash,
            coverage=Coverage.from_proto(m.coverage) if m.HasField("coverage") else None,
            horizon_ns=m.horizon_ns, proto=m)


class MalformedPortfolioError(ValueError):
    """A PortfolioUpdate whose correlation fields do not have the counts its symbols ask for (n(n+1)/2 triangle
    entries, or n·k loadings and n admitted/ready flags in factor form), or an index outside its symbols."""


@dataclass(frozen=True)
class PortfolioUpdate:
    """What portfolio margin needs (topic `portfolio`): σ per symbol and the correlation matrix, either as the
    packed upper triangle (`correlation`, `pair_ready`) or, when `factor_count` > 0, in factor form
    (`correlation_loadings`, `correlation_admitted`, `symbol_ready`, `shrinkage_target`; protocols/README.md,
    "Factor form"). `correlation_at`, `pair_ready_at`, `correlation_between` and `correlation_matrix()` read
    either form; in factor form they expand it with the protocol's exact rule (the same bits as Fulcrum)."""
    publisher_epoch: int
    as_of_ns: int
    grid_step: int
    symbols: tuple[str, ...]
    sigma_horizon: tuple[float, ...]
    correlation: tuple[float, ...]
    pair_ready: tuple[bool, ...]
    shrinkage_intensity: float
    horizon_ns: int
    max_offset_fraction: float
    coverage_epsilon: float
    config_hash: int
    factor_count: int = 0
    correlation_loadings: tuple[float, ...] = ()
    correlation_admitted: tuple[bool, ...] = ()
    symbol_ready: tuple[bool, ...] = ()
    shrinkage_target: float = 0.0
    proto: Any = _proto_field()

    topic = "portfolio"

    @property
    def as_of(self) -> datetime.datetime:
        return _time(self.as_of_ns)

    @property
    def is_factor_form(self) -> bool:
        """True when the matrix came in factor form (`factor_count` > 0)."""
        return self.factor_count > 0

    def validate(self) -> None:
        """Raises MalformedPortfolioError unless the correlation fields have the counts the symbols ask for."""
        n, k = len(self.symbols), self.factor_count
        if k > 0:
            if len(self.correlation_loadings) != n * k:
                raise MalformedPortfolioError(
                    f"factor form: {len(self.correlation_loadings)} correlation_loadings for {n} symbols and "
                    f"factor_count {k} (expected n·k = {n * k})")
            if len(self.correlation_admitted) != n or len(self.symbol_ready) != n:
                raise MalformedPortfolioError(
                    f"factor form: {len(self.correlation_admitted)} correlation_admitted and {len(self.symbol_ready)} "
                    f"symbol_ready flags for {n} symbols (expected {n} each)")
        else:
            packed = n * (n + 1) // 2
            if len(self.correlation) != packed or len(self.pair_ready) != packed:
                raise MalformedPortfolioError(
                    f"{len(self.correlation)} correlation and {len(self.pair_ready)} pair_ready entries for {n} "
                    f"symbols (expected the triangle's n(n+1)/2 = {packed} each)")

    def _checked(self, i: int, j: int) -> tuple[int, int]:
        self.validate()
        n = len(self.symbols)
        if not (0 <= i < n and 0 <= j < n):
            raise MalformedPortfolioError(f"index ({i}, {j}) outside the {n} symbols")
        return i, j

    def _packed(self, i: int, j: int) -> int:
        """Index of (i, j) in the upper triangle, row by row: (r, c), r ≤ c, at r·n − r(r−1)/2 + (c − r)."""
        r, c = min(i, j), max(i, j)
        return r * len(self.symbols) - r * (r - 1) // 2 + (c - r)

    def _factor_correlation(self, i: int, j: int) -> float:
        """The factor form's entry (i ≠ j, indices checked): 0 unless both are admitted, else
        (1 − w)·clamp(s, −1, 1) + w·F with s = Σ_f L[i·k+f]·L[j·k+f] from 0 in ascending f, multiply then add
        (Python floats never fuse them), which gives Fulcrum's bits."""
        if not (self.correlation_admitted[i] and self.correlation_admitted[j]):
            return 0.0
        k, loadings = self.factor_count, self.correlation_loadings
        s = 0.0
        for f in range(k):
            s = s + loadings[i * k + f] * loadings[j * k + f]
        clamped = min(max(s, -1.0), 1.0)
        w = self.shrinkage_intensity
        return (1 - w) * clamped + w * self.shrinkage_target

    def correlation_at(self, i: int, j: int) -> float:
        """ρ of the symbols at indices i and j (either order), in either form; 1 on the diagonal in factor form.
        Raises MalformedPortfolioError for bad counts or an index outside the symbols."""
        i, j = self._checked(i, j)
        if not self.is_factor_form:
            return self.correlation[self._packed(i, j)]
        return 1.0 if i == j else self._factor_correlation(i, j)

    def pair_ready_at(self, i: int, j: int) -> bool:
        """Whether the pair at indices i and j has enough history for offsets: `pair_ready` of the triangle, or
        symbol_ready[i] and symbol_ready[j] in factor form."""
        i, j = self._checked(i, j)
        if not self.is_factor_form:
            return self.pair_ready[self._packed(i, j)]
        return bool(self.symbol_ready[i] and self.symbol_ready[j])

    def correlation_between(self, a: str, b: str) -> float:
        """ρ of two symbols (their first indices in `symbols`), in either form."""
        return self.correlation_at(self.symbols.index(a), self.symbols.index(b))

    def pair_ready_between(self, a: str, b: str) -> bool:
        """Whether the pair of two symbols has enough history for offsets, in either form."""
        return self.pair_ready_at(self.symbols.index(a), self.symbols.index(b))

    def correlation_matrix(self) -> list[list[float]]:
        """The full n×n matrix as a list of rows, symmetric, from either form (factor form: O(n²·k), each entry
        with the protocol's exact rule). Raises MalformedPortfolioError for bad counts."""
        self.validate()
        n = len(self.symbols)
        rows = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i, n):
                if self.is_factor_form:
                    value = 1.0 if i == j else self._factor_correlation(i, j)
                else:
                    value = self.correlation[self._packed(i, j)]
                rows[i][j] = rows[j][i] = value
        return rows

    @classmethod
    def from_proto(cls, m) -> "PortfolioUpdate":
        return cls(m.publisher_epoch, m.as_of_ns, m.grid_step, tuple(m.symbols), tuple(m.sigma_horizon),
                   tuple(m.correlation), tuple(m.pair_ready), m.shrinkage_intensity, m.horizon_ns,
                   m.max_offset_fraction, m.coverage_epsilon, m.config_hash, factor_count=m.factor_count,
                   correlation_loadings=tuple(m.correlation_loadings),
                   correlation_admitted=tuple(m.correlation_admitted), symbol_ready=tuple(m.symbol_ready),
                   shrinkage_target=m.shrinkage_target, proto=m)


@dataclass(frozen=True)
class Heartbeat:
    """Liveness (topic `hb`); `sequence` is the publisher's last update (heartbeats do not consume one)."""
    publisher_epoch: int
    sequence: int
    wall_time_ns: int
    event_time_ns: int
    interval_ms: int
    symbols: int
    proto: Any = _proto_field()

    topic = "hb"

    @classmethod
    def from_proto(cls, m) -> "Heartbeat":
        return cls(m.publisher_epoch, m.sequence, m.wall_time_ns, m.event_time_ns, m.interval_ms, m.symbols, proto=m)


@dataclass(frozen=True)
class SnapshotEnd:
    """Last message of a snapshot reply: every update with a sequence ≤ `sequence` is reflected in it."""
    publisher_epoch: int
    sequence: int
    count: int
    proto: Any = _proto_field()

    topic = "snapshot.end"

    @classmethod
    def from_proto(cls, m) -> "SnapshotEnd":
        return cls(m.publisher_epoch, m.sequence, m.count, proto=m)


Update = RiskParameters | PortfolioUpdate
"""What a client applies to its state (and returns from poll)."""


# Events a client reports, in the vocabulary of protocols/README.md ("Client state machine").

@dataclass(frozen=True)
class Synchronized:
    """A snapshot (and the updates queued after it) replaced the state."""
    epoch: int
    sequence: int
    symbols: int

    def as_dict(self):
        return {"event": "synchronized", "epoch": self.epoch, "sequence": self.sequence, "symbols": self.symbols}


@dataclass(frozen=True)
class Resync:
    """The state is being re-requested; `reason` is one of RESYNC_REASONS."""
    reason: str

    def as_dict(self):
        return {"event": "resync", "reason": self.reason}


@dataclass(frozen=True)
class PublisherDead:
    """Nothing heard for longer than the client's dead time: the parameters are stale."""
    silent_for: float

    def as_dict(self):
        return {"event": "publisher_dead", "silent_for": self.silent_for}


@dataclass(frozen=True)
class PublisherAlive:
    """Messages arrive (again)."""

    def as_dict(self):
        return {"event": "publisher_alive"}


Event = Synchronized | Resync | PublisherDead | PublisherAlive

RESYNC_REASONS = ("gap", "new_epoch", "heartbeat_ahead", "backlog_overflow", "snapshot_timeout")
