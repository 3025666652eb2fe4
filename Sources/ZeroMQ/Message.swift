import CZeroMQ

/// A reusable libzmq message frame (`zmq_msg_t`).
///
/// Receiving into the same `Message` again and again avoids a heap allocation per frame:
/// libzmq stores small frames inline and hands large ones over without a copy. The bytes are
/// valid until the next receive into, or the release of, this message.
public final class Message {
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// Creates an empty frame.
    public init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The number of bytes in the frame.
    public var count: Int { zmq_msg_size(pointer) }

    /// Whether more frames of the same multipart message follow this one.
    public var hasMore: Bool { zmq_msg_more(pointer) != 0 }

    /// Calls `body` with the frame's bytes, which must not escape the closure.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(bytes)
    }

    /// The frame's bytes, valid until this message is reused or released.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: zmq_msg_size(pointer))
    }

    /// A copy of the frame's bytes.
    public var array: [UInt8] { Array(bytes) }
}
