/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and Kafka records.
///
/// Table-driven "slicing by 16": sixteen 256-entry tables (16 KiB, cache-resident) let each step fold sixteen
/// input bytes into the register with sixteen independent lookups, so the chain of dependent steps is a sixteenth
/// of the byte-wise one (and half that of slicing by 8). Chaining is exact: the checksum of `a + b` equals
/// `checksum(b, continuing: checksum(a))`, so a record can be checked in pieces without copying it.
/// Check value: `checksum("123456789") == 0xE306_9283`.
public enum CRC32C {
    /// The sixteen lookup tables, table k at offset 256·k. Table 0 is the byte-wise table (T₀[i] = i shifted
    /// through the polynomial eight times); Tₖ[i] = (Tₖ₋₁[i] >> 8) ^ T₀[Tₖ₋₁[i] & 0xFF], the effect of byte i
    /// followed by k zero bytes.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 16 * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[index] = crc
        }
        for table in 1..<16 {
            for index in 0..<256 {
                let previous = tables[(table - 1) * 256 + index]
                tables[table * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes`, continuing from the checksum of the bytes before them (0 to start).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        update(~previous, bytes) ^ 0xFFFF_FFFF
    }

    /// The CRC-32C of an array of bytes.
    public static func checksum(_ bytes: [UInt8], continuing previous: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: previous) }
    }

    @usableFromInline
    static func update(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return register }
        return tables.withUnsafeBufferPointer { buffer in
            // The table has 16·256 entries and every index below is (k << 8) | byte with k < 16.
            let table = buffer.baseAddress.unsafelyUnwrapped
            @inline(__always) func lookup(_ k: Int, _ word: UInt64) -> UInt32 {
                table[k &<< 8 | Int(truncatingIfNeeded: word & 0xFF)]
            }
            @inline(__always) func fold8(_ word: UInt64) -> UInt32 {
                lookup(7, word) ^ lookup(6, word >> 8) ^ lookup(5, word >> 16) ^ lookup(4, word >> 24)
                    ^ lookup(3, word >> 32) ^ lookup(2, word >> 40) ^ lookup(1, word >> 48) ^ lookup(0, word >> 56)
            }
            var crc = register
            var offset = 0
            while count &- offset >= 16 {
                let low = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian ^ UInt64(crc)
                let high = base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self).littleEndian
                crc = lookup(15, low) ^ lookup(14, low >> 8) ^ lookup(13, low >> 16) ^ lookup(12, low >> 24)
                    ^ lookup(11, low >> 32) ^ lookup(10, low >> 40) ^ lookup(9, low >> 48) ^ lookup(8, low >> 56)
                    ^ fold8(high)
                offset &+= 16
            }
            if count &- offset >= 8 {
                crc = fold8(base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian ^ UInt64(crc))
                offset &+= 8
            }
            while offset < count {
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                crc = table[Int(truncatingIfNeeded: (crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
                offset &+= 1
            }
            return crc
        }
    }
}
