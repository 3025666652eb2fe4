"""Python client of Fulcrum's risk feed (protocols/README.md): typed updates, a sync and an asyncio client
implementing the protocol's Clone-pattern state machine, and pandas views.

    import fulcrum_client
    client = fulcrum_client.connect("tcp://127.0.0.1:7601")
    print(client.to_pandas())
"""
from .aio import AsyncFeedClient, connect_async
from .client import FeedClient, connect
from .codec import DecodeError, decode, read_sequence, snapshot_request, to_dict
from .machine import FeedMachine, snapshot_endpoint_for
from .margin import maintenance_margin, portfolio_margin
from .types import (RESYNC_REASONS, AssetStatus, Coverage, CoverageZone, Event, Heartbeat, MalformedPortfolioError,
                    MarginTier, ModelInputs, PortfolioUpdate, PublisherAlive, PublisherDead, Reason, Resync,
                    RiskParameters, SnapshotEnd, Synchronized, Update)

__version__ = "1.0.0"

__all__ = [
    "AsyncFeedClient", "AssetStatus", "Coverage", "CoverageZone", "DecodeError", "Event", "FeedClient", "FeedMachine",
    "Heartbeat", "MalformedPortfolioError", "MarginTier", "ModelInputs", "PortfolioUpdate", "PublisherAlive",
    "PublisherDead", "RESYNC_REASONS", "Reason", "Resync", "RiskParameters", "SnapshotEnd", "Synchronized", "Update",
    "connect", "connect_async", "decode", "maintenance_margin", "portfolio_margin", "read_sequence",
    "snapshot_endpoint_for", "snapshot_request", "to_dict",
]
