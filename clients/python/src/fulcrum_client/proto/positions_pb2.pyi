from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MarginMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MARGIN_MODE_CROSS: _ClassVar[MarginMode]
    MARGIN_MODE_ISOLATED: _ClassVar[MarginMode]
MARGIN_MODE_CROSS: MarginMode
MARGIN_MODE_ISOLATED: MarginMode

class Position(_message.Message):
    __slots__ = ("account", "symbol", "size", "entry_price", "mode", "isolated_collateral")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_PRICE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    ISOLATED_COLLATERAL_FIELD_NUMBER: _ClassVar[int]
    account: int
    symbol: str
    size: float
    entry_price: float
    mode: MarginMode
    isolated_collateral: float
    def __init__(self, account: _Optional[int] = ..., symbol: _Optional[str] = ..., size: _Optional[float] = ..., entry_price: _Optional[float] = ..., mode: _Optional[_Union[MarginMode, str]] = ..., isolated_collateral: _Optional[float] = ...) -> None: ...

class Collateral(_message.Message):
    __slots__ = ("account", "amount")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    account: int
    amount: float
    def __init__(self, account: _Optional[int] = ..., amount: _Optional[float] = ...) -> None: ...

class PositionUpdate(_message.Message):
    __slots__ = ("source_epoch", "positions", "collateral", "closed_accounts")
    SOURCE_EPOCH_FIELD_NUMBER: _ClassVar[int]
    POSITIONS_FIELD_NUMBER: _ClassVar[int]
    COLLATERAL_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    source_epoch: int
    positions: _containers.RepeatedCompositeFieldContainer[Position]
    collateral: _containers.RepeatedCompositeFieldContainer[Collateral]
    closed_accounts: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, source_epoch: _Optional[int] = ..., positions: _Optional[_Iterable[_Union[Position, _Mapping]]] = ..., collateral: _Optional[_Iterable[_Union[Collateral, _Mapping]]] = ..., closed_accounts: _Optional[_Iterable[int]] = ...) -> None: ...

class PositionSnapshotRequest(_message.Message):
    __slots__ = ("known_epoch",)
    KNOWN_EPOCH_FIELD_NUMBER: _ClassVar[int]
    known_epoch: int
    def __init__(self, known_epoch: _Optional[int] = ...) -> None: ...

class PositionSnapshot(_message.Message):
    __slots__ = ("source_epoch", "sequence", "positions", "collateral")
    SOURCE_EPOCH_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    POSITIONS_FIELD_NUMBER: _ClassVar[int]
    COLLATERAL_FIELD_NUMBER: _ClassVar[int]
    source_epoch: int
    sequence: int
    positions: _containers.RepeatedCompositeFieldContainer[Position]
    collateral: _containers.RepeatedCompositeFieldContainer[Collateral]
    def __init__(self, source_epoch: _Optional[int] = ..., sequence: _Optional[int] = ..., positions: _Optional[_Iterable[_Union[Position, _Mapping]]] = ..., collateral: _Optional[_Iterable[_Union[Collateral, _Mapping]]] = ...) -> None: ...
