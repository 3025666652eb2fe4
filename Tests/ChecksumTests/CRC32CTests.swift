import FulcrumTestSupport
import Testing
@testable import Checksum

@Suite("CRC-32C")
struct CRC32CTests {
    /// The definition, one bit at a time: the reference the fast paths are checked against.
    static func bitwise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    /// `bytes` checksummed by `implementation`.
    static func checksum(_ bytes: [UInt8], continuing previous: UInt32 = 0,
                         using implementation: CRC32C.Implementation) -> UInt32 {
        bytes.withUnsafeBytes { CRC32C.checksum($0, continuing: previous, using: implementation) }
    }

    /// The implementations this machine can run.
    static var implementations: [CRC32C.Implementation] {
        CRC32C.implementation == .hardware ? [.hardware, .portable] : [.portable]
    }

    @Test("Check value and the iSCSI test vectors (RFC 3720 B.4)")
    func vectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test("Every implementation gives the test vectors", arguments: CRC32CTests.implementations)
    func vectorsPerImplementation(_ implementation: CRC32C.Implementation) {
        #expect(Self.checksum(Array("123456789".utf8), using: implementation) == 0xE306_9283)
        #expect(Self.checksum([UInt8](repeating: 0, count: 32), using: implementation) == 0x8A91_36AA)
        #expect(Self.checksum([UInt8](repeating: 0xFF, count: 32), using: implementation) == 0x62A8_AB43)
        #expect(Self.checksum((0..<32).map { UInt8($0) }, using: implementation) == 0x46DD_794E)
        #expect(Self.checksum([UInt8](), using: implementation) == 0)
    }

    @Test("Each implementation equals the bit-by-bit definition at every length and alignment, and chains",
          arguments: CRC32CTests.implementations)
    func bitwiseAndChaining(_ implementation: CRC32C.Implementation) {
        var random = SplitMix64(seed: 7)
        let pool = random.bytes(1_100)
        for length in [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1_000] {
            pool.withUnsafeBytes { buffer in
                // Slices of one buffer, so that the start really moves through every offset within 8 bytes.
                for alignment in 0..<8 {
                    let part = UnsafeRawBufferPointer(rebasing: buffer[alignment..<alignment + length])
                    #expect(CRC32C.checksum(part, using: implementation)
                                == Self.bitwise(pool[alignment..<alignment + length]),
                            "length \(length) alignment \(alignment)")
                }
            }
            let bytes = Array(pool[..<length])
            for split in [0, 1, length / 2, length] {
                let head = Self.checksum(Array(bytes[..<split]), using: implementation)
                let chained = Self.checksum(Array(bytes[split...]), continuing: head, using: implementation)
                #expect(chained == Self.bitwise(bytes[...]), "length \(length) split \(split)")
            }
        }
    }

    @Test("The buffer entry point checks any part of a larger buffer in place")
    func slicesOfABuffer() {
        var random = SplitMix64(seed: 11)
        let bytes = random.bytes(300)
        bytes.withUnsafeBytes { buffer in
            for (start, end) in [(0, 300), (1, 299), (13, 14), (100, 100), (37, 292)] {
                let part = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                #expect(CRC32C.checksum(part) == Self.bitwise(bytes[start..<end]), "bytes \(start)..<\(end)")
            }
        }
    }
}
