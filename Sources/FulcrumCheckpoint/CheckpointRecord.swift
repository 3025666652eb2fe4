import Checksum
import Foundation
import GRDB

/// The one row of the `checkpoint` table, as stored: the columns of ``CheckpointMetadata`` in their stored form,
/// the payload, and the row checksum that covers them all.
///
/// Every integer is stored as the `Int64` SQLite holds (unsigned values as their bit pattern), so the checksum is
/// computed over exactly the values on disk: a flip in any bit of any column — the high half of
/// `payload_crc32c` included — changes it. `row_crc32c` is the CRC-32C of the metadata columns in
/// ``checkedColumns`` order, each as 8 bytes little-endian; the payload is covered through its size and its own
/// CRC-32C (`payload_crc32c`), which are among them. It is `NULL` only in a row migrated from schema version 1,
/// which carries no checksum over its metadata and is refused as incompatible.
struct CheckpointRecord: Codable, FetchableRecord, PersistableRecord {
    /// The table, one row at most (`id = 1`).
    static let databaseTableName = "checkpoint"

    /// The columns, named as stored (tools outside Fulcrum read the metadata columns).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case schemaVersion = "schema_version"
        case payloadFormat = "payload_format"
        case writtenAt = "written_at_ns"
        case epoch
        case boundary = "boundary_ns"
        case throughExchangeTime = "through_exchange_time_ns"
        case lateness = "lateness_ns"
        case gridInterval = "grid_interval_ns"
        case stepsRun = "steps_run"
        case assetCount = "asset_count"
        case modelConfigurationHash = "model_configuration_hash"
        case payloadSize = "payload_size"
        case payloadChecksum = "payload_crc32c"
        case rowChecksum = "row_crc32c"
        case payload
    }

    /// Always 1: the table's single-row guarantee (`CHECK (id = 1)`).
    var id: Int64 = 1
    /// ``CheckpointMetadata/schemaVersion``.
    var schemaVersion: Int64
    /// ``CheckpointMetadata/payloadFormat``.
    var payloadFormat: Int64
    /// ``CheckpointMetadata/writtenAt``, ns.
    var writtenAt: Int64
    /// ``CheckpointMetadata/epoch``, as its bit pattern.
    var epoch: Int64
    /// ``CheckpointMetadata/boundary``, ns.
    var boundary: Int64
    /// ``CheckpointMetadata/throughExchangeTime``, ns.
    var throughExchangeTime: Int64
    /// ``CheckpointMetadata/lateness``, ns.
    var lateness: Int64
    /// ``CheckpointMetadata/gridInterval``, ns.
    var gridInterval: Int64
    /// ``CheckpointMetadata/stepsRun``, as its bit pattern.
    var stepsRun: Int64
    /// ``CheckpointMetadata/assetCount``.
    var assetCount: Int64
    /// ``CheckpointMetadata/modelConfigurationHash``, as its bit pattern.
    var modelConfigurationHash: Int64
    /// ``CheckpointMetadata/payloadSize``, bytes.
    var payloadSize: Int64
    /// ``CheckpointMetadata/payloadChecksum``.
    var payloadChecksum: Int64
    /// CRC-32C of ``checkedColumns``; `nil` in a row of schema version 1.
    var rowChecksum: Int64?
    /// The encoded engine state.
    var payload: Data

    /// The row storing `metadata` and `payload`, its checksum computed.
    init(_ metadata: CheckpointMetadata, payload: [UInt8]) {
        schemaVersion = Int64(metadata.schemaVersion)
        payloadFormat = Int64(metadata.payloadFormat)
        writtenAt = metadata.writtenAt
        epoch = Int64(bitPattern: metadata.epoch)
        boundary = metadata.boundary
        throughExchangeTime = metadata.throughExchangeTime
        lateness = metadata.lateness
        gridInterval = metadata.gridInterval
        stepsRun = Int64(bitPattern: metadata.stepsRun)
        assetCount = Int64(metadata.assetCount)
        modelConfigurationHash = Int64(bitPattern: metadata.modelConfigurationHash)
        payloadSize = Int64(metadata.payloadSize)
        payloadChecksum = Int64(metadata.payloadChecksum)
        self.payload = Data(payload)
        rowChecksum = Int64(computedRowChecksum)
    }

    /// The values under the row checksum, in the order it reads them: every column but `id`, the payload and the
    /// checksum itself.
    var checkedColumns: [Int64] {
        [schemaVersion, payloadFormat, writtenAt, epoch, boundary, throughExchangeTime, lateness, gridInterval,
         stepsRun, assetCount, modelConfigurationHash, payloadSize, payloadChecksum]
    }

    /// The CRC-32C of ``checkedColumns`` as stored now, each 8 bytes little-endian.
    var computedRowChecksum: UInt32 {
        checkedColumns.reduce(0) { checksum, value in
            withUnsafeBytes(of: value.littleEndian) { CRC32C.checksum($0, continuing: checksum) }
        }
    }

    /// The metadata of a row whose ``rowChecksum`` matches; `nil` when a value does not fit its field (which a
    /// row written by ``init(_:payload:)`` never has).
    var metadata: CheckpointMetadata? {
        guard let schemaVersion = Int(exactly: schemaVersion), let payloadFormat = Int(exactly: payloadFormat),
              let assetCount = Int(exactly: assetCount), let payloadSize = Int(exactly: payloadSize),
              let payloadChecksum = UInt32(exactly: payloadChecksum) else { return nil }
        return CheckpointMetadata(
            schemaVersion: schemaVersion, payloadFormat: payloadFormat, writtenAt: writtenAt,
            epoch: UInt64(bitPattern: epoch), boundary: boundary, throughExchangeTime: throughExchangeTime,
            lateness: lateness, gridInterval: gridInterval, stepsRun: UInt64(bitPattern: stepsRun),
            assetCount: assetCount, modelConfigurationHash: UInt64(bitPattern: modelConfigurationHash),
            payloadSize: payloadSize, payloadChecksum: payloadChecksum)
    }
}
