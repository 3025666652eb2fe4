from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Side(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SIDE_UNSPECIFIED: _ClassVar[Side]
    SIDE_BUY: _ClassVar[Side]
    SIDE_SELL: _ClassVar[Side]
SIDE_UNSPECIFIED: Side
SIDE_BUY: Side
SIDE_SELL: Side

class Tick(_message.Message):
    __slots__ = ("venue", "symbol", "price", "bid", "ask", "size", "side", "exchange_time_ns", "receipt_time_ns", "feed_sequence")
    VENUE_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    BID_FIELD_NUMBER: _ClassVar[int]
    ASK_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_TIME_NS_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_TIME_NS_FIELD_NUMBER: _ClassVar[int]
    FEED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    venue: str
    symbol: str
    price: float
    bid: float
    ask: float
    size: float
    side: Side
    exchange_time_ns: int
    receipt_time_ns: int
    feed_sequence: int
    def __init__(self, venue: _Optional[str] = ..., symbol: _Optional[str] = ..., price: _Optional[float] = ..., bid: _Optional[float] = ..., ask: _Optional[float] = ..., size: _Optional[float] = ..., side: _Optional[_Union[Side, str]] = ..., exchange_time_ns: _Optional[int] = ..., receipt_time_ns: _Optional[int] = ..., feed_sequence: _Optional[int] = ...) -> None: ...
