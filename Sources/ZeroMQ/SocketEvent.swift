import CZeroMQ

/// One event a socket monitor reports (`zmq_socket_monitor`): a connection accepted, a peer gone,
/// a security handshake that failed.
public struct SocketEvent: Sendable, Equatable {
    /// What happened. The raw values are libzmq's `ZMQ_EVENT_*` bits.
    public struct Kind: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32

        /// Creates a set of event kinds from libzmq's bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// A listening socket accepted a connection; the value is its file descriptor.
        public static let accepted = Kind(rawValue: UInt32(ZMQ_EVENT_ACCEPTED))
        /// A connection closed, by the peer or after an error; the value is its file descriptor.
        public static let disconnected = Kind(rawValue: UInt32(ZMQ_EVENT_DISCONNECTED))
        /// An outgoing connection was established.
        public static let connected = Kind(rawValue: UInt32(ZMQ_EVENT_CONNECTED))
        /// The ZMTP (and CURVE) handshake with a peer completed.
        public static let handshakeSucceeded = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_SUCCEEDED))
        /// A handshake failed for a reason libzmq does not detail (e.g. the connection dropped).
        public static let handshakeFailedNoDetail = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL))
        /// A handshake broke the protocol; the value is a ``ProtocolError`` code (a plain client at a CURVE
        /// server is a mechanism mismatch, a client pinned to the wrong server key a cryptographic error).
        public static let handshakeFailedProtocol = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL))
        /// The authentication handler (ZAP) refused the peer; the value is its status code (e.g. 400).
        public static let handshakeFailedAuth = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH))
        /// The monitor was stopped; no event follows.
        public static let monitorStopped = Kind(rawValue: UInt32(ZMQ_EVENT_MONITOR_STOPPED))

        /// Connections and handshakes: what a server needs to count peers and refusals.
        public static let connectionsAndHandshakes: Kind = [
            .accepted, .disconnected, .connected, .handshakeSucceeded, .handshakeFailedNoDetail,
            .handshakeFailedProtocol, .handshakeFailedAuth,
        ]
    }

    /// libzmq's protocol error codes carried by ``Kind/handshakeFailedProtocol``.
    public enum ProtocolError {
        /// The peer offered another security mechanism (e.g. NULL against CURVE).
        public static let mechanismMismatch = UInt32(ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
        /// A CURVE box did not open: the peer used keys that do not match.
        public static let cryptographic = UInt32(ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC)
    }

    /// The event (exactly one bit).
    public var kind: Kind
    /// The event's value: a file descriptor, an error code or a status code, depending on ``kind``.
    public var value: UInt32
    /// The endpoint the event concerns (the local one for accepted connections).
    public var endpoint: String

    /// Creates an event.
    public init(kind: Kind, value: UInt32, endpoint: String) {
        self.kind = kind
        self.value = value
        self.endpoint = endpoint
    }

    /// Parses libzmq's two-frame monitor message: 6 bytes (16-bit event, 32-bit value, host byte order) and
    /// the endpoint.
    public init?(frames first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) {
        guard first.count == 6 else { return nil }
        let kind = first.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
        let value = first.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        self.init(kind: Kind(rawValue: UInt32(kind)), value: value,
                  endpoint: String(decoding: second, as: UTF8.self))
    }
}
