/// What a stored checkpoint is, without its payload: the metadata columns of the `checkpoint` table
/// (``CheckpointRecord``).
public struct CheckpointMetadata: Sendable, Hashable {
    /// Database schema version (``CheckpointStore/schemaVersion``).
    public var schemaVersion: Int
    /// Payload layout version (``RiskEngine/checkpointPayloadFormat``).
    public var payloadFormat: Int
    /// Wall-clock time of the write, ns since the Unix epoch.
    public var writtenAt: Int64
    /// Publisher epoch of the run that wrote it.
    public var epoch: UInt64
    /// The last grid boundary the state has closed, ns.
    public var boundary: Int64
    /// Exchange time of the last tick reflected: the tick that closed `boundary`, ns. For an in-order feed the
    /// state reflects every accepted tick up to and including it; replay resumes with the next tick.
    public var throughExchangeTime: Int64
    /// `estimation.lateness` in force, ns.
    public var lateness: Int64
    /// `estimation.gridInterval` in force, ns.
    public var gridInterval: Int64
    /// Grid steps run.
    public var stepsRun: UInt64
    /// Number of assets.
    public var assetCount: Int
    /// `MarginModelConfiguration.configurationHash` of the model that wrote it.
    public var modelConfigurationHash: UInt64
    /// Payload length in bytes.
    public var payloadSize: Int
    /// CRC-32C of the payload.
    public var payloadChecksum: UInt32

    /// Creates metadata.
    public init(schemaVersion: Int, payloadFormat: Int, writtenAt: Int64, epoch: UInt64, boundary: Int64,
                throughExchangeTime: Int64, lateness: Int64, gridInterval: Int64, stepsRun: UInt64, assetCount: Int,
                modelConfigurationHash: UInt64, payloadSize: Int, payloadChecksum: UInt32) {
        self.schemaVersion = schemaVersion
        self.payloadFormat = payloadFormat
        self.writtenAt = writtenAt
        self.epoch = epoch
        self.boundary = boundary
        self.throughExchangeTime = throughExchangeTime
        self.lateness = lateness
        self.gridInterval = gridInterval
        self.stepsRun = stepsRun
        self.assetCount = assetCount
        self.modelConfigurationHash = modelConfigurationHash
        self.payloadSize = payloadSize
        self.payloadChecksum = payloadChecksum
    }
}
