import CCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and Kafka records.
///
/// Computed by the processor's CRC-32C instruction where it has one (x86-64 SSE 4.2 `crc32`, one instruction
/// per 8 bytes; AArch64 `crc32cx`), chosen at run time, and otherwise by table-driven slicing by 8: eight
/// 256-entry tables let each step fold eight input bytes with eight independent lookups. Both give the same
/// value, bit for bit; ``implementation`` says which one runs. Chaining is exact: the checksum of `a + b` equals
/// `checksum(b, continuing: checksum(a))`, so a record can be checked in pieces without copying it.
/// Check value: `checksum("123456789") == 0xE306_9283`.
public enum CRC32C {
    /// How the checksum is computed.
    public enum Implementation: String, Sendable, CaseIterable {
        /// The processor's CRC-32C instruction.
        case hardware
        /// Slicing by 8 with lookup tables.
        case portable
    }

    /// The implementation ``checksum(_:continuing:)`` uses on this machine.
    public static var implementation: Implementation {
        CCRC32C_hardwareAvailable() != 0 ? .hardware : .portable
    }

    /// The CRC-32C of `bytes`, continuing from the checksum of the bytes before them (0 to start).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        CCRC32C_update(~previous, bytes.baseAddress, bytes.count) ^ 0xFFFF_FFFF
    }

    /// The CRC-32C of an array of bytes.
    public static func checksum(_ bytes: [UInt8], continuing previous: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: previous) }
    }

    /// The CRC-32C of `bytes` computed by `implementation` (``Implementation/hardware`` falls back to the tables
    /// on a processor without the instruction).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0,
                         using implementation: Implementation) -> UInt32 {
        switch implementation {
        case .hardware: CCRC32C_update(~previous, bytes.baseAddress, bytes.count) ^ 0xFFFF_FFFF
        case .portable: CCRC32C_updatePortable(~previous, bytes.baseAddress, bytes.count) ^ 0xFFFF_FFFF
        }
    }
}
