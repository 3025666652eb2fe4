import CZeroMQ

/// A 32-byte CURVE key (public or secret), printable as 40 characters of Z85.
public struct CurveKey: Sendable, Hashable, CustomStringConvertible {
    /// The raw key bytes.
    public let bytes: [UInt8]

    /// Wraps 32 raw bytes.
    public init(bytes: [UInt8]) throws(ZMQError) {
        guard bytes.count == 32 else {
            throw ZMQError(code: .invalidArgument, errno: 0, message: "a CURVE key has 32 bytes, not \(bytes.count)",
                           operation: "CurveKey")
        }
        self.bytes = bytes
    }

    /// Decodes the 40-character Z85 text form.
    public init(z85 text: String) throws(ZMQError) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.utf8.count == 40 else {
            throw ZMQError(code: .invalidArgument, errno: 0,
                           message: "a Z85 CURVE key has 40 characters, not \(trimmed.utf8.count)",
                           operation: "CurveKey(z85:)")
        }
        var decoded = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&decoded, trimmed) != nil else {
            throw ZMQError(code: .invalidArgument, errno: 0, message: "not valid Z85: \(trimmed)",
                           operation: "CurveKey(z85:)")
        }
        self.bytes = decoded
    }

    /// The 40-character Z85 text form.
    public var z85: String {
        var text = [CChar](repeating: 0, count: 41)
        var copy = bytes
        _ = zmq_z85_encode(&text, &copy, 32)
        return String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String { z85 }
}

/// A CURVE key pair.
public struct CurveKeyPair: Sendable, Hashable {
    /// The key peers pin or allow-list.
    public var publicKey: CurveKey
    /// The key that never leaves this process's configuration.
    public var secretKey: CurveKey

    /// Pairs two existing keys.
    public init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Generates a fresh key pair with libzmq's CSPRNG.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        if zmq_curve_keypair(&publicText, &secretText) != 0 { throw ZMQError.last("zmq_curve_keypair") }
        func text(_ chars: [CChar]) -> String {
            String(decoding: chars.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CurveKeyPair(publicKey: try CurveKey(z85: text(publicText)), secretKey: try CurveKey(z85: text(secretText)))
    }

    /// Derives the public key belonging to `secretKey`.
    public static func derive(secretKey: CurveKey) throws(ZMQError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: 41)
        let secretText = secretKey.z85
        if zmq_curve_public(&publicText, secretText) != 0 { throw ZMQError.last("zmq_curve_public") }
        let publicKey = try CurveKey(z85: String(decoding: publicText.prefix(40).map { UInt8(bitPattern: $0) },
                                                 as: UTF8.self))
        return CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars.drop(while: { $0.properties.isWhitespace })
        return String(String.UnicodeScalarView(scalars.reversed().drop(while: { $0.properties.isWhitespace }).reversed()))
    }
}
