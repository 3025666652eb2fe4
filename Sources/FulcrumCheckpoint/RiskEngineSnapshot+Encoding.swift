import Checksum
import FulcrumEngine

extension RiskEngine.Snapshot {
    /// The checkpoint record: metadata and the encoded payload. Runs on the writer thread.
    func encoded(writtenAt: Int64) throws -> (CheckpointMetadata, [UInt8]) {
        let bytes = try CheckpointEncoder.encode(payload)
        let metadata = CheckpointMetadata(
            schemaVersion: CheckpointStore.schemaVersion, payloadFormat: RiskEngine.checkpointPayloadFormat,
            writtenAt: writtenAt, epoch: epoch, boundary: boundary, throughExchangeTime: throughExchangeTime,
            lateness: lateness, gridInterval: gridInterval,
            stepsRun: stepsRun, assetCount: assetCount, modelConfigurationHash: modelConfigurationHash,
            payloadSize: bytes.count, payloadChecksum: bytes.withUnsafeBytes { CRC32C.checksum($0) })
        return (metadata, bytes)
    }
}
