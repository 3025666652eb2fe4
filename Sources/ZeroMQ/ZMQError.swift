import CZeroMQ

/// An error reported by libzmq, or a misuse detected by this layer.
public struct ZMQError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The broad kind of failure, for callers that branch on it.
    public enum Code: Sendable, Equatable {
        /// A non-blocking call would have blocked, or a timeout expired.
        case wouldBlock
        /// The call was interrupted by a signal; retrying is safe.
        case interrupted
        /// The context was terminated; the socket must be closed.
        case terminated
        /// A ROUTER could not route to the addressed peer.
        case hostUnreachable
        /// An option value, endpoint or argument was rejected.
        case invalidArgument
        /// The linked libzmq lacks something this layer requires (an option or capability).
        case unsupported
        /// Any other libzmq failure; see ``ZMQError/errno``.
        case other
    }

    /// The broad kind of failure.
    public var code: Code
    /// The raw `errno` value libzmq reported (0 for errors detected in Swift).
    public var errno: Int32
    /// `zmq_strerror(errno)`, or a description of the misuse.
    public var message: String
    /// The operation that failed, e.g. `"zmq_bind(tcp://*:5555)"`.
    public var operation: String

    /// Creates an error from explicit parts.
    public init(code: Code, errno: Int32, message: String, operation: String) {
        self.code = code
        self.errno = errno
        self.message = message
        self.operation = operation
    }

    /// Captures the calling thread's `zmq_errno()` for `operation`.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        let number = zmq_errno()
        return ZMQError(code: Code(errno: number), errno: number, message: String(cString: zmq_strerror(number)),
                        operation: operation())
    }

    public var description: String {
        "\(operation) failed: \(message) (errno \(errno))"
    }
}

extension ZMQError.Code {
    init(errno number: Int32) {
        switch number {
        case czmq_errno_eagain(): self = .wouldBlock
        case czmq_errno_eintr(): self = .interrupted
        case czmq_errno_eterm(): self = .terminated
        case czmq_errno_ehostunreach(): self = .hostUnreachable
        case EINVAL: self = .invalidArgument
        default: self = .other
        }
    }
}
