import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A subscriber that stops reading: it completes the ZMTP 3.0 handshake with Fulcrum's PUB socket over a plain tcp
/// socket, subscribes to every topic, and never reads again.
///
/// Its receive buffer is as small as the kernel allows and its segment size small, so the kernel soon holds all it
/// will for this peer and further updates stay queued in the publisher: undelivered messages that the publisher's
/// linger must bound at shutdown. A libzmq SUB socket would keep reading into its own queue instead.
final class StalledSubscriber {
    private let descriptor: Int32
    /// The local tcp port of the connection (to find it in `/proc/net/tcp`).
    let localPort: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects to `127.0.0.1:port`, greets the PUB socket as a SUB peer and subscribes to everything.
    init(port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var smallest: Int32 = 1
        var segment: Int32 = 536
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        let intSize = socklen_t(MemoryLayout<Int32>.size)
        // Before connect: the window and the segment size are negotiated in the handshake.
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &smallest, intSize)
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_MAXSEG, &segment, intSize)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "connect to port \(port): errno \(errno)")
        }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        localPort = Int(UInt16(bigEndian: local.sin_port))
        do {
            try handshake()
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// ZMTP 3.0 with the NULL mechanism: greeting, READY with `Socket-Type: SUB`, then the subscription to every
    /// topic as a message (`0x01` + empty prefix), as 3.0 peers subscribe.
    private func handshake() throws {
        var greeting = [UInt8](repeating: 0, count: 64)
        greeting[0] = 0xFF
        greeting[9] = 0x7F
        greeting[10] = 3
        greeting[11] = 0
        greeting.replaceSubrange(12..<16, with: Array("NULL".utf8))
        try write(greeting)
        _ = try read(64)
        let ready: [UInt8] = [5] + Array("READY".utf8) + [11] + Array("Socket-Type".utf8) + [0, 0, 0, 3]
            + Array("SUB".utf8)
        try write([0x04, UInt8(ready.count)] + ready)
        let header = try read(2)
        let size = header[0] & 0x02 != 0
            ? try read(7).reduce(Int(header[1])) { $0 << 8 | Int($1) }
            : Int(header[1])
        let command = try read(size)
        guard command.count > 6, Array(command[1..<6]) == Array("READY".utf8) else {
            throw Failure(description: "the publisher did not answer READY: \(command.prefix(16))")
        }
        try write([0x00, 0x01, 0x01])
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += sent
        }
    }

    private func read(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let received = bytes[offset...].withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard received > 0 else { throw Failure(description: "recv: errno \(errno) after \(offset) bytes") }
            offset += received
        }
        return bytes
    }

    /// Bytes the kernel holds unsent on the publisher's side of this connection (`tx_queue` in `/proc/net/tcp`),
    /// or `nil` when the connection is not listed.
    func unsentBytes(publisherPort: Int) -> Int? {
        // Read to the end: the kernel hands the table out a page at a time, and a single read stops at the first.
        guard let file = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return nil }
        defer { try? file.close() }
        let table = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 4,
                  let local = fields[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                  let remote = fields[2].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                  local == publisherPort, remote == localPort,
                  let queue = fields[4].split(separator: ":").first.flatMap({ Int($0, radix: 16) }) else { continue }
            return queue
        }
        return nil
    }
}
