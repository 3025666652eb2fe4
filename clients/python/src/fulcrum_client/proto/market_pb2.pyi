from . import tick_pb2 as _tick_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MarketUpdate(_message.Message):
    __slots__ = ("venue", "symbol", "exchange_time_ns", "receipt_time_ns", "book", "funding", "open_interest", "liquidation", "candle")
    VENUE_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_TIME_NS_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_TIME_NS_FIELD_NUMBER: _ClassVar[int]
    BOOK_FIELD_NUMBER: _ClassVar[int]
    FUNDING_FIELD_NUMBER: _ClassVar[int]
    OPEN_INTEREST_FIELD_NUMBER: _ClassVar[int]
    LIQUIDATION_FIELD_NUMBER: _ClassVar[int]
    CANDLE_FIELD_NUMBER: _ClassVar[int]
    venue: str
    symbol: str
    exchange_time_ns: int
    receipt_time_ns: int
    book: BookUpdate
    funding: Funding
    open_interest: OpenInterest
    liquidation: Liquidation
    candle: Candle
    def __init__(self, venue: _Optional[str] = ..., symbol: _Optional[str] = ..., exchange_time_ns: _Optional[int] = ..., receipt_time_ns: _Optional[int] = ..., book: _Optional[_Union[BookUpdate, _Mapping]] = ..., funding: _Optional[_Union[Funding, _Mapping]] = ..., open_interest: _Optional[_Union[OpenInterest, _Mapping]] = ..., liquidation: _Optional[_Union[Liquidation, _Mapping]] = ..., candle: _Optional[_Union[Candle, _Mapping]] = ...) -> None: ...

class BookLevel(_message.Message):
    __slots__ = ("price", "size")
    PRICE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    price: float
    size: float
    def __init__(self, price: _Optional[float] = ..., size: _Optional[float] = ...) -> None: ...

class BookUpdate(_message.Message):
    __slots__ = ("snapshot", "bids", "asks")
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    BIDS_FIELD_NUMBER: _ClassVar[int]
    ASKS_FIELD_NUMBER: _ClassVar[int]
    snapshot: bool
    bids: _containers.RepeatedCompositeFieldContainer[BookLevel]
    asks: _containers.RepeatedCompositeFieldContainer[BookLevel]
    def __init__(self, snapshot: bool = ..., bids: _Optional[_Iterable[_Union[BookLevel, _Mapping]]] = ..., asks: _Optional[_Iterable[_Union[BookLevel, _Mapping]]] = ...) -> None: ...

class Funding(_message.Message):
    __slots__ = ("mark_price", "index_price", "rate")
    MARK_PRICE_FIELD_NUMBER: _ClassVar[int]
    INDEX_PRICE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    mark_price: float
    index_price: float
    rate: float
    def __init__(self, mark_price: _Optional[float] = ..., index_price: _Optional[float] = ..., rate: _Optional[float] = ...) -> None: ...

class OpenInterest(_message.Message):
    __slots__ = ("open_interest",)
    OPEN_INTEREST_FIELD_NUMBER: _ClassVar[int]
    open_interest: float
    def __init__(self, open_interest: _Optional[float] = ...) -> None: ...

class Liquidation(_message.Message):
    __slots__ = ("side", "quantity", "price")
    SIDE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    side: _tick_pb2.Side
    quantity: float
    price: float
    def __init__(self, side: _Optional[_Union[_tick_pb2.Side, str]] = ..., quantity: _Optional[float] = ..., price: _Optional[float] = ...) -> None: ...

class Candle(_message.Message):
    __slots__ = ("start_ns", "end_ns", "volume", "close", "in_progress")
    START_NS_FIELD_NUMBER: _ClassVar[int]
    END_NS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    CLOSE_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    start_ns: int
    end_ns: int
    volume: float
    close: float
    in_progress: bool
    def __init__(self, start_ns: _Optional[int] = ..., end_ns: _Optional[int] = ..., volume: _Optional[float] = ..., close: _Optional[float] = ..., in_progress: bool = ...) -> None: ...
