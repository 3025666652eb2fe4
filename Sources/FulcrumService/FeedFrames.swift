import ZeroMQ

/// The frames of one inbound feed message, received into reused messages (no allocation per message).
///
/// Fulcrum's decoders read at most two frames (topic and payload); frames beyond the second are received and
/// discarded, but counted, so that the decoder can reject the message for its shape.
final class FeedFrames {
    let first = Message()
    let second = Message()
    private let extra = Message()
    /// Frames in the message last received.
    private(set) var count = 0

    /// Receives the next message from `socket` without blocking; returns false when none is queued.
    func receive(from socket: Socket) throws -> Bool {
        guard try socket.receive(into: first, wait: false) else { return false }
        count = 1
        guard first.hasMore else { return true }
        try socket.receive(into: second)
        count = 2
        var more = second.hasMore
        while more {
            try socket.receive(into: extra)
            count += 1
            more = extra.hasMore
        }
        return true
    }

    /// The second frame's bytes, or an empty buffer for a one-frame message.
    var secondBytes: UnsafeRawBufferPointer {
        count >= 2 ? second.bytes : UnsafeRawBufferPointer(start: nil, count: 0)
    }
}
