import Foundation
import ZeroMQ

/// Reads the key files `fulcrum keygen` writes: lines `public-key Z85` and `secret-key Z85`.
enum KeyFile {
    static func load(_ path: String) throws -> CurveKeyPair {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var keys: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { keys[parts[0]] = parts[1] }
        }
        guard let secret = keys["secret-key"] else {
            throw ZMQError(code: .invalidArgument, errno: 0, message: "\(path) has no secret-key line",
                           operation: "load key file")
        }
        return try CurveKeyPair.derive(secretKey: try CurveKey(z85: secret))
    }
}
