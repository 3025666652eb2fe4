import Testing
@testable import Backtesting

@Suite("CRC-32C")
struct CRC32CTests {
    @Test("Check value and the iSCSI test vectors (RFC 3720 B.4)")
    func vectors() {
        #expect(CRC32C.checksum([UInt8]("123456789")) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test("Slicing by 8 equals the bit-by-bit definition, and chaining equals one pass")
    func bitwiseAndChaining() {
        func bitwise(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        var random = TestRandom(state: 7)
        for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1_000] {
            let bytes = random.bytes(length)
            #expect(CRC32C.checksum(bytes) == bitwise(bytes), "length \(length)")
            for split in [0, 1, length / 2, length] {
                let head = CRC32C.checksum(Array(bytes[..<split]))
                let chained = CRC32C.checksum(Array(bytes[split...]), continuing: head)
                #expect(chained == bitwise(bytes), "length \(length) split \(split)")
            }
        }
    }
}
